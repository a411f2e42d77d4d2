"""Forms of the journeys pages: they read and validate input; journeys.services writes."""

from __future__ import annotations

import re
from pathlib import PurePath

from django import forms
from django.utils.translation import gettext_lazy as _

from sauti.journeys.models import Journey

MAX_NOTEBOOK_BYTES = 1_000_000
_HEADING = re.compile(r"^#\s+(.+?)\s*#*\s*$", re.M)


def title_of(source: str) -> str:
    """The notebook's first `# heading`, which is how Turn exports a journey's name."""
    match = _HEADING.search(source)
    return match.group(1).strip()[:200] if match else ""


class NewJourneyForm(forms.Form):
    START_CHOICES = (
        ("blank", _("A blank journey")),
        ("sample", _("The sample: three sequential lessons")),
    )

    name = forms.CharField(label=_("Name"), max_length=Journey._meta.get_field("name").max_length,
                           widget=forms.TextInput(attrs={"placeholder": _("e.g. Onboarding"), "autofocus": True}))
    start = forms.ChoiceField(label=_("Start from"), choices=START_CHOICES, initial="blank", widget=forms.RadioSelect)


class ImportJourneyForm(forms.Form):
    notebook = forms.FileField(label=_("Notebook file (.md)"),
                               help_text=_("A journey exported from Sauti or Turn: Markdown with stack code cells."))
    name = forms.CharField(label=_("Name"), max_length=200, required=False,
                           help_text=_("Left empty, the notebook's first heading or the file name is used."))

    def clean_notebook(self) -> str:
        upload = self.cleaned_data["notebook"]
        if upload.size > MAX_NOTEBOOK_BYTES:
            raise forms.ValidationError(_("The file is larger than 1 MB; a journey notebook is much smaller."))
        if PurePath(upload.name).suffix.lower() not in (".md", ".markdown", ".txt", ".stack"):
            raise forms.ValidationError(_("Choose a Markdown notebook (.md)."))
        try:
            text = upload.read().decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise forms.ValidationError(_("The file is not UTF-8 text.")) from exc
        self.filename = upload.name
        return text.replace("\r\n", "\n")

    def journey_name(self) -> str:
        name = self.cleaned_data.get("name", "").strip()
        return name or title_of(self.cleaned_data["notebook"]) or PurePath(self.filename).stem[:200]


class SourceForm(forms.Form):
    source = forms.CharField(required=False, strip=False, max_length=MAX_NOTEBOOK_BYTES)

    def clean_source(self) -> str:
        return self.cleaned_data["source"].replace("\r\n", "\n")


class SimulatorMessageForm(forms.Form):
    """What the tester does in the simulator: type, tap a button or pick a list row."""

    text = forms.CharField(required=False, max_length=4096, strip=True)
    reply_kind = forms.ChoiceField(required=False, choices=(("button", "button"), ("list", "list"),
                                                            ("template", "template")))
    reply_id = forms.CharField(required=False, max_length=256)
    reply_title = forms.CharField(required=False, max_length=256)

    def clean(self) -> dict:
        data = super().clean()
        if not data.get("reply_kind") and not data.get("text"):
            raise forms.ValidationError(_("Type a message first."))
        return data


class SimulatorContactForm(forms.Form):
    fields_text = forms.CharField(required=False, widget=forms.Textarea, max_length=20_000,
                                  label=_("Contact fields"))

    def clean_fields_text(self) -> dict:
        out: dict[str, str] = {}
        for number, raw in enumerate(self.cleaned_data["fields_text"].splitlines(), start=1):
            line = raw.strip()
            if not line:
                continue
            key, sep, value = line.partition(":")
            key = key.strip()
            if not sep or not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", key):
                raise forms.ValidationError(_("Line %(n)s: write each field as name: value") % {"n": number})
            out[key] = value.strip()
        return out
