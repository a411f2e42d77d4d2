"""Forms of the first-run page and of new workspaces; they validate, services write."""

from __future__ import annotations

from django import forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from sauti.accounts.models import Workspace
from sauti.web.firstrun import Channel

CHANNEL_FIELDS = ("phone_number_id", "waba_id", "access_token", "app_secret")


class WorkspaceForm(forms.Form):
    """A workspace's name and, optionally, its WhatsApp Cloud API credentials."""

    workspace_name = forms.CharField(label=_("Organisation or service name"), max_length=200, required=False,
                                     widget=forms.TextInput(attrs={"placeholder": _("e.g. Clinic helpline")}))
    phone_number_id = forms.CharField(label=_("Phone number ID"), max_length=64, required=False,
                                      widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}))
    waba_id = forms.CharField(label=_("WhatsApp Business Account ID"), max_length=64, required=False,
                              widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}))
    access_token = forms.CharField(label=_("Access token"), required=False,
                                   widget=forms.PasswordInput(attrs={"autocomplete": "off"}),
                                   help_text=_("A permanent system-user token from Meta Business settings."))
    app_secret = forms.CharField(label=_("App secret"), required=False,
                                 widget=forms.PasswordInput(attrs={"autocomplete": "off"}),
                                 help_text=_("From your Meta app's basic settings; signs every webhook."))
    verify_token = forms.CharField(label=_("Webhook verify token"), max_length=200, required=False,
                                   help_text=_("Any phrase you also type in Meta's webhook settings. "
                                               "Left empty, Sauti makes one for you."))

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        # Required together or not at all (the form's clean says which): no "optional" on each.
        for name in ("workspace_name", *CHANNEL_FIELDS):
            self.fields[name].hide_optional = True

    def clean_phone_number_id(self) -> str:
        value = self.cleaned_data["phone_number_id"].strip()
        if value and Workspace.objects.filter(phone_number_id=value).exists():
            raise forms.ValidationError(_("Another workspace already uses this phone number."))
        return value

    def clean(self) -> dict:
        data = super().clean()
        if self.wants_workspace() and not (data.get("workspace_name") or "").strip():
            self.add_error("workspace_name", _("Give your workspace a name."))
        filled = [name for name in CHANNEL_FIELDS if (data.get(name) or "").strip()]
        if filled and len(filled) < len(CHANNEL_FIELDS):
            for name in CHANNEL_FIELDS:
                if name not in filled:
                    self.add_error(name, _("Needed to connect WhatsApp; or empty all four and connect later."))
        return data

    def wants_workspace(self) -> bool:
        return True

    def channel(self) -> Channel:
        data = self.cleaned_data
        return Channel(**{name: (data.get(name) or "").strip() for name in (*CHANNEL_FIELDS, "verify_token")})


class SetupForm(WorkspaceForm):
    """The first-run page: the first administrator, then the demo or their own workspace."""

    MODES = (("demo", _("Try the demo")), ("organisation", _("Set up my organisation")))

    email = forms.EmailField(label=_("Your email address"), widget=forms.EmailInput(attrs={"autocomplete": "email",
                                                                                         "autofocus": True}))
    password1 = forms.CharField(label=_("Choose a password"), strip=False,
                                widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
                                help_text=_("At least 8 characters."))
    password2 = forms.CharField(label=_("Type it again"), strip=False,
                                widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    mode = forms.ChoiceField(choices=MODES, initial="demo", widget=forms.RadioSelect)

    field_order = ["email", "password1", "password2", "mode"]

    def wants_workspace(self) -> bool:
        return self.cleaned_data.get("mode") == "organisation"

    def clean(self) -> dict:
        data = super().clean()
        if not self.wants_workspace():
            # The demo needs no workspace fields: whatever was typed there is ignored.
            for name in ("workspace_name", *CHANNEL_FIELDS, "phone_number_id"):
                self.errors.pop(name, None)
        p1, p2 = data.get("password1"), data.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("The two passwords are different."))
        elif p1:
            try:
                password_validation.validate_password(p1)
            except forms.ValidationError as exc:
                self.add_error("password1", exc)
        return data
