"""Sends: the success shape, unique wamids, authentication, the sent log and injected faults."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import httpx
import pytest

from sauti.messaging.channels.fake_cloud_api.server import RunningFake

from .support import PHONE_NUMBER_ID, WebhookReceiver, graph_error, send

TEXT = {"to": "27820001111", "type": "text", "text": {"body": "hi"}}


def test_a_send_answers_like_meta(graph: httpx.Client) -> None:
    response = send(graph, {**TEXT, "to": "+27 82 000 1111"})
    assert response.status_code == 200
    data = response.json()
    assert set(data) == {"messaging_product", "contacts", "messages"}
    assert data["contacts"] == [{"input": "+27 82 000 1111", "wa_id": "27820001111"}]
    assert data["messages"][0]["id"].startswith("wamid.")


def test_any_version_segment_or_none_is_accepted(fake: RunningFake) -> None:
    headers = {"Authorization": "Bearer t"}
    body = {"messaging_product": "whatsapp", **TEXT}
    for prefix in ("/v23.0", "/v19.0", "/v21", ""):
        response = httpx.post(f"{fake.url}{prefix}/{PHONE_NUMBER_ID}/messages", json=body, headers=headers)
        assert response.status_code == 200, prefix


def test_wamids_are_unique_under_concurrent_sends(fake: RunningFake) -> None:
    async def send_many() -> list[str]:
        async with httpx.AsyncClient(base_url=f"{fake.url}/v23.0", headers={"Authorization": "Bearer t"},
                                     limits=httpx.Limits(max_connections=10)) as client:
            bodies = [{"messaging_product": "whatsapp", **TEXT, "to": f"2782000{i % 7:04d}"} for i in range(300)]
            responses = await asyncio.gather(*(client.post(f"/{PHONE_NUMBER_ID}/messages", json=b) for b in bodies))
        return [r.json()["messages"][0]["id"] for r in responses]

    wamids = asyncio.run(send_many())
    assert len(set(wamids)) == 300


def test_a_missing_token_is_refused_with_190(fake: RunningFake) -> None:
    body = {"messaging_product": "whatsapp", **TEXT}
    response = httpx.post(f"{fake.url}/v23.0/{PHONE_NUMBER_ID}/messages", json=body)
    assert response.status_code == 401
    assert graph_error(response)["code"] == 190


def test_a_configured_access_token_must_match(start_fake: Callable[..., RunningFake]) -> None:
    fake = start_fake(access_token="right-token")
    body = {"messaging_product": "whatsapp", **TEXT}
    url = f"{fake.url}/v23.0/{PHONE_NUMBER_ID}/messages"
    wrong = httpx.post(url, json=body, headers={"Authorization": "Bearer wrong-token"})
    right = httpx.post(url, json=body, headers={"Authorization": "Bearer right-token"})
    assert wrong.status_code == 401
    assert graph_error(wrong)["code"] == 190
    assert right.status_code == 200


def test_another_phone_number_id_does_not_exist(graph: httpx.Client) -> None:
    response = graph.post("/999/messages", json={"messaging_product": "whatsapp", **TEXT})
    assert response.status_code == 400
    error = graph_error(response)
    assert (error["code"], error["error_subcode"]) == (100, 33)


def test_the_business_cannot_message_itself(graph: httpx.Client) -> None:
    response = send(graph, {**TEXT, "to": "15550000001"})
    assert response.status_code == 400
    assert graph_error(response)["code"] == 131021


def test_the_sent_log_keeps_bodies_in_order_filters_and_clears(graph: httpx.Client, control: httpx.Client) -> None:
    first = send(graph, {**TEXT, "text": {"body": "one"}}).json()["messages"][0]["id"]
    second = send(graph, {**TEXT, "to": "27820002222", "text": {"body": "two"}}).json()["messages"][0]["id"]
    third = send(graph, {**TEXT, "to": "+27820001111", "text": {"body": "three"}}).json()["messages"][0]["id"]
    sent = control.get("/sent").json()["messages"]
    assert [m["id"] for m in sent] == [first, second, third]
    assert sent[0]["body"] == {"messaging_product": "whatsapp", **TEXT, "text": {"body": "one"}}
    assert sent[2]["to"] == "+27820001111"
    assert sent[0]["received_at"] <= sent[1]["received_at"] <= sent[2]["received_at"]
    only = control.get("/sent", params={"to": "27820001111"}).json()["messages"]
    assert [m["id"] for m in only] == [first, third]
    assert control.delete("/sent").json() == {"success": True}
    assert control.get("/sent").json()["messages"] == []


@pytest.mark.parametrize(("code", "http_status"), [(131047, 400), (130429, 400), (131056, 400), (190, 401),
                                                   (500, 500), (503, 503)])
def test_a_fault_fails_the_next_sends_with_its_error(graph: httpx.Client, control: httpx.Client, code: int,
                                                     http_status: int) -> None:
    assert control.post("/faults", json={"code": code, "count": 2}).status_code == 200
    failures = [send(graph, TEXT) for _ in range(2)]
    after = send(graph, TEXT)
    for response in failures:
        assert response.status_code == http_status
        error = graph_error(response)
        if http_status < 500:
            assert error["code"] == code
        else:
            assert error["is_transient"] is True
    assert after.status_code == 200
    assert len(control.get("/sent").json()["messages"]) == 1
    assert control.get("/faults").json()["faults"] == []


def test_a_re_engagement_fault_reads_like_meta(graph: httpx.Client, control: httpx.Client) -> None:
    control.post("/faults", json={"code": 131047, "count": 1})
    error = graph_error(send(graph, TEXT))
    assert error["message"] == "(#131047) Re-engagement message"
    assert "24 hours" in error["error_data"]["details"]


def test_a_fault_for_one_recipient_spares_the_others(graph: httpx.Client, control: httpx.Client) -> None:
    control.post("/faults", json={"code": 131056, "count": 1, "to": "+27 82 000 2222"})
    assert send(graph, TEXT).status_code == 200
    assert send(graph, {**TEXT, "to": "27820002222"}).status_code == 400
    assert send(graph, {**TEXT, "to": "27820002222"}).status_code == 200


def test_a_status_mode_fault_accepts_the_send_then_reports_it_failed(graph: httpx.Client, control: httpx.Client,
                                                                     receiver: WebhookReceiver) -> None:
    control.post("/faults", json={"code": 131026, "count": 1, "mode": "status"})
    response = send(graph, {**TEXT, "biz_opaque_callback_data": "ref-9"})
    assert response.status_code == 200
    wamid = response.json()["messages"][0]["id"]
    [status] = receiver.wait_for_statuses(1)
    assert status["id"] == wamid
    assert status["status"] == "failed"
    assert status["errors"][0]["code"] == 131026
    assert set(status["errors"][0]) == {"code", "title", "message", "error_data", "href"}
    assert status["biz_opaque_callback_data"] == "ref-9"


def test_faults_can_be_cleared(graph: httpx.Client, control: httpx.Client) -> None:
    control.post("/faults", json={"code": 131047, "count": 5})
    assert control.delete("/faults").json() == {"success": True}
    assert send(graph, TEXT).status_code == 200


def test_a_fault_needs_a_code(control: httpx.Client) -> None:
    response = control.post("/faults", json={"count": 1})
    assert response.status_code == 400
    assert graph_error(response)["error_data"]["details"].startswith("code:")


def test_health(control: httpx.Client) -> None:
    assert control.get("/health").json() == {"status": "ok"}


def test_unknown_paths_are_graph_errors(graph: httpx.Client, control: httpx.Client) -> None:
    assert graph_error(graph.get("/12345"))["error_subcode"] == 33
    assert graph.get("/a/b/c").status_code == 400
    assert control.get("/nothing-here").status_code == 404
