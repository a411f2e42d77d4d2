"""Changes to the contact, the inbound message's labels and the journey dictionaries."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar

from .base import Effect, register


@register
@dataclass(frozen=True, slots=True)
class UpdateContact(Effect):
    """Set contact fields (`update_contact(field: value)`); values keep their type."""

    type: ClassVar[str] = "update_contact"
    fields: dict = field(default_factory=dict)


@register
@dataclass(frozen=True, slots=True)
class AddLabel(Effect):
    """Label the inbound message being handled (`message_id` None: the chat's last message)."""

    type: ClassVar[str] = "add_label"
    labels: tuple = ()
    message_id: str | None = None


@register
@dataclass(frozen=True, slots=True)
class UpdateDictionary(Effect):
    """`update_dictionary(dict, key, value)`: persist a key of a workspace dictionary."""

    type: ClassVar[str] = "update_dictionary"
    dictionary: str = ""
    key: str = ""
    value: Any = None
