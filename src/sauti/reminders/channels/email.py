"""Email for broadcasts through Django's email framework: the workspace's SMTP server when it has
one (password stored encrypted), else the server's EMAIL_BACKEND (console by default)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.utils.translation import gettext as _

from sauti.contacts.services import contact_profile
from sauti.reminders.models import ChannelSettings, Recipient, Run

CHUNK = 100
EMAIL_FIELD = "email"  # the custom profile field that holds a person's address


def connection_for(channels: ChannelSettings | None) -> Any:
    if channels is not None and channels.email_host:
        return get_connection("django.core.mail.backends.smtp.EmailBackend", host=channels.email_host,
                              port=channels.email_port, username=channels.email_username or None,
                              password=channels.email_password or None, use_tls=channels.email_use_tls, timeout=20)
    return get_connection()


def dispatch_email_chunk(run: Run, now: dt.datetime, claim: Callable, skip_reason: Callable, settle: Callable) -> int:
    """Claim due people, mark them sending (committed), send over one connection, record."""
    from sauti.reminders.personalise import PersonaliseError, render_text

    reminder = run.reminder
    channels = ChannelSettings.objects.filter(workspace_id=run.workspace_id).first()
    sender = (channels.email_from if channels and channels.email_from else settings.DEFAULT_FROM_EMAIL)
    skipped: dict[str, list[int]] = defaultdict(list)
    failed: dict[str, list[int]] = defaultdict(list)
    outgoing: list[tuple[int, EmailMessage]] = []
    with transaction.atomic():
        rows = claim(run, now, CHUNK)
        if not rows:
            return 0
        for recipient in rows:
            contact = recipient.contact
            reason = skip_reason(contact)
            address = str((contact.fields or {}).get(EMAIL_FIELD) or "").strip()
            if reason:
                skipped[reason].append(recipient.id)
            elif "@" not in address:
                failed["no_email"].append(recipient.id)
            else:
                context = {"contact": contact_profile(contact)}
                try:
                    subject = render_text(reminder.subject, context, "subject").replace("\n", " ")
                    body = render_text(reminder.text, context, "text")
                except PersonaliseError as exc:
                    failed[exc.message].append(recipient.id)
                    continue
                outgoing.append((recipient.id, EmailMessage(subject, body, sender, [address])))
        Recipient.objects.filter(id__in=[r for r, _ in outgoing]).update(state=Recipient.State.SENDING, queued_at=now)
        settle(skipped, failed)
    if not outgoing:
        return len(rows)
    sent: list[int] = []
    failed = defaultdict(list)
    connection = connection_for(channels)
    try:
        connection.open()
        for recipient_id, message in outgoing:
            message.connection = connection
            try:
                (sent if message.send() else failed[_("the mail server refused it")]).append(recipient_id)
            except Exception as exc:  # the SMTP library raises many kinds; each is this person's failure
                failed[f"{type(exc).__name__}: {exc}"[:200]].append(recipient_id)
    except Exception as exc:
        for recipient_id, _message in outgoing:
            if recipient_id not in sent:
                failed[_("cannot reach the mail server: %(error)s") % {"error": type(exc).__name__}].append(
                    recipient_id)
    finally:
        connection.close()
    with transaction.atomic():
        Recipient.objects.filter(id__in=sent).update(state=Recipient.State.SENT)
        settle({}, failed)
    return len(rows)
