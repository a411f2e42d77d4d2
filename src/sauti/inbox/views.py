"""The inbox pages: the three panes, and the pieces htmx and live updates fetch (the list, a chat).
Reads only; every change is a POST in sauti.inbox.actions."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from sauti.inbox import queries
from sauti.inbox.context import chat_context, list_context, list_extras, sidebar_context, url
from sauti.inbox.services import mark_chat_read
from sauti.web.workspaces import Access, workspace_page


def _page(request: HttpRequest, access: Access, chat_uuid: str | None) -> HttpResponse:
    chat = queries.access_chat(access.workspace, chat_uuid) if chat_uuid else None
    if chat is not None and access.can("inbox.reply"):
        mark_chat_read(chat, actor=access.user)
    context = {"access": access, "active_nav": "inbox", **list_context(request, access),
               **sidebar_context(access), "open_chat": chat,
               "live_url": f"/ws/w/{access.workspace.uuid}/inbox/",
               "list_url": url(access, "list"), "me_uuid": str(access.user.uuid)}
    if chat is not None:
        context.update(chat_context(access, chat))
    return render(request, "inbox/inbox.html", context)


@workspace_page(perm="inbox.view")
@require_GET
def inbox_home(request: HttpRequest, access: Access) -> HttpResponse:
    return _page(request, access, None)


@workspace_page(perm="inbox.view")
@require_GET
def inbox_chat(request: HttpRequest, access: Access, chat: str) -> HttpResponse:
    if request.headers.get("HX-Request"):
        return chat_pane(request, access, chat)
    return _page(request, access, chat)


@workspace_page(perm="inbox.view")
@require_GET
def chat_list(request: HttpRequest, access: Access) -> HttpResponse:
    return render(request, "inbox/partials/_list.html", {"access": access, **list_context(request, access),
                                                         **list_extras(access), "oob": True})


def chat_pane(request: HttpRequest, access: Access, chat_uuid: str) -> HttpResponse:
    chat = queries.access_chat(access.workspace, chat_uuid)
    if access.can("inbox.reply") and request.GET.get("read") != "0":
        mark_chat_read(chat, actor=access.user)
    return render(request, "inbox/partials/_chat.html", chat_context(access, chat))


@workspace_page(perm="inbox.view")
@require_GET
def chat_thread(request: HttpRequest, access: Access, chat: str) -> HttpResponse:
    """The header and the messages only (live updates), leaving a half-written reply alone."""
    item = queries.access_chat(access.workspace, chat)
    if access.can("inbox.reply") and request.GET.get("read") == "1":
        mark_chat_read(item, actor=access.user)
    return render(request, "inbox/partials/_thread_live.html", chat_context(access, item))
