"""Writes for reminders: save (checked), schedule, cancel, and each run's life (due → resolving →
sending → done). The only place that writes reminders' rows; the dispatcher is sauti.reminders.dispatch."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from sauti.accounts.models import User, Workspace
from sauti.accounts.services import record_audit
from sauti.reminders import schedule as sched
from sauti.reminders.models import Recipient, Reminder, Run
from sauti.timers.services import cancel_timers, set_timer

RUN_TIMER = "reminder_run"
CHANNEL_ACTIONS = {
    Reminder.Channel.WHATSAPP: (Reminder.Action.TEMPLATE, Reminder.Action.JOURNEY),
    Reminder.Channel.SMS: (Reminder.Action.TEXT,),
    Reminder.Channel.EMAIL: (Reminder.Action.TEXT,),
}


class ReminderInvalid(ValueError):
    """A reminder that cannot be saved as given; `.errors` maps form fields to messages."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors


@dataclass
class ReminderSpec:
    """What the create/edit form (or a test) gives; `check_reminder` validates it as a whole."""

    name: str
    channel: str = Reminder.Channel.WHATSAPP
    action: str = Reminder.Action.TEMPLATE
    template: Any = None
    params: dict[str, Any] = field(default_factory=dict)
    journey: Any = None
    subject: str = ""
    text: str = ""
    audience: str = Reminder.Audience.SEGMENT
    segment: Any = None
    query: str = ""
    numbers: list[str] = field(default_factory=list)
    schedule: str = Reminder.Schedule.NOW
    time_basis: str = Reminder.TimeBasis.WORKSPACE
    local_at: dt.datetime | None = None
    frequency: str = ""
    weekdays: list[int] = field(default_factory=list)
    start_date: dt.date | None = None
    time_of_day: dt.time | None = None
    end_date: dt.date | None = None
    max_runs: int | None = None


def check_reminder(workspace: Workspace, spec: ReminderSpec, *, now: dt.datetime | None = None) -> ReminderSpec:
    """Every rule a reminder must keep before it is saved; raises ReminderInvalid naming fields."""
    from sauti.content.models import MessageTemplate
    from sauti.content.templates import template_parameters
    from sauti.reminders.audience import AudienceInvalid, segment_queryset
    from sauti.reminders.personalise import PersonaliseError, check_params, check_text

    now = now or timezone.now()
    errors: dict[str, str] = {}
    spec.name = (spec.name or "").strip()
    if not spec.name:
        errors["name"] = _("Give the reminder a name.")
    elif len(spec.name) > 200:
        errors["name"] = _("Keep the name under 200 characters.")
    if spec.channel not in CHANNEL_ACTIONS:
        errors["channel"] = _("Choose WhatsApp, SMS or email.")
    elif spec.action not in CHANNEL_ACTIONS[spec.channel]:
        spec.action = CHANNEL_ACTIONS[spec.channel][0]
    if spec.channel == Reminder.Channel.WHATSAPP and spec.action == Reminder.Action.TEMPLATE:
        template = spec.template
        if template is None or template.workspace_id != workspace.id:
            errors["template"] = _("Choose an approved template.")
        elif template.status != MessageTemplate.Status.APPROVED:
            errors["template"] = _("The template is not approved by WhatsApp yet; only approved templates can be sent.")
        else:
            needed = template_parameters(template)
            for item in needed:
                if item["component"] == "button" or (item["component"] == "header" and item["kind"] != "text"):
                    continue
                values = spec.params.get(item["component"]) or []
                if len(values) < item["index"] or not str(values[item["index"] - 1]).strip():
                    errors[f"param-{item['component']}-{item['index']}"] = _("Give a value for %(label)s.") % {
                        "label": item["label"]}
            try:
                check_params(spec.params)
            except PersonaliseError as exc:
                errors[f"param-{exc.field.replace('.', '-')}"] = exc.message
    elif spec.channel == Reminder.Channel.WHATSAPP:
        journey = spec.journey
        if journey is None or journey.workspace_id != workspace.id:
            errors["journey"] = _("Choose a journey.")
        elif journey.published_version_id is None or not journey.enabled:
            errors["journey"] = _("The journey must be published and enabled to start for people.")
    else:
        if not (spec.text or "").strip():
            errors["text"] = _("Write the message.")
        elif spec.channel == Reminder.Channel.SMS and len(spec.text) > 1600:
            errors["text"] = _("An SMS can be at most 1,600 characters (10 parts).")
        else:
            try:
                check_text(spec.text, "text")
            except PersonaliseError as exc:
                errors["text"] = exc.message
        if spec.channel == Reminder.Channel.EMAIL and not (spec.subject or "").strip():
            errors["subject"] = _("Give the email a subject.")
    if spec.audience in (Reminder.Audience.SEGMENT, Reminder.Audience.QUERY):
        try:
            segment_queryset(workspace, spec.audience, spec.segment, spec.query)
        except AudienceInvalid as exc:
            errors[exc.field] = exc.message
    elif spec.audience == Reminder.Audience.NUMBERS:
        if not spec.numbers:
            errors["numbers"] = _("List at least one WhatsApp number, or upload a CSV file.")
    else:
        errors["audience"] = _("Choose who receives it.")
    _check_schedule(workspace, spec, now, errors)
    if errors:
        raise ReminderInvalid(errors)
    return spec


def _check_schedule(workspace: Workspace, spec: ReminderSpec, now: dt.datetime, errors: dict[str, str]) -> None:
    if spec.schedule == Reminder.Schedule.NOW:
        return
    if spec.time_basis not in Reminder.TimeBasis.values:
        errors["time_basis"] = _("Choose whose clock the time is read on.")
        return
    if spec.schedule == Reminder.Schedule.ONCE:
        if spec.local_at is None:
            errors["local_at"] = _("Give the date and time to send at.")
        elif spec.time_basis == Reminder.TimeBasis.WORKSPACE and sched.at_local(
                spec.local_at, sched.zone(workspace.timezone)) < now - dt.timedelta(minutes=1):
            errors["local_at"] = _("That moment has passed; choose a time in the future, or send now.")
        return
    if spec.schedule != Reminder.Schedule.RECURRING:
        errors["schedule"] = _("Choose when to send.")
        return
    if spec.frequency not in Reminder.Frequency.values:
        errors["frequency"] = _("Choose daily, weekly or monthly.")
    if spec.start_date is None:
        errors["start_date"] = _("Give the first day.")
    if spec.time_of_day is None:
        errors["time_of_day"] = _("Give the time of day.")
    if spec.frequency == Reminder.Frequency.WEEKLY and any(d not in range(7) for d in spec.weekdays):
        errors["weekdays"] = _("Choose days of the week.")
    if spec.end_date is None and not spec.max_runs:
        errors["end_date"] = _("A recurring reminder needs an end: a last day or a number of times.")
    elif spec.end_date and spec.start_date and spec.end_date < spec.start_date:
        errors["end_date"] = _("The last day comes before the first.")


def _apply(reminder: Reminder, spec: ReminderSpec) -> None:
    for name in ("name", "channel", "action", "template", "params", "journey", "subject", "text", "audience",
                 "segment", "query", "numbers", "schedule", "time_basis", "local_at", "frequency", "weekdays",
                 "start_date", "time_of_day", "end_date", "max_runs"):
        setattr(reminder, name, getattr(spec, name))
    if reminder.local_at is not None and reminder.local_at.tzinfo is None:
        # A wall-clock time, labelled UTC only so the database can store it.
        reminder.local_at = reminder.local_at.replace(tzinfo=dt.UTC)


@transaction.atomic
def save_reminder(workspace: Workspace, spec: ReminderSpec, *, actor: User | None = None,
                  reminder: Reminder | None = None, start: bool = True, now: dt.datetime | None = None) -> Reminder:
    """Create (or change, while it has not started) a reminder, then schedule it (`start`) or
    keep it as a draft. The caller checks the role ("reminders.edit") and runs check_reminder."""
    now = now or timezone.now()
    if reminder is not None and not reminder.editable:
        raise ReminderInvalid({"name": _("This reminder has started; it can no longer be changed.")})
    creating = reminder is None
    reminder = reminder or Reminder(workspace=workspace, created_by=actor)
    _apply(reminder, spec)
    reminder.status = Reminder.Status.DRAFT
    reminder.save()
    _drop_future_runs(reminder)
    record_audit(workspace, "reminder_created" if creating else "reminder_changed", actor=actor,
                 target=str(reminder.uuid), name=reminder.name)
    if start:
        schedule_reminder(reminder, now=now)
    return reminder


def _drop_future_runs(reminder: Reminder) -> None:
    for run in reminder.runs.filter(status=Run.Status.PENDING):
        cancel_timers(reminder.workspace_id, RUN_TIMER, key=str(run.uuid))
        run.delete()
    reminder.next_run_at = None


def first_wall_time(reminder: Reminder, now: dt.datetime, runs_so_far: int = 0) -> dt.datetime | None:
    """The next run's wall-clock time (naive, in the basis' timezone), None for "now"."""
    if reminder.schedule == Reminder.Schedule.ONCE:
        return reminder.local_at.replace(tzinfo=None) if reminder.local_at else None
    if reminder.schedule == Reminder.Schedule.RECURRING:
        return recurrence_of(reminder).next_after(_wall_now(reminder, now), runs_so_far)
    return None


def _wall_now(reminder: Reminder, now: dt.datetime) -> dt.datetime | None:
    """For a workspace-time recurrence, occurrences already past are skipped; contact-local ones
    start from the workspace's today, and people whose moment has passed get it at once."""
    return now.astimezone(sched.zone(reminder.workspace.timezone)).replace(tzinfo=None) - dt.timedelta(seconds=1)


def recurrence_of(reminder: Reminder) -> sched.Recurrence:
    return sched.Recurrence(frequency=reminder.frequency, start_date=reminder.start_date,
                            time_of_day=reminder.time_of_day, weekdays=tuple(reminder.weekdays or ()),
                            end_date=reminder.end_date, max_runs=reminder.max_runs)


def due_of(reminder: Reminder, wall: dt.datetime | None, now: dt.datetime) -> dt.datetime:
    if wall is None:
        return now
    if reminder.time_basis == Reminder.TimeBasis.CONTACT:
        return sched.earliest(wall)
    return sched.at_local(wall, sched.zone(reminder.workspace.timezone))


def _create_run(reminder: Reminder, number: int, wall: dt.datetime | None, now: dt.datetime) -> Run:
    due = due_of(reminder, wall, now)
    run = Run.objects.create(reminder=reminder, workspace_id=reminder.workspace_id, number=number, due_at=due,
                             local_at=wall.replace(tzinfo=dt.UTC) if wall else None)
    reminder.next_run_at = due
    if due <= now:
        _start_run(run, now)
    else:
        set_timer(reminder.workspace_id, RUN_TIMER, str(run.uuid), due, {"run": run.id})
    return run


def schedule_reminder(reminder: Reminder, *, now: dt.datetime | None = None) -> Reminder:
    """Make a draft reminder's first run (due now or at its time) and set it going."""
    now = now or timezone.now()
    with transaction.atomic():
        # A recurring reminder changed between runs keeps its past runs and their count.
        done = reminder.runs.count()
        wall = first_wall_time(reminder, now, done)
        if reminder.schedule == Reminder.Schedule.RECURRING and wall is None:
            raise ReminderInvalid({"start_date": _("The recurrence ends before its next occurrence.")})
        reminder.status = Reminder.Status.SCHEDULED
        number = (reminder.runs.aggregate(n=Max("number"))["n"] or 0) + 1
        _create_run(reminder, number, wall, now)
        if reminder.next_run_at and reminder.next_run_at <= now:
            reminder.status = Reminder.Status.SENDING
        reminder.save(update_fields=["status", "next_run_at", "updated_at"])
    return reminder


def _start_run(run: Run, now: dt.datetime) -> None:
    """A run is due: it resolves and dispatches in a task; a recurring reminder gets its next run."""
    from sauti.reminders.tasks import dispatch_run

    Run.objects.filter(id=run.id, status=Run.Status.PENDING).update(status=Run.Status.RESOLVING, started_at=now)
    reminder = run.reminder
    Reminder.objects.filter(id=reminder.id, status=Reminder.Status.SCHEDULED).update(status=Reminder.Status.SENDING)
    if reminder.schedule == Reminder.Schedule.RECURRING:
        wall = recurrence_of(reminder).next_after(run.local_at.replace(tzinfo=None) if run.local_at else None,
                                                  run.number)
        if wall is not None:
            _create_run(reminder, run.number + 1, wall, now)
            Reminder.objects.filter(id=reminder.id).update(next_run_at=reminder.next_run_at)
        else:
            Reminder.objects.filter(id=reminder.id).update(next_run_at=None)
    transaction.on_commit(lambda: dispatch_run.enqueue(run.id))


def fire_run_timer(timer: Any) -> None:
    """The Timers table's handler for RUN_TIMER."""
    run = Run.objects.select_related("reminder__workspace").filter(id=timer.payload.get("run")).first()
    if run is None or run.status != Run.Status.PENDING or run.reminder.status == Reminder.Status.CANCELLED:
        return
    _start_run(run, max(timezone.now(), timer.due_at))


def finish_run(run: Run, now: dt.datetime) -> None:
    """Everyone of the run has been dispatched: the run is done, and the reminder too when no
    later run is waiting."""
    with transaction.atomic():
        Run.objects.filter(id=run.id, status__in=[Run.Status.RESOLVING, Run.Status.SENDING]).update(
            status=Run.Status.DONE, finished_at=now, lease_until=None)
        reminder = run.reminder
        if not reminder.runs.exclude(status__in=[Run.Status.DONE, Run.Status.CANCELLED]).exists():
            Reminder.objects.filter(id=reminder.id, status__in=[Reminder.Status.SENDING, Reminder.Status.SCHEDULED]
                                    ).update(status=Reminder.Status.SENT, next_run_at=None)
        elif not reminder.runs.filter(status__in=[Run.Status.RESOLVING, Run.Status.SENDING]).exists():
            Reminder.objects.filter(id=reminder.id, status=Reminder.Status.SENDING).update(
                status=Reminder.Status.SCHEDULED)


def cancel_reminder(reminder: Reminder, *, actor: User | None = None, now: dt.datetime | None = None) -> int:
    """Stop a reminder: later runs never start, nobody still waiting gets it, and messages still
    in the Outbox are taken off it. What the sender already handed to WhatsApp stays sent.
    Returns how many people it was stopped for. The caller checks "reminders.edit"."""
    from sauti.messaging.services import cancel_queued

    now = now or timezone.now()
    with transaction.atomic():
        Reminder.objects.filter(id=reminder.id).update(status=Reminder.Status.CANCELLED, cancelled_at=now,
                                                       next_run_at=None)
        reminder.status = Reminder.Status.CANCELLED
        runs = list(reminder.runs.exclude(status__in=[Run.Status.DONE, Run.Status.CANCELLED]).values_list("id",
                                                                                                          "uuid"))
        for _run_id, run_uuid in runs:
            cancel_timers(reminder.workspace_id, RUN_TIMER, key=str(run_uuid))
        Run.objects.filter(id__in=[r for r, _ in runs]).update(status=Run.Status.CANCELLED, finished_at=now,
                                                               lease_until=None)
        stopped = Recipient.objects.filter(run__reminder=reminder, state=Recipient.State.PENDING).update(
            state=Recipient.State.CANCELLED, reason="cancelled")
        record_audit(reminder.workspace, "reminder_cancelled", actor=actor, target=str(reminder.uuid),
                     name=reminder.name)
    # After the commit above the dispatcher queues nothing more; what it queued is taken back here.
    queued = Recipient.objects.filter(run__reminder=reminder, state=Recipient.State.QUEUED,
                                      message__status__in=["queued"])
    reason = _("The reminder was cancelled before this message was sent.")
    while True:
        batch = list(queued.values_list("id", "message_id")[:1000])
        if not batch:
            break
        taken = set(cancel_queued([m for _, m in batch], reason))
        Recipient.objects.filter(message_id__in=taken).update(state=Recipient.State.CANCELLED, reason="cancelled")
        stopped += len(taken)
        if len(taken) < len(batch):
            # The rest are being sent right now: they are not ours to stop.
            Recipient.objects.filter(id__in=[r for r, m in batch if m not in taken]).update(reason="")
            queued = queued.exclude(id__in=[r for r, m in batch if m not in taken])
    return stopped
