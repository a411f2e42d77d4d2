"""Code written for Turn runs unchanged against Sauti: the `turn-python` package from PyPI, with
only its base URLs changed, against a running Sauti (web, worker) and the fake Cloud API."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator

import httpx
import pytest

from sauti.devstack import Stack, fresh_database

pytestmark = pytest.mark.slow
turn = pytest.importorskip("turn")
from turn import request_types  # noqa: E402  - after the skip above
from turn.exceptions import WhatsAppBadRequestError  # noqa: E402

WA = "27820000001"


@pytest.fixture(scope="module")
def stack() -> Iterator[Stack]:
    url, drop = fresh_database(os.environ.get("DATABASE_URL"))
    running = Stack(database_url=url)
    try:
        running.setup()
        running.start("fake", "web", "worker")
        # The only change to turn-python: where it sends its requests.
        request_types.TurnRequest.base_url = f"{running.web_url}/v1/"
        request_types.TurnBusinessManagementRequest.base_url = f"{running.web_url}/v3.3"
        yield running
    finally:
        request_types.TurnRequest.base_url = "https://whatsapp.turn.io/v1/"
        request_types.TurnBusinessManagementRequest.base_url = "https://whatsapp.turn.io/v3.3"
        running.stop()
        drop()


def wait_for(predicate, what: str, timeout: float = 30.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def sent(stack: Stack) -> list[dict]:
    return httpx.get(f"{stack.fake_url}/_fake/sent", params={"to": WA}).json()["messages"]


def test_contact_check_send_text_and_templates_through_turn_python(stack):
    client = turn.TurnClient(token=stack.token)
    # A person writes first, which opens the 24-hour window.
    httpx.post(f"{stack.fake_url}/_fake/inbound", json={"from": WA, "name": "Ana", "text": "hi"}).raise_for_status()
    with stack.api() as api:
        wait_for(lambda: api.get(f"/v1/contacts/{WA}/messages").status_code == 200, "the inbound message")

    wa_id = client.contacts.get_whatsapp_id("+27820000001")
    assert wa_id == WA

    message_id = client.messages.send_text(wa_id, "Hello from turn-python")
    assert message_id
    texts = wait_for(lambda: [m["body"]["text"]["body"] for m in sent(stack) if m["body"]["type"] == "text"],
                     "the text to reach WhatsApp")
    assert texts == ["Hello from turn-python"]

    # An approved template on the number (until Sauti's template paths do this through turn-python).
    httpx.post(f"{stack.fake_url}/_fake/templates", json={"name": "hello_world", "language": "en",
                                                           "body": "Hello {{1}}"}).raise_for_status()
    template_id = client.messages.send_templated_message(wa_id, "ns", "hello_world", "en", ["Ana"])
    assert template_id and template_id != message_id
    templates = wait_for(lambda: [m["body"]["template"] for m in sent(stack) if m["body"]["type"] == "template"],
                         "the template to reach WhatsApp")
    assert templates[0]["name"] == "hello_world" and templates[0]["language"]["code"] == "en"
    assert templates[0]["components"][0]["parameters"] == [{"type": "text", "text": "Ana"}]

    with pytest.raises(WhatsAppBadRequestError):
        client.messages.send_text(wa_id, "")  # Turn's 400 reaches turn-python as its own error
