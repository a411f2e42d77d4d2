"""Bearer-token authentication for the Turn-style API."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer

from sauti.api.errors import UNAUTHORIZED, ApiError
from sauti.api.services import authenticate


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        row = authenticate(token)
        if row is None:
            raise ApiError(401, UNAUTHORIZED, "Access denied", "the token is missing, unknown, expired or revoked")
        request.api_token = row  # type: ignore[attr-defined]
        request.workspace = row.workspace  # type: ignore[attr-defined]
        return row
