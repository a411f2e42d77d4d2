"""The webhook signature Meta sends: `X-Hub-Signature-256: sha256=<hex HMAC-SHA256(secret, body)>`."""

from __future__ import annotations

import hashlib
import hmac

SIGNATURE_HEADER = "X-Hub-Signature-256"


def sign_body(app_secret: str, body: bytes) -> str:
    """The header value for these exact bytes (spec §3.2): re-serialised JSON would not match."""
    digest = hmac.new(app_secret.encode(), body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"
