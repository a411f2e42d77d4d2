"""The messages endpoint accepts every valid body type and rejects bad ones naming the field, like Meta."""

from __future__ import annotations

import copy
from typing import Any

import httpx
import pytest

from .support import graph_error, send

TO = "27820001111"


def _button_body(*buttons: dict[str, Any], **parts: Any) -> dict[str, Any]:
    interactive = {"type": "button", "body": {"text": "Pick one"}, "action": {"buttons": list(buttons)}, **parts}
    return {"to": TO, "type": "interactive", "interactive": interactive}


def _reply(button_id: str, title: str) -> dict[str, Any]:
    return {"type": "reply", "reply": {"id": button_id, "title": title}}


def _list_body(sections: list[dict[str, Any]], **parts: Any) -> dict[str, Any]:
    interactive = {"type": "list", "body": {"text": "Choose"}, "action": {"button": "Options", "sections": sections},
                   **parts}
    return {"to": TO, "type": "interactive", "interactive": interactive}


def _rows(count: int, prefix: str = "r") -> list[dict[str, Any]]:
    return [{"id": f"{prefix}{i}", "title": f"Row {i}", "description": "A row"} for i in range(count)]


CTA = {"to": TO, "type": "interactive", "interactive": {
    "type": "cta_url", "header": {"type": "image", "image": {"link": "https://example.com/b.png"}},
    "body": {"text": "See dates"}, "footer": {"text": "Subject to change"},
    "action": {"name": "cta_url", "parameters": {"display_text": "See Dates", "url": "https://example.com/s"}}}}

TEMPLATE = {"to": TO, "type": "template", "template": {
    "name": "order_update", "language": {"code": "en_US"},
    "components": [{"type": "body", "parameters": [{"type": "text", "text": "Ana"}]},
                   {"type": "button", "sub_type": "quick_reply", "index": "0",
                    "parameters": [{"type": "payload", "payload": "YES"}]}]}}

VALID: dict[str, dict[str, Any]] = {
    "text": {"to": TO, "type": "text", "text": {"body": "hi"}},
    "text-preview-url": {"to": "+27 82 000-1111", "recipient_type": "individual", "type": "text",
                         "text": {"body": "see https://example.com", "preview_url": True}},
    "text-without-type": {"to": TO, "text": {"body": "Meta treats a missing type as text"}},
    "text-4096": {"to": TO, "type": "text", "text": {"body": "x" * 4096}},
    "text-reply-with-context": {"to": TO, "type": "text", "text": {"body": "hi"},
                                "context": {"message_id": "wamid.ABC"}},
    "text-opaque-data": {"to": TO, "type": "text", "text": {"body": "hi"}, "biz_opaque_callback_data": "ref-1"},
    "image-id-caption": {"to": TO, "type": "image", "image": {"id": "1003383421387256", "caption": "Taj"}},
    "image-link": {"to": TO, "type": "image", "image": {"link": "https://example.com/a.jpg"}},
    "video-link-caption": {"to": TO, "type": "video", "video": {"link": "https://example.com/v.mp4",
                                                                "caption": "Clip"}},
    "audio-id": {"to": TO, "type": "audio", "audio": {"id": "4490709327384033"}},
    "document-link-filename": {"to": TO, "type": "document", "document": {
        "link": "https://example.com/r.pdf", "caption": "Receipt", "filename": "receipt.pdf"}},
    "sticker-id": {"to": TO, "type": "sticker", "sticker": {"id": "123"}},
    "location-numbers": {"to": TO, "type": "location", "location": {
        "latitude": 37.758056, "longitude": -122.425332, "name": "META HQ", "address": "1 Hacker Way"}},
    "location-strings": {"to": TO, "type": "location", "location": {"latitude": "-33.9", "longitude": "18.4"}},
    "contacts": {"to": TO, "type": "contacts", "contacts": [{
        "name": {"formatted_name": "John Smith", "first_name": "John"},
        "phones": [{"phone": "+1 (650) 555-1234", "type": "WORK", "wa_id": "16505551234"}],
        "emails": [{"email": "j@example.com", "type": "WORK"}], "birthday": "1990-01-31"}]},
    "reaction": {"to": TO, "type": "reaction", "reaction": {"message_id": "wamid.X", "emoji": "👍"}},
    "reaction-removal": {"to": TO, "type": "reaction", "reaction": {"message_id": "wamid.X", "emoji": ""}},
    "buttons-three-with-header-footer": _button_body(
        _reply("b1", "Yes"), _reply("b2", "No"), _reply("b" * 256, "x" * 20),
        header={"type": "text", "text": "h" * 60}, footer={"text": "f" * 60}),
    "buttons-image-header": _button_body(_reply("b1", "Yes"), header={"type": "image", "image": {"id": "77"}}),
    "buttons-body-1024": {**_button_body(_reply("b1", "Yes")),
                          "interactive": {**_button_body(_reply("b1", "Yes"))["interactive"],
                                          "body": {"text": "b" * 1024}}},
    "list-two-sections-ten-rows": _list_body(
        [{"title": "A" * 24, "rows": _rows(6, "a")}, {"title": "B", "rows": _rows(4, "b")}],
        header={"type": "text", "text": "Shipping"}, footer={"text": "Tax included"}),
    "list-one-section-no-title": _list_body([{"rows": [{"id": "r1", "title": "t" * 24,
                                                         "description": "d" * 72}]}]),
    "cta-url": CTA,
    "location-request": {"to": TO, "type": "interactive", "interactive": {
        "type": "location_request_message", "body": {"text": "Where are you?"},
        "action": {"name": "send_location"}}},
    "flow": {"to": TO, "type": "interactive", "interactive": {
        "type": "flow", "body": {"text": "Sign up"}, "action": {"name": "flow", "parameters": {
            "flow_message_version": "3", "flow_id": "123", "flow_cta": "Open", "flow_token": "t"}}}},
}


@pytest.mark.parametrize("body", VALID.values(), ids=VALID.keys())
def test_valid_bodies_are_accepted(graph: httpx.Client, body: dict[str, Any]) -> None:
    response = send(graph, body)
    assert response.status_code == 200, response.text
    data = response.json()
    assert data["messaging_product"] == "whatsapp"
    assert data["contacts"] == [{"input": body["to"], "wa_id": TO}]
    assert data["messages"][0]["id"].startswith("wamid.")


def _with(base: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    """A copy of `base` with the value at a dotted path (list indexes as numbers) set, or removed if ..."""
    body = copy.deepcopy(base)
    *parents, last = path.split(".")
    target: Any = body
    for key in parents:
        target = target[int(key)] if isinstance(target, list) else target[key]
    if value is ...:
        del target[last]
    elif isinstance(target, list):
        target[int(last)] = value
    else:
        target[last] = value
    return body


TEXT = VALID["text"]
BUTTONS = _button_body(_reply("b1", "Yes"), _reply("b2", "No"))
LIST = _list_body([{"title": "A", "rows": _rows(2, "a")}, {"title": "B", "rows": _rows(2, "b")}])

# (body, Meta code, the field the details must name)
INVALID: dict[str, tuple[dict[str, Any], int, str]] = {
    "missing-to": (_with(TEXT, "to", ...), 131008, "to"),
    "to-not-a-number": (_with(TEXT, "to", "ana@example.com"), 131009, "to"),
    "unknown-type": (_with(TEXT, "type", "fax"), 100, "type"),
    "type-object-missing": ({"to": TO, "type": "image"}, 131008, "image"),
    "object-of-another-type": (_with(TEXT, "image", {"id": "1"}), 100, "image"),
    "unexpected-top-level-key": (_with(TEXT, "preview_url", True), 100, "preview_url"),
    "text-unexpected-key": (_with(TEXT, "text.caption", "x"), 100, "text.caption"),
    "text-body-missing": (_with(TEXT, "text.body", ...), 131008, "text.body"),
    "text-body-empty": (_with(TEXT, "text.body", "  "), 131009, "text.body"),
    "text-body-4097": (_with(TEXT, "text.body", "x" * 4097), 131009, "text.body"),
    "text-preview-url-not-boolean": (_with(TEXT, "text.preview_url", "yes"), 100, "text.preview_url"),
    "context-without-message-id": (_with(TEXT, "context", {}), 131008, "context.message_id"),
    "media-id-and-link": (_with(VALID["image-link"], "image.id", "12"), 100, "image.link"),
    "media-neither-id-nor-link": ({"to": TO, "type": "image", "image": {"caption": "x"}}, 131008, "image.id"),
    "media-link-not-http": (_with(VALID["image-link"], "image.link", "ftp://x/a.jpg"), 131009, "image.link"),
    "media-id-not-digits": (_with(VALID["audio-id"], "audio.id", "abc"), 131009, "audio.id"),
    "caption-on-audio": (_with(VALID["audio-id"], "audio.caption", "x"), 100, "audio.caption"),
    "caption-on-sticker": (_with(VALID["sticker-id"], "sticker.caption", "x"), 100, "sticker.caption"),
    "filename-on-image": (_with(VALID["image-link"], "image.filename", "a.jpg"), 100, "image.filename"),
    "filename-on-video": (_with(VALID["video-link-caption"], "video.filename", "a.mp4"), 100, "video.filename"),
    "caption-too-long": (_with(VALID["image-link"], "image.caption", "c" * 1025), 131009, "image.caption"),
    "latitude-out-of-range": (_with(VALID["location-numbers"], "location.latitude", 91), 131009,
                              "location.latitude"),
    "longitude-missing": (_with(VALID["location-numbers"], "location.longitude", ...), 131008,
                          "location.longitude"),
    "contacts-empty": ({"to": TO, "type": "contacts", "contacts": []}, 131009, "contacts"),
    "contact-without-formatted-name": (_with(VALID["contacts"], "contacts.0.name", {"first_name": "J"}), 131008,
                                       "contacts[0].name.formatted_name"),
    "reaction-without-message-id": (_with(VALID["reaction"], "reaction.message_id", ...), 131008,
                                    "reaction.message_id"),
    "reaction-without-emoji": (_with(VALID["reaction"], "reaction.emoji", ...), 131008, "reaction.emoji"),
    "interactive-unknown-type": (_with(BUTTONS, "interactive.type", "carousel"), 100, "interactive.type"),
    "interactive-without-body": (_with(BUTTONS, "interactive.body", ...), 131008, "interactive.body"),
    "interactive-without-action": (_with(BUTTONS, "interactive.action", ...), 131008, "interactive.action"),
    "body-1025": (_with(BUTTONS, "interactive.body.text", "b" * 1025), 131009, "interactive.body.text"),
    "header-text-61": (_with(BUTTONS, "interactive.header", {"type": "text", "text": "h" * 61}), 131009,
                       "interactive.header.text"),
    "footer-61": (_with(BUTTONS, "interactive.footer", {"text": "f" * 61}), 131009, "interactive.footer.text"),
    "no-buttons": (_with(BUTTONS, "interactive.action.buttons", []), 131009, "interactive.action.buttons"),
    "four-buttons": (_button_body(*[_reply(f"b{i}", f"T{i}") for i in range(4)]), 131009,
                     "interactive.action.buttons"),
    "button-title-21": (_button_body(_reply("b1", "t" * 21)), 131009, "interactive.action.buttons[0].reply.title"),
    "button-title-empty": (_button_body(_reply("b1", "")), 131009, "interactive.action.buttons[0].reply.title"),
    "button-titles-not-unique": (_button_body(_reply("b1", "Yes"), _reply("b2", "Yes")), 131009,
                                 "interactive.action.buttons[1].reply.title"),
    "button-ids-not-unique": (_button_body(_reply("b1", "Yes"), _reply("b1", "No")), 131009,
                              "interactive.action.buttons[1].reply.id"),
    "button-id-257": (_button_body(_reply("b" * 257, "Yes")), 131009, "interactive.action.buttons[0].reply.id"),
    "button-not-reply": (_with(BUTTONS, "interactive.action.buttons.0.type", "url"), 100,
                         "interactive.action.buttons[0].type"),
    "list-button-label-21": (_with(LIST, "interactive.action.button", "o" * 21), 131009,
                             "interactive.action.button"),
    "list-button-label-missing": (_with(LIST, "interactive.action.button", ...), 131008,
                                  "interactive.action.button"),
    "list-no-sections": (_with(LIST, "interactive.action.sections", []), 131009, "interactive.action.sections"),
    "list-11-sections": (_list_body([{"title": f"S{i}", "rows": _rows(1, f"s{i}r")} for i in range(11)]), 131009,
                         "interactive.action.sections"),
    "list-11-rows-in-total": (_list_body([{"title": "A", "rows": _rows(6, "a")},
                                          {"title": "B", "rows": _rows(5, "b")}]), 131009,
                              "interactive.action.sections"),
    "list-row-title-25": (_with(LIST, "interactive.action.sections.0.rows.0.title", "t" * 25), 131009,
                          "interactive.action.sections[0].rows[0].title"),
    "list-row-description-73": (_with(LIST, "interactive.action.sections.1.rows.1.description", "d" * 73), 131009,
                                "interactive.action.sections[1].rows[1].description"),
    "list-row-ids-not-unique": (_list_body([{"title": "A", "rows": _rows(2)}, {"title": "B", "rows": _rows(1)}]),
                                131009, "interactive.action.sections[1].rows[0].id"),
    "list-section-title-missing": (_with(LIST, "interactive.action.sections.1.title", ...), 131008,
                                   "interactive.action.sections[1].title"),
    "list-section-title-25": (_with(LIST, "interactive.action.sections.0.title", "s" * 25), 131009,
                              "interactive.action.sections[0].title"),
    "list-image-header": (_with(LIST, "interactive.header", {"type": "image", "image": {"id": "1"}}), 100,
                          "interactive.header.type"),
    "cta-url-without-url": (_with(CTA, "interactive.action.parameters.url", ...), 131008,
                            "interactive.action.parameters.url"),
    "cta-url-display-text-21": (_with(CTA, "interactive.action.parameters.display_text", "d" * 21), 131009,
                                "interactive.action.parameters.display_text"),
    "cta-url-wrong-action-name": (_with(CTA, "interactive.action.name", "url"), 100, "interactive.action.name"),
    "location-request-wrong-action": (_with(VALID["location-request"], "interactive.action.name", "location"), 100,
                                      "interactive.action.name"),
    "template-without-name": (_with(TEMPLATE, "template.name", ...), 131008, "template.name"),
    "template-without-language-code": (_with(TEMPLATE, "template.language", {}), 131008,
                                       "template.language.code"),
    "template-upper-case-component": (_with(TEMPLATE, "template.components.0.type", "BODY"), 100,
                                      "template.components[0].type"),
    "template-button-without-sub-type": (_with(TEMPLATE, "template.components.1.sub_type", ...), 131008,
                                         "template.components[1].sub_type"),
    "template-button-without-index": (_with(TEMPLATE, "template.components.1.index", ...), 131008,
                                      "template.components[1].index"),
    "template-text-parameter-without-text": (_with(TEMPLATE, "template.components.0.parameters.0.text", ...),
                                             131008, "template.components[0].parameters[0].text"),
    "template-unknown-parameter-type": (_with(TEMPLATE, "template.components.0.parameters.0.type", "emoji"), 100,
                                        "template.components[0].parameters[0].type"),
}


@pytest.mark.parametrize(("body", "code", "field"), INVALID.values(), ids=INVALID.keys())
def test_invalid_bodies_are_rejected_naming_the_field(graph: httpx.Client, control: httpx.Client,
                                                      body: dict[str, Any], code: int, field: str) -> None:
    response = send(graph, body)
    assert response.status_code == 400, response.text
    error = graph_error(response)
    assert error["code"] == code, error
    assert error["error_data"]["messaging_product"] == "whatsapp"
    assert error["error_data"]["details"].startswith(f"{field}:"), error["error_data"]["details"]
    assert control.get("/sent").json()["messages"] == []


@pytest.mark.parametrize(("product", "code"), [(None, 131008), ("sms", 100)], ids=["missing", "not-whatsapp"])
def test_messaging_product_must_be_whatsapp(graph: httpx.Client, product: str | None, code: int) -> None:
    body = {**TEXT, **({"messaging_product": product} if product else {})}
    response = graph.post("/100000000000001/messages", json=body)
    assert response.status_code == 400
    error = graph_error(response)
    assert error["code"] == code
    assert error["error_data"]["details"].startswith("messaging_product:")


def test_a_body_that_is_not_json_is_rejected(graph: httpx.Client) -> None:
    response = graph.post("/100000000000001/messages", content=b"{not json",
                          headers={"Content-Type": "application/json"})
    assert response.status_code == 400
    assert graph_error(response)["code"] == 100


def test_a_body_that_is_not_an_object_is_rejected(graph: httpx.Client) -> None:
    response = graph.post("/100000000000001/messages", json=["whatsapp"])
    assert response.status_code == 400
    assert graph_error(response)["error_data"]["details"].startswith("body:")


def test_mark_as_read_answers_success_and_is_recorded(graph: httpx.Client, control: httpx.Client) -> None:
    plain = send(graph, {"status": "read", "message_id": "wamid.IN1"})
    typing = send(graph, {"status": "read", "message_id": "wamid.IN2", "typing_indicator": {"type": "text"}})
    assert plain.status_code == typing.status_code == 200
    assert plain.json() == typing.json() == {"success": True}
    reads = control.get("/reads").json()["reads"]
    assert [(r["message_id"], r["typing_indicator"]) for r in reads] == [("wamid.IN1", False), ("wamid.IN2", True)]
    assert control.get("/sent").json()["messages"] == []


@pytest.mark.parametrize(("body", "code", "field"), [
    ({"status": "delivered", "message_id": "wamid.X"}, 100, "status"),
    ({"status": "read"}, 131008, "message_id"),
    ({"status": "read", "message_id": "wamid.X", "typing_indicator": {"type": "audio"}}, 100,
     "typing_indicator.type"),
    ({"status": "read", "message_id": "wamid.X", "to": TO}, 100, "to"),
], ids=["status-not-read", "no-message-id", "typing-indicator-type", "unexpected-key"])
def test_invalid_mark_as_read_is_rejected(graph: httpx.Client, body: dict[str, Any], code: int, field: str) -> None:
    response = send(graph, body)
    assert response.status_code == 400
    error = graph_error(response)
    assert (error["code"], error["error_data"]["details"].split(":")[0]) == (code, field)
