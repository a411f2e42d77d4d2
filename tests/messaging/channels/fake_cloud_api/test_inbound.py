"""`/_fake/inbound` builds real inbound webhook bodies, delivers them signed and reports the answer."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from sauti.messaging.channels.fake_cloud_api.server import RunningFake

from .support import CORPUS, PHONE_NUMBER_ID, WABA_ID, WebhookReceiver, corpus, shape

IGNORED = frozenset({"user_id", "parent_user_id", "time"})


def _messages(body: dict[str, Any]) -> list[dict[str, Any]]:
    return body["entry"][0]["changes"][0]["value"]["messages"]


def test_a_text_is_delivered_signed_in_meta_s_shape(control: httpx.Client, receiver: WebhookReceiver) -> None:
    response = control.post("/inbound", json={"from": "27820001111", "text": "hi", "name": "Ana"})
    assert response.status_code == 200
    result = response.json()
    assert result["webhook_status"] == 200
    [received] = receiver.received
    assert received.signature_ok
    assert received.headers["content-type"] == "application/json"
    body = received.json
    assert shape(body, IGNORED) == shape(corpus("message__text.json"), IGNORED)
    value = body["entry"][0]["changes"][0]["value"]
    assert body["entry"][0]["id"] == WABA_ID
    assert value["metadata"] == {"display_phone_number": "15550000001", "phone_number_id": PHONE_NUMBER_ID}
    assert value["contacts"] == [{"profile": {"name": "Ana"}, "wa_id": "27820001111"}]
    [message] = value["messages"]
    assert message == {"from": "27820001111", "id": result["messages"][0]["id"], "timestamp": message["timestamp"],
                       "text": {"body": "hi"}, "type": "text"}
    assert message["id"].startswith("wamid.")


def _corpus_messages() -> list[str]:
    if not CORPUS.exists():
        return []
    names = sorted(p.name for p in CORPUS.glob("*.json")
                   if p.name.startswith(("message__", "interactive__", "button__")))
    # Bodies with template placeholders ("<WHATSAPP_USER_PHONE_NUMBER>") have no real sender to replay.
    return [n for n in names if "value_errors" not in n and "placeholders" not in n]


@pytest.mark.parametrize("name", _corpus_messages())
def test_a_full_message_object_comes_out_as_the_real_one(control: httpx.Client, receiver: WebhookReceiver,
                                                         name: str) -> None:
    real = corpus(name)
    real_value = real["entry"][0]["changes"][0]["value"]
    [real_message] = real_value["messages"]
    contact = real_value["contacts"][0]
    item = {"from": real_message["from"], "id": real_message["id"], "timestamp": real_message["timestamp"],
            "name": contact["profile"]["name"],
            "message": {k: v for k, v in real_message.items() if k not in ("from", "id", "timestamp")}}
    assert control.post("/inbound", json=item).json()["webhook_status"] == 200
    body = receiver.received[0].json
    assert _messages(body) == [real_message]
    assert shape(body, IGNORED | {"messages"}) == shape(real, IGNORED | {"messages"})


def test_a_given_id_is_used_so_duplicates_can_be_sent(control: httpx.Client, receiver: WebhookReceiver) -> None:
    for _ in range(2):
        control.post("/inbound", json={"from": "27820001111", "text": "again", "id": "wamid.SAME"})
    assert [_messages(r.json)[0]["id"] for r in receiver.received] == ["wamid.SAME", "wamid.SAME"]


def test_a_reply_context_quotes_the_business_number(control: httpx.Client, receiver: WebhookReceiver) -> None:
    control.post("/inbound", json={"from": "27820001111", "context": {"id": "wamid.OUT"},
                                   "message": {"type": "interactive", "interactive": {
                                       "type": "button_reply", "button_reply": {"id": "b1", "title": "Yes"}}}})
    [message] = _messages(receiver.received[0].json)
    assert message["context"] == {"from": "15550000001", "id": "wamid.OUT"}
    assert message["interactive"]["button_reply"] == {"id": "b1", "title": "Yes"}


def test_several_messages_go_one_body_each_or_batched(control: httpx.Client, receiver: WebhookReceiver) -> None:
    items = [{"from": "27820001111", "text": "one", "name": "Ana"}, {"from": "27820002222", "text": "two"},
             {"from": "27820001111", "text": "three", "name": "Ana"}]
    separate = control.post("/inbound", json=items).json()
    assert len(separate["messages"]) == 3
    assert separate["webhook_statuses"] == [200, 200, 200]
    assert [[m["text"]["body"] for m in _messages(r.json)] for r in receiver.received] == [["one"], ["two"], ["three"]]

    receiver.received.clear()
    batched = control.post("/inbound", json={"messages": items, "batch": True}).json()
    assert batched["webhook_status"] == 200
    [body] = [r.json for r in receiver.received]
    value = body["entry"][0]["changes"][0]["value"]
    assert [m["text"]["body"] for m in value["messages"]] == ["one", "two", "three"]
    assert [c["wa_id"] for c in value["contacts"]] == ["27820001111", "27820002222"]
    assert [m["id"] for m in value["messages"]] == [m["id"] for m in batched["messages"]]
    real = corpus("batch__two_messages_one_change_synthetic.json")
    assert shape(body, IGNORED | {"messages"}) == shape(real, IGNORED | {"messages"})


def test_the_receiver_s_answer_is_reported(control: httpx.Client, receiver: WebhookReceiver) -> None:
    receiver.answers.append(503)
    result = control.post("/inbound", json={"from": "27820001111", "text": "hi"}).json()
    assert result["webhook_status"] == 503
    assert receiver.received == []


def test_an_unreachable_receiver_is_reported(start_fake: Callable[..., RunningFake]) -> None:
    fake = start_fake(webhook_url="http://127.0.0.1:9/nobody")
    result = httpx.post(f"{fake.url}/_fake/inbound", json={"from": "27820001111", "text": "hi"}).json()
    assert result["webhook_status"] is None
    assert result["webhook_error"]


def test_retry_mode_queues_on_the_retried_stream(control: httpx.Client, receiver: WebhookReceiver) -> None:
    receiver.answers.extend([500])
    result = control.post("/inbound", json={"from": "27820001111", "text": "hi", "retry": True}).json()
    assert result["queued"] is True
    [received] = receiver.wait_for(lambda got: len(got) == 1)
    assert _messages(received.json)[0]["id"] == result["messages"][0]["id"]
    assert [status for status, _ in receiver.attempts] == [500, 200]


def test_media_uploaded_to_the_fake_is_described(fake: RunningFake, control: httpx.Client,
                                                 receiver: WebhookReceiver) -> None:
    upload = httpx.post(f"{fake.url}/v23.0/{PHONE_NUMBER_ID}/media", headers={"Authorization": "Bearer t"},
                        files={"file": ("v.ogg", b"OggS-voice", "audio/ogg")}, data={"messaging_product": "whatsapp"})
    media_id = upload.json()["id"]
    control.post("/inbound", json={"from": "27820001111",
                                   "message": {"type": "audio", "audio": {"id": media_id, "voice": True}}})
    [message] = _messages(receiver.received[0].json)
    assert message["audio"]["mime_type"] == "audio/ogg"
    assert len(message["audio"]["sha256"]) == 64
    assert message["audio"]["voice"] is True


def test_inbound_messages_are_listed(control: httpx.Client) -> None:
    control.post("/inbound", json={"from": "27820001111", "text": "hi"})
    assert [m["text"]["body"] for m in control.get("/inbound").json()["messages"]] == ["hi"]


@pytest.mark.parametrize(("body", "field"), [
    ({"text": "hi"}, "from"),
    ({"from": "abc", "text": "hi"}, "from"),
    ({"from": "27820001111"}, "text"),
    ({"from": "27820001111", "text": "hi", "message": {"type": "text"}}, "text"),
    ({"from": "27820001111", "message": {"text": {"body": "x"}}}, "message.type"),
    ({"from": "27820001111", "text": "hi", "colour": "red"}, "colour"),
    ({"messages": []}, "messages"),
], ids=["no-from", "from-not-digits", "no-text-or-message", "text-and-message", "message-without-type",
        "unexpected-key", "empty-list"])
def test_invalid_inbound_requests_are_refused(control: httpx.Client, receiver: WebhookReceiver,
                                              body: dict[str, Any], field: str) -> None:
    response = control.post("/inbound", json=body)
    assert response.status_code == 400
    assert response.json()["error"]["error_data"]["details"].startswith(f"{field}:")
    assert receiver.received == []


def test_raw_bodies_are_delivered_byte_for_byte_and_signed(control: httpx.Client, receiver: WebhookReceiver) -> None:
    raw = json.dumps({"object": "whatsapp_business_account", "entry": []}, indent=2).encode()
    assert control.post("/inbound-raw", content=raw).json() == {"webhook_status": 200}
    [received] = receiver.received
    assert received.raw == raw
    assert received.signature_ok


@pytest.mark.parametrize("mode", ["invalid", "none"])
def test_raw_bodies_can_carry_a_bad_or_no_signature(control: httpx.Client, receiver: WebhookReceiver,
                                                    mode: str) -> None:
    control.post("/inbound-raw", params={"signature": mode}, content=b"{}")
    [received] = receiver.received
    assert not received.signature_ok
    assert ("x-hub-signature-256" in received.headers) is (mode == "invalid")

