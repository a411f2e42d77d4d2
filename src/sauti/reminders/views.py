"""Reminders pages under /w/<workspace>/reminders/: list, create/edit, detail with live statistics,
cancel, the audience's live count, a template's parameter inputs, and SMS & email settings."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sauti.accounts.services import record_audit
from sauti.contacts.models import Segment
from sauti.content.models import MessageTemplate
from sauti.content.templates import rendered, template_parameters
from sauti.reminders import queries
from sauti.reminders.audience import AudienceInvalid, count_audience, parse_numbers
from sauti.reminders.forms import ChannelSettingsForm, ReminderForm, initial_of, params_from_post
from sauti.reminders.models import Reminder
from sauti.reminders.services import ReminderInvalid, cancel_reminder, check_reminder, save_reminder
from sauti.web.nav import settings_for
from sauti.web.workspaces import Access, workspace_page


def _page(request: HttpRequest, access: Access, template: str, context: dict) -> HttpResponse:
    return render(request, template, {"access": access, "active_nav": "reminders", **context})


@workspace_page(perm="reminders.view")
@require_GET
def reminder_list(request: HttpRequest, access: Access) -> HttpResponse:
    status = request.GET.get("status", "")
    status = status if status in Reminder.Status.values else ""
    rows = [{"reminder": r, "audience": queries.audience_label(r), "content": queries.content_label(r),
             "schedule": queries.schedule_label(r)} for r in queries.list_reminders(access.workspace, status)]
    return _page(request, access, "reminders/list.html", {"rows": rows, "status": status,
                                                          "statuses": Reminder.Status.choices})


def _form_page(request: HttpRequest, access: Access, form: ReminderForm, reminder: Reminder | None,
               errors: dict[str, str] | None = None) -> HttpResponse:
    template = form["template"].value()
    params = params_from_post(request.POST) if request.method == "POST" else (reminder.params if reminder else {})
    return _page(request, access, "reminders/edit.html", {
        "form": form, "reminder": reminder, "errors": errors or {}, "param_inputs": _param_inputs(
            access, template, params, errors or {}),
        "channels": queries.channel_settings(access.workspace)}, )


def _param_inputs(access: Access, template_id: object, params: dict, errors: dict[str, str]) -> dict:
    template = (MessageTemplate.objects.filter(workspace=access.workspace, id=template_id).first()
                if str(template_id or "").isdigit() else None)
    if template is None:
        return {"template": None, "inputs": []}
    inputs = []
    for item in template_parameters(template):
        if item["component"] == "header" and item["kind"] != "text":
            continue
        if item["component"] == "button":
            name, value = f"param-button-{item['index']}", (params.get("buttons") or {}).get(str(item["index"]), "")
        else:
            values = params.get(item["component"]) or []
            name = f"param-{item['component']}-{item['index']}"
            value = values[item["index"] - 1] if len(values) >= item["index"] else ""
        inputs.append({**item, "name": name, "value": value, "error": errors.get(name, "")})
    return {"template": template, "inputs": inputs, "preview": rendered(template)}


@workspace_page(perm="reminders.edit")
@require_http_methods(["GET", "POST"])
def reminder_new(request: HttpRequest, access: Access) -> HttpResponse:
    return _edit(request, access, None)


@workspace_page(perm="reminders.edit")
@require_http_methods(["GET", "POST"])
def reminder_edit(request: HttpRequest, access: Access, reminder: str) -> HttpResponse:
    item = queries.access_reminder(access.workspace, reminder)
    if not item.editable:
        messages.error(request, _("This reminder has started; it can no longer be changed."))
        return redirect("reminders:detail", workspace=access.workspace.uuid, reminder=item.uuid)
    return _edit(request, access, item)


def _edit(request: HttpRequest, access: Access, reminder: Reminder | None) -> HttpResponse:
    if request.method == "GET":
        initial = initial_of(reminder) if reminder else {}
        if not reminder and request.GET.get("segment"):
            segment = Segment.objects.filter(workspace=access.workspace, uuid=request.GET["segment"]).first()
            initial.update({"segment": segment.id if segment else None, "audience": Reminder.Audience.SEGMENT})
        return _form_page(request, access, ReminderForm(access.workspace, initial=initial), reminder)
    form = ReminderForm(access.workspace, request.POST, request.FILES)
    if not form.is_valid():
        return _form_page(request, access, form, reminder, {k: " ".join(v) for k, v in form.errors.items()})
    spec = form.spec()
    if reminder and spec.audience == Reminder.Audience.NUMBERS and not spec.numbers:
        spec.numbers = reminder.numbers
    try:
        check_reminder(access.workspace, spec)
        saved = save_reminder(access.workspace, spec, actor=request.user, reminder=reminder,
                              start=request.POST.get("intent") != "draft")
    except ReminderInvalid as exc:
        for key, message in exc.errors.items():
            if key in form.fields:
                form.add_error(key, message)
        return _form_page(request, access, form, reminder, exc.errors)
    if saved.status == Reminder.Status.DRAFT:
        messages.success(request, _("Reminder “%(name)s” saved as a draft.") % {"name": saved.name})
    elif saved.status == Reminder.Status.SENDING:
        messages.success(request, _("Reminder “%(name)s” is being sent.") % {"name": saved.name})
    else:
        messages.success(request, _("Reminder “%(name)s” is scheduled.") % {"name": saved.name})
    return redirect("reminders:detail", workspace=access.workspace.uuid, reminder=saved.uuid)


@workspace_page(perm="reminders.view")
@require_GET
def reminder_detail(request: HttpRequest, access: Access, reminder: str) -> HttpResponse:
    item = queries.access_reminder(access.workspace, reminder)
    context = queries.detail_context(item)
    if request.headers.get("HX-Request"):
        return _page(request, access, "reminders/partials/_progress.html", context)
    return _page(request, access, "reminders/detail.html", context)


@workspace_page(perm="reminders.edit")
@require_POST
def reminder_cancel(request: HttpRequest, access: Access, reminder: str) -> HttpResponse:
    item = queries.access_reminder(access.workspace, reminder)
    if not item.cancellable:
        messages.error(request, _("Only a scheduled or sending reminder can be cancelled."))
    else:
        stopped = cancel_reminder(item, actor=request.user)
        messages.success(request, _("Reminder cancelled: %(n)s people will not get it.") % {"n": f"{stopped:,}"})
    return redirect("reminders:detail", workspace=access.workspace.uuid, reminder=item.uuid)


@workspace_page(perm="reminders.view")
@require_GET
def audience_count(request: HttpRequest, access: Access) -> HttpResponse:
    """The form's live count of who the audience finds now (and how many of them opted in)."""
    kind = request.GET.get("audience", Reminder.Audience.SEGMENT)
    segment = None
    if kind == Reminder.Audience.SEGMENT:
        segment_id = request.GET.get("segment", "")
        segment = (Segment.objects.filter(workspace=access.workspace, id=segment_id).first()
                   if segment_id.isdigit() else None)
        if segment is None:
            return render(request, "reminders/partials/_count.html", {"empty": True})
    numbers, refused = parse_numbers(request.GET.get("numbers", "")) if kind == Reminder.Audience.NUMBERS else ([], [])
    try:
        count = count_audience(access.workspace, kind, segment=segment, query=request.GET.get("query", ""),
                               numbers=numbers)
    except AudienceInvalid as exc:
        return render(request, "reminders/partials/_count.html", {"error": exc.message})
    return render(request, "reminders/partials/_count.html", {"count": count, "refused": refused})


@workspace_page(perm="reminders.edit")
@require_GET
def template_params(request: HttpRequest, access: Access) -> HttpResponse:
    """The parameter inputs of the template chosen in the form (htmx)."""
    return render(request, "reminders/partials/_params.html",
                  {"param_inputs": _param_inputs(access, request.GET.get("template"), {}, {})})


@workspace_page(perm="settings.view")
@require_http_methods(["GET", "POST"])
def channel_settings(request: HttpRequest, access: Access) -> HttpResponse:
    instance = queries.channel_settings(access.workspace)
    if request.method == "POST":
        if not access.can("settings.edit"):
            return render(request, "web/error.html", {"status": 403, "title": _("Not allowed"),
                                                      "text": _("Your role cannot change settings.")}, status=403)
        form = ChannelSettingsForm(request.POST, instance=instance)
        if form.is_valid():
            form.save()
            record_audit(access.workspace, "reminder_channels_changed", actor=request.user,
                         sms_provider=form.cleaned_data.get("sms_provider") or "")
            messages.success(request, _("SMS and email settings saved."))
            return redirect("reminders:channels", workspace=access.workspace.uuid)
    else:
        form = ChannelSettingsForm(instance=instance)
    return render(request, "reminders/channels.html", {
        "access": access, "active_nav": "settings", "form": form, "channels": instance,
        "sections": settings_for(access, "reminders")}, status=400 if form.errors else 200)
