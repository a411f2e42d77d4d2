"""SMS for broadcasts: a provider interface, Twilio's Messages API, and the dispatcher's SMS chunk.

A provider sends one text and returns its message id; delivery reports come back later to
`/reminders/sms/<workspace>/status` (see sms_views). Secrets come from ChannelSettings, where
they are stored encrypted.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
from collections import defaultdict
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Protocol

import httpx
from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from sauti.contacts.services import contact_profile
from sauti.reminders.models import ChannelSettings, Recipient, Run

TWILIO_API = "https://api.twilio.com"
CHUNK = 100
CONCURRENCY = 8


@dataclass(frozen=True)
class SmsResult:
    provider_id: str = ""
    error: str = ""  # empty: accepted


class SmsProvider(Protocol):
    def send(self, to: str, text: str) -> SmsResult:
        """Hand one message to the provider; an error result for a refusal, never an exception."""


class TwilioProvider:
    """Twilio's Messages API (POST /2010-04-01/Accounts/{sid}/Messages.json, HTTP Basic auth)."""

    def __init__(self, http: httpx.Client, *, account_sid: str, auth_token: str, sender: str, base_url: str = "",
                 status_callback: str = "") -> None:
        self.http = http
        self.url = f"{(base_url or TWILIO_API).rstrip('/')}/2010-04-01/Accounts/{account_sid}/Messages.json"
        self.auth = (account_sid, auth_token)
        self.sender = sender
        self.status_callback = status_callback

    def send(self, to: str, text: str) -> SmsResult:
        form = {"To": to, "From": self.sender, "Body": text}
        if self.status_callback:
            form["StatusCallback"] = self.status_callback
        try:
            response = self.http.post(self.url, data=form, auth=self.auth, timeout=20)
        except httpx.HTTPError as exc:
            return SmsResult(error=f"cannot reach the SMS provider: {type(exc).__name__}")
        try:
            data = response.json()
        except ValueError:
            data = {}
        if response.status_code >= 400 or not data.get("sid"):
            code = data.get("code") or response.status_code
            return SmsResult(error=f"{data.get('message') or 'refused'} ({code})")
        return SmsResult(provider_id=str(data["sid"]))


def twilio_signature(auth_token: str, url: str, params: Mapping[str, str]) -> str:
    """Twilio's X-Twilio-Signature: HMAC-SHA1 over the URL and the sorted form pairs, base64."""
    payload = url + "".join(f"{key}{params[key]}" for key in sorted(params))
    digest = hmac.new(auth_token.encode(), payload.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


def status_callback_url(workspace_uuid: str) -> str:
    base = getattr(settings, "SAUTI_PUBLIC_URL", "") or ""
    if not base:
        return ""
    return base.rstrip("/") + reverse("reminders-sms-status", kwargs={"workspace": workspace_uuid})


def provider_for(channels: ChannelSettings, http: httpx.Client) -> SmsProvider | None:
    if channels.sms_provider == ChannelSettings.SmsProvider.TWILIO and channels.sms_ready:
        return TwilioProvider(http, account_sid=channels.sms_account, auth_token=channels.sms_secret,
                              sender=channels.sms_sender, base_url=channels.sms_base_url,
                              status_callback=status_callback_url(str(channels.workspace.uuid)))
    return None


def dispatch_sms_chunk(run: Run, now: dt.datetime, claim: Callable, skip_reason: Callable, settle: Callable) -> int:
    """Claim due people, mark them sending (committed), send outside any transaction, record."""
    from sauti.reminders.personalise import PersonaliseError, render_text

    reminder = run.reminder
    channels = ChannelSettings.objects.filter(workspace_id=run.workspace_id).select_related("workspace").first()
    skipped: dict[str, list[int]] = defaultdict(list)
    failed: dict[str, list[int]] = defaultdict(list)
    outgoing: list[tuple[int, str, str]] = []
    with transaction.atomic():
        rows = claim(run, now, CHUNK)
        if not rows:
            return 0
        for recipient in rows:
            contact = recipient.contact
            reason = skip_reason(contact)
            if reason:
                skipped[reason].append(recipient.id)
            elif channels is None or not channels.sms_ready:
                failed[_("no SMS provider is set up (Settings → SMS & email)")].append(recipient.id)
            elif not contact.wa_id:
                failed["no_phone"].append(recipient.id)
            else:
                try:
                    text = render_text(reminder.text, {"contact": contact_profile(contact)}, "text")
                except PersonaliseError as exc:
                    failed[exc.message].append(recipient.id)
                    continue
                outgoing.append((recipient.id, "+" + contact.wa_id, text))
        Recipient.objects.filter(id__in=[r for r, _, _ in outgoing]).update(state=Recipient.State.SENDING,
                                                                             queued_at=now)
        settle(skipped, failed)
    if not outgoing:
        return len(rows)
    with httpx.Client() as http:
        provider = provider_for(channels, http)
        with ThreadPoolExecutor(CONCURRENCY) as pool:
            results = list(pool.map(lambda item: provider.send(item[1], item[2]), outgoing))
    failed = defaultdict(list)
    with transaction.atomic():
        sent = []
        for (recipient_id, _to, _text), result in zip(outgoing, results, strict=True):
            if result.error:
                failed[result.error].append(recipient_id)
            else:
                sent.append(Recipient(id=recipient_id, provider_id=result.provider_id, state=Recipient.State.SENT))
        Recipient.objects.bulk_update(sent, ["provider_id", "state"], batch_size=CHUNK)
        settle({}, failed)
    return len(rows)


# Twilio's MessageStatus values, as Recipient states; later ones never move back to earlier ones.
TWILIO_STATES = {"sent": Recipient.State.SENT, "delivered": Recipient.State.DELIVERED,
                 "read": Recipient.State.READ, "undelivered": Recipient.State.FAILED,
                 "failed": Recipient.State.FAILED}
RANK = {Recipient.State.SENDING: 0, Recipient.State.SENT: 1, Recipient.State.DELIVERED: 2, Recipient.State.READ: 3}


def apply_sms_status(workspace_id: int, provider_id: str, status: str, error_code: str = "") -> bool:
    """A delivery report: move the recipient forward (a failure is kept unless it was read)."""
    state = TWILIO_STATES.get(status)
    if state is None or not provider_id:
        return False
    recipient = Recipient.objects.filter(provider_id=provider_id, run__workspace_id=workspace_id).first()
    if recipient is None:
        return False
    if state == Recipient.State.FAILED:
        if recipient.state != Recipient.State.READ:
            Recipient.objects.filter(id=recipient.id).update(
                state=Recipient.State.FAILED, reason=_("undelivered (%(code)s)") % {"code": error_code or status})
        return True
    if recipient.state in RANK and RANK[state] > RANK[recipient.state]:
        Recipient.objects.filter(id=recipient.id).update(state=state)
    return True
