"""A journey's update_contact goes through the schema: a value that does not fit is a journey log
entry at level error, the other fields are still written and the conversation goes on."""

from __future__ import annotations

import pytest

from sauti.contacts.models import Contact
from sauti.contacts.services import create_field
from sauti.journeys.models import JourneyLog
from sauti.journeys.services import create_journey
from sauti.messaging.models import Message
from tests.conftest import APP_SECRET, PHONE_NUMBER_ID
from tests.support import drain_tasks, post_webhook, text_webhook

pytestmark = pytest.mark.django_db

JOURNEY = '''trigger(on: "MESSAGE RECEIVED") when has_only_phrase(event.message.text.body, "age")

card Start, then: Thanks do
  age = ask("How old are you?")
  update_contact(age: "@age", checkpoint: "asked_age", opted_in: "yes")
end

card Thanks do
  text("Thanks @contact.checkpoint")
end
'''


def _say(client, body: str, n: int) -> None:
    payload = text_webhook(PHONE_NUMBER_ID, "27820000001", body, wamid=f"wamid.{n}", timestamp=1_800_000_000 + n)
    assert post_webhook(client, payload, APP_SECRET).status_code == 200
    drain_tasks()


def test_a_value_the_schema_refuses_is_logged_and_the_rest_is_written(client, workspace) -> None:
    create_field(workspace, key="age", type="number")
    create_journey(workspace, name="Age", source=JOURNEY)
    _say(client, "age", 1)
    _say(client, "thirty", 2)
    contact = Contact.objects.get(wa_id="27820000001")
    assert "age" not in contact.fields and contact.fields["checkpoint"] == "asked_age" and contact.opted_in
    log = JourneyLog.objects.get(level="error")
    assert log.message == "update_contact: age: “thirty” is not a number (write it like 42 or 3.5, without " \
                          "thousands separators)"
    last = Message.objects.filter(direction="outbound").latest("id")
    assert last.text == "Thanks asked_age"

    _say(client, "age", 3)
    _say(client, "31", 4)
    contact.refresh_from_db()
    assert contact.fields["age"] == 31
