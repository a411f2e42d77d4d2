"""Media round trip: upload, metadata, download with the token (401 without), delete."""

from __future__ import annotations

import hashlib

import httpx
import pytest

from .support import PHONE_NUMBER_ID, graph_error

PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4


def _upload(graph: httpx.Client, data: bytes = PNG, mime_type: str = "image/png") -> httpx.Response:
    return graph.post(f"/{PHONE_NUMBER_ID}/media", files={"file": ("photo.png", data, mime_type)},
                      data={"messaging_product": "whatsapp", "type": mime_type})


def test_media_round_trip(graph: httpx.Client) -> None:
    upload = _upload(graph)
    assert upload.status_code == 200
    media_id = upload.json()["id"]
    assert media_id.isdigit()

    info = graph.get(f"/{media_id}").json()
    assert info == {"messaging_product": "whatsapp", "url": info["url"], "mime_type": "image/png",
                    "sha256": hashlib.sha256(PNG).hexdigest(), "file_size": str(len(PNG)), "id": media_id}
    assert f"/_fake/media/{media_id}?token=" in info["url"]

    download = graph.get(info["url"])
    assert download.status_code == 200
    assert download.content == PNG
    assert download.headers["content-type"] == "image/png"

    assert graph.delete(f"/{media_id}").json() == {"success": True}
    gone = graph.get(f"/{media_id}")
    assert gone.status_code == 400
    assert graph_error(gone)["error_subcode"] == 33
    assert graph.get(info["url"]).status_code == 404


def test_the_download_url_needs_the_bearer_token(graph: httpx.Client) -> None:
    url = graph.get(f"/{_upload(graph).json()['id']}").json()["url"]
    response = httpx.get(url)
    assert response.status_code == 401
    assert graph_error(response)["code"] == 190


def test_the_download_url_needs_its_token(graph: httpx.Client) -> None:
    url = graph.get(f"/{_upload(graph).json()['id']}").json()["url"]
    assert graph.get(url.split("?")[0] + "?token=guess").status_code == 404


def test_the_type_field_falls_back_to_the_file_part_s_content_type(graph: httpx.Client) -> None:
    response = graph.post(f"/{PHONE_NUMBER_ID}/media", files={"file": ("a.ogg", b"OggS", "audio/ogg")},
                          data={"messaging_product": "whatsapp"})
    assert graph.get(f"/{response.json()['id']}").json()["mime_type"] == "audio/ogg"


@pytest.mark.parametrize(("files", "data", "field"), [
    ({"file": ("a.png", PNG, "image/png")}, {"type": "image/png"}, "messaging_product"),
    ({"other": ("a.png", PNG, "image/png")}, {"messaging_product": "whatsapp", "type": "image/png"}, "file"),
    ({"file": ("a.png", PNG, "image/png")}, {"messaging_product": "whatsapp", "type": "png"}, "type"),
], ids=["no-messaging-product", "no-file", "type-not-a-mime-type"])
def test_invalid_uploads_are_rejected(graph: httpx.Client, files: dict, data: dict, field: str) -> None:
    response = graph.post(f"/{PHONE_NUMBER_ID}/media", files=files, data=data)
    assert response.status_code == 400
    assert graph_error(response)["error_data"]["details"].startswith(f"{field}:")


def test_an_upload_must_be_multipart(graph: httpx.Client) -> None:
    response = graph.post(f"/{PHONE_NUMBER_ID}/media", json={"messaging_product": "whatsapp"})
    assert response.status_code == 400
    assert graph_error(response)["code"] == 100


def test_media_of_another_number_is_refused(graph: httpx.Client) -> None:
    media_id = _upload(graph).json()["id"]
    assert graph.get(f"/{media_id}", params={"phone_number_id": "999"}).status_code == 400
    assert graph.get(f"/{media_id}", params={"phone_number_id": PHONE_NUMBER_ID}).status_code == 200
    assert graph.post("/999/media", files={"file": ("a", b"x", "image/png")},
                      data={"messaging_product": "whatsapp"}).status_code == 400


def test_media_calls_need_a_token(graph: httpx.Client) -> None:
    media_id = _upload(graph).json()["id"]
    assert httpx.get(f"{graph.base_url}/{media_id}").status_code == 401
