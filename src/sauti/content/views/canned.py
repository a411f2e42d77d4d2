"""Canned replies: the list, create, edit, delete."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sauti.content import queries
from sauti.content.errors import ContentInvalid
from sauti.content.forms import CannedReplyForm
from sauti.content.models import CannedReply
from sauti.content.services import create_canned_reply, delete_canned_reply, update_canned_reply
from sauti.content.views.common import page
from sauti.web.workspaces import Access, workspace_page


@workspace_page(perm="content.view")
@require_GET
def canned_list(request: HttpRequest, access: Access) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    replies = (queries.search_canned_replies(access.workspace, query, limit=500) if query
               else list(queries.list_canned_replies(access.workspace)))
    return render(request, "content/canned/list.html", page(access, "canned", replies=replies, q=query))


def _form_page(request: HttpRequest, access: Access, reply: CannedReply | None) -> HttpResponse:
    library = list(queries.list_media(access.workspace))
    initial = ({"title": reply.title, "shortcut": reply.shortcut, "text": reply.text,
                "media": str(reply.media.uuid) if reply.media else ""} if reply else None)
    form = CannedReplyForm(request.POST or None, initial=initial, media=library)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        values = {"title": data["title"], "text": data["text"], "shortcut": data["shortcut"],
                  "media": queries.media_by_uuid(access.workspace, data["media"]) if data["media"] else None}
        try:
            if reply is None:
                create_canned_reply(access.workspace, **values, actor=request.user)
                messages.success(request, _("Canned reply added. Operators find it in the inbox's reply box."))
            else:
                update_canned_reply(reply, **values, actor=request.user)
                messages.success(request, _("Canned reply saved."))
            return redirect("content:canned", workspace=access.workspace.uuid)
        except ContentInvalid as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
    status = 400 if form.errors else 200
    return render(request, "content/canned/edit.html", page(access, "canned", form=form, reply=reply), status=status)


@workspace_page(perm="content.edit")
@require_http_methods(["GET", "POST"])
def canned_new(request: HttpRequest, access: Access) -> HttpResponse:
    return _form_page(request, access, None)


@workspace_page(perm="content.edit")
@require_http_methods(["GET", "POST"])
def canned_edit(request: HttpRequest, access: Access, reply: str) -> HttpResponse:
    return _form_page(request, access, queries.access_canned_reply(access.workspace, reply))


@workspace_page(perm="content.edit")
@require_POST
def canned_delete(request: HttpRequest, access: Access, reply: str) -> HttpResponse:
    item = queries.access_canned_reply(access.workspace, reply)
    delete_canned_reply(item, actor=request.user)
    messages.success(request, _("Canned reply deleted."))
    return redirect("content:canned", workspace=access.workspace.uuid)
