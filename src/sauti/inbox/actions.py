"""Every change made from the inbox page: parse the form, fetch within the workspace, call one
service, answer with the redrawn chat (htmx) or a redirect back to it. Roles are checked by
`workspace_page(perm=...)`; refusals come back at the field they concern."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sauti.accounts.models import Membership
from sauti.contacts.services import update_contact_fields
from sauti.inbox import composer, forms, queries, services
from sauti.inbox.context import chat_context, url
from sauti.inbox.search import SearchInvalid
from sauti.inbox.services.labels import LabelInvalid
from sauti.inbox.services.notes import NoteInvalid
from sauti.messaging.models import Chat
from sauti.messaging.services import SendRefused
from sauti.web.workspaces import Access, workspace_page


def _answer(request: HttpRequest, access: Access, chat: Chat, status: int = 200, **extra: object) -> HttpResponse:
    if request.headers.get("HX-Request"):
        chat.refresh_from_db()
        return render(request, "inbox/partials/_chat.html", chat_context(access, chat, **extra), status=status)
    if status >= 400:
        for value in extra.values():
            if isinstance(value, str) and value:
                messages.error(request, value)
    return redirect(url(access, "chat", chat=chat.uuid))


def _chat(access: Access, chat: str) -> Chat:
    return queries.access_chat(access.workspace, chat)


@workspace_page(perm="inbox.reply")
@require_POST
def reply(request: HttpRequest, access: Access, chat: str) -> HttpResponse:
    item = _chat(access, chat)
    text = request.POST.get("text", "")
    link = request.POST.get("media_link", "").strip()
    try:
        if link:
            services.send_media_to_chat(item, request.POST.get("media_kind", ""), link, text, actor=access.user)
        else:
            services.reply_to_chat(item, text, actor=access.user)
    except SendRefused as exc:
        return _answer(request, access, item, 400, reply_error=exc.message, reply_text=text, force_templates=True)
    except services.InboxActionRefused as exc:
        return _answer(request, access, item, 400, reply_error=exc.message, reply_text=text)
    return _answer(request, access, item)


@workspace_page(perm="inbox.reply")
@require_POST
def send_template(request: HttpRequest, access: Access, chat: str) -> HttpResponse:
    item = _chat(access, chat)
    template = composer.find_template(access.workspace, request.POST.get("template", ""))
    if template is None:
        return _answer(request, access, item, 400, force_templates=True,
                       template_error={"template": _("Choose an approved template.")})
    params = forms.template_params(request.POST)
    try:
        composer.send_template(access.workspace, item.contact, template, params, actor=access.user)
    except composer.template_params_error() as exc:
        field = getattr(exc, "field", "") or "template"
        return _answer(request, access, item, 400, force_templates=True,
                       template_error={field: getattr(exc, "message", str(exc)), "template_uuid": str(template.uuid)})
    services.chats.took_over(item, access.user, timezone.now())
    return _answer(request, access, item)


@workspace_page(perm="inbox.reply")
@require_POST
def add_note(request: HttpRequest, access: Access, chat: str) -> HttpResponse:
    item = _chat(access, chat)
    try:
        services.add_note(item, request.POST.get("text", ""), actor=access.user)
    except NoteInvalid as exc:
        return _answer(request, access, item, 400, note_error=str(exc))
    return _answer(request, access, item)


@workspace_page(perm="inbox.reply")
@require_POST
def assign(request: HttpRequest, access: Access, chat: str) -> HttpResponse:
    item = _chat(access, chat)
    member = Membership.objects.filter(workspace=access.workspace, user__uuid=forms.uuid_or_none(
        request.POST.get("assignee")) or access.user.uuid).select_related("user").first()
    if member is None:
        return _answer(request, access, item, 400, reply_error=_("Choose a teammate."))
    try:
        services.assign_chat(item, member.user, actor=access.user)
    except services.InboxActionRefused as exc:
        return _answer(request, access, item, 400, reply_error=exc.message)
    return _answer(request, access, item)


@workspace_page(perm="inbox.reply")
@require_POST
def unassign(request: HttpRequest, access: Access, chat: str) -> HttpResponse:
    item = _chat(access, chat)
    services.unassign_chat(item, actor=access.user)
    return _answer(request, access, item)


@workspace_page(perm="inbox.reply")
@require_POST
def close(request: HttpRequest, access: Access, chat: str) -> HttpResponse:
    item = _chat(access, chat)
    reason = request.POST.get("other_reason") or request.POST.get("reason") or ""
    services.close_chat(item, reason=reason[:200], unassign=request.POST.get("unassign") == "1", actor=access.user)
    return _answer(request, access, item)


@workspace_page(perm="inbox.reply")
@require_POST
def reopen(request: HttpRequest, access: Access, chat: str) -> HttpResponse:
    item = _chat(access, chat)
    services.reopen_chat(item, actor=access.user)
    return _answer(request, access, item)


@workspace_page(perm="inbox.reply")
@require_POST
def hand_back(request: HttpRequest, access: Access, chat: str) -> HttpResponse:
    from sauti.journeys.models import Journey

    item = _chat(access, chat)
    journey = None
    if request.POST.get("journey"):
        journey = Journey.objects.filter(workspace=access.workspace, enabled=True,
                                         uuid=forms.uuid_or_none(request.POST["journey"])).first()
        if journey is None:
            return _answer(request, access, item, 400, reply_error=_("Choose a published journey."))
    try:
        services.hand_back_to_bot(item, actor=access.user, journey=journey)
    except services.InboxActionRefused as exc:
        return _answer(request, access, item, 400, reply_error=exc.message)
    return _answer(request, access, item)


@workspace_page(perm="inbox.reply")
@require_POST
def label(request: HttpRequest, access: Access, chat: str) -> HttpResponse:
    item = _chat(access, chat)
    try:
        services.label_chat(item, [request.POST.get("name", "")], actor=access.user)
    except LabelInvalid as exc:
        return _answer(request, access, item, 400, reply_error=str(exc))
    return _answer(request, access, item)


@workspace_page(perm="inbox.reply")
@require_POST
def unlabel(request: HttpRequest, access: Access, chat: str, label: str) -> HttpResponse:
    item = _chat(access, chat)
    services.unlabel_chat(item, queries.access_label(access.workspace, label), actor=access.user)
    return _answer(request, access, item)


@workspace_page(perm="inbox.reply")
@require_POST
def message_label(request: HttpRequest, access: Access, chat: str, message: str) -> HttpResponse:
    item = _chat(access, chat)
    target = queries.access_message(item, message)
    if request.POST.get("remove"):
        services.unlabel_message(target, queries.access_label(access.workspace, request.POST["remove"]),
                                 actor=access.user)
        return _answer(request, access, item)
    try:
        services.label_message(target, [request.POST.get("name", "")], actor=access.user)
    except LabelInvalid as exc:
        return _answer(request, access, item, 400, reply_error=str(exc))
    return _answer(request, access, item)


@workspace_page(perm="inbox.reply")
@require_POST
def message_done(request: HttpRequest, access: Access, chat: str, message: str) -> HttpResponse:
    item = _chat(access, chat)
    services.mark_message_done(queries.access_message(item, message), request.POST.get("done") != "0",
                               actor=access.user)
    return _answer(request, access, item)


@workspace_page(perm="inbox.reply")
@require_POST
def react(request: HttpRequest, access: Access, chat: str, message: str) -> HttpResponse:
    item = _chat(access, chat)
    try:
        services.react_to_message(item, queries.access_message(item, message), request.POST.get("emoji", ""),
                                  actor=access.user)
    except (SendRefused, services.InboxActionRefused) as exc:
        return _answer(request, access, item, 400, reply_error=str(exc))
    return _answer(request, access, item)


@workspace_page(perm="people.edit")
@require_POST
def profile(request: HttpRequest, access: Access, chat: str) -> HttpResponse:
    from sauti.contacts.schema import FieldValueInvalid

    item = _chat(access, chat)
    try:
        update_contact_fields(item.contact, forms.profile_values(request.POST), actor=access.user, source="ui")
    except FieldValueInvalid as exc:  # the schema's refusal names its field; nothing was written
        item.contact.refresh_from_db()
        return _answer(request, access, item, 400, profile_errors={exc.field: exc.message})
    return _answer(request, access, item)


@workspace_page(perm="inbox.reply")
@require_POST
def bulk(request: HttpRequest, access: Access) -> HttpResponse:
    uuids = [u for u in (forms.uuid_or_none(v) for v in request.POST.getlist("chats")) if u]
    chats = list(Chat.objects.filter(workspace=access.workspace, uuid__in=uuids).select_related("workspace"))
    assignee = None
    if request.POST.get("assignee"):
        member = Membership.objects.filter(workspace=access.workspace,
                                           user__uuid=forms.uuid_or_none(request.POST["assignee"])).first()
        assignee = member.user if member else None
    try:
        count = services.bulk_update_chats(chats, request.POST.get("action", ""), actor=access.user,
                                           assignee=assignee, label=request.POST.get("label", ""),
                                           reason=request.POST.get("reason", ""))
        messages.success(request, _("%(count)s chats updated.") % {"count": count})
    except (services.InboxActionRefused, LabelInvalid) as exc:
        messages.error(request, str(exc))
    return redirect(f"{url(access, 'home')}?{request.POST.get('back', '')}")


@workspace_page(perm="inbox.reply")
@require_POST
def availability(request: HttpRequest, access: Access) -> HttpResponse:
    try:
        services.set_availability(access.workspace, access.user, request.POST.get("available") == "1",
                                  actor=access.user)
    except services.InboxActionRefused as exc:
        messages.error(request, exc.message)
        return redirect(url(access, "home"))
    if request.headers.get("HX-Request"):
        from sauti.inbox.context import sidebar_context

        return render(request, "inbox/partials/_availability.html",
                      {"access": access, **sidebar_context(access)})
    return redirect(url(access, "home"))


@workspace_page(perm="inbox.reply")
@require_POST
def save_collection(request: HttpRequest, access: Access) -> HttpResponse:
    shared = request.POST.get("shared") == "1"
    if shared and not access.can("inbox.manage"):
        shared = False  # only owners and admins share collections with the team
    try:
        collection = services.save_collection(access.workspace, request.POST.get("name", ""),
                                              request.POST.get("q", ""), shared=shared, actor=access.user)
    except SearchInvalid as exc:
        messages.error(request, exc.message)
        return redirect(f"{url(access, 'home')}?q={request.POST.get('q', '')}")
    return redirect(f"{url(access, 'home')}?c={collection.uuid}")


@workspace_page(perm="inbox.reply")
@require_POST
def delete_collection(request: HttpRequest, access: Access, collection: str) -> HttpResponse:
    item = queries.access_collection(access.workspace, access.user, collection)
    if item.shared and not access.can("inbox.manage"):
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied("only owners and admins remove shared collections")
    services.delete_collection(item, actor=access.user)
    return redirect(url(access, "home"))
