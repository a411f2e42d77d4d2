"""A reminder that starts a journey: each opted-in person of the audience starts its published
version (through the journeys runner's own start timer), so their answers are handled by it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from sauti.journeys.models import Session
from sauti.journeys.services import create_journey
from sauti.messaging.models import Chat, Message
from sauti.messaging.services import chat_for
from sauti.reminders.models import Recipient
from sauti.reminders.services import ReminderInvalid
from sauti.reminders.stats import reminder_stats
from sauti.timers.services import fire_due
from tests.reminders.conftest import people, remind
from tests.support import drain_tasks

pytestmark = pytest.mark.django_db(transaction=True)

JOURNEY = """
card Start do
  text("Hi @contact.name! Time for this week's check-in.")
end
"""


def test_a_journey_reminder_starts_the_journey_for_each_opted_in_person(ws):
    journey = create_journey(ws, name="Check-in", source=JOURNEY)
    # They wrote this morning: the window is open, so the journey's free-form text may go.
    now = timezone.now()
    for contact in people(ws, 3):
        Chat.objects.filter(id=chat_for(contact).id).update(last_inbound_at=now,
                                                            window_expires_at=now + dt.timedelta(hours=20))
    people(ws, 1, start=10, opted_in=False)
    reminder = remind(ws, action="journey", journey=journey)
    drain_tasks()
    assert Recipient.objects.filter(state="started").count() == 3
    fire_due()
    drain_tasks()
    assert Session.objects.filter(journey=journey).count() == 3
    texts = sorted(Message.objects.filter(direction="outbound").values_list("text", flat=True))
    assert texts[0] == "Hi Person 0! Time for this week's check-in."
    stats = reminder_stats(reminder)
    assert (stats.total, stats.started, stats.skipped) == (4, 3, 1)


def test_an_unpublished_journey_cannot_be_chosen(ws):
    journey = create_journey(ws, name="Draft", source=JOURNEY, publish=False)
    with pytest.raises(ReminderInvalid) as refused:
        remind(ws, action="journey", journey=journey)
    assert "journey" in refused.value.errors
