"""Identifiers shaped like Meta's: wamids, numeric Graph ids, fbtrace ids, media URL tokens."""

from __future__ import annotations

import base64
import itertools
import secrets

# A per-process prefix keeps wamids unique across restarts of the fake against one database.
_RUN = secrets.token_bytes(4)
_wamid_counter = itertools.count(1)
_object_counter = itertools.count(1)
# 16 digits and below 2**53, since webhooks carry template ids as JSON integers.
_object_base = 10**15 + secrets.randbelow(4 * 10**15)


def new_wamid(wa_id: str) -> str:
    """A `wamid.` id like Meta's (base64 of the recipient and a sequence), unique per process run."""
    raw = b"\x18\x0c" + wa_id.encode() + b"\x15\x02\x00\x11\x18" + _RUN + next(_wamid_counter).to_bytes(6, "big")
    return "wamid." + base64.b64encode(raw).decode()


def new_object_id() -> str:
    """A 16-digit Graph object id (media, template), never reused within a run."""
    return str(_object_base + next(_object_counter))


def new_fbtrace_id() -> str:
    return "A" + secrets.token_urlsafe(16)[:22]


def new_token() -> str:
    return secrets.token_urlsafe(16)


def new_conversation_id() -> str:
    return secrets.token_hex(16)
