"""Reading the inbox's forms: template parameters, the profile pane, the Inbox & routing settings."""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy

from sauti.inbox.models import LABEL_COLOURS
from sauti.inbox.services.routing import DEFAULT_CAPACITY, MAX_CAPACITY


def uuid_or_none(value: Any) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value))
    except (TypeError, ValueError):
        return None


def template_params(data: QueryDict) -> dict[str, Any]:
    """`header_1`, `body_1`, `body_2`, `button_0` … → {"header": [...], "body": [...], "buttons": {0: ...}}:
    header and body values in order, buttons by their position (sauti.content's contract)."""
    found: dict[str, dict[int, str]] = {"header": {}, "body": {}, "buttons": {}}
    for key, value in data.items():
        part, _sep, index = key.partition("_")
        bucket = {"header": "header", "body": "body", "button": "buttons"}.get(part)
        if bucket and index.isdigit():
            found[bucket][int(index)] = value.strip()
    return {"header": [found["header"][i] for i in sorted(found["header"])],
            "body": [found["body"][i] for i in sorted(found["body"])],
            "buttons": dict(sorted(found["buttons"].items()))}


def profile_values(data: QueryDict) -> dict[str, Any]:
    """The profile pane's `field:<key>` inputs → values for update_contact_fields (which checks
    them against the workspace's field schema)."""
    return {key.removeprefix("field:"): value.strip() for key, value in data.items() if key.startswith("field:")}


class RoutingSettingsForm(forms.Form):
    routing_enabled = forms.BooleanField(
        label=gettext_lazy("Route new chats automatically"), required=False,
        help_text=gettext_lazy("Chats that need a person go to available operators, the least busy first. "
                               "Off: they wait in Unassigned for someone to take them."))
    routing_capacity = forms.IntegerField(
        label=gettext_lazy("Chats per operator"), min_value=1, max_value=MAX_CAPACITY, initial=DEFAULT_CAPACITY,
        help_text=gettext_lazy("Routing gives an operator at most this many open chats; they can still take "
                               "more by hand. Each operator's own number below wins."))
    auto_close_hours = forms.IntegerField(
        label=gettext_lazy("Close chats inactive for (hours)"), required=False, min_value=1, max_value=24 * 90,
        help_text=gettext_lazy("Open chats without a message for this long are closed. Empty: never."))

    def __init__(self, *args: Any, memberships: list[Any] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.memberships = list(memberships)
        for m in self.memberships:
            self.fields[f"capacity_{m.id}"] = forms.IntegerField(
                label=str(m.user), required=False, min_value=0, max_value=MAX_CAPACITY, initial=m.capacity)
        self.fields["routing_capacity"].hide_optional = True

    def capacities(self) -> dict[int, int | None]:
        return {m.id: self.cleaned_data.get(f"capacity_{m.id}") for m in self.memberships}

    def capacity_fields(self) -> list[Any]:
        return [self[f"capacity_{m.id}"] for m in self.memberships]


class LabelForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("New label"), max_length=60)
    colour = forms.ChoiceField(label=gettext_lazy("Colour"), choices=[(c, c) for c in LABEL_COLOURS], initial="teal")
