"""/v1/media: the bytes of media people sent (the ids inbound webhooks name in `image.id` etc.).

Turn's integrations download inbound media with `GET /v1/media/<id>`; Sauti fetches it from the
Cloud API with the workspace's credentials, so a client never needs Meta's token. The id must
belong to a message of the token's workspace.
"""

from __future__ import annotations

import asyncio

import httpx
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from ninja import Router

from sauti.accounts.models import Workspace
from sauti.api.auth import needs
from sauti.api.errors import ApiError, not_found
from sauti.api.schemas import errors
from sauti.messaging.channels.whatsapp.client import CloudAPIClient
from sauti.messaging.channels.whatsapp.errors import CloudAPIError
from sauti.messaging.models import Message

router = Router(tags=["media"])
MEDIA_TYPES = ("image", "video", "audio", "document", "sticker", "voice")
BINARY = {"200": {"description": "The file, with its Content-Type",
                  "content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}}}


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


@router.get("/media/{media_id}", auth=needs("media:read"), response={200: None, **errors(404, 502)},
            openapi_extra={"responses": BINARY}, summary="Download media")
def get_media(request: HttpRequest, media_id: str) -> HttpResponse:
    """The bytes of a file a person sent (its id from the webhook), with its Content-Type."""
    workspace = request.workspace  # type: ignore[attr-defined]
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
