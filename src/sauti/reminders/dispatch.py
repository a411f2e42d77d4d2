"""The dispatcher: resolves a run's audience into Recipient rows, then hands people to their
channel in chunks: WhatsApp templates to the Outbox, journeys to the Timers table, SMS to the
provider, email to Django's mail framework.

Exactly once for WhatsApp: a chunk's recipients leave `pending` in the same transaction that
creates their Outbox rows, and the sender never sends an Outbox row twice. SMS and email are
at most once: a person handed to the provider is never handed again, even after a crash.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections import defaultdict
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Min, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from sauti.contacts.models import Contact
from sauti.contacts.services import contact_profile
from sauti.reminders import schedule as sched
from sauti.reminders.audience import AudienceInvalid, segment_queryset
from sauti.reminders.models import Recipient, Reminder, Run
from sauti.reminders.services import finish_run
from sauti.timers.services import set_timer

if TYPE_CHECKING:
    from sauti.accounts.models import Workspace

logger = logging.getLogger(__name__)
CHUNK = 1000
RESOLVE_CHUNK = 5000
DISPATCH_TIMER = "reminder_dispatch"
# A chunk handler's answer when the number's Outbox is full enough: come back in a moment.
AHEAD = -1
PACE_SECONDS = 0.25
# How many seconds of sending (at the number's rate) may wait in the Outbox for bulk senders.
AHEAD_SECONDS = 5


def lease() -> dt.timedelta:
    """How long a worker holds a run between chunks; a dead worker's run is resumed after it."""
    return dt.timedelta(seconds=settings.SAUTI_REMINDER_LEASE_SECONDS)


# ---------------------------------------------------------------------------- the run's loop


def dispatch_run(run_id: int, *, now: dt.datetime | None = None) -> bool:
    """Resolve and dispatch what is due of a run; safe to call twice at once (a lease keeps one
    worker on it) and after a crash (it carries on where the last commit left it)."""
    now = now or timezone.now()
    free = Q(lease_until__isnull=True) | Q(lease_until__lt=now)
    if not Run.objects.filter(free, id=run_id, status__in=[Run.Status.RESOLVING, Run.Status.SENDING]).update(
            lease_until=now + lease()):
        return False
    run = Run.objects.select_related("reminder__workspace", "reminder__template", "reminder__journey").get(id=run_id)
    try:
        # The audience is read a chunk at a time between sends, so the first people get their
        # message a moment after the run starts, not once 100,000 rows are written.
        resolving = run.resolved_at is None and not resolve(run, chunks=1)
        Run.objects.filter(id=run.id, status=Run.Status.RESOLVING).update(status=Run.Status.SENDING)
        handler = CHANNELS[(run.reminder.channel, run.reminder.action)]
        while True:
            if Run.objects.filter(id=run.id).values_list("status", flat=True).first() != Run.Status.SENDING:
                # Cancelled meanwhile: people read in after the cancel get nothing either.
                Recipient.objects.filter(run=run, state=Recipient.State.PENDING).update(
                    state=Recipient.State.CANCELLED, reason="cancelled")
                return False
            now = timezone.now()
            handled = handler(run, now)
            if handled == AHEAD:
                # The Outbox holds a few seconds of sends already: read more of the audience, or
                # wait for the sender, instead of queueing everyone at once (which would take the
                # CPU the sender needs, and leave less to take back on cancel).
                if resolving:
                    resolving = not resolve(run, chunks=1)
                else:
                    time.sleep(PACE_SECONDS)
            elif not handled:
                if not resolving:
                    break
                resolving = not resolve(run, chunks=1)
            Run.objects.filter(id=run.id).update(lease_until=timezone.now() + lease())
        later = Recipient.objects.filter(run=run, state=Recipient.State.PENDING).aggregate(at=Min("due_at"))["at"]
        if later is not None:
            # People whose local time has not come yet: look again then.
            set_timer(run.workspace_id, DISPATCH_TIMER, str(run.uuid), later, {"run": run.id})
        else:
            finish_run(run, timezone.now())
    except Exception as exc:
        logger.exception("reminder run %s failed; it will be resumed", run.id)
        Run.objects.filter(id=run.id).update(error=str(exc)[:1000])
        raise
    finally:
        Run.objects.filter(id=run.id).update(lease_until=None)
    return True


def resume_stalled_runs(now: dt.datetime | None = None) -> int:
    """The scheduler's job: runs whose worker died (lease lapsed) go to a worker again."""
    from sauti.reminders.tasks import dispatch_run as task

    now = now or timezone.now()
    stale = Q(lease_until__isnull=True) | Q(lease_until__lt=now)
    ids = list(Run.objects.filter(stale, status__in=[Run.Status.RESOLVING, Run.Status.SENDING],
                                  started_at__lt=now - lease()).exclude(
        id__in=_waiting_run_ids()).values_list("id", flat=True)[:50])
    for run_id in ids:
        task.enqueue(run_id)
    settle_interrupted_sends(now)
    return len(ids)


def _waiting_run_ids() -> list[int]:
    """Runs that wait on a dispatch timer (people's local time later): not stalled."""
    from sauti.timers.models import Timer

    return [int(p.get("run", 0)) for p in Timer.objects.filter(kind=DISPATCH_TIMER, fired_at__isnull=True)
            .values_list("payload", flat=True)[:1000]]


def settle_interrupted_sends(now: dt.datetime) -> int:
    """SMS and email handed to a provider by a worker that died before hearing back: marked failed,
    never sent again (a provider without idempotency keys could deliver twice)."""
    return Recipient.objects.filter(state=Recipient.State.SENDING, queued_at__lt=now - lease()).update(
        state=Recipient.State.FAILED, reason=_("interrupted: the worker stopped while sending"))


def fire_dispatch_timer(timer: Any) -> None:
    from sauti.reminders.tasks import dispatch_run as task

    run_id = timer.payload.get("run")
    transaction.on_commit(lambda: task.enqueue(run_id))


# ---------------------------------------------------------------------------- resolving the audience


def resolve(run: Run, chunks: int | None = None) -> bool:
    """Recipient rows for everyone of the audience (or the next `chunks` chunks of it), in chunks
    that each commit with the position reached, so a restarted worker adds nobody twice and
    nobody is left out. True once the whole audience is read."""
    reminder = run.reminder
    workspace = reminder.workspace
    tz = sched.zone(workspace.timezone)
    local = reminder.time_basis == Reminder.TimeBasis.CONTACT and run.local_at is not None
    wall = run.local_at.replace(tzinfo=None) if run.local_at else None
    default_due = sched.at_local(wall, tz) if (local and wall) else run.due_at
    columns = ["id", "opted_in", "fields__timezone"] if local else ["id", "opted_in"]
    if reminder.audience == Reminder.Audience.NUMBERS:
        numbers = sorted(reminder.numbers or [])

        def chunks_of_audience():  # noqa: ANN202
            position = run.resolved_up_to
            while position < len(numbers):
                part = numbers[position:position + RESOLVE_CHUNK]
                position += len(part)
                rows = Contact.objects.filter(workspace=workspace, wa_id__in=part).values_list(*columns)
                yield list(rows), position
    else:
        try:
            people = segment_queryset(workspace, reminder.audience, reminder.segment, reminder.query)
        except AudienceInvalid as exc:
            Run.objects.filter(id=run.id).update(error=exc.message)
            people = Contact.objects.none()

        def chunks_of_audience():  # noqa: ANN202
            position = run.resolved_up_to
            while True:
                rows = list(people.filter(id__gt=position).order_by("id").values_list(*columns)[:RESOLVE_CHUNK])
                if not rows:
                    return
                position = rows[-1][0]
                yield rows, position

    for done, (rows, position) in enumerate(chunks_of_audience(), start=1):
        new = []
        for row in rows:
            due = default_due
            if local:
                due = sched.at_local(wall, sched.zone(row[2], tz))
            if row[1]:
                new.append(Recipient(run_id=run.id, contact_id=row[0], due_at=due))
            else:
                new.append(Recipient(run_id=run.id, contact_id=row[0], due_at=due, state=Recipient.State.SKIPPED,
                                     reason="not_opted_in"))
        with transaction.atomic():
            Recipient.objects.bulk_create(new, ignore_conflicts=True, batch_size=1000)
            Run.objects.filter(id=run.id).update(resolved_up_to=position, lease_until=timezone.now() + lease())
        run.resolved_up_to = position
        if chunks is not None and done >= chunks:
            return False
    Run.objects.filter(id=run.id).update(resolved_at=timezone.now(),
                                         total=Recipient.objects.filter(run=run).count())
    run.resolved_at = timezone.now()
    return True


# ---------------------------------------------------------------------------- the channels


def _claim(run: Run, now: dt.datetime, limit: int = CHUNK) -> list[Recipient]:
    """The run's due people, locked for this transaction (SKIP LOCKED: another dispatcher of the
    same run takes the next ones instead of waiting)."""
    query = (Recipient.objects.filter(run=run, state=Recipient.State.PENDING, due_at__lte=now)
             .select_related("contact").order_by("due_at", "id"))
    if connection.vendor == "postgresql":
        query = query.select_for_update(skip_locked=True, of=("self",))
    return list(query[:limit])


def _skip_reason(contact: Contact) -> str | None:
    """Opt-out is checked again at send time: people may withdraw after the audience was read."""
    return None if contact.opted_in else "not_opted_in"


def _settle(skipped: dict[str, list[int]], failed: dict[str, list[int]]) -> None:
    for reason, ids in skipped.items():
        Recipient.objects.filter(id__in=ids).update(state=Recipient.State.SKIPPED, reason=reason[:200])
    for reason, ids in failed.items():
        Recipient.objects.filter(id__in=ids).update(state=Recipient.State.FAILED, reason=reason[:200])


def _template_builder(reminder: Reminder) -> Callable[[Contact], dict[str, Any]]:
    from sauti.content.services.sending import template_message
    from sauti.content.templates import TemplateParamsInvalid
    from sauti.reminders.personalise import is_static, render_params

    params = reminder.params or {}
    if reminder.template is None:
        raise TemplateParamsInvalid("template", _("the template was deleted"))
    if is_static(params):
        body = template_message(reminder.template, params)
        return lambda contact: body
    return lambda contact: template_message(reminder.template, render_params(params, {"contact": contact_profile(
        contact)}))


def _mark_queued(pairs: list[tuple[int, int]], now: dt.datetime) -> None:
    """Recipients → queued with their message, in one statement (UPDATE … FROM VALUES works on
    PostgreSQL and SQLite ≥ 3.33; Django's bulk_update builds a CASE per row and costs more CPU
    than the rest of the chunk)."""
    if not pairs:
        return
    table = Recipient._meta.db_table
    rows = ", ".join(["(%s, %s)"] * len(pairs))
    sql = (f"UPDATE {table} SET message_id = v.column2, state = %s, queued_at = %s "  # noqa: S608 - no user text
           f"FROM (VALUES {rows}) AS v WHERE {table}.id = v.column1")
    with connection.cursor() as cursor:
        cursor.execute(sql, [Recipient.State.QUEUED.value, now, *[x for pair in pairs for x in pair]])


def _outbox_full(workspace: Workspace) -> bool:
    """Whether the number's bulk sends already waiting cover AHEAD_SECONDS at its rate (a read of
    at most that many index entries)."""
    from sauti.messaging.models import Outbox

    ahead = max(CHUNK, workspace.send_rate * AHEAD_SECONDS)
    waiting = Outbox.objects.filter(workspace_id=workspace.id, state=Outbox.State.QUEUED, priority__gte=Outbox.BULK)
    return waiting[:ahead].count() >= ahead


def _whatsapp_template_chunk(run: Run, now: dt.datetime) -> int:
    from sauti.content.templates import TemplateParamsInvalid
    from sauti.insights.services.families import REMINDER_PREFIX
    from sauti.messaging.services import queue_bulk
    from sauti.reminders.personalise import PersonaliseError

    reminder = run.reminder
    if _outbox_full(reminder.workspace):
        return AHEAD
    with transaction.atomic():
        rows = _claim(run, now)
        if not rows:
            return 0
        skipped: dict[str, list[int]] = defaultdict(list)
        failed: dict[str, list[int]] = defaultdict(list)
        try:
            build = _template_builder(reminder)
        except TemplateParamsInvalid as exc:
            failed[f"{exc.field}: {exc.message}"] = [r.id for r in rows]
            _settle(skipped, failed)
            return len(rows)
        ok: list[Recipient] = []
        items: list[tuple[Contact, dict[str, Any]]] = []
        for recipient in rows:
            contact = recipient.contact
            reason = _skip_reason(contact)
            if reason:
                skipped[reason].append(recipient.id)
                continue
            if not contact.address:
                failed["no_whatsapp_id"].append(recipient.id)
                continue
            try:
                body = build(contact)
            except (TemplateParamsInvalid, PersonaliseError) as exc:
                failed[f"{exc.field}: {exc.message}"].append(recipient.id)
                continue
            items.append((contact, body))
            ok.append(recipient)
        message_ids = queue_bulk(reminder.workspace, items, now=now, author_id=f"{REMINDER_PREFIX}{reminder.uuid}",
                                 author_name=reminder.name[:200])
        _mark_queued([(r.id, m) for r, m in zip(ok, message_ids, strict=True)], now)
        _settle(skipped, failed)
    return len(rows)


def _journey_chunk(run: Run, now: dt.datetime) -> int:
    """Each person gets the journey through the Timers table (the journeys runner's own start
    timer), which takes their contact lease like a message would."""
    from sauti.journeys.runner.effects import START_TIMER

    journey = run.reminder.journey
    with transaction.atomic():
        rows = _claim(run, now, limit=200)
        if not rows:
            return 0
        skipped: dict[str, list[int]] = defaultdict(list)
        failed: dict[str, list[int]] = defaultdict(list)
        started = []
        for recipient in rows:
            reason = _skip_reason(recipient.contact)
            if reason:
                skipped[reason].append(recipient.id)
            elif journey is None or journey.published_version_id is None:
                failed[_("the journey is no longer published")].append(recipient.id)
            else:
                set_timer(run.workspace_id, START_TIMER, f"{recipient.contact_id}:{journey.uuid}", now,
                          {"contact": recipient.contact_id, "journey": str(journey.uuid)})
                started.append(recipient.id)
        Recipient.objects.filter(id__in=started).update(state=Recipient.State.STARTED, queued_at=now)
        _settle(skipped, failed)
    return len(rows)


def _sms_chunk(run: Run, now: dt.datetime) -> int:
    from sauti.reminders.channels.sms import dispatch_sms_chunk

    return dispatch_sms_chunk(run, now, _claim, _skip_reason, _settle)


def _email_chunk(run: Run, now: dt.datetime) -> int:
    from sauti.reminders.channels.email import dispatch_email_chunk

    return dispatch_email_chunk(run, now, _claim, _skip_reason, _settle)


CHANNELS: dict[tuple[str, str], Callable[[Run, dt.datetime], int]] = {
    (Reminder.Channel.WHATSAPP, Reminder.Action.TEMPLATE): _whatsapp_template_chunk,
    (Reminder.Channel.WHATSAPP, Reminder.Action.JOURNEY): _journey_chunk,
    (Reminder.Channel.SMS, Reminder.Action.TEXT): _sms_chunk,
    (Reminder.Channel.EMAIL, Reminder.Action.TEXT): _email_chunk,
}
