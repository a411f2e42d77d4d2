"""The reminder form: parses what the page posts into a ReminderSpec (the service checks the rules)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from sauti.accounts.models import Workspace
from sauti.contacts.models import Segment
from sauti.content.models import MessageTemplate
from sauti.journeys.models import Journey
from sauti.reminders.audience import AudienceInvalid, numbers_from_csv, parse_numbers
from sauti.reminders.models import ChannelSettings, Reminder
from sauti.reminders.services import ReminderSpec

WEEKDAYS = [(0, _("Mon")), (1, _("Tue")), (2, _("Wed")), (3, _("Thu")), (4, _("Fri")), (5, _("Sat")), (6, _("Sun"))]
MAX_CSV_BYTES = 20 * 1024 * 1024


class ReminderForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    channel = forms.ChoiceField(label=_("Channel"), choices=Reminder.Channel.choices, widget=forms.RadioSelect,
                                initial=Reminder.Channel.WHATSAPP)
    action = forms.ChoiceField(label=_("What to send"), widget=forms.RadioSelect, initial=Reminder.Action.TEMPLATE,
                               choices=[(Reminder.Action.TEMPLATE, _("A template")),
                                        (Reminder.Action.JOURNEY, _("Start a journey"))], required=False)
    template = forms.ModelChoiceField(label=_("Template"), queryset=MessageTemplate.objects.none(), required=False,
                                      empty_label=_("Choose an approved template…"))
    journey = forms.ModelChoiceField(label=_("Journey"), queryset=Journey.objects.none(), required=False,
                                     empty_label=_("Choose a published journey…"))
    subject = forms.CharField(label=_("Subject"), max_length=200, required=False)
    text = forms.CharField(label=_("Message"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    audience = forms.ChoiceField(label=_("Who receives it"), choices=Reminder.Audience.choices,
                                 widget=forms.RadioSelect, initial=Reminder.Audience.SEGMENT)
    segment = forms.ModelChoiceField(label=_("Segment"), queryset=Segment.objects.none(), required=False,
                                     empty_label=_("Choose a segment…"))
    query = forms.CharField(label=_("Segment query"), required=False,
                            widget=forms.Textarea(attrs={"rows": 2, "spellcheck": "false"}))
    numbers = forms.CharField(label=_("WhatsApp numbers"), required=False,
                              widget=forms.Textarea(attrs={"rows": 3, "placeholder": "+27 82 000 0001"}))
    csv = forms.FileField(label=_("Or upload a CSV file"), required=False)
    schedule = forms.ChoiceField(label=_("When"), choices=Reminder.Schedule.choices, widget=forms.RadioSelect,
                                 initial=Reminder.Schedule.NOW)
    time_basis = forms.ChoiceField(label=_("On whose clock"), choices=Reminder.TimeBasis.choices,
                                   widget=forms.RadioSelect, initial=Reminder.TimeBasis.WORKSPACE, required=False)
    local_at = forms.DateTimeField(label=_("Date and time"), required=False,
                                   widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
                                   input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"])
    frequency = forms.ChoiceField(label=_("Repeat"), choices=Reminder.Frequency.choices, required=False)
    weekdays = forms.TypedMultipleChoiceField(label=_("On"), choices=WEEKDAYS, coerce=int, required=False,
                                              widget=forms.CheckboxSelectMultiple)
    start_date = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    time_of_day = forms.TimeField(label=_("At"), required=False, widget=forms.TimeInput(attrs={"type": "time"}))
    end_date = forms.DateField(label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    max_runs = forms.IntegerField(label=_("Or this many times"), required=False, min_value=1, max_value=1000)

    def __init__(self, workspace: Workspace, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.workspace = workspace
        self.fields["template"].queryset = MessageTemplate.objects.filter(
            workspace=workspace, status=MessageTemplate.Status.APPROVED).order_by("name", "language")
        self.fields["template"].label_from_instance = lambda t: f"{t.name} ({t.language})"
        self.fields["journey"].queryset = Journey.objects.filter(
            workspace=workspace, published_version__isnull=False).order_by("name")
        self.fields["segment"].queryset = Segment.objects.filter(workspace=workspace)
        # Required or not depends on the choices above (the service checks): no "optional" label.
        for name in ("template", "journey", "subject", "text", "segment", "local_at", "frequency", "weekdays",
                     "start_date", "time_of_day", "time_basis", "action", "numbers"):
            self.fields[name].hide_optional = True

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        numbers: list[str] = []
        if data.get("audience") == Reminder.Audience.NUMBERS:
            upload = data.get("csv")
            if upload is not None:
                if upload.size > MAX_CSV_BYTES:
                    self.add_error("csv", _("The file is larger than 20 MB."))
                else:
                    try:
                        numbers, refused = numbers_from_csv(upload.read())
                    except AudienceInvalid as exc:
                        self.add_error("csv", exc.message)
                        refused = []
                    if refused:
                        self.add_error("csv", _("These cells are not WhatsApp numbers: %(cells)s")
                                       % {"cells": ", ".join(refused[:5])})
            typed, refused = parse_numbers(data.get("numbers") or "")
            if refused:
                self.add_error("numbers", _("These are not international numbers: %(values)s")
                               % {"values": ", ".join(refused[:5])})
            numbers = list(dict.fromkeys(typed + numbers))
        data["number_list"] = numbers
        return data

    def spec(self) -> ReminderSpec:
        data = self.cleaned_data
        channel = data.get("channel") or Reminder.Channel.WHATSAPP
        action = data.get("action") or Reminder.Action.TEMPLATE
        if channel != Reminder.Channel.WHATSAPP:
            action = Reminder.Action.TEXT
        return ReminderSpec(
            name=data.get("name", ""), channel=channel, action=action, template=data.get("template"),
            params=params_from_post(self.data), journey=data.get("journey"), subject=data.get("subject") or "",
            text=data.get("text") or "", audience=data.get("audience") or "", segment=data.get("segment"),
            query=data.get("query") or "", numbers=data.get("number_list") or [],
            schedule=data.get("schedule") or Reminder.Schedule.NOW,
            time_basis=data.get("time_basis") or Reminder.TimeBasis.WORKSPACE,
            local_at=data.get("local_at").replace(tzinfo=None) if data.get("local_at") else None,
            frequency=data.get("frequency") or "", weekdays=list(data.get("weekdays") or []),
            start_date=data.get("start_date"), time_of_day=data.get("time_of_day"), end_date=data.get("end_date"),
            max_runs=data.get("max_runs"))


def params_from_post(post: Any) -> dict[str, Any]:
    """`param-body-1`, `param-header-1`, `param-button-0` inputs → {"body": [...], "header": [...], "buttons": {}}."""
    params: dict[str, Any] = {}
    for group in ("header", "body"):
        values = []
        n = 1
        while f"param-{group}-{n}" in post:
            values.append(str(post.get(f"param-{group}-{n}", "")).strip())
            n += 1
        if values:
            params[group] = values
    buttons = {key.removeprefix("param-button-"): str(value).strip() for key, value in post.items()
               if key.startswith("param-button-") and str(value).strip()}
    if buttons:
        params["buttons"] = buttons
    return params


def initial_of(reminder: Reminder) -> dict[str, Any]:
    """The form's values for an existing reminder."""
    return {"name": reminder.name, "channel": reminder.channel, "action": reminder.action,
            "template": reminder.template_id, "journey": reminder.journey_id, "subject": reminder.subject,
            "text": reminder.text, "audience": reminder.audience, "segment": reminder.segment_id,
            "query": reminder.query,
            # A long list stays saved (the page says how many) rather than filling the text box.
            "numbers": "\n".join(reminder.numbers) if len(reminder.numbers or []) <= 500 else "",
            "schedule": reminder.schedule,
            "time_basis": reminder.time_basis,
            "local_at": reminder.local_at.replace(tzinfo=None).strftime("%Y-%m-%dT%H:%M") if reminder.local_at else "",
            "frequency": reminder.frequency, "weekdays": reminder.weekdays, "start_date": reminder.start_date,
            "time_of_day": reminder.time_of_day, "end_date": reminder.end_date, "max_runs": reminder.max_runs}


class ChannelSettingsForm(forms.ModelForm):
    """SMS provider and email sender. Secrets are write-only: left empty, the stored one stays."""

    sms_secret = forms.CharField(label=_("Auth token"), required=False, widget=forms.PasswordInput(render_value=False))
    email_password = forms.CharField(label=_("SMTP password"), required=False,
                                     widget=forms.PasswordInput(render_value=False))
    sms_base_url = forms.URLField(label=_("API address"), required=False, assume_scheme="https",
                                  help_text=_("Empty: Twilio's own API. Another address for a compatible service."))

    class Meta:
        model = ChannelSettings
        fields = ["sms_provider", "sms_account", "sms_secret", "sms_sender", "sms_base_url", "email_from",
                  "email_host", "email_port", "email_username", "email_password", "email_use_tls"]
        labels = {"sms_provider": _("SMS provider"), "sms_account": _("Account SID"),
                  "sms_sender": _("Sender (number or sender id)"), "sms_base_url": _("API address"),
                  "email_from": _("From address"), "email_host": _("SMTP server"), "email_port": _("SMTP port"),
                  "email_username": _("SMTP user name"), "email_use_tls": _("Use TLS")}

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        for secret in ("sms_secret", "email_password"):
            if not data.get(secret):
                data[secret] = getattr(self.instance, secret, "")
        if data.get("sms_provider") and not (data.get("sms_account") and data.get("sms_secret")
                                             and data.get("sms_sender")):
            self.add_error("sms_account", _("Twilio needs the Account SID, the Auth token and a sender."))
        return data
