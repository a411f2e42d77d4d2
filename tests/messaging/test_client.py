"""The Cloud API client against the fake server: every outbound kind, media, read receipts, errors."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from sauti.messaging.channels.fake_cloud_api.server import FakeCloudAPIConfig, start_in_thread
from sauti.messaging.channels.whatsapp.client import CloudAPIClient
from sauti.messaging.channels.whatsapp.errors import CloudAPIError, Outcome


@pytest.fixture(scope="module")
def fake():
    with start_in_thread(FakeCloudAPIConfig(port=0, webhook_url=None, access_token="right-token")) as running:
        yield running


def call(fake, method: str, *args, token: str = "right-token"):
    async def go():
        async with httpx.AsyncClient() as http:
            client = CloudAPIClient(http, base_url=f"{fake.url}/v23.0", phone_number_id="100000000000001",
                                    access_token=token)
            return await getattr(client, method)(*args)

    return asyncio.run(go())


@pytest.mark.parametrize("body", [
    {"to": "27820000001", "type": "text", "text": {"body": "see https://example.org", "preview_url": True}},
    {"to": "27820000001", "type": "image", "image": {"link": "https://example.org/a.jpg", "caption": "A"}},
    {"to": "27820000001", "type": "document", "document": {"id": "123", "filename": "r.pdf", "caption": "R"}},
    {"to": "27820000001", "type": "reaction", "reaction": {"message_id": "wamid.x", "emoji": "👍"}},
    {"to": "27820000001", "type": "interactive", "interactive": {
        "type": "cta_url", "body": {"text": "Dates"},
        "action": {"name": "cta_url", "parameters": {"display_text": "See", "url": "https://example.org"}}}},
    {"to": "27820000001", "type": "interactive", "interactive": {
        "type": "list", "body": {"text": "Pick"}, "action": {"button": "Options", "sections": [
            {"title": "A", "rows": [{"id": "r1", "title": "One", "description": "first"}]}]}}},
])
def test_sends_each_kind_and_gets_a_wamid(fake, body):
    sent = call(fake, "send", body)
    assert sent.wamid.startswith("wamid.") and sent.wa_id == "27820000001"


def test_mark_as_read(fake):
    assert call(fake, "mark_read", "wamid.123") is None


def test_media_round_trip(fake):
    media_id = call(fake, "upload_media", b"\x89PNG fake bytes", "image/png", "pic.png")
    content, mime = call(fake, "download_media", media_id)
    assert content == b"\x89PNG fake bytes" and mime.startswith("image/png")


def test_meta_errors_become_outcomes(fake):
    with pytest.raises(CloudAPIError) as bad_token:
        call(fake, "send", {"to": "1", "type": "text", "text": {"body": "x"}}, token="wrong")
    assert bad_token.value.outcome is Outcome.CHANNEL_DOWN
    with pytest.raises(CloudAPIError) as invalid:
        call(fake, "send", {"to": "1", "type": "text", "text": {}})
    assert invalid.value.outcome is Outcome.FAIL and invalid.value.code in (100, 131008, 131009)


def test_an_unreachable_api_is_retried():
    async def go():
        async with httpx.AsyncClient() as http:
            client = CloudAPIClient(http, base_url="http://127.0.0.1:9/v23.0", phone_number_id="1", access_token="t")
            await client.send({"to": "1", "type": "text", "text": {"body": "x"}})

    with pytest.raises(CloudAPIError) as error:
        asyncio.run(go())
    assert error.value.outcome is Outcome.RETRY
