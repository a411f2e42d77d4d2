"""Which journey a message (or the clock) starts, by Turn's trigger priority.

Priority for a message (spec/journeys.md §1.9): first visit, then "message received" triggers,
the most specific first (a condition beats none; ties go to the most recently created journey),
then catch-all. Time-based triggers (after/before a contact date field) are started by a
scheduler job and interrupt a running session, as Turn's do.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.db import IntegrityError, transaction
from django.utils import timezone

from sauti.contacts.models import Contact
from sauti.contacts.services import contact_profile
from sauti.journeys.engine import trigger_holds
from sauti.journeys.models import Journey, Session
from sauti.journeys.programs import program_for_source
from sauti.messaging.models import Message
from sauti.timers.models import Timer

logger = logging.getLogger(__name__)
MESSAGE_KINDS = ("first_visit", "message_received", "catch_all")
FIRED_MARK = "trigger_fired"


def live_journeys(workspace_id: int, contact: Contact | None = None) -> list[tuple[Journey, object]]:
    """Enabled journeys with a published version, with their compiled programs (cached by hash).

    For the workspace's test contacts, a staged version stands in for the published one (and a
    journey that is only staged is live for them).
    """
    from django.db.models import Q

    from sauti.journeys.runner.sessions import is_test_contact

    testing = contact is not None and is_test_contact(contact, contact.workspace.settings)
    live = Q(published_version__isnull=False) | (Q(staging_version__isnull=False) if testing else Q(pk__in=[]))
    journeys = (Journey.objects.filter(live, workspace_id=workspace_id, enabled=True)
                .select_related("published_version", "staging_version").order_by("-created_at", "-id"))
    out = []
    for journey in journeys:
        version = journey.staging_version if testing and journey.staging_version else journey.published_version
        out.append((journey, program_for_source(version.source, version.source_hash)))
    return out


def matching_journey(message: Message, now: dt.datetime, chat: dict | None = None) -> Journey | None:
    from sauti.journeys.runner.sessions import chat_context, globals_for

    contact = message.contact
    candidates = [(j, p, t) for j, p in live_journeys(message.workspace_id, contact) for t in p.triggers
                  if t.kind in MESSAGE_KINDS]
    if not candidates:
        return None
    first_visit = any(t.kind == "first_visit" for _, _, t in candidates) and not Message.objects.filter(
        contact=contact, direction=Message.Direction.INBOUND, id__lt=message.id).exists()
    profile, chat = contact_profile(contact), chat if chat is not None else chat_context(contact)
    uses_globals = any(p.names is None or "global" in p.names for _, p, _ in candidates)
    globals_ = globals_for(message.workspace_id) if uses_globals else {}

    def holds(journey: Journey, program: object, trigger: object) -> bool:
        return trigger_holds(program, trigger, contact=profile, now=now, message=message.payload, chat=chat,
                             globals=globals_)

    ranked = []
    for order, (journey, program, trigger) in enumerate(candidates):
        if trigger.kind == "first_visit" and not first_visit:
            continue
        rank = {"first_visit": 0, "message_received": 1, "catch_all": 3}[trigger.kind]
        if trigger.kind == "message_received" and trigger.condition is None:
            rank = 2  # an unconditional "message received" is less specific than a conditional one
        ranked.append((rank, order, journey, program, trigger))
    for _rank, _order, journey, program, trigger in sorted(ranked, key=lambda r: (r[0], r[1])):
        if holds(journey, program, trigger):
            return journey
    return None


def _field_value(contact: Contact, path: str) -> dt.datetime | None:
    name = path.removeprefix("contact.")
    value = contact_profile(contact).get(name)
    if isinstance(value, dt.datetime):
        return value if value.tzinfo else value.replace(tzinfo=dt.UTC)
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day, tzinfo=dt.UTC)
    if isinstance(value, str) and value:
        try:
            parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return None
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)
    return None


def specific_moment(at: str, tz_name: str, now: dt.datetime) -> dt.datetime | None:
    """`at:` of a specific-time trigger: an ISO date-time, or "HH:MM" for every day, both read in
    the workspace's timezone unless they carry their own offset."""
    from zoneinfo import ZoneInfo

    try:
        tz = ZoneInfo(tz_name or "UTC")
    except (KeyError, ValueError):
        tz = dt.UTC
    text = at.strip()
    try:
        if len(text) <= 5 and ":" in text:
            hours, minutes = (int(part) for part in text.split(":"))
            local = now.astimezone(tz)
            return local.replace(hour=hours, minute=minutes, second=0, microsecond=0)
        moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=tz)


def run_time_triggers(now: dt.datetime | None = None, window: dt.timedelta = dt.timedelta(minutes=10)) -> int:
    """Start journeys whose time-based trigger came due within the last `window`.

    "Before/after an event": the contact's date field plus the interval. "Specific time": the
    moment itself, for every contact whose condition holds. Each (journey, trigger, contact,
    moment) fires once: a marker row in the Timers table makes a second scheduler pass (or a second
    scheduler) a no-op. Time-based triggers interrupt a running session, as Turn's do.
    """
    now = now or timezone.now()
    started = 0
    journeys = (Journey.objects.filter(enabled=True, published_version__isnull=False)
                .select_related("published_version", "workspace"))
    for journey in journeys:
        program = program_for_source(journey.published_version.source, journey.published_version.source_hash)
        for index, trigger in enumerate(program.triggers):
            if trigger.kind == "relative_time" and trigger.relative_to:
                field = trigger.relative_to.removeprefix("contact.")
                offset = dt.timedelta(seconds=trigger.interval_seconds or 0)
                contacts = Contact.objects.filter(workspace_id=journey.workspace_id)
                if field not in ("last_seen_at", "opted_in_at", "first_message_received_at"):
                    contacts = contacts.filter(fields__has_key=field)
                for contact in contacts.iterator(chunk_size=500):
                    moment = _field_value(contact, field)
                    if moment is not None and now - window < moment + offset <= now:
                        started += _fire(journey, program, index, trigger, contact, moment + offset, now)
            elif trigger.kind == "specific_time" and trigger.at:
                moment = specific_moment(trigger.at, journey.workspace.timezone, now)
                if moment is None or not now - window < moment <= now:
                    continue
                for contact in Contact.objects.filter(workspace_id=journey.workspace_id).iterator(chunk_size=500):
                    started += _fire(journey, program, index, trigger, contact, moment, now)
    return started


def _fire(journey: Journey, program: object, index: int, trigger: object, contact: Contact,
          moment: dt.datetime, now: dt.datetime) -> int:
    """Start `journey` for `contact` once for this trigger and moment; returns 1 if it started."""
    from sauti.journeys.runner.sessions import StartRefused, end_session, start_journey
    from sauti.messaging.pipeline import acquire_contact, release_contact

    if not trigger_holds(program, trigger, contact=contact_profile(contact), now=now):
        return 0
    key = f"{journey.uuid}:{index}:{contact.id}:{moment.isoformat()}"
    try:
        with transaction.atomic():
            Timer.objects.create(workspace_id=journey.workspace_id, kind=FIRED_MARK, key=key, due_at=now,
                                 fired_at=now)
    except IntegrityError:
        return 0
    token = acquire_contact(contact.id, now)
    if token is None:
        Timer.objects.filter(workspace_id=journey.workspace_id, kind=FIRED_MARK, key=key).delete()
        return 0  # busy now; the next pass (within the window) tries again
    try:
        with transaction.atomic():
            for session in Session.objects.filter(contact=contact, status=Session.Status.ACTIVE):
                end_session(session, "interrupted", now)
            start_journey(journey, contact, now=now)
            return 1
    except StartRefused as exc:
        logger.info("time trigger of %s for contact %s: %s", journey, contact.id, exc)
        return 0
    finally:
        release_contact(contact.id, token)
