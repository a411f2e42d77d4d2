"""The WhatsApp webhook endpoint: handshake, signatures, routing to a workspace, durability."""

from __future__ import annotations

import json

import pytest
from django.db import connection

from sauti.messaging.models import Message, WebhookEvent
from tests.conftest import APP_SECRET, PHONE_NUMBER_ID
from tests.support import drain_tasks, post_webhook, text_webhook

pytestmark = pytest.mark.django_db


def test_handshake_echoes_the_challenge_for_a_known_verify_token(client, workspace):
    response = client.get("/webhooks/whatsapp", {"hub.mode": "subscribe", "hub.verify_token": "verify-me",
                                                 "hub.challenge": "1158201444"})
    assert response.status_code == 200
    assert response.content == b"1158201444"
    assert response["Content-Type"].startswith("text/plain")


@pytest.mark.parametrize("params", [
    {"hub.mode": "subscribe", "hub.verify_token": "wrong", "hub.challenge": "1"},
    {"hub.mode": "unsubscribe", "hub.verify_token": "verify-me", "hub.challenge": "1"},
    {"hub.mode": "subscribe", "hub.challenge": "1"},
])
def test_handshake_refuses_anything_else(client, workspace, params):
    assert client.get("/webhooks/whatsapp", params).status_code == 403


def test_signed_event_is_stored_and_acknowledged(client, workspace):
    response = post_webhook(client, text_webhook(PHONE_NUMBER_ID, "27820000001", "hi", wamid="wamid.1"), APP_SECRET)
    assert response.status_code == 200
    assert WebhookEvent.objects.filter(workspace=workspace).count() == 1


@pytest.mark.parametrize("signature", ["", "sha256=00", "sha1=abc", "sha256=" + "0" * 64])
def test_bad_or_missing_signature_is_refused_and_nothing_stored(client, workspace, signature):
    body = text_webhook(PHONE_NUMBER_ID, "27820000001", "hi", wamid="wamid.1")
    response = post_webhook(client, body, APP_SECRET, signature=signature)
    assert response.status_code == 403
    assert WebhookEvent.objects.count() == 0


def test_signature_is_checked_against_the_exact_bytes(client, workspace):
    raw = json.dumps(text_webhook(PHONE_NUMBER_ID, "27820000001", "hi", wamid="wamid.1")).encode()
    from sauti.messaging.channels.whatsapp.signature import sign

    good = sign(raw, APP_SECRET)
    reformatted = json.dumps(json.loads(raw), indent=2).encode()
    response = client.post("/webhooks/whatsapp", data=reformatted, content_type="application/json",
                           HTTP_X_HUB_SIGNATURE_256=good)
    assert response.status_code == 403


def test_unknown_phone_number_id_is_404(client, workspace):
    body = text_webhook("999", "27820000001", "hi", wamid="wamid.1")
    assert post_webhook(client, body, APP_SECRET).status_code == 404
    assert WebhookEvent.objects.count() == 0


def test_malformed_json_is_400(client, workspace):
    assert post_webhook(client, b"{not json", APP_SECRET).status_code == 400
    assert post_webhook(client, b"[1, 2]", APP_SECRET).status_code == 400


def test_an_event_that_cannot_be_stored_is_not_acknowledged(client, workspace):
    """When the database refuses the write, Meta must get a 5xx and deliver it again: never a 200."""
    body = text_webhook(PHONE_NUMBER_ID, "27820000001", "hi", wamid="wamid.1")
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE messaging_webhookevent RENAME TO messaging_webhookevent_away")
    try:
        response = post_webhook(client, body, APP_SECRET)
    finally:
        with connection.cursor() as cursor:
            cursor.execute("ALTER TABLE messaging_webhookevent_away RENAME TO messaging_webhookevent")
    assert response.status_code == 503
    assert WebhookEvent.objects.count() == 0
    # Meta's redelivery then succeeds.
    assert post_webhook(client, body, APP_SECRET).status_code == 200


def test_the_same_message_delivered_twice_is_stored_and_handled_once(client, workspace):
    body = text_webhook(PHONE_NUMBER_ID, "27820000001", "hi", wamid="wamid.dup")
    assert post_webhook(client, body, APP_SECRET).status_code == 200
    assert post_webhook(client, body, APP_SECRET).status_code == 200
    drain_tasks()
    assert Message.objects.filter(provider_id="wamid.dup").count() == 1
    message = Message.objects.get(provider_id="wamid.dup")
    assert message.handled_at is not None
    assert message.chat.unread_count == 1
