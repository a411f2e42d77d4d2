"""An asynchronous client for the Cloud API endpoints Sauti uses.

One instance per workspace; the httpx client (connection pool) is shared by the caller.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx

from sauti.messaging.channels.whatsapp.errors import CloudAPIError, error_from_response

DEFAULT_TIMEOUT = httpx.Timeout(20.0, connect=5.0)


@dataclass(frozen=True, slots=True)
class SentMessage:
    wamid: str
    wa_id: str | None
    message_status: str | None


class CloudAPIClient:
    def __init__(self, http: httpx.AsyncClient, *, base_url: str, phone_number_id: str, access_token: str):
        self.http = http
        self.base_url = base_url.rstrip("/")
        self.phone_number_id = phone_number_id
        self.headers = {"Authorization": f"Bearer {access_token}"}

    async def send(self, message: dict[str, Any]) -> SentMessage:
        """POST a message body (text, media, template, interactive, reaction…); raise CloudAPIError."""
        body = {"messaging_product": "whatsapp", "recipient_type": "individual", **message}
        data = await self._request("POST", f"/{self.phone_number_id}/messages", json=body)
        messages = data.get("messages") or [{}]
        contacts = data.get("contacts") or [{}]
        wamid = messages[0].get("id")
        if not wamid:
            raise CloudAPIError(None, "the Cloud API accepted the message but returned no id", raw=data)
        return SentMessage(str(wamid), contacts[0].get("wa_id"), messages[0].get("message_status"))

    async def mark_read(self, wamid: str, *, typing: bool = False) -> None:
        body: dict[str, Any] = {"messaging_product": "whatsapp", "status": "read", "message_id": wamid}
        if typing:
            body["typing_indicator"] = {"type": "text"}
        await self._request("POST", f"/{self.phone_number_id}/messages", json=body)

    async def upload_media(self, content: bytes, mime_type: str, filename: str = "file") -> str:
        files = {"file": (filename, content, mime_type)}
        data = await self._request("POST", f"/{self.phone_number_id}/media", files=files,
                                   data={"messaging_product": "whatsapp", "type": mime_type})
        return str(data["id"])

    async def media_info(self, media_id: str) -> dict[str, Any]:
        return await self._request("GET", f"/{media_id}")

    async def download_media(self, media_id: str) -> tuple[bytes, str]:
        info = await self.media_info(media_id)
        response = await self.http.get(info["url"], headers=self.headers, timeout=DEFAULT_TIMEOUT)
        if response.status_code >= 400:
            raise error_from_response(response.status_code, _json(response))
        return response.content, response.headers.get("content-type", info.get("mime_type", ""))

    async def _request(self, method: str, path: str, **kwargs: Any) -> dict[str, Any]:
        try:
            response = await self.http.request(method, self.base_url + path, headers=self.headers,
                                               timeout=DEFAULT_TIMEOUT, **kwargs)
        except httpx.HTTPError as exc:
            raise CloudAPIError(None, f"cannot reach the Cloud API: {type(exc).__name__}: {exc}") from exc
        data = _json(response)
        if response.status_code >= 400:
            raise error_from_response(response.status_code, data)
        return data if isinstance(data, dict) else {}


def _json(response: httpx.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return None
