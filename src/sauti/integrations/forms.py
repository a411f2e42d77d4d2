"""Forms of Settings → Webhooks & integrations; a URL Sauti may not call is refused at the field."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from sauti.accounts.models import Workspace
from sauti.integrations.models import SUBSCRIPTIONS, WHATSAPP
from sauti.integrations.targets import BlockedAddress, check_target


class _TargetForm(forms.Form):
    url = forms.URLField(label=_("URL"), max_length=500, assume_scheme="https",
                         widget=forms.URLInput(attrs={"placeholder": "https://example.org/sauti/webhook"}))

    def __init__(self, *args: object, workspace: Workspace, **kwargs: object) -> None:
        self.workspace = workspace
        super().__init__(*args, **kwargs)
        self.fields["url"].hide_optional = True

    def clean_url(self) -> str:
        url = self.cleaned_data["url"]
        try:
            check_target(self.workspace, url, unresolvable_ok=True)
        except BlockedAddress as exc:
            raise forms.ValidationError(str(exc)) from exc
        return url


class WebhookForm(_TargetForm):
    subscriptions = forms.MultipleChoiceField(
        label=_("Send"), initial=[WHATSAPP], widget=forms.CheckboxSelectMultiple,
        choices=[(key, label) for key, label in SUBSCRIPTIONS.items()],
        error_messages={"required": _("Choose at least one kind of event.")})

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["subscriptions"].hide_optional = True


class IntegrationForm(_TargetForm):
    name = forms.CharField(label=_("Name"), max_length=100, help_text=_("Shown above its panel in the inbox."))
    field_order = ["name", "url"]

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["name"].hide_optional = True
        self.fields["url"].widget.attrs["placeholder"] = "https://example.org/sauti/context"
