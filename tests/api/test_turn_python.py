"""Code written for Turn runs unchanged against Sauti: the `turn-python` package from PyPI, with
only its base URLs changed, against a running Sauti (web, worker, scheduler) and the fake Cloud
API: contact check, send text, create and list templates, send a template, upload media, send it
and download it."""

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
from turn.exceptions import (  # noqa: E402
    WhatsAppBadRequestError,
    WhatsAppTemplateNotFoundError,
    WhatsAppUnknownError,
)

WA = "27820000001"
WABA_ID = "200000000000001"  # the stack's business account (sauti.devstack.WABA_ID)
PNG = bytes.fromhex("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
                    "0000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082")


@pytest.fixture(scope="module")
def stack() -> Iterator[Stack]:
    url, drop = fresh_database(os.environ.get("DATABASE_URL"))
    running = Stack(database_url=url)
    try:
        running.setup()
        running.start("fake", "web", "worker", "scheduler")
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


def test_every_call_turn_python_offers_works_against_sauti(stack):
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

    # Templates through turn-python's business management client (the legacy /v3.3 path,
    # the token as an access_token parameter, a form-encoded body).
    templates = turn.request_types.TurnMessageTemplates(WABA_ID, stack.token)
    # turn-python sends no examples, which Meta requires for variables: a template without any.
    template_id = templates.create_message_template("visit_reminder", "UTILITY", "Your clinic visit is tomorrow.")
    assert template_id
    listed = wait_for(lambda: [t for t in templates.get_message_templates()
                               if t["name"] == "visit_reminder" and t["status"] == "APPROVED"],
                      "the template to be approved by the (fake) WhatsApp", timeout=60)
    assert listed[0]["language"] == "en_US"

    sent_id = client.messages.send_templated_message(wa_id, "ns", "visit_reminder", "en_US", [])
    assert sent_id and sent_id != message_id
    sent_templates = wait_for(lambda: [m["body"]["template"] for m in sent(stack)
                                       if m["body"]["type"] == "template"], "the template to reach WhatsApp")
    assert sent_templates[0]["name"] == "visit_reminder" and sent_templates[0]["language"]["code"] == "en_US"
    with pytest.raises(WhatsAppUnknownError, match="takes no parameters"):  # checked before anything is queued
        client.messages.send_templated_message(wa_id, "ns", "visit_reminder", "en_US", ["Ana"])
    with pytest.raises(WhatsAppTemplateNotFoundError):
        client.messages.send_templated_message(wa_id, "ns", "no_such_template", "en_US", [])

    # Media: upload (raw body and Content-Type), send by id, download.
    media_message = client.messages.send_media(wa_id, PNG, "image/png", "image", caption="Your card")
    assert media_message
    images = wait_for(lambda: [m["body"]["image"] for m in sent(stack) if m["body"]["type"] == "image"],
                      "the image to reach WhatsApp")
    assert images[0]["caption"] == "Your card" and images[0]["id"]
    media_id = client.media.upload_media(PNG, "image/png")
    downloaded = client.media.get_media(media_id)
    assert downloaded.status_code == 200 and downloaded.content == PNG
    assert downloaded.headers["content-type"] == "image/png"

    with pytest.raises(WhatsAppBadRequestError):
        client.messages.send_text(wa_id, "")  # Turn's 400 reaches turn-python as its own error
