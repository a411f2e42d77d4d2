"""Templates pages: the list with filters, the editor (create, edit a draft or a rejected
template, submit), a submitted template's page with its live status, copy, delete, sync."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sauti.content import queries, rules
from sauti.content.errors import MediaInvalid, TemplateInvalid
from sauti.content.forms import TemplateEditor, language_choices
from sauti.content.models import Media, MessageTemplate
from sauti.content.services import (
    copy_template,
    create_template,
    delete_template,
    request_template_sync,
    send_template,
    submit_template,
    update_template,
    upload_media,
)
from sauti.content.services.sending import template_message
from sauti.content.templates import TemplateParamsInvalid, rendered_text, template_parameters
from sauti.content.views.common import chip, media_url, page, preview
from sauti.web.workspaces import Access, workspace_page

Status = MessageTemplate.Status
STATUS_CHOICES = (("", _("Any status")), ("approved", _("Approved")), ("pending", _("In review")),
                  ("rejected", _("Rejected")), ("draft", _("Draft")), ("paused", _("Paused or disabled")))


def _url(name: str, template: MessageTemplate) -> str:
    return reverse(f"content:{name}", kwargs={"workspace": template.workspace.uuid, "template": template.uuid})


def _row(template: MessageTemplate) -> dict[str, Any]:
    return {"template": template, "chip": chip(template.status), "text": rendered_text(template)[:160]}


@workspace_page(perm="content.view")
@require_GET
def template_list(request: HttpRequest, access: Access) -> HttpResponse:
    filters = {key: request.GET.get(key, "").strip() for key in ("q", "status", "category", "language")}
    rows = [_row(t) for t in queries.list_templates(access.workspace, search=filters["q"], status=filters["status"],
                                                     category=filters["category"], language=filters["language"])]
    context = page(access, "templates", rows=rows, filters=filters, filtered=any(filters.values()),
                   status_choices=STATUS_CHOICES, categories=MessageTemplate.Category.choices,
                   languages=[(c, rules.LANGUAGES.get(c, c)) for c in queries.template_languages(access.workspace)],
                   connected=bool(access.workspace.waba_id and access.workspace.access_token),
                   last_sync=queries.last_template_sync(access.workspace))
    if request.headers.get("HX-Request") and request.headers.get("HX-Target") == "template-rows":
        return render(request, "content/partials/_template_rows.html", context)
    return render(request, "content/templates/list.html", context)


@workspace_page(perm="content.edit")
@require_POST
def template_sync(request: HttpRequest, access: Access) -> HttpResponse:
    if not (access.workspace.waba_id and access.workspace.access_token):
        messages.error(request, _("Connect a WhatsApp business account first: templates live in it."))
    else:
        request_template_sync(access.workspace)
        messages.success(request, _("Fetching your templates from WhatsApp. Statuses update in a moment."))
    return redirect("content:templates", workspace=access.workspace.uuid)


def _editor_context(access: Access, editor: TemplateEditor, template: MessageTemplate | None) -> dict[str, Any]:
    library = list(queries.list_media(access.workspace).filter(kind__in=["image", "video", "document"]))
    return page(access, "templates", editor=editor, template=template, languages=language_choices(),
                categories=MessageTemplate.Category.choices, library=library,
                library_urls={str(m.uuid): media_url(access, m) for m in library},
                limits={"header": rules.HEADER_TEXT_MAX, "body": rules.BODY_MAX, "footer": rules.FOOTER_MAX,
                        "button": rules.BUTTON_TEXT_MAX, "buttons": rules.BUTTONS_MAX},
                chip=chip(template.status) if template else "draft")


def _header_media(request: HttpRequest, access: Access, editor: TemplateEditor) -> Media | None:
    """The sample chosen from the library, or one uploaded with the form (kept in the library)."""
    upload = request.FILES.get("header_upload")
    if upload is not None and editor.header_format in rules.MEDIA_HEADER_FORMATS:
        try:
            media = upload_media(access.workspace, upload.read(), upload.content_type or "", upload.name,
                                 actor=request.user)
        except MediaInvalid as exc:
            editor.errors.setdefault("header.media", []).append(exc.message)
            return None
        editor.header_media = str(media.uuid)
        return media
    if editor.header_media and editor.header_format in rules.MEDIA_HEADER_FORMATS:
        return queries.media_by_uuid(access.workspace, editor.header_media)
    return None


def _save(request: HttpRequest, access: Access, template: MessageTemplate | None) -> HttpResponse:
    editor = TemplateEditor.from_post(request.POST)
    header_media = _header_media(request, access, editor)
    if not editor.errors:
        try:
            if template is None:
                template = create_template(access.workspace, editor.data(), header_media=header_media,
                                           actor=request.user)
            else:
                template = update_template(template, editor.data(), header_media=header_media, actor=request.user)
            if request.POST.get("action") == "submit":
                submit_template(template, actor=request.user)
                messages.success(request, _("Submitted to WhatsApp for review. Most templates are reviewed within "
                                            "minutes; this page shows the outcome."))
            else:
                messages.success(request, _("Draft saved."))
            return redirect(_url("detail", template))
        except TemplateInvalid as exc:
            for key, problems in exc.by_field().items():
                editor.errors.setdefault(key, []).extend(problems)
            if template is not None:
                template.refresh_from_db()
    return render(request, "content/templates/edit.html", _editor_context(access, editor, template), status=400)


@workspace_page(perm="content.edit")
@require_http_methods(["GET", "POST"])
def template_new(request: HttpRequest, access: Access) -> HttpResponse:
    if request.method == "POST":
        return _save(request, access, None)
    return render(request, "content/templates/edit.html", _editor_context(access, TemplateEditor(), None))


@workspace_page(perm="content.view")
@require_http_methods(["GET", "POST"])
def template_detail(request: HttpRequest, access: Access, template: str) -> HttpResponse:
    item = queries.access_template(access.workspace, template)
    if request.method == "POST":
        if not access.can("content.edit"):
            return render(request, "web/error.html", {"status": 403, "title": _("Not allowed"),
                                                      "text": _("Your role cannot change templates.")}, status=403)
        return _save(request, access, item)
    if item.editable and access.can("content.edit"):
        editor = TemplateEditor.from_template(item)
        if item.submit_error:
            editor.errors.setdefault(item.submit_error.get("field") or "", []).append(item.submit_error["message"])
        return render(request, "content/templates/edit.html", _editor_context(access, editor, item))
    return _detail(request, access, item)


def _detail(request: HttpRequest, access: Access, item: MessageTemplate, *, values: dict[str, str] | None = None,
            errors: dict[str, str] | None = None, to: str = "", status: int = 200) -> HttpResponse:
    parameters = [{**p, "key": _param_key(p), "value": (values or {}).get(_param_key(p), p["example"]),
                   "error": (errors or {}).get(_param_key(p), "")} for p in template_parameters(item)]
    return render(request, "content/templates/detail.html", page(
        access, "templates", template=item, chip=chip(item.status), preview=preview(access, item),
        parameters=parameters, languages=language_choices(), test_to=to, test_errors=errors or {}), status=status)


def _param_key(parameter: dict[str, Any]) -> str:
    return f"{parameter['component']}-{parameter['index']}"


def _input_for(field: str, values: dict[str, str]) -> str:
    """The test form's input for a TemplateParamsInvalid field ("body.2" → "body-2", "header" → its one)."""
    key = field.replace("buttons", "button").replace(".", "-")
    if key in values:
        return key
    return next((k for k in values if k.startswith(key + "-")), "send")


@workspace_page(perm="content.edit")
@require_POST
def template_test(request: HttpRequest, access: Access, template: str) -> HttpResponse:
    """Send the approved template to a number (one's own phone), with the values typed in."""
    from sauti.contacts.services import contact_for_recipient

    item = queries.access_template(access.workspace, template)
    to = request.POST.get("to", "").strip()
    values = {_param_key(p): request.POST.get(_param_key(p), "").strip() for p in template_parameters(item)}
    digits = "".join(ch for ch in to if ch.isdigit())
    if not 6 <= len(digits) <= 15 or len(digits) != len(to.lstrip("+").replace(" ", "").replace("-", "")):
        return _detail(request, access, item, values=values, to=to, status=400,
                       errors={"to": _("A WhatsApp number in international form, e.g. +27 82 555 0123.")})
    params: dict[str, Any] = {"header": [], "body": [], "buttons": {}}
    for parameter in template_parameters(item):
        value = values[_param_key(parameter)]
        if parameter["component"] == "button":
            params["buttons"][parameter["index"]] = value
        elif value or parameter["kind"] == "text":
            params[parameter["component"]].append(value)
    try:
        template_message(item, params)  # checked before a contact is made for the number
        send_template(access.workspace, contact_for_recipient(access.workspace, digits), item, params,
                      actor=request.user)
    except TemplateParamsInvalid as exc:
        return _detail(request, access, item, values=values, to=to, status=400,
                       errors={_input_for(exc.field, values): exc.message})
    messages.success(request, _("Sent to +%(number)s: it reaches the phone in a moment.") % {"number": digits})
    return redirect(_url("detail", item))


@workspace_page(perm="content.view")
@require_GET
def template_status(request: HttpRequest, access: Access, template: str) -> HttpResponse:
    """The status card, polled while Meta reviews; a changed status reloads the page around it."""
    item = queries.access_template(access.workspace, template)
    response = render(request, "content/partials/_status.html", {"access": access, "template": item,
                                                                 "chip": chip(item.status)})
    if request.GET.get("was") and request.GET["was"] != item.status:
        response["HX-Refresh"] = "true"
    return response


@workspace_page(perm="content.edit")
@require_POST
def template_submit(request: HttpRequest, access: Access, template: str) -> HttpResponse:
    item = queries.access_template(access.workspace, template)
    try:
        submit_template(item, actor=request.user)
        messages.success(request, _("Submitted to WhatsApp for review."))
    except TemplateInvalid as exc:
        messages.error(request, exc.message)
    return redirect(_url("detail", item))


@workspace_page(perm="content.edit")
@require_POST
def template_copy(request: HttpRequest, access: Access, template: str) -> HttpResponse:
    item = queries.access_template(access.workspace, template)
    try:
        copy = copy_template(item, name=request.POST.get("name", "").strip(),
                             language=request.POST.get("language", "").strip(), actor=request.user)
    except TemplateInvalid as exc:
        messages.error(request, _("Not copied: %(problem)s") % {"problem": exc.message})
        return redirect(_url("detail", item))
    messages.success(request, _("Copied as a new draft. Change what you need, then submit it."))
    return redirect(_url("detail", copy))


@workspace_page(perm="content.edit")
@require_POST
def template_delete(request: HttpRequest, access: Access, template: str) -> HttpResponse:
    item = queries.access_template(access.workspace, template)
    at_meta = item.at_meta
    delete_template(item, actor=request.user)
    messages.success(request, _("Template deleted here and at WhatsApp.") if at_meta else _("Draft deleted."))
    return redirect("content:templates", workspace=access.workspace.uuid)
