"""Outbound webhooks against a real receiving HTTP server: Turn's bodies and signature, the three
subscriptions, retries with backoff in order, disabling and the email after repeated failures."""

from __future__ import annotations

import datetime as dt
import json

import httpx
import pytest
from django.core import mail
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from sauti.accounts.models import Membership, Role, Workspace
from sauti.accounts.services import update_workspace_settings
from sauti.integrations import services
from sauti.integrations.models import Claim, Delivery, Webhook
from sauti.integrations.signing import verify
from sauti.journeys.services import create_journey
from sauti.messaging.channels.fake_cloud_api.server import FakeCloudAPIConfig, start_in_thread
from sauti.messaging.models import Chat, Message
from tests.conftest import APP_SECRET, PHONE_NUMBER_ID
from tests.integrations.receiver import Receiver, settle
from tests.messaging.test_sender import rounds
from tests.support import drain_tasks, post_webhook, text_webhook
from tests.web.members import make_user

pytestmark = pytest.mark.django_db(transaction=True)
WA = "27820000001"


@pytest.fixture(scope="module")
def fake():
    with start_in_thread(FakeCloudAPIConfig(port=0, webhook_url=None)) as running:
        yield running


@pytest.fixture
def receiver():
    with Receiver() as running:
        yield running


@pytest.fixture
def ws(workspace, fake, settings):
    settings.SAUTI_WEBHOOK_RETRY_DELAYS = [0.2, 0.4]
    httpx.delete(f"{fake.url}/_fake/sent")
    Workspace.objects.filter(id=workspace.id).update(graph_url=f"{fake.url}/v23.0")
    workspace.refresh_from_db()
    update_workspace_settings(workspace, actor=None, settings={"journey_http_allow_hosts": ["127.0.0.1"]})
    return workspace


def hook(ws, receiver, *subscriptions: str) -> Webhook:
    return services.create_webhook(ws, url=receiver.url, subscriptions=list(subscriptions) or ["whatsapp"],
                                   actor=None)


def say(client, body: str, n: int, wa_id: str = WA) -> None:
    payload = text_webhook(PHONE_NUMBER_ID, wa_id, body, wamid=f"wamid.in{n}", timestamp=1_800_000_000 + n)
    assert post_webhook(client, payload, APP_SECRET).status_code == 200


def status_webhook(wamid: str, status: str, timestamp: int) -> dict:
    return {"object": "whatsapp_business_account", "entry": [{"id": "200000000000001", "changes": [{
        "field": "messages", "value": {
            "messaging_product": "whatsapp",
            "metadata": {"display_phone_number": "15550000001", "phone_number_id": PHONE_NUMBER_ID},
            "statuses": [{"id": wamid, "status": status, "timestamp": str(timestamp), "recipient_id": WA}]}}]}]}


def test_an_inbound_message_reaches_the_webhook_in_turns_shape_signed(client, ws, receiver):
    webhook = hook(ws, receiver)
    say(client, "hello", 1)
    settle(lambda: len(receiver.delivered()) == 1)
    (request,) = receiver.delivered()
    assert verify(request.raw, request.headers["x-turn-hook-signature"], webhook.secret)
    assert not verify(request.raw, request.headers["x-turn-hook-signature"], "another secret")
    assert request.headers["x-turn-hook-subscription"] == "whatsapp"
    assert request.headers["x-turn-claim"]
    body = request.json
    assert body["contacts"] == [{"profile": {"name": "Ana"}, "wa_id": WA}]
    (message,) = body["messages"]
    assert message["from"] == WA and message["id"] == "wamid.in1" and message["text"] == {"body": "hello"}
    assert message["timestamp"] == "1800000001" and message["_vnd"]["v1"]["direction"] == "inbound"
    delivery = Delivery.objects.get()
    assert delivery.state == "delivered" and delivery.attempts == 1 and delivery.response_status == 200


def test_statuses_reach_the_webhook_with_sautis_id_for_the_message(client, ws, receiver, api):
    hook(ws, receiver)
    say(client, "hi", 1)
    settle(lambda: len(receiver.delivered()) == 1)
    sent = api.post("/v1/messages", {"to": WA, "text": {"body": "hello back"}}).json()["messages"][0]["id"]
    rounds()
    wamid = Message.objects.get(uuid=sent).provider_id
    for i, status in enumerate(("sent", "delivered", "read")):
        post_webhook(client, status_webhook(wamid, status, 1_800_000_100 + i), APP_SECRET)
    settle(lambda: len(receiver.delivered()) == 4)
    statuses = [r.json["statuses"][0] for r in receiver.delivered()[1:]]
    assert [s["status"] for s in statuses] == ["sent", "delivered", "read"]
    assert all(s["id"] == wamid and s["recipient_id"] == WA for s in statuses)
    assert statuses[0]["_vnd"]["v1"]["uuid"] == sent


def test_turn_subscription_repeats_the_posted_body_once_whatsapp_accepted_it(client, ws, receiver, api):
    hook(ws, receiver, "turn")
    say(client, "hi", 1)
    drain_tasks()
    posted = {"preview_url": False, "recipient_type": "individual", "to": WA, "type": "text",
              "text": {"body": "Your results are ready"}}
    api.post("/v1/messages", posted)
    drain_tasks()
    assert receiver.delivered() == []  # not before WhatsApp accepted it
    rounds()
    settle(lambda: len(receiver.delivered()) == 1)
    (request,) = receiver.delivered()
    assert request.json == posted
    assert request.headers["x-turn-hook-subscription"] == "turn"
    assert request.headers["x-whatsapp-id"] == Message.objects.get(direction="outbound").provider_id


def test_journey_outbound_names_the_journey_that_sent(client, ws, receiver):
    journey = create_journey(ws, name="Greeter", source='trigger(on: "MESSAGE RECEIVED")\n'
                                                        'card Hello do\n  text("Welcome!")\nend\n')
    hook(ws, receiver, "journey_outbound", "turn")
    say(client, "hi", 1)
    drain_tasks()
    rounds()
    settle(lambda: len(receiver.delivered()) == 1)
    (request,) = receiver.delivered()
    assert request.headers["x-turn-hook-subscription"] == "journey_outbound"
    body = request.json
    assert body["to"] == WA and body["text"]["body"] == "Welcome!"
    assert body["_vnd"]["v1"]["journey"] == {"uuid": str(journey.uuid), "name": "Greeter"}


def test_failures_are_retried_with_backoff_and_later_deliveries_wait_their_turn(client, ws, receiver):
    hook(ws, receiver)
    receiver.statuses.extend([500, 503])
    say(client, "first", 1)
    say(client, "second", 2)
    settle(lambda: len(receiver.delivered()) == 2)
    bodies = [json.loads(r.raw)["messages"][0]["text"]["body"] for r in receiver.requests]
    assert bodies == ["first", "first", "first", "second"]  # the second waited for the first
    assert [r.status for r in receiver.requests] == [500, 503, 200, 200]
    first = Delivery.objects.order_by("id").first()
    assert first.attempts == 3 and first.state == "delivered"


def test_an_endpoint_that_keeps_failing_is_disabled_admins_are_told_and_nothing_is_lost(client, ws, receiver):
    admin = make_user(email="admin@example.org")
    Membership.objects.create(workspace=ws, user=admin, role=Role.ADMIN)
    webhook = hook(ws, receiver)
    receiver.statuses.extend([500] * 3)
    say(client, "first", 1)
    say(client, "second", 2)
    settle(lambda: Webhook.objects.get(id=webhook.id).enabled is False)
    webhook.refresh_from_db()
    assert "3 attempts" in webhook.disabled_reason
    assert [d.state for d in Delivery.objects.order_by("id")] == ["failed", "pending"]
    (email,) = mail.outbox
    assert email.to == ["admin@example.org"] and receiver.url in email.body
    say(client, "while disabled", 3)
    drain_tasks()
    assert Delivery.objects.count() == 2  # nothing recorded for a disabled endpoint
    services.set_webhook_enabled(webhook, True, actor=admin)
    settle(lambda: len(receiver.delivered()) == 2)
    assert [r.json["messages"][0]["text"]["body"] for r in receiver.delivered()] == ["first", "second"]


def test_a_workspace_without_webhooks_costs_no_background_work(client, ws):
    say(client, "hello", 1)
    drain_tasks()
    names = set(DBTaskResult.objects.values_list("task_path", flat=True))
    assert not any("integrations" in name for name in names), names


def test_a_claim_keeps_journeys_quiet_until_released(client, ws, receiver, api):
    create_journey(ws, name="Greeter", source='trigger(on: "MESSAGE RECEIVED")\n'
                                              'card Hello do\n  text("Welcome!")\nend\n')
    hook(ws, receiver)
    say(client, "hi", 1)
    settle(lambda: len(receiver.delivered()) == 1)
    claim = receiver.delivered()[0].headers["x-turn-claim"]
    greetings = Message.objects.filter(direction="outbound", text="Welcome!").count()
    reply = api.post("/v1/messages", {"to": WA, "text": {"body": "A person from the clinic here"}},
                     HTTP_X_TURN_CLAIM_EXTEND=claim)
    assert reply.status_code == 200
    claimed = Claim.objects.get()
    assert claimed.expires_at > timezone.now() + dt.timedelta(minutes=4)
    say(client, "thanks", 2)
    drain_tasks()
    assert Message.objects.filter(direction="outbound", text="Welcome!").count() == greetings
    api.post("/v1/messages", {"to": WA, "text": {"body": "Bye"}}, HTTP_X_TURN_CLAIM_RELEASE=claim)
    assert not Claim.objects.exists()
    say(client, "hello again", 3)
    drain_tasks()
    assert Message.objects.filter(direction="outbound", text="Welcome!").count() == greetings + 1


def test_a_forged_claim_claims_nothing(client, ws, receiver, api):
    hook(ws, receiver)
    say(client, "hi", 1)
    drain_tasks()
    other_chat = Chat.objects.get()
    api.post("/v1/messages", {"to": WA, "text": {"body": "x"}}, HTTP_X_TURN_CLAIM_EXTEND=f"{other_chat.uuid}:forged")
    assert not Claim.objects.exists()
