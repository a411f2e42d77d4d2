"""X-Hub-Signature-256: HMAC-SHA256 of the raw body with the Meta app secret."""

from __future__ import annotations

import hashlib
import hmac

PREFIX = "sha256="


def sign(body: bytes, app_secret: str) -> str:
    return PREFIX + hmac.new(app_secret.encode(), body, hashlib.sha256).hexdigest()


def verify(body: bytes, header: str | None, app_secret: str) -> bool:
    """Compare in constant time over the exact bytes received (re-serialising would change them)."""
    if not header or not app_secret or not header.startswith(PREFIX):
        return False
    return hmac.compare_digest(sign(body, app_secret), header.strip())
