"""Media: upload (multipart), the metadata lookup, the authenticated download URL, deletion (spec §2)."""

from __future__ import annotations

import hmac
from typing import TYPE_CHECKING

from .errors import GraphError, bad_param, missing, unknown_object
from .http_io import Request, Response, json_response
from .multipart import boundary_of, parse_multipart

if TYPE_CHECKING:
    from .app import FakeCloudAPI

DOWNLOAD_PATH = "/_fake/media/"


async def upload(fake: FakeCloudAPI, request: Request, phone_number_id: str) -> Response:
    """`POST /<phone-number-id>/media` with file, messaging_product and type → `{"id"}`."""
    if phone_number_id != fake.config.phone_number_id:
        raise unknown_object(phone_number_id, "POST")
    boundary = boundary_of(request.headers.get("content-type", ""))
    if boundary is None:
        raise bad_param("body", "the media upload must be multipart/form-data")
    try:
        parts = parse_multipart(request.body, boundary)
    except ValueError as exc:
        raise bad_param("body", str(exc)) from None
    product = parts.get("messaging_product")
    if product is None:
        raise missing("messaging_product")
    if product.data.decode(errors="replace") != "whatsapp":
        raise bad_param("messaging_product", 'must be "whatsapp"')
    file = parts.get("file")
    if file is None:
        raise missing("file")
    type_part = parts.get("type")
    mime_type = type_part.data.decode(errors="replace").strip() if type_part else (file.content_type or "")
    if not mime_type:
        raise missing("type")
    if "/" not in mime_type:
        raise bad_param("type", f"must be a MIME type such as image/jpeg (got {mime_type!r})")
    media = fake.store.add_media(file.data, mime_type, file.filename)
    return json_response({"id": media.id})


async def object_route(fake: FakeCloudAPI, request: Request, media_id: str) -> Response:
    """`GET /<media-id>` → metadata with a download URL; `DELETE /<media-id>` → success."""
    owner = request.query.get("phone_number_id")
    if owner is not None and owner != fake.config.phone_number_id:
        raise bad_param("phone_number_id", "the media does not belong to this phone number")
    media = fake.store.media[media_id]
    if request.method == "GET":
        return json_response({"messaging_product": "whatsapp",
                              "url": f"{request.base_url}{DOWNLOAD_PATH}{media.id}?token={media.token}",
                              "mime_type": media.mime_type, "sha256": media.sha256,
                              "file_size": str(len(media.data)), "id": media.id})
    if request.method == "DELETE":
        del fake.store.media[media_id]
        return json_response({"success": True})
    raise unknown_object(media_id, request.method)


async def download(fake: FakeCloudAPI, request: Request, media_id: str) -> Response:
    """The bytes behind a media URL; like Meta's, it needs the Bearer token as well as the URL."""
    fake.authorize(request)
    media = fake.store.media.get(media_id)
    if media is None or not hmac.compare_digest(request.query.get("token", ""), media.token):
        raise GraphError(100, "the media URL is unknown or has expired", http_status=404)
    return Response(200, media.data, content_type=media.mime_type)

