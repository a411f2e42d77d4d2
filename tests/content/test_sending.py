"""Sending a stored template: parameters checked before anything is queued, outside the 24-hour
window too, accepted by the fake Cloud API; journeys' template sends checked the same way."""

from __future__ import annotations

import httpx
import pytest

from sauti.contacts.models import Contact
from sauti.content.models import MessageTemplate
from sauti.content.queries import sendable_templates
from sauti.content.services import TemplateParamsInvalid, send_template, upload_media
from sauti.content.services.sending import prepare_template_message
from sauti.messaging.models import Message, Outbox
from tests.messaging.test_sender import rounds
from tests.web.members import make_member

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
Status = MessageTemplate.Status


def stored(ws, name="visit_reminder", *, status=Status.APPROVED, header: dict | None = None, fake=None,
           **extra) -> MessageTemplate:
    components = [{"type": "BODY", "text": "Hello {{1}}, your visit is on {{2}}.",
                   "example": {"body_text": [["Ana", "Monday"]]}},
                  {"type": "BUTTONS", "buttons": [{"type": "QUICK_REPLY", "text": "Confirm"},
                                                  {"type": "URL", "text": "Directions",
                                                   "url": "https://maps.example.org/{{1}}", "example": ["c7"]}]}]
    if header:
        components.insert(0, header)
    if fake is not None:  # the same template, approved at the fake Cloud API too
        body = {"name": name, "language": "en", "category": "UTILITY", "components": components}
        if header and header.get("format") == "IMAGE":
            body["components"] = [{**header, "example": {"header_handle": ["4::x"]}}, *components[1:]]
        assert httpx.post(f"{fake.url}/_fake/templates", json=body).status_code == 200
    return MessageTemplate.objects.create(workspace=ws, name=name, language="en", category="UTILITY",
                                          components=components, status=status, meta_id="1", **extra)


@pytest.mark.django_db
def test_parameters_are_checked_before_anything_is_queued(ws) -> None:
    contact = Contact.objects.create(workspace=ws, wa_id="27820000001")
    template = stored(ws)
    with pytest.raises(TemplateParamsInvalid) as caught:
        send_template(ws, contact, template, {"body": ["Ana"], "buttons": {1: "c7"}})
    assert caught.value.field == "body"
    with pytest.raises(TemplateParamsInvalid) as caught:
        send_template(ws, contact, template, {"body": ["Ana", "Monday"]})
    assert caught.value.field == "buttons.1"
    paused = stored(ws, "paused_one", status=Status.PAUSED)
    with pytest.raises(TemplateParamsInvalid) as caught:
        send_template(ws, contact, paused, {"body": ["Ana", "Monday"], "buttons": {1: "c7"}})
    assert (caught.value.field, "paused" in caught.value.message) == ("template", True)
    assert not Message.objects.exists() and not Outbox.objects.exists()


@pytest.mark.django_db
def test_a_template_goes_outside_the_window_with_the_words_the_person_reads(ws) -> None:
    contact = Contact.objects.create(workspace=ws, wa_id="27820000001")  # never wrote: window closed
    operator = make_member(ws, "operator")
    message = send_template(ws, contact, stored(ws), {"body": ["Thandi", "Friday"], "buttons": ["", "clinic-3"]},
                            actor=operator)
    assert message.payload["template"] == {"name": "visit_reminder", "language": {"code": "en"}, "components": [
        {"type": "body", "parameters": [{"type": "text", "text": "Thandi"}, {"type": "text", "text": "Friday"}]},
        {"type": "button", "sub_type": "url", "index": "1", "parameters": [{"type": "text", "text": "clinic-3"}]}]}
    assert message.text == "Hello Thandi, your visit is on Friday."
    assert (message.author_type, message.author_id) == (Message.AuthorType.OPERATOR, str(operator.uuid))
    assert message.outbox.state == Outbox.State.QUEUED


@pytest.mark.django_db
def test_sendable_templates_are_the_approved_ones_by_name(ws) -> None:
    stored(ws, "b_second")
    stored(ws, "a_first")
    stored(ws, "c_pending", status=Status.PENDING)
    assert [t.name for t in sendable_templates(ws)] == ["a_first", "b_second"]


@pytest.mark.django_db
def test_a_journeys_template_send_is_checked_when_the_template_is_stored(ws) -> None:
    stored(ws)
    good = {"type": "template", "template": {"name": "visit_reminder", "language": {"code": "en"}, "components": [
        {"type": "body", "parameters": [{"type": "text", "text": "Ana"}, {"type": "text", "text": "Mon"}]},
        {"type": "button", "sub_type": "url", "index": "1", "parameters": [{"type": "text", "text": "x"}]}]}}
    assert prepare_template_message(ws, good)["_rendered"]["body"] == "Hello Ana, your visit is on Mon."
    short = {"type": "template", "template": {"name": "visit_reminder", "language": {"code": "en"}, "components": [
        {"type": "body", "parameters": [{"type": "text", "text": "Ana"}]}]}}
    with pytest.raises(TemplateParamsInvalid):
        prepare_template_message(ws, short)
    unknown = {"type": "template", "template": {"name": "not_here", "language": {"code": "en"}}}
    assert prepare_template_message(ws, unknown) is unknown


@pytest.mark.django_db(transaction=True)
def test_the_fake_cloud_api_accepts_what_send_template_queues(ws, fake) -> None:
    contact = Contact.objects.create(workspace=ws, wa_id="27820000002")
    image = upload_media(ws, PNG, "image/png", "clinic.png")
    template = stored(ws, "with_image", header={"type": "HEADER", "format": "IMAGE"}, fake=fake, header_media=image)
    message = send_template(ws, contact, template, {"body": ["Ana", "Monday"], "buttons": {1: "c7"}})
    assert rounds() == 1
    message.refresh_from_db()
    assert message.status == Message.Status.SENT, message.error
    sent = httpx.get(f"{fake.url}/_fake/sent", params={"to": "27820000002"}).json()["messages"]
    header = sent[0]["body"]["template"]["components"][0]
    # The library file was uploaded to the Cloud API when first needed, and sent by Meta's id.
    image.refresh_from_db()
    assert header == {"type": "header", "parameters": [{"type": "image", "image": {"id": image.meta_id}}]}
