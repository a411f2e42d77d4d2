"""Who is calling: a Bearer token (or the Graph API's `access_token` parameter), its scope, its rate.

Every operation names the scope it needs (`auth=needs("messages:write")`); a token without it is
refused with 403. Each accepted call is counted against the token's rate limit (ratelimit.py);
the quota is kept on the request so every answer, errors included, carries Turn's headers.
"""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer
from ninja.security.apikey import APIKeyQuery

from sauti.api import ratelimit
from sauti.api.errors import FORBIDDEN, INVALID, RATE_LIMITED, UNAUTHORIZED, ApiError
from sauti.api.models import ApiToken
from sauti.api.scopes import SCOPES
from sauti.api.services import authenticate

MEDIA_TYPES = {"image", "video", "audio", "document", "sticker"}


def bucket_for(request: HttpRequest) -> str:
    """Turn's buckets: `text` and `media` for message sends and uploads, `general` for the rest."""
    path = request.path.rstrip("/")
    if request.method == "POST" and path.endswith("/v1/media"):
        return "media"
    if request.method == "POST" and path.endswith("/v1/messages"):
        try:
            body = json.loads(request.body or b"{}")
        except ValueError:
            return "general"
        kind = (body.get("type") or "text") if isinstance(body, dict) else None
        if not isinstance(kind, str):
            return "general"
        if kind == "text":
            return "text"
        if kind in MEDIA_TYPES:
            return "media"
    return "general"


def admit(request: HttpRequest, raw: str | None, scope: str | None) -> ApiToken:
    """The live token for `raw` with `scope`, counted against its rate limit; ApiError otherwise."""
    row = authenticate(raw or "")
    if row is None:
        raise ApiError(401, UNAUTHORIZED, "Access denied", "the token is missing, unknown, expired or revoked")
    if scope is not None and scope not in (row.scopes or ()):
        raise ApiError(403, FORBIDDEN, "Access denied",
                       f"this token does not have the '{scope}' scope; create a token with it in Settings")
    if b"\\u0000" in (request.body or b""):
        # PostgreSQL cannot store the NUL character in text or JSON: refuse it clearly, up front.
        raise ApiError(400, INVALID, "Parameter value is not valid",
                       "text may not contain the NUL character (\\u0000)", "body")
    quota = ratelimit.hit(row.id, bucket_for(request))
    request.api_quota = quota  # type: ignore[attr-defined]
    if not quota.allowed:
        raise ApiError(429, RATE_LIMITED, "Too many requests",
                       f"more than {quota.limit} calls in this window for the '{quota.bucket}' bucket; "
                       f"try again after {quota.reset} (X-Ratelimit-Reset)")
    request.api_token = row  # type: ignore[attr-defined]
    request.workspace = row.workspace  # type: ignore[attr-defined]
    return row


class TokenAuth(HttpBearer):
    """`Authorization: Bearer <token>`; `scope` None admits any live token."""

    def __init__(self, scope: str | None = None) -> None:
        if scope is not None and scope not in SCOPES:
            raise KeyError(scope)
        self.scope = scope
        super().__init__()

    def __call__(self, request: HttpRequest) -> Any:
        header = request.headers.get("Authorization", "")
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer":
            return None  # the next auth (or the 401 handler) answers
        return self.authenticate(request, token.strip())

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        return admit(request, token, self.scope)


class AccessTokenParam(APIKeyQuery):
    """The Graph API's other way: `access_token` in the query string or the (form or JSON) body."""

    param_name = "access_token"

    def __init__(self, scope: str | None = None) -> None:
        self.scope = scope
        super().__init__()

    def _get_key(self, request: HttpRequest) -> str | None:
        if request.GET.get("access_token"):
            return request.GET["access_token"]
        content_type = request.content_type or ""
        _ = request.body  # read (and keep) the raw body first: parsing the form would consume it
        if content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
            try:
                return request.POST.get("access_token")
            except Exception:  # a malformed form (multipart without its boundary, …): no token in it
                return None
        if content_type == "application/json" and request.body:
            try:
                body = json.loads(request.body)
            except ValueError:
                return None
            value = body.get("access_token") if isinstance(body, dict) else None
            return value if isinstance(value, str) else None
        return None

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        if not key:
            return None
        return admit(request, key, self.scope)


def needs(scope: str) -> list[Any]:
    """The auth for an operation that needs `scope`."""
    return [TokenAuth(scope)]


def graph_needs(scope: str) -> list[Any]:
    """Graph-style paths take the token as a Bearer header or an `access_token` parameter."""
    return [TokenAuth(scope), AccessTokenParam(scope)]
