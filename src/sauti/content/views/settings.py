"""The workspace settings page of the Templates area: the Meta app id media header samples need."""

from __future__ import annotations

import re

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


class ContentSettingsForm(forms.Form):
    meta_app_id = forms.CharField(
        label=gettext_lazy("Meta app ID"), required=False, max_length=32,
        help_text=gettext_lazy("The id of the Meta app your WhatsApp number belongs to (App dashboard → App "
                               "settings → Basic). Templates with an image, video or document header upload "
                               "their sample file through it."))

    def clean_meta_app_id(self) -> str:
        value = self.cleaned_data["meta_app_id"].strip()
        if value and not re.fullmatch(r"\d{6,32}", value):
            raise forms.ValidationError(_("An app id is digits only."))
        return value


@workspace_page(perm="settings.view")
@require_http_methods(["GET", "POST"])
def content_settings(request: HttpRequest, access: Access) -> HttpResponse:
    workspace = access.workspace
    form = ContentSettingsForm(request.POST or None, initial={"meta_app_id": workspace.settings.get("meta_app_id", "")})
    if request.method == "POST":
        if not access.can("settings.edit"):
            return render(request, "web/error.html", {"status": 403, "title": _("Not allowed"),
                                                      "text": _("Your role cannot change settings.")}, status=403)
        if form.is_valid():
            update_workspace_settings(workspace, actor=request.user,
                                      settings={"meta_app_id": form.cleaned_data["meta_app_id"]})
            messages.success(request, _("Settings saved."))
            return redirect("content:settings", workspace=workspace.uuid)
    status = 400 if form.errors else 200
    return render(request, "content/settings.html", {
        "access": access, "active_nav": "settings", "form": form, "sections": settings_for(access, "content")},
        status=status)
