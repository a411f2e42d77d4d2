"""What journey timers do when they fire: resume a session (timeout, wait) or start a journey."""

from __future__ import annotations

from django.utils import timezone

from sauti.contacts.models import Contact
from sauti.journeys.models import Journey, Session
from sauti.journeys.runner.effects import SESSION_TIMER, START_TIMER
from sauti.messaging.pipeline import acquire_contact, release_contact
from sauti.timers.models import Timer
from sauti.timers.services import TimerBusy


def _with_contact(contact_id: int, work) -> None:  # noqa: ANN001 - a small local callable
    token = acquire_contact(contact_id, timezone.now())
    if token is None:
        raise TimerBusy("the contact is being handled; try again shortly")
    try:
        work()
    finally:
        release_contact(contact_id, token)


def fire_session_timer(timer: Timer) -> None:
    from sauti.journeys.runner.sessions import fire_session_timer as resume

    session = Session.objects.filter(id=timer.payload.get("session")).only("contact_id").first()
    if session is None:
        return
    # The timer's moment has come even if this worker runs it a little early (clock skew between
    # machines): the engine sees the later of the two.
    now = max(timezone.now(), timer.due_at)
    _with_contact(session.contact_id, lambda: resume(session.id, timer.payload.get("key", ""),
                                                     timer.payload.get("at", ""), now))


def fire_start_timer(timer: Timer) -> None:
    """schedule_stack: start the journey for the contact, ending what they were in (as Turn does)."""
    from sauti.journeys.runner.sessions import StartRefused, end_session, start_journey

    contact = Contact.objects.filter(id=timer.payload.get("contact"), workspace_id=timer.workspace_id).first()
    journey = Journey.objects.filter(uuid=timer.payload.get("journey"), workspace_id=timer.workspace_id).first()
    if contact is None or journey is None:
        return

    def start() -> None:
        now = max(timezone.now(), timer.due_at)
        for session in Session.objects.filter(contact=contact, status=Session.Status.ACTIVE):
            end_session(session, "interrupted", now)
        try:
            start_journey(journey, contact, now=now)
        except StartRefused:
            pass

    _with_contact(contact.id, start)


def register() -> None:
    from sauti.journeys.runner.triggers import run_time_triggers
    from sauti.timers.scheduler import register_job
    from sauti.timers.services import register_timer_handler

    register_timer_handler(SESSION_TIMER, fire_session_timer)
    register_timer_handler(START_TIMER, fire_start_timer)
    register_job("journeys: time-based triggers", 60.0, run_time_triggers)
