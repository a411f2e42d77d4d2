"""A generated workspace history for Insights tests: people from several countries, messages of
every kind over a few weeks, templates with statuses and prices, reminders, operators' replies,
closed and labelled chats, journey sessions and results. Rows are written with the ORM, with
their timestamps set explicitly (the real pipeline is tested elsewhere; here the figures are)."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.utils import timezone

CODES = ["27", "234", "254", "91", "1", "44"]
LANGUAGES = ["eng", "zul", "swa", ""]
TYPES = ["text", "text", "text", "image", "interactive", "button", "audio"]


def generate(workspace: Any, *, days: int = 20, people: int = 40, seed: int = 7) -> dict[str, Any]:
    from sauti.accounts.services import add_member
    from sauti.contacts.models import Contact
    from sauti.inbox.models import ChatLabel, Label
    from sauti.journeys.models import Journey, JourneyResult, Session
    from sauti.messaging.models import Chat, Message

    rng = random.Random(seed)
    now = timezone.now()
    start = now - dt.timedelta(days=days)

    def moment(after: dt.datetime = start, before: dt.datetime = now) -> dt.datetime:
        return after + dt.timedelta(seconds=rng.uniform(0, max(1.0, (before - after).total_seconds())))

    operators = [add_member(workspace, email=f"op{i}@example.org", role="operator", password="pw").user
                 for i in range(2)]
    labels = [Label.objects.create(workspace=workspace, name=n) for n in ("Urgent", "Billing")]
    contacts = Contact.objects.bulk_create([
        Contact(workspace=workspace, wa_id=f"{rng.choice(CODES)}{7000000 + i:07d}", language=rng.choice(LANGUAGES),
                opted_in=rng.random() < 0.6) for i in range(people)])
    for contact in contacts:
        created = moment(start - dt.timedelta(days=10))
        opted = moment(created) if contact.opted_in or rng.random() < 0.2 else None
        Contact.objects.filter(id=contact.id).update(created_at=created, opted_in_at=opted)
        contact.created_at = created
    chats = Chat.objects.bulk_create([Chat(workspace=workspace, contact=c) for c in contacts])
    journey = Journey.objects.create(workspace=workspace, name="Antenatal lessons")
    other = Journey.objects.create(workspace=workspace, name="Quiz")
    messages: list[Message] = []
    sessions: list[tuple[Session, dt.datetime, dt.datetime | None]] = []
    closes: list[tuple[int, dt.datetime, Any]] = []
    for contact, chat in zip(contacts, chats, strict=True):
        first = max(contact.created_at, start)
        times = sorted(moment(first) for _ in range(rng.randint(0, 12)))
        for t in times:
            messages.append(Message(workspace=workspace, chat=chat, contact=contact, direction="inbound",
                                    type=rng.choice(TYPES), status="received", sent_at=t, author_type="CONTACT"))
            if rng.random() < 0.5:  # the journey answers
                messages.append(Message(workspace=workspace, chat=chat, contact=contact, direction="outbound",
                                        type="text", status=rng.choice(["sent", "delivered", "read"]),
                                        sent_at=min(now, t + dt.timedelta(seconds=2)), author_id=str(journey.uuid),
                                        pricing={"billable": False, "category": "service", "pricing_model": "PMP"}))
            if rng.random() < 0.3:  # an operator answers
                messages.append(Message(workspace=workspace, chat=chat, contact=contact, direction="outbound",
                                        type="text", status="delivered", author_type="OPERATOR",
                                        author_id=str(rng.choice(operators).id),
                                        sent_at=min(now, t + dt.timedelta(seconds=rng.randint(30, 30_000)))))
        for _ in range(rng.randint(0, 3)):  # templates, some from a reminder
            reminder = rng.random() < 0.5
            category = rng.choice(["marketing", "utility", "authentication"])
            messages.append(Message(
                workspace=workspace, chat=chat, contact=contact, direction="outbound", type="template",
                payload={"type": "template", "template": {"name": rng.choice(["welcome", "visit_due"])}},
                status=rng.choice(["queued", "sent", "delivered", "read", "failed"]), sent_at=moment(first),
                author_id="reminder:8d4f" if reminder else "", author_name="Clinic visit" if reminder else "",
                pricing={"billable": category != "utility" or rng.random() < 0.5, "category": category,
                         "pricing_model": "PMP"}))
        if times and rng.random() < 0.4:
            closes.append((chat.id, times[-1] + dt.timedelta(minutes=rng.randint(1, 3000)), rng.choice(operators)))
        if rng.random() < 0.3:
            ChatLabel.objects.create(chat=chat, label=rng.choice(labels))
        for _ in range(rng.randint(0, 2)):
            began = moment(first)
            ended = min(now, began + dt.timedelta(minutes=rng.randint(1, 4000))) if rng.random() < 0.8 else None
            sessions.append((Session(workspace=workspace, journey=rng.choice([journey, other]), contact=contact,
                                     status="ended" if ended else "waiting_child",
                                     state={"card": rng.choice(["Welcome", "Lesson 1", "Lesson 2"])},
                                     end_reason=rng.choice(["completed", "completed", "expired"]) if ended else ""),
                             began, ended))
    Message.objects.bulk_create(messages, batch_size=500)
    for chat_id, at, user in closes:
        Chat.objects.filter(id=chat_id).update(state="closed", closed_at=min(at, now), closed_by=user)
    made = Session.objects.bulk_create([s for s, _, _ in sessions])
    for session, (_, began, ended) in zip(made, sessions, strict=True):
        Session.objects.filter(id=session.id).update(started_at=began, ended_at=ended)
        for question in ("pregnant", "weeks"):
            if rng.random() < 0.7:
                answer = rng.choice(["yes", "no"]) if question == "pregnant" else rng.randint(4, 40)
                result = JourneyResult.objects.create(workspace=workspace, journey=session.journey, session=session,
                                                      contact=session.contact, name=question, value=answer,
                                                      card="Welcome")
                written = moment(began, min(now, began + dt.timedelta(hours=2)))
                JourneyResult.objects.filter(id=result.id).update(created_at=written)
    return {"operators": operators, "labels": labels, "journeys": [journey, other], "start": start, "now": now}
