"""GET /v1/media/<id>: the bytes of a file a person sent, fetched from the (fake) Cloud API."""

from __future__ import annotations

import httpx
import pytest

from sauti.accounts.models import Workspace
from sauti.messaging.channels.fake_cloud_api.server import FakeCloudAPIConfig, start_in_thread
from tests.conftest import APP_SECRET, PHONE_NUMBER_ID
from tests.support import drain_tasks, post_webhook, text_webhook

pytestmark = pytest.mark.django_db
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture(scope="module")
def fake():
    with start_in_thread(FakeCloudAPIConfig(port=0, webhook_url=None)) as running:
        yield running


def inbound_image(client, media_id: str) -> None:
    body = text_webhook(PHONE_NUMBER_ID, "27820000001", "", wamid="wamid.img1")
    body["entry"][0]["changes"][0]["value"]["messages"][0].update(
        {"type": "image", "image": {"id": media_id, "mime_type": "image/png", "sha256": "x"}})
    body["entry"][0]["changes"][0]["value"]["messages"][0].pop("text")
    assert post_webhook(client, body, APP_SECRET).status_code == 200
    drain_tasks()


def test_a_file_a_person_sent_is_downloaded_with_its_type(client, api, workspace, fake):
    Workspace.objects.filter(id=workspace.id).update(graph_url=f"{fake.url}/v23.0")
    uploaded = httpx.post(f"{fake.url}/v23.0/{PHONE_NUMBER_ID}/media", headers={"Authorization": "Bearer t"},
                          data={"messaging_product": "whatsapp", "type": "image/png"},
                          files={"file": ("a.png", PNG, "image/png")}).json()["id"]
    inbound_image(client, uploaded)
    response = api.get(f"/v1/media/{uploaded}")
    assert response.status_code == 200
    assert response.content == PNG and response["Content-Type"] == "image/png"


def test_media_not_in_this_workspace_or_gone_from_whatsapp_is_404(client, api, workspace, fake):
    Workspace.objects.filter(id=workspace.id).update(graph_url=f"{fake.url}/v23.0")
    assert api.get("/v1/media/123456").status_code == 404  # no message names it
    inbound_image(client, "999999999")  # named by a message, unknown to WhatsApp
    response = api.get("/v1/media/999999999")
    assert response.status_code == 404 and "30 days" in response.json()["errors"][0]["details"]
