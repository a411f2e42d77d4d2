"""A reminder's messages are what Insights counts as reminder performance: sent, delivered and
replies within 24 hours, under the reminder's name."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from sauti.insights import queries
from sauti.insights.services.aggregate import local_today, recompute
from sauti.messaging.models import Message
from tests.reminders.conftest import people, remind, run_all

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_sent_reminder_appears_in_insights_under_its_name(ws, template, fake):
    people(ws, 4)
    reminder = remind(ws, name="Clinic visit", template=template, params={"body": ["@contact.name", "Monday"]})
    run_all()
    sent = Message.objects.filter(workspace=ws, direction="outbound")
    assert sent.count() == 4
    assert set(sent.values_list("author_id", "author_name")) == {(f"reminder:{reminder.uuid}", "Clinic visit")}
    first = sent.order_by("id").first()
    Message.objects.filter(id=first.id).update(status="delivered")
    Message.objects.create(workspace=ws, chat_id=first.chat_id, contact_id=first.contact_id, direction="inbound",
                           type="text", text="thanks", sent_at=timezone.now() + dt.timedelta(minutes=5))

    today = local_today(ws, timezone.now() + dt.timedelta(minutes=5))
    recompute(ws, today - dt.timedelta(days=1), today)
    since = today - dt.timedelta(days=1)
    assert queries.totals(ws, "rem_total", since, today) == {"Clinic visit": 4}
    assert queries.totals(ws, "rem_delivered", since, today) == {"Clinic visit": 1}
    assert queries.totals(ws, "rem_replied", since, today) == {"Clinic visit": 1}
