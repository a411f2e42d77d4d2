"""Journeys that send templates: checked against the stored template in the runner, with a clear
journey log error instead of a send Meta would refuse; unknown templates still go."""

from __future__ import annotations

import pytest

from sauti.content.models import MessageTemplate
from sauti.journeys.models import JourneyLog
from sauti.journeys.services import create_journey
from sauti.messaging.models import Message
from tests.journeys.test_runner import say

pytestmark = pytest.mark.django_db

JOURNEY = ('trigger(on: "MESSAGE RECEIVED") when has_only_phrase(event.message.text.body, "visit")\n'
           'card Start do\n  send_message_template("{name}", "en", [{params}])\n  text("after")\nend\n')


def journey(workspace, name: str, params: str) -> None:
    create_journey(workspace, name="Visit", source=JOURNEY.replace("{name}", name).replace("{params}", params))


@pytest.fixture
def template(workspace):
    return MessageTemplate.objects.create(
        workspace=workspace, name="visit_reminder", language="en", status=MessageTemplate.Status.APPROVED,
        components=[{"type": "BODY", "text": "Hello {{1}}, see you on {{2}}.",
                     "example": {"body_text": [["Ana", "Monday"]]}}])


def sent() -> list[dict]:
    return [m.payload for m in Message.objects.filter(direction="outbound").order_by("id")]


def test_a_template_with_the_wrong_parameters_is_logged_not_sent(client, workspace, template) -> None:
    journey(workspace, "visit_reminder", '"@contact.name"')
    say(client, "visit")
    assert [m["type"] for m in sent()] == ["text"]  # the journey went on without it
    log = JourneyLog.objects.get(level="error")
    assert "visit_reminder" in log.message and "2 value(s)" in log.message


def test_a_template_that_fits_goes_with_its_text(client, workspace, template) -> None:
    journey(workspace, "visit_reminder", '"Ana", "Friday"')
    say(client, "visit")
    first = Message.objects.filter(direction="outbound").order_by("id").first()
    assert first.type == "template"
    assert first.text == "Hello Ana, see you on Friday."
    assert not JourneyLog.objects.filter(level="error").exists()


def test_a_template_not_stored_here_is_sent_as_written(client, workspace) -> None:
    journey(workspace, "only_at_meta", '"x"')
    say(client, "visit")
    assert sent()[0]["template"]["name"] == "only_at_meta"



def test_a_journey_sends_a_library_file_by_its_id(client, workspace, fake) -> None:
    from sauti.accounts.models import Workspace
    from sauti.content.services import upload_media

    Workspace.objects.filter(id=workspace.id).update(graph_url=f"{fake.url}/v23.0")
    workspace.refresh_from_db()
    leaflet = upload_media(workspace, b"%PDF-1.4\n" + b"0" * 50, "application/pdf", "leaflet.pdf")
    create_journey(workspace, name="Leaflet", source=(
        'trigger(on: "MESSAGE RECEIVED") when has_only_phrase(event.message.text.body, "leaflet")\n'
        f'card Start do\n  document("{leaflet.uuid}", filename: "visit.pdf")\n'
        '  image("00000000-0000-0000-0000-000000000000")\nend\n'))
    say(client, "leaflet")
    (document,) = sent()  # the unknown library id is not sent
    leaflet.refresh_from_db()
    assert document["document"] == {"id": leaflet.meta_id, "filename": "visit.pdf"}
    assert "no such file in the media library" in JourneyLog.objects.get(level="error").message
