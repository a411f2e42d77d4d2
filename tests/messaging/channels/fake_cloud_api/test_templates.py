"""Templates: create → PENDING → approved (or rejected) by webhook, list/get/edit/delete, send-time checks."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest

from sauti.messaging.channels.fake_cloud_api.server import RunningFake

from .support import WABA_ID, WebhookReceiver, corpus, graph_error, send, shape

ORDER_UPDATE = {"name": "order_update", "language": "en_US", "category": "UTILITY", "components": [
    {"type": "HEADER", "format": "TEXT", "text": "Order {{1}}", "example": {"header_text": ["#123"]}},
    {"type": "BODY", "text": "Hi {{1}}, your order ships on {{2}}.",
     "example": {"body_text": [["Ana", "Monday"]]}},
    {"type": "FOOTER", "text": "Reply STOP to opt out"},
    {"type": "BUTTONS", "buttons": [{"type": "QUICK_REPLY", "text": "Track"},
                                    {"type": "URL", "text": "Open", "url": "https://example.com/{{1}}"}]}]}


def _templates(graph: httpx.Client, **params: Any) -> dict[str, Any]:
    return graph.get(f"/{WABA_ID}/message_templates", params=params).json()


def _template_updates(receiver: WebhookReceiver, count: int) -> list[dict[str, Any]]:
    def updates() -> list[dict[str, Any]]:
        return [r.json for r in receiver.received
                if r.json["entry"][0]["changes"][0]["field"] == "message_template_status_update"]

    receiver.wait_for(lambda _: len(updates()) >= count)
    return updates()


def test_a_new_template_is_pending_then_approved_by_webhook(graph: httpx.Client,
                                                            receiver: WebhookReceiver) -> None:
    response = graph.post(f"/{WABA_ID}/message_templates", json=ORDER_UPDATE)
    assert response.status_code == 200
    created = response.json()
    assert created == {"id": created["id"], "status": "PENDING", "category": "UTILITY"}
    assert _templates(graph)["data"][0]["status"] == "PENDING"

    [update] = _template_updates(receiver, 1)
    assert receiver.received[-1].signature_ok
    assert shape(update, frozenset({"time"})) == shape(corpus("template_status__approved.json"), frozenset({"time"}))
    assert update["entry"][0]["id"] == WABA_ID
    assert update["entry"][0]["changes"][0]["value"] == {
        "event": "APPROVED", "message_template_id": int(created["id"]), "message_template_name": "order_update",
        "message_template_language": "en_US", "reason": "NONE", "message_template_category": "UTILITY"}
    assert _templates(graph)["data"][0]["status"] == "APPROVED"


def test_a_name_containing_reject_is_rejected(graph: httpx.Client, receiver: WebhookReceiver) -> None:
    created = graph.post(f"/{WABA_ID}/message_templates", json={**ORDER_UPDATE, "name": "please_reject_me"}).json()
    [update] = _template_updates(receiver, 1)
    value = update["entry"][0]["changes"][0]["value"]
    assert (value["event"], value["reason"]) == ("REJECTED", "INVALID_FORMAT")
    template = graph.get(f"/{created['id']}").json()
    assert (template["status"], template["rejected_reason"]) == ("REJECTED", "INVALID_FORMAT")


def test_a_template_can_be_read_by_id(graph: httpx.Client) -> None:
    created = graph.post(f"/{WABA_ID}/message_templates", json=ORDER_UPDATE).json()
    template = graph.get(f"/{created['id']}").json()
    assert {k: template[k] for k in ("id", "name", "language", "category")} == {
        "id": created["id"], "name": "order_update", "language": "en_US", "category": "UTILITY"}
    assert [c["type"] for c in template["components"]] == ["HEADER", "BODY", "FOOTER", "BUTTONS"]


@pytest.mark.parametrize(("change", "field"), [
    ({"name": "Order-Update"}, "name"),
    ({"name": "x" * 513}, "name"),
    ({"language": "English"}, "language"),
    ({"category": "PROMOTION"}, "category"),
    ({"components": []}, "components"),
    ({"components": [{"type": "FOOTER", "text": "f"}]}, "components"),
    ({"components": [{"type": "BODY", "text": "Hi {{2}}", "example": {"body_text": [["a"]]}}]},
     "components[0].text"),
    ({"components": [{"type": "BODY", "text": "Hi {{1}} and {{2}}"}]}, "components[0].example.body_text"),
    ({"components": [{"type": "BODY", "text": "Hi {{1}}", "example": {"body_text": [["a", "b"]]}}]},
     "components[0].example.body_text"),
    ({"components": [{"type": "BODY", "text": "b" * 1025}]}, "components[0].text"),
    ({"components": [{"type": "HEADER", "format": "GIF"}, {"type": "BODY", "text": "b"}]}, "components[0].format"),
    ({"components": [{"type": "BODY", "text": "b"}, {"type": "BUTTONS", "buttons": [{"type": "CALL"}]}]},
     "components[1].buttons[0].type"),
], ids=["upper-case-name", "name-too-long", "language", "category", "no-components", "no-body",
        "variables-not-from-1", "no-examples", "too-few-examples", "body-too-long", "header-format",
        "button-type"])
def test_invalid_templates_are_rejected_naming_the_field(graph: httpx.Client, change: dict[str, Any],
                                                         field: str) -> None:
    response = graph.post(f"/{WABA_ID}/message_templates", json={**ORDER_UPDATE, **change})
    assert response.status_code == 400
    error = graph_error(response)
    assert error["code"] == 100
    assert error["error_data"]["details"].startswith(f"{field}:"), error["error_data"]["details"]


def test_a_name_and_language_exist_once(graph: httpx.Client) -> None:
    assert graph.post(f"/{WABA_ID}/message_templates", json=ORDER_UPDATE).status_code == 200
    duplicate = graph.post(f"/{WABA_ID}/message_templates", json=ORDER_UPDATE)
    assert duplicate.status_code == 400
    assert graph.post(f"/{WABA_ID}/message_templates", json={**ORDER_UPDATE, "language": "pt_BR"}).status_code == 200


def test_listing_filters_by_name_and_pages(graph: httpx.Client, control: httpx.Client) -> None:
    for name in ("alpha_one", "alpha_two", "beta", "alpha_three"):
        control.post("/templates", json={"name": name, "language": "en", "body": "Hello"})
    assert [t["name"] for t in _templates(graph, name="alpha")["data"]] == ["alpha_one", "alpha_two", "alpha_three"]
    first = _templates(graph, limit=3)
    assert len(first["data"]) == 3
    assert "next" in first["paging"]
    rest = _templates(graph, limit=3, after=first["paging"]["cursors"]["after"])
    assert [t["name"] for t in rest["data"]] == ["alpha_three"]
    assert "next" not in rest["paging"]


def test_delete_by_name_or_one_language(graph: httpx.Client) -> None:
    english = graph.post(f"/{WABA_ID}/message_templates", json=ORDER_UPDATE).json()["id"]
    graph.post(f"/{WABA_ID}/message_templates", json={**ORDER_UPDATE, "language": "pt_BR"})
    graph.post(f"/{WABA_ID}/message_templates", json={**ORDER_UPDATE, "name": "other"})
    one = graph.delete(f"/{WABA_ID}/message_templates", params={"name": "order_update", "hsm_id": english})
    assert one.json() == {"success": True}
    assert sorted((t["name"], t["language"]) for t in _templates(graph)["data"]) == [
        ("order_update", "pt_BR"), ("other", "en_US")]
    assert graph.delete(f"/{WABA_ID}/message_templates", params={"name": "order_update"}).json() == {"success": True}
    assert [t["name"] for t in _templates(graph)["data"]] == ["other"]
    assert graph.delete(f"/{WABA_ID}/message_templates", params={"name": "missing"}).status_code == 400


def test_a_template_can_be_edited(graph: httpx.Client) -> None:
    template_id = graph.post(f"/{WABA_ID}/message_templates", json=ORDER_UPDATE).json()["id"]
    edit = graph.post(f"/{template_id}", json={"components": [{"type": "BODY", "text": "Plain now"}]})
    assert edit.json() == {"success": True}
    assert graph.get(f"/{template_id}").json()["components"] == [{"type": "BODY", "text": "Plain now"}]


def test_another_business_account_does_not_exist(graph: httpx.Client) -> None:
    assert graph.get("/999/message_templates").status_code == 400


# --- sending templates -----------------------------------------------------------------------

def _send_template(graph: httpx.Client, name: str = "order_update", language: str = "en_US",
                   body_params: int = 2, header_params: int = 1) -> httpx.Response:
    components = []
    if header_params:
        components.append({"type": "header", "parameters": [{"type": "text", "text": "#9"}] * header_params})
    if body_params:
        components.append({"type": "body", "parameters": [{"type": "text", "text": "x"}] * body_params})
    components.append({"type": "button", "sub_type": "quick_reply", "index": "0",
                       "parameters": [{"type": "payload", "payload": "TRACK"}]})
    return send(graph, {"to": "27820001111", "type": "template",
                        "template": {"name": name, "language": {"code": language}, "components": components}})


def test_an_approved_template_with_matching_parameters_is_sent(graph: httpx.Client, control: httpx.Client) -> None:
    control.post("/templates", json=ORDER_UPDATE)
    response = _send_template(graph)
    assert response.status_code == 200, response.text


def test_an_unknown_template_is_132001(graph: httpx.Client, control: httpx.Client) -> None:
    control.post("/templates", json=ORDER_UPDATE)
    for response in (_send_template(graph, name="nope"), _send_template(graph, language="fr")):
        assert response.status_code == 404
        assert graph_error(response)["code"] == 132001


def test_a_template_not_yet_approved_is_132001(start_fake: Callable[..., RunningFake]) -> None:
    fake = start_fake(template_approval_delay_s=60)
    with httpx.Client(base_url=f"{fake.url}/v23.0", headers={"Authorization": "Bearer t"}) as graph:
        graph.post(f"/{WABA_ID}/message_templates", json=ORDER_UPDATE)
        response = _send_template(graph)
    assert response.status_code == 400
    assert graph_error(response)["code"] == 132001


@pytest.mark.parametrize(("body_params", "header_params", "field"), [
    (1, 1, "template.components.body.parameters"),
    (3, 1, "template.components.body.parameters"),
    (2, 0, "template.components.header.parameters"),
])
def test_a_parameter_count_mismatch_is_132000(graph: httpx.Client, control: httpx.Client, body_params: int,
                                              header_params: int, field: str) -> None:
    control.post("/templates", json=ORDER_UPDATE)
    response = _send_template(graph, body_params=body_params, header_params=header_params)
    assert response.status_code == 400
    error = graph_error(response)
    assert error["code"] == 132000
    assert error["error_data"]["details"].startswith(f"{field}:")


@pytest.mark.parametrize(("status", "code"), [("PAUSED", 132015), ("DISABLED", 132016), ("REJECTED", 132001)])
def test_a_template_status_change_is_announced_and_blocks_sends(graph: httpx.Client, control: httpx.Client,
                                                                receiver: WebhookReceiver, status: str,
                                                                code: int) -> None:
    template_id = control.post("/templates", json=ORDER_UPDATE).json()["id"]
    changed = control.post(f"/templates/{template_id}/status", json={"status": status, "reason": "LOW_QUALITY"})
    assert changed.json()["status"] == status
    [update] = _template_updates(receiver, 1)
    assert update["entry"][0]["changes"][0]["value"]["event"] == status
    assert graph_error(_send_template(graph))["code"] == code


def test_control_templates_are_created_directly(control: httpx.Client, receiver: WebhookReceiver) -> None:
    created = control.post("/templates", json={"name": "welcome", "language": "en", "body": "Hi {{1}}, {{2}}!",
                                               "status": "pending"}).json()
    assert created["status"] == "PENDING"
    assert created["category"] == "UTILITY"
    assert created["components"][0]["example"] == {"body_text": [["sample 1", "sample 2"]]}
    assert [t["name"] for t in control.get("/templates").json()["data"]] == ["welcome"]
    assert control.post("/templates", json={"name": "x", "language": "en", "body": "b",
                                            "status": "MAYBE"}).status_code == 400
