"""Conversation claims (spec/turn-api.md §3.10): an outside service holds a chat and Sauti's own
automation (journeys) stays quiet until it lets go.

Each `whatsapp` webhook of an inbound message carries `X-Turn-Claim: <claim>`, a signed name for
that chat (no row is written for it). The service claims the chat by replying through
`POST /v1/messages` with `X-Turn-Claim-Extend: <claim>` and lets go with `X-Turn-Claim-Release`;
a claim lasts SAUTI_CLAIM_SECONDS after the last extension.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from django.conf import settings
from django.core import signing
from django.utils import timezone

from sauti.accounts.models import Workspace
from sauti.contacts.models import Contact
from sauti.integrations.interest import interests
from sauti.integrations.models import WHATSAPP, Claim
from sauti.messaging.models import Chat, Message

SALT = "sauti.integrations.claim"
EXTEND, RELEASE = "X-Turn-Claim-Extend", "X-Turn-Claim-Release"


def claim_for(chat: Chat) -> str:
    return signing.Signer(salt=SALT).sign(str(chat.uuid))


def chat_uuid_of(claim: str) -> str | None:
    try:
        return signing.Signer(salt=SALT).unsign(claim)
    except signing.BadSignature:
        return None


def apply_claim_headers(workspace: Workspace, contact: Contact, headers: Mapping[str, str]) -> None:
    """Extend or release the claim named by a /v1/messages call's headers (unknown claims are ignored)."""
    value, extend = headers.get(EXTEND), True
    if not value:
        value, extend = headers.get(RELEASE), False
    if not value:
        return
    chat = Chat.objects.filter(workspace=workspace, contact=contact).first()
    if chat is None or chat_uuid_of(value.strip()) != str(chat.uuid):
        return
    if extend:
        until = timezone.now() + dt.timedelta(seconds=settings.SAUTI_CLAIM_SECONDS)
        Claim.objects.update_or_create(chat=chat, defaults={"workspace": workspace, "claim": value.strip(),
                                                            "expires_at": until})
    else:
        Claim.objects.filter(chat=chat).delete()


def is_claimed(chat_id: int, now: dt.datetime | None = None) -> bool:
    return Claim.objects.filter(chat_id=chat_id, expires_at__gt=now or timezone.now()).exists()


def hold_claimed_message(message: Message) -> bool:
    """An inbound handler ahead of journeys: a claimed chat's message is left to the claimant.
    No query at all for a workspace without `whatsapp` webhooks."""
    if WHATSAPP not in interests(message.workspace_id):
        return False
    return is_claimed(message.chat_id)
