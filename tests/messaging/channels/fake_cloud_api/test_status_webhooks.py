"""After each send: signed sent → delivered → read webhooks, batched, in order, retried until taken."""

from __future__ import annotations

import time
from collections.abc import Callable

import httpx

from sauti.messaging.channels.fake_cloud_api.server import RunningFake

from .support import PHONE_NUMBER_ID, WABA_ID, WebhookReceiver, corpus, send, shape

TEXT = {"to": "27820001111", "type": "text", "text": {"body": "hi"}}


def _wamid(response: httpx.Response) -> str:
    assert response.status_code == 200, response.text
    return response.json()["messages"][0]["id"]


def test_each_send_is_followed_by_signed_sent_delivered_read(graph: httpx.Client, receiver: WebhookReceiver) -> None:
    wamid = _wamid(send(graph, TEXT))
    statuses = receiver.wait_for_statuses(3)
    assert [(s["id"], s["status"]) for s in statuses] == [(wamid, "sent"), (wamid, "delivered"), (wamid, "read")]
    for received in receiver.received:
        assert received.signature_ok
        assert received.headers["content-type"] == "application/json"
    for status in statuses:
        assert status["recipient_id"] == "27820001111"
        assert status["pricing"]["pricing_model"] == "PMP"
        assert status["pricing"]["category"] == "service"
        assert status["conversation"]["origin"] == {"type": "service"}
        assert status["timestamp"].isdigit()
    assert len({s["conversation"]["id"] for s in statuses}) == 1


def test_a_status_body_has_the_shape_of_a_real_one(graph: httpx.Client, receiver: WebhookReceiver) -> None:
    send(graph, TEXT)
    receiver.wait_for_statuses(1)
    ours = receiver.bodies_with("statuses")[0]
    ours["entry"][0]["changes"][0]["value"]["statuses"] = ours["entry"][0]["changes"][0]["value"]["statuses"][:1]
    real = corpus("status__sent.json")
    # Real bodies may add the contact's profile and business-scoped ids; PMP pricing adds `type`.
    ignore = frozenset({"contacts", "user_id", "parent_user_id", "type"})
    assert shape(ours, ignore) == shape(real, ignore)
    value = ours["entry"][0]["changes"][0]["value"]
    assert ours["entry"][0]["id"] == WABA_ID
    assert value["metadata"]["phone_number_id"] == PHONE_NUMBER_ID


def test_statuses_are_batched_into_few_bodies_within_the_limit(start_fake: Callable[..., RunningFake],
                                                              receiver: WebhookReceiver) -> None:
    fake = start_fake(webhook_batch_ms=100, webhook_batch_max=7)
    with httpx.Client(base_url=f"{fake.url}/v23.0", headers={"Authorization": "Bearer t"}) as graph:
        wamids = [_wamid(send(graph, {**TEXT, "to": f"2782000{i:04d}"})) for i in range(20)]
    statuses = receiver.wait_for_statuses(60)
    sizes = [len(body["entry"][0]["changes"][0]["value"]["statuses"]) for body in receiver.bodies_with("statuses")]
    assert sum(sizes) == 60
    assert max(sizes) == 7
    assert len(sizes) < 20
    assert {s["id"] for s in statuses} == set(wamids)


def test_each_message_s_statuses_arrive_in_order(fake: RunningFake, receiver: WebhookReceiver) -> None:
    with httpx.Client(base_url=f"{fake.url}/v23.0", headers={"Authorization": "Bearer t"}) as graph:
        wamids = [_wamid(send(graph, {**TEXT, "to": f"2782000{i % 5:04d}"})) for i in range(40)]
    statuses = receiver.wait_for_statuses(120)
    for wamid in wamids:
        assert [s["status"] for s in statuses if s["id"] == wamid] == ["sent", "delivered", "read"]
    sent_order = [s["id"] for s in statuses if s["status"] == "sent"]
    assert sent_order == wamids


def test_biz_opaque_callback_data_is_echoed_on_every_status(graph: httpx.Client, receiver: WebhookReceiver) -> None:
    send(graph, {**TEXT, "biz_opaque_callback_data": "campaign-7"})
    send(graph, TEXT)
    statuses = receiver.wait_for_statuses(6)
    echoed = [s.get("biz_opaque_callback_data") for s in statuses]
    assert echoed.count("campaign-7") == 3
    assert echoed.count(None) == 3


def test_template_sends_are_priced_in_the_template_s_category(graph: httpx.Client, control: httpx.Client,
                                                              receiver: WebhookReceiver) -> None:
    control.post("/templates", json={"name": "promo", "language": "en", "category": "MARKETING", "body": "Sale!"})
    send(graph, {"to": "27820001111", "type": "template",
                 "template": {"name": "promo", "language": {"code": "en"}}})
    statuses = receiver.wait_for_statuses(3)
    assert {s["pricing"]["category"] for s in statuses} == {"marketing"}
    assert {s["pricing"]["billable"] for s in statuses} == {True}
    assert statuses[0]["conversation"]["origin"]["type"] == "marketing"
    assert "expiration_timestamp" in statuses[0]["conversation"]


def test_a_failed_delivery_is_retried_and_later_bodies_wait(graph: httpx.Client, control: httpx.Client,
                                                            receiver: WebhookReceiver) -> None:
    receiver.answers.extend([500, 500])
    wamids = [_wamid(send(graph, TEXT))]
    time.sleep(0.03)
    wamids.append(_wamid(send(graph, TEXT)))
    statuses = receiver.wait_for_statuses(6)
    assert [s["id"] for s in statuses if s["status"] == "sent"] == wamids
    assert [status for status, _ in receiver.attempts[:3]] == [500, 500, 200]
    assert receiver.attempts[0][1] == receiver.attempts[1][1] == receiver.attempts[2][1]
    log = control.get("/webhooks").json()
    first = [entry for entry in log["deliveries"] if entry["delivery"] == log["deliveries"][0]["delivery"]]
    assert [(e["attempt"], e["status_code"], e["outcome"]) for e in first] == [
        (1, 500, "retrying"), (2, 500, "retrying"), (3, 200, "delivered")]


def test_an_unreachable_receiver_is_retried_then_given_up(start_fake: Callable[..., RunningFake]) -> None:
    fake = start_fake(webhook_url="http://127.0.0.1:9/nobody-listens")
    with httpx.Client(base_url=f"{fake.url}/v23.0", headers={"Authorization": "Bearer t"}) as graph:
        send(graph, TEXT)
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        log = httpx.get(f"{fake.url}/_fake/webhooks").json()
        if log["idle"] and log["deliveries"]:
            break
        time.sleep(0.05)
    outcomes = [(e["attempt"], e["outcome"]) for e in log["deliveries"]]
    assert outcomes[:4] == [(1, "retrying"), (2, "retrying"), (3, "retrying"), (4, "gave_up")]
    assert all(e["status_code"] is None and e["error"] for e in log["deliveries"])


def test_the_delivery_log_can_show_bodies(graph: httpx.Client, control: httpx.Client,
                                          receiver: WebhookReceiver) -> None:
    send(graph, TEXT)
    receiver.wait_for_statuses(3)
    log = control.get("/webhooks", params={"bodies": "1", "kind": "statuses"}).json()
    assert log["deliveries"]
    assert all(e["body"]["object"] == "whatsapp_business_account" for e in log["deliveries"])


def test_statuses_follow_the_configuration(start_fake: Callable[..., RunningFake], receiver: WebhookReceiver) -> None:
    fake = start_fake(statuses=("sent",))
    quiet = start_fake(statuses=())
    for server in (fake, quiet):
        with httpx.Client(base_url=f"{server.url}/v23.0", headers={"Authorization": "Bearer t"}) as graph:
            send(graph, TEXT)
    time.sleep(0.2)
    assert [s["status"] for s in receiver.statuses()] == ["sent"]


def test_mark_as_read_and_refused_sends_produce_no_statuses(graph: httpx.Client, control: httpx.Client,
                                                            receiver: WebhookReceiver) -> None:
    send(graph, {"status": "read", "message_id": "wamid.IN"})
    send(graph, {**TEXT, "text": {"body": ""}})
    control.post("/faults", json={"code": 131047, "count": 1})
    send(graph, TEXT)
    time.sleep(0.2)
    assert receiver.statuses() == []
