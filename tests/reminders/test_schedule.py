"""When reminders go: a date-time in the workspace's timezone, a wall time in each person's own
timezone, recurrence with an end; and cancelling, after which nothing not yet sent is sent."""

from __future__ import annotations

import datetime as dt

import pytest

from sauti.reminders import schedule as sched
from sauti.reminders.dispatch import DISPATCH_TIMER, dispatch_run, resolve
from sauti.reminders.models import Recipient, Reminder, Run
from sauti.reminders.services import RUN_TIMER, cancel_reminder
from sauti.reminders.stats import reminder_stats
from sauti.timers.models import Timer
from sauti.timers.services import fire_timer
from tests.reminders.conftest import people, remind, run_all, sent_to_fake

UTC = dt.UTC
D = dt.date


@pytest.mark.parametrize(("rule", "after", "expected"), [
    (sched.Recurrence("daily", D(2030, 1, 30), dt.time(9)), None, dt.datetime(2030, 1, 30, 9)),
    (sched.Recurrence("daily", D(2030, 1, 30), dt.time(9)), dt.datetime(2030, 1, 30, 9), dt.datetime(2030, 1, 31, 9)),
    (sched.Recurrence("weekly", D(2030, 1, 7), dt.time(8), weekdays=(2, 4)), dt.datetime(2030, 1, 9, 8),
     dt.datetime(2030, 1, 11, 8)),
    (sched.Recurrence("weekly", D(2030, 1, 7), dt.time(8)), dt.datetime(2030, 1, 7, 8), dt.datetime(2030, 1, 14, 8)),
    # On the 31st: months that are shorter get their last day.
    (sched.Recurrence("monthly", D(2030, 1, 31), dt.time(7)), dt.datetime(2030, 1, 31, 7), dt.datetime(2030, 2, 28, 7)),
    (sched.Recurrence("daily", D(2030, 1, 1), dt.time(9), end_date=D(2030, 1, 2)), dt.datetime(2030, 1, 2, 9), None),
])
def test_recurrence_finds_the_next_occurrence_and_ends(rule, after, expected):
    assert rule.next_after(after) == expected


def test_a_recurrence_with_a_count_ends_after_that_many():
    rule = sched.Recurrence("daily", D(2030, 1, 1), dt.time(9), max_runs=3)
    assert rule.next_after(dt.datetime(2030, 1, 2, 9), runs_so_far=2) == dt.datetime(2030, 1, 3, 9)
    assert rule.next_after(dt.datetime(2030, 1, 3, 9), runs_so_far=3) is None


def test_wall_times_become_utc_in_their_timezone_across_a_clock_change():
    new_york = sched.zone("America/New_York")
    assert sched.at_local(dt.datetime(2030, 1, 15, 9), new_york) == dt.datetime(2030, 1, 15, 14, tzinfo=UTC)
    assert sched.at_local(dt.datetime(2030, 7, 15, 9), new_york) == dt.datetime(2030, 7, 15, 13, tzinfo=UTC)
    assert sched.zone("Not/AZone") is UTC


@pytest.mark.django_db(transaction=True)
def test_a_date_time_is_read_in_the_workspaces_timezone(ws, template):
    reminder = remind(ws, template=template, params={"body": ["x", "y"]}, schedule="once",
                      local_at=dt.datetime(2099, 3, 1, 9, 0))
    assert reminder.status == Reminder.Status.SCHEDULED
    run = reminder.runs.get()
    # Johannesburg is UTC+2.
    assert run.due_at == dt.datetime(2099, 3, 1, 7, 0, tzinfo=UTC)
    assert Timer.objects.get(kind=RUN_TIMER).due_at == run.due_at


@pytest.mark.django_db(transaction=True)
def test_a_local_time_reaches_each_person_at_nine_on_their_own_clock(ws, template):
    from sauti.contacts.services import create_field

    create_field(ws, key="timezone")
    lagos, kolkata, nobody = people(ws, 1, timezone="Africa/Lagos"), people(ws, 1, start=1, timezone="Asia/Kolkata"), \
        people(ws, 1, start=2)
    reminder = remind(ws, template=template, params={"body": ["x", "y"]}, schedule="once", time_basis="contact",
                      local_at=dt.datetime(2099, 3, 1, 9, 0))
    run = reminder.runs.get()
    assert run.due_at == dt.datetime(2099, 2, 28, 19, 0, tzinfo=UTC)  # 09:00 first arrives at UTC+14
    Run.objects.filter(id=run.id).update(status=Run.Status.RESOLVING)
    resolve(Run.objects.get(id=run.id))
    due = dict(Recipient.objects.values_list("contact_id", "due_at"))
    assert due[lagos[0].id] == dt.datetime(2099, 3, 1, 8, 0, tzinfo=UTC)
    assert due[kolkata[0].id] == dt.datetime(2099, 3, 1, 3, 30, tzinfo=UTC)
    assert due[nobody[0].id] == dt.datetime(2099, 3, 1, 7, 0, tzinfo=UTC)  # the workspace's clock
    # Nobody is due yet: the dispatcher waits for the first of them.
    Run.objects.filter(id=run.id).update(lease_until=None)
    dispatch_run(run.id)
    assert Recipient.objects.filter(state="pending").count() == 3
    assert Timer.objects.get(kind=DISPATCH_TIMER).due_at == dt.datetime(2099, 3, 1, 3, 30, tzinfo=UTC)


@pytest.mark.django_db(transaction=True)
def test_a_recurring_reminder_makes_each_next_run_until_its_end(ws, template):
    reminder = remind(ws, template=template, params={"body": ["x", "y"]}, schedule="recurring", frequency="daily",
                      start_date=D(2099, 1, 1), time_of_day=dt.time(8, 0), max_runs=3)
    assert [r.due_at for r in reminder.runs.all()] == [dt.datetime(2099, 1, 1, 6, 0, tzinfo=UTC)]
    for expected in (2, 3):
        timer = Timer.objects.filter(kind=RUN_TIMER, fired_at__isnull=True).order_by("due_at").first()
        assert fire_timer(timer.id)
        assert reminder.runs.count() == expected
    timer = Timer.objects.filter(kind=RUN_TIMER, fired_at__isnull=True).get()
    assert fire_timer(timer.id)
    assert reminder.runs.count() == 3  # the third was the last
    assert [r.due_at.day for r in Run.objects.order_by("number")] == [1, 2, 3]
    reminder.refresh_from_db()
    assert reminder.next_run_at is None


@pytest.mark.django_db(transaction=True)
def test_cancelling_takes_what_is_still_queued_off_the_outbox(ws, template, fake):
    from tests.messaging.test_sender import rounds
    from tests.support import drain_tasks

    people(ws, 30)
    reminder = remind(ws, template=template, params={"body": ["@contact.name", "y"]})
    drain_tasks()  # everyone is in the Outbox now; the sender has not run
    assert Recipient.objects.filter(state="queued").count() == 30
    assert cancel_reminder(reminder) == 30
    rounds(20)
    assert sent_to_fake(fake) == []
    stats = reminder_stats(reminder)
    assert (stats.cancelled, stats.sent, stats.waiting) == (30, 0, 0)


@pytest.mark.django_db(transaction=True)
def test_cancelling_a_scheduled_reminder_means_its_run_never_starts(ws, template, fake):
    people(ws, 3)
    reminder = remind(ws, template=template, params={"body": ["x", "y"]}, schedule="once",
                      local_at=dt.datetime(2099, 3, 1, 9, 0))
    cancel_reminder(reminder)
    assert not Timer.objects.filter(kind=RUN_TIMER).exists()
    assert reminder.runs.get().status == Run.Status.CANCELLED
    run_all()
    assert sent_to_fake(fake) == []


@pytest.mark.django_db(transaction=True)
def test_a_recurring_reminder_changed_between_runs_keeps_its_past_runs(ws, template, fake):
    from sauti.reminders.services import ReminderSpec, check_reminder, save_reminder
    from tests.support import drain_tasks

    people(ws, 2)
    reminder = remind(ws, template=template, params={"body": ["x", "y"]}, schedule="recurring", frequency="weekly",
                      weekdays=[0], start_date=D(2099, 1, 5), time_of_day=dt.time(8, 0), max_runs=4)
    from django.utils import timezone

    Run.objects.filter(number=1).update(due_at=timezone.now())  # its time has come
    assert fire_timer(Timer.objects.get(kind=RUN_TIMER, fired_at__isnull=True).id)
    drain_tasks()
    reminder.refresh_from_db()
    assert reminder.status == Reminder.Status.SCHEDULED  # run 1 done, run 2 waiting
    spec = ReminderSpec(name="Weekly visit", template=template, params={"body": ["@contact.name", "y"]},
                        audience="query", schedule="recurring", frequency="weekly", weekdays=[0],
                        start_date=D(2099, 1, 5), time_of_day=dt.time(9, 0), max_runs=4)
    save_reminder(ws, check_reminder(ws, spec), reminder=reminder)
    assert [(r.number, r.status) for r in Run.objects.order_by("number")] == [(1, "done"), (2, "pending")]
    assert Run.objects.get(number=2).due_at.hour == 7  # 09:00 in Johannesburg
