"""Turn's signature: `X-Turn-Hook-Signature` = base64(HMAC-SHA256(secret, raw body))."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

SIGNATURE_HEADER = "X-Turn-Hook-Signature"


def sign(body: bytes, secret: str) -> str:
    return base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()


def verify(body: bytes, signature: str | None, secret: str) -> bool:
    """What a receiver does (and what Sauti's tests do): compare in constant time."""
    return bool(signature) and hmac.compare_digest(sign(body, secret), signature or "")


def new_secret() -> str:
    return secrets.token_urlsafe(32)
