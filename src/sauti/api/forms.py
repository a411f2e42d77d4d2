"""The form of Settings → API tokens."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sauti.api.scopes import ALL_SCOPES, SCOPES

EXPIRIES = {"30": 30, "90": 90, "365": 365, "never": None}


class TokenForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100,
                           help_text=_("Who or what uses it, e.g. “CRM sync”. Only you see this."))
    expires = forms.ChoiceField(label=_("Expires"), initial="365", choices=[
        ("30", _("In 30 days")), ("90", _("In 90 days")), ("365", _("In a year")), ("never", _("Never")),
        ("date", _("On a date…"))])
    expires_on = forms.DateField(label=_("Expiry date"), required=False,
                                 widget=forms.DateInput(attrs={"type": "date", "class": "input"}),
                                 help_text=_("With “On a date…”."))
    scopes = forms.MultipleChoiceField(label=_("What it may do"), initial=list(ALL_SCOPES),
                                       choices=[(k, v) for k, v in SCOPES.items()],
                                       widget=forms.CheckboxSelectMultiple,
                                       error_messages={"required": _("Choose at least one thing the token may do.")})

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        for name in ("name", "expires", "scopes"):
            self.fields[name].hide_optional = True

    def clean(self) -> dict[str, object]:
        data = super().clean()
        choice = data.get("expires")
        if choice == "date":
            day = data.get("expires_on")
            if day is None:
                self.add_error("expires_on", _("Choose the day the token stops working."))
            elif day <= timezone.localdate():
                self.add_error("expires_on", _("Choose a day after today."))
            else:
                data["expires_at"] = dt.datetime.combine(day, dt.time.min, tzinfo=dt.UTC)
        elif choice in EXPIRIES:
            days = EXPIRIES[choice]
            data["expires_at"] = timezone.now() + dt.timedelta(days=days) if days else None
        return data
