"""The Cloud API calls of the content app: templates of the business account, media uploads.

Synchronous (httpx) because they run in background tasks; errors are the messaging app's
CloudAPIError, so Meta's codes mean the same everywhere.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx

from sauti.accounts.models import Workspace
from sauti.messaging.channels.whatsapp.errors import CloudAPIError, error_from_response

TIMEOUT = httpx.Timeout(30.0, connect=5.0)
PAGE_SIZE = 100
MAX_PAGES = 100  # 10,000 templates: far beyond Meta's 250 names per account


class GraphClient:
    """One workspace's number and business account."""

    def __init__(self, workspace: Workspace, http: httpx.Client | None = None) -> None:
        if not workspace.waba_id or not workspace.access_token:
            raise CloudAPIError(None, "the workspace has no WhatsApp business account id or access token")
        self.workspace = workspace
        self.base_url = workspace.graph_base_url
        self.http = http or httpx.Client(timeout=TIMEOUT)
        self._own_http = http is None
        self.headers = {"Authorization": f"Bearer {workspace.access_token}"}

    def __enter__(self) -> GraphClient:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._own_http:
            self.http.close()

    # -- templates ------------------------------------------------------------------------

    def list_templates(self) -> Iterator[dict[str, Any]]:
        """Every template of the business account, following Graph's paging."""
        url: str | None = f"{self.base_url}/{self.workspace.waba_id}/message_templates"
        params: dict[str, Any] | None = {"limit": PAGE_SIZE}
        for _ in range(MAX_PAGES):
            if url is None:
                return
            data = self._request("GET", url, params=params)
            yield from (t for t in data.get("data") or [] if isinstance(t, dict))
            url = (data.get("paging") or {}).get("next")
            params = None
        raise CloudAPIError(None, "too many pages of templates")

    def create_template(self, body: dict[str, Any]) -> dict[str, Any]:
        """POST a create body; Meta answers `{"id", "status", "category"}`."""
        return self._request("POST", f"{self.base_url}/{self.workspace.waba_id}/message_templates", json=body)

    def edit_template(self, meta_id: str, body: dict[str, Any]) -> dict[str, Any]:
        return self._request("POST", f"{self.base_url}/{meta_id}", json=body)

    def delete_template(self, name: str, meta_id: str = "") -> None:
        params = {"name": name, **({"hsm_id": meta_id} if meta_id else {})}
        self._request("DELETE", f"{self.base_url}/{self.workspace.waba_id}/message_templates", params=params)

    # -- media ----------------------------------------------------------------------------

    def upload_media(self, data: bytes, content_type: str, filename: str) -> str:
        """POST /<phone-number-id>/media → Meta's media id (valid for 30 days)."""
        if not self.workspace.phone_number_id:
            raise CloudAPIError(None, "the workspace has no phone number id")
        files = {"file": (filename or "file", data, content_type)}
        form = {"messaging_product": "whatsapp", "type": content_type}
        result = self._request("POST", f"{self.base_url}/{self.workspace.phone_number_id}/media", files=files,
                               data=form)
        if not result.get("id"):
            raise CloudAPIError(None, "the Cloud API stored the media but returned no id", raw=result)
        return str(result["id"])

    def upload_handle(self, app_id: str, data: bytes, content_type: str, filename: str) -> str:
        """The Resumable Upload API (`/<app-id>/uploads`): the `4::…` handle a media header's example needs."""
        session = self._request("POST", f"{self.base_url}/{app_id}/uploads",
                                params={"file_name": filename or "file", "file_length": len(data),
                                        "file_type": content_type})
        upload_id = str(session.get("id") or "")
        if not upload_id:
            raise CloudAPIError(None, "the Cloud API opened no upload session", raw=session)
        result = self._request("POST", f"{self.base_url}/{upload_id}", content=data,
                               headers={"file_offset": "0", "Content-Type": "application/octet-stream",
                                        "Authorization": f"OAuth {self.workspace.access_token}"})
        if not result.get("h"):
            raise CloudAPIError(None, "the Cloud API returned no upload handle", raw=result)
        return str(result["h"])

    def delete_media(self, media_id: str) -> None:
        self._request("DELETE", f"{self.base_url}/{media_id}")

    def _request(self, method: str, url: str, *, headers: dict[str, str] | None = None,
                 **kwargs: Any) -> dict[str, Any]:
        try:
            response = self.http.request(method, url, headers=headers or self.headers, timeout=TIMEOUT, **kwargs)
        except httpx.HTTPError as exc:
            raise CloudAPIError(None, f"cannot reach the Cloud API: {type(exc).__name__}: {exc}") from exc
        try:
            data = response.json()
        except ValueError:
            data = None
        if response.status_code >= 400:
            raise error_from_response(response.status_code, data)
        return data if isinstance(data, dict) else {}


def error_field(error: CloudAPIError) -> tuple[str, str]:
    """(field, message) from a refusal: Meta's user message when it gives one, else its text.

    The fake (and Meta's own parameter errors) start the message with the field's path,
    "components[1].text: …"; that path is mapped onto the authoring form's field names.
    """
    raw = error.raw or {}
    message = str(raw.get("error_user_msg") or error.details or error.message or error)
    path, sep, rest = message.partition(": ")
    if sep and " " not in path.strip():
        return path.strip(), rest.strip()
    return "", message
