"""Sessions in the database: start a journey, feed it events, carry out what it asks for.

The engine is pure (`step`); this module is where its effects meet the rest of Sauti through
each app's services. A contact has at most one active session (a database constraint); callers
hold the contact's lease (the pipeline's handle_contact, or the timer handlers below).
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from sauti.contacts.models import Contact
from sauti.contacts.services import contact_profile
from sauti.journeys.engine import ChildFinished, HttpResponse, Start, State, TimerFired, UserMessage, step
from sauti.journeys.engine import effects as fx
from sauti.journeys.models import Dictionary, Journey, Session
from sauti.journeys.programs import program_for_source
from sauti.journeys.runner import effects as handlers
from sauti.messaging.models import Chat, Message

logger = logging.getLogger(__name__)
MAX_ROUND_TRIPS = 50  # HTTP answers fed back within one turn before the journey is stopped


@dataclass
class StartRefused(Exception):
    """A journey that cannot start for this contact, with a stable code and a reason."""

    code: str
    message: str

    def __str__(self) -> str:
        return self.message


def chat_context(contact: Contact, chat: Chat | None = None) -> dict[str, Any]:
    chat = chat or Chat.objects.filter(contact=contact).select_related("assigned_to").first()
    if chat is None:
        return {"assigned_to": None, "state": "open"}
    assignee = chat.assigned_to
    return {"uuid": str(chat.uuid), "state": chat.state, "unread_count": chat.unread_count,
            "assigned_to": {"id": str(assignee.uuid), "name": str(assignee), "email": assignee.email}
            if assignee else None}


def globals_for(workspace_id: int, program: Any = None) -> dict[str, Any]:
    """The workspace's dictionaries (@global.<name>), read only for journeys that use them."""
    if program is not None and program.names is not None and "global" not in program.names:
        return {}
    return {d.name: d.data for d in Dictionary.objects.filter(workspace_id=workspace_id)}


def is_test_contact(contact: Contact, workspace_settings: dict[str, Any]) -> bool:
    """Test contacts (workspace setting `journey_test_numbers`) run staged versions."""
    numbers = workspace_settings.get("journey_test_numbers") or []
    return bool(contact.wa_id) and contact.wa_id in {str(n).lstrip("+") for n in numbers}


def version_for(journey: Journey, contact: Contact) -> Any:
    """The staged version for the workspace's test contacts, the published one for everyone else."""
    if journey.staging_version_id and is_test_contact(contact, contact.workspace.settings):
        return journey.staging_version
    return journey.published_version


def active_session(contact: Contact) -> Session | None:
    return (Session.objects.filter(contact=contact, status=Session.Status.ACTIVE)
            .select_related("journey", "version", "workspace").first())


def start_journey(journey: Journey, contact: Contact, *, message: Message | None = None,
                  now: dt.datetime | None = None, params: dict | None = None, parent: Session | None = None,
                  require_message: bool = False, chat: dict[str, Any] | None = None) -> Session:
    """Start the published version of `journey` for `contact` and run it until it waits.

    With require_message (the API's rule) the contact must have written before: the journey gets
    that message (or the chat's last one) as `event.message`.
    """
    now = now or timezone.now()
    if not journey.enabled:
        raise StartRefused("disabled", f"the journey {journey.name!r} is disabled")
    version = version_for(journey, contact)
    if version is None:
        raise StartRefused("not_published", f"the journey {journey.name!r} has no published version")
    if message is None and require_message:
        message = (Message.objects.filter(contact=contact, direction=Message.Direction.INBOUND)
                   .order_by("-id").first())
        if message is None:
            raise StartRefused("contact_never_wrote", "a journey can only start for a contact who has written "
                                                      "to this number before")
    try:
        with transaction.atomic():
            session = Session.objects.create(workspace_id=journey.workspace_id, journey=journey, version=version,
                                             contact=contact, parent=parent, state={})
            session.workspace = contact.workspace  # loaded with the contact; the effects need it
    except IntegrityError as exc:
        raise StartRefused("active_session", "the contact is already in an active journey session") from exc
    program = program_for_source(version.source, version.source_hash)
    event = Start(message=message.payload if message else None, contact=contact_profile(contact),
                  chat=chat if chat is not None else chat_context(contact),
                  globals=globals_for(journey.workspace_id, program), params=params)
    run(session, event, now, message=message)
    return session


def resume(session: Session, event: Any, now: dt.datetime, *, message: Message | None = None) -> list[fx.Effect]:
    return run(session, event, now, message=message)


def run(session: Session, event: Any, now: dt.datetime, *, message: Message | None = None) -> list[fx.Effect]:
    """Step the session with `event`, carry out the effects, feed HTTP answers back; save."""
    program = program_for_source(session.version.source, session.version.source_hash)
    state = State.from_dict(session.state) if session.state else None
    done: list[fx.Effect] = []
    context = handlers.EffectContext(session=session, message=message, now=now)
    for _ in range(MAX_ROUND_TRIPS):
        state, effects = step(program, state, event, now)
        done += effects
        event = None
        for effect in effects:
            answer = handlers.apply(context, effect)
            if answer is not None:
                event = answer
        if event is None:
            break
    else:
        handlers.log(context, "error", "the journey kept calling HTTP within one turn; stopped")
        state = None
    ended = state is None or state.status == "ended"
    session.state = state.to_dict() if state is not None else {}
    if context.child is not None and not ended:
        session.status = Session.Status.WAITING_CHILD
    elif ended:
        session.status = Session.Status.ENDED
        session.ended_at = now
        session.end_reason = (state.end_reason if state is not None else "failed") or "completed"
    session.save(update_fields=["state", "status", "ended_at", "end_reason", "updated_at"])
    if ended:
        handlers.session_ended(context)
    if context.child is not None and not ended:
        child_journey = context.child
        try:
            start_journey(child_journey, session.contact, message=message, now=now, parent=session)
        except StartRefused as exc:
            handlers.log(context, "error", f"run_stack: {exc}")
            finish_child(session, now)
    if ended and session.parent_id:
        parent = Session.objects.filter(id=session.parent_id, status=Session.Status.WAITING_CHILD).select_related(
            "journey", "version", "contact").first()
        if parent is not None:
            finish_child(parent, now, journey_uuid=str(session.journey.uuid))
    return done


def finish_child(parent: Session, now: dt.datetime, journey_uuid: str | None = None) -> None:
    """The child journey ended: the parent becomes the active session again and goes on."""
    parent.status = Session.Status.ACTIVE
    parent.save(update_fields=["status", "updated_at"])
    run(parent, ChildFinished(journey_uuid=journey_uuid, contact=contact_profile(parent.contact)), now)


def end_session(session: Session, reason: str, now: dt.datetime) -> None:
    Session.objects.filter(id=session.id).update(status=Session.Status.ENDED, ended_at=now, end_reason=reason)


def route_message(message: Message) -> bool:
    """The messaging pipeline's hook: a journey takes the message, or it goes to the inbox."""
    chat = message.chat
    if chat.assigned_to_id is not None or chat.needs_human:
        return False  # a person holds (or was asked for) this chat: automation stays quiet
    now = timezone.now()
    contact = message.contact
    chat_ctx = chat_context(contact, chat)
    session = active_session(contact)
    if session is not None:
        session.contact = contact  # the row the pipeline holds, not a second read of it
    if session is not None:
        effects = resume(session, UserMessage(message=message.payload, contact=contact_profile(contact),
                                              chat=chat_ctx), now, message=message)
        timed_out = any(isinstance(e, fx.End) and e.reason == "timeout" for e in effects)
        if not timed_out:
            return True
    from sauti.journeys.runner.triggers import matching_journey

    journey = matching_journey(message, now, chat_ctx)
    if journey is None:
        return False
    try:
        start_journey(journey, contact, message=message, now=now, chat=chat_ctx)
    except StartRefused as exc:
        logger.info("trigger of %s did not start: %s", journey, exc)
        return False
    return True


def fire_session_timer(session_id: int, key: str, at: str, now: dt.datetime) -> None:
    session = Session.objects.filter(id=session_id, status=Session.Status.ACTIVE).select_related(
        "journey", "version", "contact", "workspace").first()
    if session is None:
        return
    if Chat.objects.filter(contact_id=session.contact_id).filter(
            Q(assigned_to__isnull=False) | Q(needs_human=True)).exists():
        return  # a person holds (or was asked for) the chat: the journey's timeout passes unheard
    run(session, TimerFired(key=key, at=at, contact=contact_profile(session.contact)), now)


def http_answer(request_id: str, result: Any) -> HttpResponse:
    return HttpResponse(request_id=request_id, status=result.status, body=result.body, headers=result.headers)
