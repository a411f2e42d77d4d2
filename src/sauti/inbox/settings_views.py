"""Settings → Inbox & routing: routing on/off, capacities, automatic closure, the label catalogue."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from sauti.inbox import queries
from sauti.inbox.forms import LabelForm, RoutingSettingsForm
from sauti.inbox.services import create_label, delete_label, update_routing_settings
from sauti.inbox.services.autoclose import auto_close_hours
from sauti.inbox.services.labels import LabelInvalid
from sauti.inbox.services.routing import default_capacity, operator_loads, routing_enabled
from sauti.web.nav import settings_for
from sauti.web.workspaces import Access, workspace_page


def _render(request: HttpRequest, access: Access, form: RoutingSettingsForm, label_form: LabelForm,
            status: int = 200) -> HttpResponse:
    loads = operator_loads(access.workspace)
    operators = [(row, form[f"capacity_{row['membership'].id}"]) for row in loads
                 if f"capacity_{row['membership'].id}" in form.fields]
    return render(request, "inbox/settings.html", {
        "access": access, "active_nav": "settings", "form": form, "label_form": label_form,
        "operators": operators, "labels": queries.labels_of(access.workspace),
        "sections": settings_for(access, "inbox")}, status=status)


@workspace_page(perm="settings.view")
@require_http_methods(["GET", "POST"])
def inbox_settings(request: HttpRequest, access: Access) -> HttpResponse:
    workspace = access.workspace
    memberships = [row["membership"] for row in operator_loads(workspace)]
    initial = {"routing_enabled": routing_enabled(workspace), "routing_capacity": default_capacity(workspace),
               "auto_close_hours": auto_close_hours(workspace)}
    form = RoutingSettingsForm(request.POST or None, initial=initial, memberships=memberships)
    if request.method == "POST":
        if not access.can("settings.edit"):
            raise PermissionDenied("settings.edit")
        if form.is_valid():
            data = form.cleaned_data
            update_routing_settings(workspace, actor=access.user, enabled=data["routing_enabled"],
                                    capacity=data["routing_capacity"], auto_close_hours=data["auto_close_hours"],
                                    capacities=form.capacities())
            messages.success(request, _("Inbox settings saved."))
            return redirect("inbox:settings", workspace=workspace.uuid)
        return _render(request, access, form, LabelForm(), 400)
    return _render(request, access, form, LabelForm())


@workspace_page(perm="inbox.manage")
@require_POST
def label_create(request: HttpRequest, access: Access) -> HttpResponse:
    form = LabelForm(request.POST)
    if form.is_valid():
        try:
            create_label(access.workspace, form.cleaned_data["name"], colour=form.cleaned_data["colour"],
                         actor=access.user)
            messages.success(request, _("Label added."))
            return redirect("inbox:settings", workspace=access.workspace.uuid)
        except LabelInvalid as exc:
            form.add_error("name", str(exc))
    memberships = [row["membership"] for row in operator_loads(access.workspace)]
    return _render(request, access, RoutingSettingsForm(memberships=memberships, initial={
        "routing_enabled": routing_enabled(access.workspace), "routing_capacity": default_capacity(access.workspace),
        "auto_close_hours": auto_close_hours(access.workspace)}), form, 400)


@workspace_page(perm="inbox.manage")
@require_POST
def label_delete(request: HttpRequest, access: Access, label: str) -> HttpResponse:
    delete_label(access.workspace, queries.access_label(access.workspace, label), actor=access.user)
    messages.success(request, _("Label removed from every chat and message."))
    return redirect("inbox:settings", workspace=access.workspace.uuid)
