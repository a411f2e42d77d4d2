"""Every real Cloud API webhook body in the shared corpus is accepted, signed, and parsed right."""

from __future__ import annotations

import json
import time

import pytest

from sauti.accounts.services import create_workspace
from sauti.contacts.models import Contact
from sauti.messaging import ingest
from sauti.messaging.channels.whatsapp import signature, webhook
from sauti.messaging.models import Message, WebhookEvent
from sauti.messaging.services import chat_for
from tests.support import WHATSAPP_CORPUS, drain_tasks, post_webhook

SECRET = "corpus-secret"
INDEX = json.loads((WHATSAPP_CORPUS / "INDEX.json").read_text()) if WHATSAPP_CORPUS.exists() else []
pytestmark = [pytest.mark.django_db,
              pytest.mark.skipif(not INDEX, reason="the shared WhatsApp corpus is not beside the project")]


def _workspace_for(body: dict) -> object:
    phone_ids, waba_ids = webhook.routing_keys(body)
    ingest.forget_cached_workspaces()
    return create_workspace(name="corpus", phone_number_id=next(iter(phone_ids), None),
                            waba_id=next(iter(waba_ids), ""), app_secret=SECRET)


def _outbound(workspace: object, wa_id: str, wamid: str) -> Message:
    contact = Contact.objects.create(workspace=workspace, wa_id=wa_id)
    chat = chat_for(contact)
    return Message.objects.create(workspace=workspace, chat=chat, contact=contact, direction="outbound", type="text",
                                  payload={"type": "text", "text": {"body": "hi"}}, provider_id=wamid,
                                  status="sent", sent_at=chat.created_at)


def _check_message(expect: dict) -> None:
    messages = Message.objects.filter(provider_id=expect["message_id"], direction="inbound")
    assert messages.count() == 1
    message = messages.get()
    assert message.type == expect["type"]
    assert message.handled_at is not None
    if expect.get("sender_wa_id"):
        assert message.contact.wa_id == expect["sender_wa_id"]
    if expect.get("contact_name") and expect.get("contact_wa_id") == expect.get("sender_wa_id"):
        assert message.contact.whatsapp_profile_name == expect["contact_name"]
    if "text_body" in expect:
        assert message.text == expect["text_body"]
    if "reply_title" in expect:
        assert message.text == expect["reply_title"]
    if "button_text" in expect:
        assert message.text == expect["button_text"]
    if expect.get("reaction_removed"):
        assert message.text == ""
    assert message.sent_at.timestamp() == int(expect["timestamp"])


CASES = [e for e in INDEX]


@pytest.mark.parametrize("case", CASES, ids=[c["file"] for c in CASES])
def test_corpus_body_is_accepted_and_parsed(client, case):
    raw = (WHATSAPP_CORPUS / case["file"]).read_bytes()
    body = json.loads(raw)
    workspace = _workspace_for(body)
    expect = case["expect"]
    items = expect["items"] if expect.get("batch") else [dict(expect, kind=case["kind"])]
    for item in items:
        if item["kind"] == "status":
            _outbound(workspace, item["recipient_id"], item["message_id"])
    response = post_webhook(client, raw, SECRET)
    assert response.status_code == 200, response.content
    drain_tasks()
    event = WebhookEvent.objects.get()
    assert event.processed_at is not None and event.error == ""
    for item in items:
        if item["kind"] == "message":
            _check_message(item)
        elif item["kind"] == "status":
            message = Message.objects.get(provider_id=item["message_id"], direction="outbound")
            assert message.status == item["status"]
            assert message.statuses[-1]["status"] == item["status"]
            if item.get("error_codes"):
                assert message.error["code"] == item["error_codes"][0]
            if item.get("pricing"):
                assert message.pricing == item["pricing"]


def test_parser_sees_every_item_of_a_batched_body():
    body = json.loads((WHATSAPP_CORPUS / "batch__two_messages_one_change_synthetic.json").read_text())
    items = webhook.parse(body)
    assert [type(i).__name__ for i in items] == ["InboundMessage", "InboundMessage"]


def test_template_status_update_is_parsed():
    body = json.loads((WHATSAPP_CORPUS / "template_status__approved_reason_null.json").read_text())
    (item,) = webhook.parse(body)
    assert isinstance(item, webhook.TemplateStatusUpdate)
    assert item.event == "APPROVED" and item.reason is None and item.template_id == "12345678"


def test_published_signature_vector():
    raw = (WHATSAPP_CORPUS / "signed__text_raw_body.json").read_bytes()
    assert len(raw) == 511
    expected = "sha256=54edfa1d7259e0eb13c677cc7d73d1b5c86cfa12433d19156e058ab9251bc441"
    assert signature.sign(raw, "1222e786b144d0e85b9f365372d93676") == expected
    assert signature.verify(raw, expected, "1222e786b144d0e85b9f365372d93676")
    assert not signature.verify(raw + b" ", expected, "1222e786b144d0e85b9f365372d93676")


def test_a_sender_known_only_by_business_scoped_id_is_a_contact(client):
    body = {"object": "whatsapp_business_account", "entry": [{"id": "1", "changes": [{"field": "messages", "value": {
        "messaging_product": "whatsapp", "metadata": {"display_phone_number": "1", "phone_number_id": "555"},
        "contacts": [{"profile": {"name": "Private"}, "user_id": "US.123"}],
        "messages": [{"from_user_id": "US.123", "id": "wamid.bsuid", "timestamp": str(int(time.time())),
                      "type": "text", "text": {"body": "hello"}}]}}]}]}
    _workspace_for(body)
    assert post_webhook(client, body, SECRET).status_code == 200
    drain_tasks()
    message = Message.objects.get(provider_id="wamid.bsuid")
    assert message.contact.wa_id is None
    assert message.contact.user_id == "US.123"
    assert message.contact.whatsapp_profile_name == "Private"
