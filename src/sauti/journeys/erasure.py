"""The journeys side of deleting a person: their sessions and results go with the contact row; this
removes what would outlive it (logs that name them, their timers)."""

from __future__ import annotations

from sauti.contacts.models import Contact
from sauti.journeys.models import JourneyLog, Session
from sauti.journeys.runner.effects import SESSION_TIMER, START_TIMER
from sauti.timers.services import cancel_timers


def forget_contact(contact: Contact) -> int:
    """Delete the journey logs about `contact` and cancel journeys scheduled for them; returns the
    number of log entries deleted."""
    cancel_timers(contact.workspace_id, START_TIMER, key_prefix=f"{contact.id}:")
    for session_id in Session.objects.filter(contact=contact).values_list("id", flat=True):
        cancel_timers(contact.workspace_id, SESSION_TIMER, key_prefix=f"{session_id}:")
    return JourneyLog.objects.filter(workspace_id=contact.workspace_id, contact=contact).delete()[0]
