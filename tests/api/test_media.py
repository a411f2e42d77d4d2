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
# A real 1×1 PNG: the library checks that a file is what its type says.
PNG_FILE = bytes.fromhex("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
                         "0000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082")


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


def test_upload_download_send_by_id_and_delete(client, api, api_token, workspace, fake):
    from sauti.content.models import Media

    Workspace.objects.filter(id=workspace.id).update(graph_url=f"{fake.url}/v23.0")
    headers = {"HTTP_AUTHORIZATION": f"Bearer {api_token}"}
    uploaded = client.post("/v1/media", data=PNG_FILE, content_type="image/png", **headers)
    assert uploaded.status_code == 200, uploaded.content
    (item,) = uploaded.json()["media"]
    assert Media.objects.get(uuid=item["id"]).content_type == "image/png"
    download = api.get(f"/v1/media/{item['id']}")
    assert download.content == PNG_FILE and download["Content-Type"] == "image/png"
    refused = client.post("/v1/media", data=b"not a png", content_type="image/png", **headers)
    assert refused.status_code == 400 and refused.json()["errors"][0]["code"] == 1009
    assert client.delete(f"/v1/media/{item['id']}", **headers).json() == {"success": True}
    assert api.get(f"/v1/media/{item['id']}").status_code == 404
    assert client.delete(f"/v1/media/{item['id']}", **headers).status_code == 404
