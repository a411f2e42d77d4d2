"""/v1/media: upload files to the workspace's media library, download and delete them, and
download media people sent (the ids inbound webhooks name in `image.id` etc.).

Uploads go to the content app's library (checked as Meta checks them; uploaded to Meta by a
worker); their id is the library item's uuid, usable in `POST /v1/messages` (`image.id`). Inbound
media is fetched from the Cloud API with the workspace's credentials, so a client never needs
Meta's token; its id must belong to a message of the token's workspace.
"""

from __future__ import annotations

import asyncio
import uuid as uuid_module
from typing import Any

import httpx
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from ninja import Router, Schema

from sauti.accounts.models import Workspace
from sauti.api.auth import needs
from sauti.api.errors import ApiError, invalid, not_found
from sauti.api.schemas import SuccessOut, errors
from sauti.content.models import Media
from sauti.content.services import MediaInvalid, delete_media, media_bytes, upload_media
from sauti.messaging.channels.whatsapp.client import CloudAPIClient
from sauti.messaging.channels.whatsapp.errors import CloudAPIError
from sauti.messaging.models import Message

router = Router(tags=["media"])
UPLOAD_BODY = {"requestBody": {"required": True, "description": "the file's bytes, with its Content-Type",
                               "content": {"*/*": {"schema": {"type": "string", "format": "binary"}}}}}
MEDIA_TYPES = ("image", "video", "audio", "document", "sticker", "voice")
BINARY = {"200": {"description": "The file, served with the Content-Type it was uploaded or received with",
                  "content": {"*/*": {"schema": {"type": "string", "format": "binary"}}}}}


def _inbound_media(workspace: Workspace, media_id: str) -> Message | None:
    match = Q()
    for kind in MEDIA_TYPES:
        match |= Q(type=kind, **{f"payload__{kind}__id": media_id})
    return (Message.objects.filter(match, workspace=workspace, direction=Message.Direction.INBOUND)
            .only("id", "type", "payload").first())


def download_from_whatsapp(workspace: Workspace, media_id: str) -> tuple[bytes, str]:
    async def fetch() -> tuple[bytes, str]:
        async with httpx.AsyncClient() as http:
            client = CloudAPIClient(http, base_url=workspace.graph_base_url,
                                    phone_number_id=workspace.phone_number_id or "",
                                    access_token=workspace.access_token)
            return await client.download_media(media_id)

    return asyncio.run(fetch())


class MediaRef(Schema):
    id: str


class UploadOut(Schema):
    media: list[MediaRef]


def library_media(workspace: Workspace, media_id: str) -> Media | None:
    """The workspace's library item with this uuid, or None (also for ids that are not uuids)."""
    try:
        key = uuid_module.UUID(media_id)
    except ValueError:
        return None
    return Media.objects.filter(workspace=workspace, uuid=key).first()


@router.post("/media", auth=needs("media:write"), response={200: UploadOut, **errors(400)},
             openapi_extra=UPLOAD_BODY, summary="Upload media")
def post_media(request: HttpRequest) -> dict[str, Any]:
    """The raw bytes with the file's Content-Type (as WhatsApp On-Premises took them) →
    `{"media": [{"id"}]}`; Meta's limits per type apply and a refusal names the reason."""
    content_type = (request.content_type or "").strip()
    if not content_type or content_type == "application/x-www-form-urlencoded":
        raise invalid("Content-Type", "send the file's own type, e.g. image/jpeg")
    if not request.body:
        raise invalid("body", "send the file's bytes as the body")
    filename = _filename(request.headers.get("Content-Disposition", ""))
    try:
        media = upload_media(request.workspace, request.body, content_type, filename,  # type: ignore[attr-defined]
                             actor=None)
    except MediaInvalid as exc:
        raise invalid(exc.field or "body", exc.message) from exc
    return {"media": [{"id": str(media.uuid)}]}


def _filename(disposition: str) -> str | None:
    for part in disposition.split(";"):
        key, _, value = part.strip().partition("=")
        if key.lower() == "filename" and value:
            return value.strip('"')[:200]
    return None


@router.delete("/media/{media_id}", auth=needs("media:write"), response={200: SuccessOut, **errors(404)},
               summary="Delete media")
def remove_media(request: HttpRequest, media_id: str) -> dict[str, Any]:
    """Delete an uploaded file from the library (messages already sent keep what they showed)."""
    media = library_media(request.workspace, media_id)  # type: ignore[attr-defined]
    if media is None:
        raise not_found(f"no uploaded media {media_id} in this workspace")
    delete_media(media, actor=None)
    return {"success": True}


@router.get("/media/{media_id}", auth=needs("media:read"), response={200: None, **errors(404, 502)},
            openapi_extra={"responses": BINARY}, summary="Download media")
def get_media(request: HttpRequest, media_id: str) -> HttpResponse:
    """The bytes of an uploaded file (its library id) or of a file a person sent (its id from the
    webhook), with its Content-Type."""
    workspace = request.workspace  # type: ignore[attr-defined]
    media = library_media(workspace, media_id)
    if media is not None:
        return HttpResponse(media_bytes(media), content_type=media.content_type)
    message = _inbound_media(workspace, media_id)
    if message is None:
        raise not_found(f"no media {media_id} in this workspace")
    try:
        data, content_type = download_from_whatsapp(workspace, media_id)
    except CloudAPIError as exc:
        if exc.code in (100, 131052) or exc.http_status == 404:
            raise not_found(f"WhatsApp no longer has media {media_id} (media expire after 30 days)") from exc
        raise ApiError(502, 1014, "WhatsApp did not give the file", str(exc)) from exc
    declared = (message.payload.get(message.type) or {}).get("mime_type")
    return HttpResponse(data, content_type=content_type or declared or "application/octet-stream")
