"""The workspace settings hub and its General page (name, timezone, privacy, journeys' test numbers
and allowed hosts). Other apps add their own pages to the hub with `sauti.web.nav.register_settings`."""

from __future__ import annotations

import zoneinfo

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from sauti.accounts.services import update_workspace_settings
from sauti.web.nav import settings_for
from sauti.web.workspaces import Access, workspace_page


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.replace(",", "\n").splitlines() if line.strip()]


class GeneralSettingsForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Workspace name"), max_length=200)
    timezone = forms.ChoiceField(label=gettext_lazy("Timezone"),
                                 help_text=gettext_lazy("Schedules, reminders and reports use this timezone."))
    hide_numbers = forms.BooleanField(
        label=gettext_lazy("Hide phone numbers"), required=False,
        help_text=gettext_lazy("Operators, editors and viewers see masked numbers and no private fields; "
                               "owners and admins see everything."))
    journey_test_numbers = forms.CharField(
        label=gettext_lazy("Test numbers"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("One WhatsApp number per line. These people get the staged version of a journey "
                               "instead of the published one, so you can try changes on a real phone."))
    journey_http_allow_hosts = forms.CharField(
        label=gettext_lazy("Private hosts journeys may call"), required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Journeys cannot reach private or loopback addresses. List a host name per line "
                               "(e.g. crm.internal) to allow it."))

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["timezone"].choices = [(tz, tz) for tz in sorted(zoneinfo.available_timezones())]
        for name in ("name", "timezone"):
            self.fields[name].hide_optional = True

    def clean_journey_test_numbers(self) -> list[str]:
        numbers = []
        for line in _lines(self.cleaned_data["journey_test_numbers"]):
            digits = "".join(ch for ch in line if ch.isdigit())
            if len(digits) < 6 or len(digits) > 15:
                raise forms.ValidationError(_("“%(line)s” is not a phone number.") % {"line": line})
            numbers.append(digits)
        return numbers

    def clean_journey_http_allow_hosts(self) -> list[str]:
        hosts = []
        for line in _lines(self.cleaned_data["journey_http_allow_hosts"]):
            host = line.lower().removeprefix("https://").removeprefix("http://").split("/")[0]
            if not host or " " in host:
                raise forms.ValidationError(_("“%(line)s” is not a host name.") % {"line": line})
            hosts.append(host)
        return hosts


@workspace_page(perm="settings.view")
def settings_home(request: HttpRequest, access: Access) -> HttpResponse:
    return render(request, "web/settings/home.html", {
        "access": access, "active_nav": "settings", "sections": settings_for(access)})


@workspace_page(perm="settings.view")
@require_http_methods(["GET", "POST"])
def settings_general(request: HttpRequest, access: Access) -> HttpResponse:
    workspace = access.workspace
    initial = {
        "name": workspace.name, "timezone": workspace.timezone,
        "hide_numbers": bool(workspace.settings.get("hide_numbers")),
        "journey_test_numbers": "\n".join(workspace.settings.get("journey_test_numbers") or []),
        "journey_http_allow_hosts": "\n".join(workspace.settings.get("journey_http_allow_hosts") or []),
    }
    form = GeneralSettingsForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if not access.can("settings.edit"):
            return render(request, "web/error.html", {"status": 403, "title": _("Not allowed"),
                                                      "text": _("Your role cannot change settings.")}, status=403)
        if form.is_valid():
            data = form.cleaned_data
            update_workspace_settings(
                workspace, actor=request.user, name=data["name"].strip(), timezone=data["timezone"],
                settings={"hide_numbers": data["hide_numbers"],
                          "journey_test_numbers": data["journey_test_numbers"],
                          "journey_http_allow_hosts": data["journey_http_allow_hosts"]})
            messages.success(request, _("Settings saved."))
            return redirect("settings-general", workspace=workspace.uuid)
    return render(request, "web/settings/general.html", {
        "access": access, "active_nav": "settings", "form": form,
        "sections": settings_for(access, "general"), "status": 400 if form.errors else 200},
        status=400 if form.errors else 200)
