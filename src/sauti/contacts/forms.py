"""Forms of the People pages: a profile form built from the workspace's schema (values checked by
the schema itself, so the page says what the API and imports say), fields, segments, uploads."""

from __future__ import annotations

import datetime as dt
from pathlib import PurePath
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from sauti.contacts import values as v
from sauti.contacts.models import ContactField
from sauti.contacts.schema import FieldSpec, FieldValueInvalid, Schema

MAX_UPLOAD_BYTES = 50 * 1024 * 1024


def form_value(spec: FieldSpec, stored: Any, tz: dt.tzinfo) -> str:
    """A stored value as its form input shows it (date-times in the workspace's clock)."""
    if stored is None or stored == "":
        return ""
    if spec.type == v.DATETIME:
        return v.to_datetime(stored).astimezone(tz).strftime("%Y-%m-%dT%H:%M")
    if spec.type == v.DATE and isinstance(stored, dt.date):
        return stored.isoformat()
    if spec.type == v.BOOLEAN:
        return "true" if stored else "false"
    return v.as_text(spec.type, stored, choices=spec.choices)


def _input(spec: FieldSpec) -> forms.Field:
    label, help_text = spec.display_name, spec.description
    attrs: dict[str, Any] = {}
    if spec.type == v.BOOLEAN:
        choices = [("true", _("Yes")), ("false", _("No"))]
        if spec.nullable:
            choices.insert(0, ("", "—"))
        return forms.ChoiceField(label=label, help_text=help_text, required=False, choices=choices)
    if spec.type == v.ENUM:
        choices = [("", "—")] + [(c.value, c.display) for c in spec.choices]
        return forms.ChoiceField(label=label, help_text=help_text, required=False, choices=choices)
    if spec.type == v.DATE:
        attrs["type"] = "date"
    elif spec.type == v.DATETIME:
        attrs["type"] = "datetime-local"
    elif spec.type == v.NUMBER:
        attrs["inputmode"] = "decimal"
    elif spec.type == v.LOCATION:
        attrs["placeholder"] = _("latitude,longitude, e.g. -33.9249,18.4241")
    elif spec.language:
        attrs["placeholder"] = _("e.g. eng, por, zul")
    return forms.CharField(label=label, help_text=help_text, required=False, widget=forms.TextInput(attrs=attrs))


class ProfileForm(forms.Form):
    """One input per writable field the role may see; `changed_values()` is what to save."""

    def __init__(self, *args: Any, schema: Schema, stored: dict[str, Any] | None = None,
                 hidden_private: bool = False, **kwargs: Any) -> None:
        self.schema = schema
        self.stored = stored or {}
        self.specs = [f for f in schema.writable() if not (hidden_private and f.is_private)]
        initial = {spec.key: form_value(spec, self.stored.get(spec.key), schema.tz) for spec in self.specs}
        super().__init__(*args, initial=initial, **kwargs)
        for spec in self.specs:
            self.fields[spec.key] = _input(spec)
            self.fields[spec.key].private = spec.is_private
            self.fields[spec.key].hide_optional = True
            self.fields[spec.key].group = _("Profile") if spec.reserved else _("Fields of this workspace")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        self.values: dict[str, Any] = {}
        for spec in self.specs:
            raw = cleaned.get(spec.key, "")
            omitted = self.fields[spec.key].widget.value_omitted_from_data(self.data, self.files,
                                                                            self.add_prefix(spec.key))
            if omitted or raw == self.initial.get(spec.key, ""):
                continue  # untouched (or not sent at all): keep exactly what is stored
            try:
                self.values[spec.key] = self.schema.check_one(spec, raw)
            except FieldValueInvalid as exc:
                self.add_error(spec.key, exc.message[:1].upper() + exc.message[1:] + ".")
        return cleaned

    def changed_values(self) -> dict[str, Any]:
        return dict(self.values)


class NewPersonForm(ProfileForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        number = forms.CharField(label=_("WhatsApp number"), max_length=32,
                                 help_text=_("With the country code, like +27 82 000 1234."),
                                 widget=forms.TextInput(attrs={"inputmode": "tel", "autofocus": True}))
        number.hide_optional = True
        number.group = _("Profile")
        self.fields = {"wa_id": number, **self.fields}


class FieldForm(forms.Form):
    """Add a custom field, or change one (`editing`: key and type are fixed)."""

    key = forms.CharField(label=_("Key"), max_length=64,
                          help_text=_("How journeys, the API and imports name it: lower-case letters, digits and _ "
                                      "(e.g. clinic_visit_date). It cannot change later."),
                          widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}))
    display_name = forms.CharField(label=_("Display name"), max_length=100, required=False,
                                   help_text=_("What people see on the People pages. Left empty, the key."))
    type = forms.ChoiceField(label=_("Type"), choices=ContactField.Type.choices, initial=v.TEXT)
    choices = forms.CharField(label=_("Choices"), required=False, widget=forms.Textarea(attrs={"rows": 4}),
                              help_text=_("For a choice field: one per line, as VALUE or VALUE = Display name."))
    description = forms.CharField(label=_("Description"), max_length=300, required=False)
    is_private = forms.BooleanField(label=_("Private"), required=False,
                                    help_text=_("Hidden, like phone numbers, from operators, editors and viewers "
                                                "when the workspace hides personal information."))

    def __init__(self, *args: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.editing = editing
        for name in ("key", "type", "is_private"):
            self.fields[name].hide_optional = True
        if editing:
            del self.fields["key"]
            del self.fields["type"]

    def clean_choices(self) -> list[dict[str, str]]:
        out = []
        for line in self.cleaned_data["choices"].splitlines():
            value, _sep, display = line.partition("=")
            if value.strip():
                out.append({"value": value.strip(), "display": display.strip()})
        return out


def choices_text(choices: list[dict[str, str]]) -> str:
    return "\n".join(c["value"] if c.get("display") in ("", c["value"]) else f"{c['value']} = {c['display']}"
                     for c in choices)


class SegmentForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    query = forms.CharField(label=_("Query"), max_length=5000, widget=forms.Textarea(attrs={"rows": 2}))


class UploadForm(forms.Form):
    file = forms.FileField(label=_("CSV file"),
                           help_text=_("UTF-8 (or Excel's CSV), with a header row. Up to 50 MB."))

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is larger than 50 MB: split it into smaller files."))
        if PurePath(upload.name).suffix.lower() not in (".csv", ".txt", ".tsv"):
            raise forms.ValidationError(_("Choose a CSV file (.csv)."))
        return upload
