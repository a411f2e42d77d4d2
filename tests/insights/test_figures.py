"""Every rollup figure equals a direct count over the source rows (on SQLite and PostgreSQL)."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from zoneinfo import ZoneInfo

import pytest

from sauti.insights.countries import calling_code
from sauti.insights.durations import bucket
from sauti.insights.models import DailyCount
from sauti.insights.services.aggregate import aggregate_recent, backfill
from tests.insights.data import generate

TZ = ZoneInfo("Africa/Johannesburg")
pytestmark = pytest.mark.django_db


@pytest.fixture
def history(workspace):
    workspace.timezone = "Africa/Johannesburg"
    workspace.save(update_fields=["timezone"])
    data = generate(workspace)
    backfill(workspace)
    return data


def day(t: dt.datetime) -> dt.date:
    return t.astimezone(TZ).date()


def stored(workspace, *metrics: str) -> Counter:
    return Counter({(r.metric, r.day, r.dimension, r.bucket): r.value
                    for r in DailyCount.objects.filter(workspace=workspace, metric__in=metrics)})


def clean(counter: Counter) -> Counter:
    return Counter({k: v for k, v in counter.items() if v})


def test_audience_figures_match_direct_counts(workspace, history):
    from sauti.contacts.models import Contact
    from sauti.messaging.models import Message

    created = {c.id: c.created_at for c in Contact.objects.filter(workspace=workspace)}
    active, week, month = defaultdict(set), defaultdict(set), defaultdict(set)
    for contact_id, at in Message.objects.filter(workspace=workspace, direction="inbound").values_list(
            "contact_id", "sent_at"):
        d = day(at)
        active[d].add(contact_id)
        week[d - dt.timedelta(days=d.weekday())].add(contact_id)
        month[d.replace(day=1)].add(contact_id)
    expected = Counter()
    for d, people in active.items():
        expected[("active", d, "", 0)] = len(people)
        expected[("returning", d, "", 0)] = sum(1 for p in people if day(created[p]) < d)
    for d, people in week.items():
        expected[("active_week", d, "", 0)] = len(people)
    for d, people in month.items():
        expected[("active_month", d, "", 0)] = len(people)
    for c in Contact.objects.filter(workspace=workspace):
        expected[("new", day(c.created_at), "", 0)] += 1
        expected[("new_language", day(c.created_at), c.language, 0)] += 1
        expected[("new_country", day(c.created_at), calling_code(c.wa_id), 0)] += 1
        if c.opted_in and c.opted_in_at:
            expected[("opted_in", day(c.opted_in_at), "", 0)] += 1
    metrics = "active", "returning", "active_week", "active_month", "new", "new_language", "new_country", "opted_in"
    assert stored(workspace, *metrics) == clean(expected)
    assert expected[("opted_in", max(d for (m, d, _, _) in expected if m == "opted_in"), "", 0)] > 0


def test_engagement_figures_match_direct_counts(workspace, history):
    from sauti.messaging.models import Message

    expected = Counter()
    for m in Message.objects.filter(workspace=workspace):
        d, side = day(m.sent_at), "in" if m.direction == "inbound" else "out"
        expected[(f"msg_{side}", d, m.type, 0)] += 1
        expected[(f"msg_{side}_hour", d, f"{m.sent_at.astimezone(TZ).hour:02d}", 0)] += 1
        groups = []
        if m.type == "template" and m.direction == "outbound":
            groups.append(("tpl", m.payload["template"]["name"]))
        if m.author_id.startswith("reminder:"):
            groups.append(("rem", m.author_name))
        for prefix, dim in groups:
            expected[(f"{prefix}_total", d, dim, 0)] += 1
            expected[(f"{prefix}_delivered", d, dim, 0)] += m.status in ("delivered", "read", "played")
            expected[(f"{prefix}_read", d, dim, 0)] += m.status in ("read", "played")
            expected[(f"{prefix}_failed", d, dim, 0)] += m.status == "failed"
            if prefix == "rem":
                replied = Message.objects.filter(contact_id=m.contact_id, direction="inbound", sent_at__gt=m.sent_at,
                                                 sent_at__lte=m.sent_at + dt.timedelta(hours=24)).exists()
                expected[("rem_replied", d, dim, 0)] += replied
    metrics = {k[0] for k in expected} | {"rem_replied"}
    assert stored(workspace, *metrics) == clean(expected)
    assert sum(v for k, v in expected.items() if k[0] == "rem_total") > 0


def test_journey_figures_match_direct_counts(workspace, history):
    from sauti.journeys.models import JourneyResult, Session

    expected = Counter()
    for s in Session.objects.filter(workspace=workspace):
        expected[("j_start", day(s.started_at), str(s.journey_id), 0)] += 1
        if s.ended_at and s.end_reason == "completed":
            expected[("j_complete", day(s.ended_at), str(s.journey_id), 0)] += 1
            b = bucket((s.ended_at - s.started_at).total_seconds())
            expected[("j_time", day(s.ended_at), str(s.journey_id), b)] += 1
        elif s.ended_at:
            expected[("j_drop", day(s.ended_at), f"{s.journey_id}|{s.state['card']}", 0)] += 1
    for r in JourneyResult.objects.filter(workspace=workspace):
        expected[("j_result", day(r.created_at), f"{r.journey_id}|{r.name}|{r.value}", 0)] += 1
    assert stored(workspace, "j_start", "j_complete", "j_time", "j_drop", "j_result") == clean(expected)


def test_inbox_figures_match_direct_counts(workspace, history):
    from sauti.inbox.models import ChatLabel
    from sauti.messaging.models import Chat, Message

    expected = Counter()
    by_chat = defaultdict(list)
    for m in Message.objects.filter(workspace=workspace).order_by("sent_at"):
        by_chat[m.chat_id].append(m)
    labels = defaultdict(list)
    for link in ChatLabel.objects.filter(chat__workspace=workspace).select_related("label"):
        labels[link.chat_id].append(link.label.name)
    gap = dt.timedelta(hours=24)
    for chat_id, msgs in by_chat.items():
        inbound = [m.sent_at for m in msgs if m.direction == "inbound"]
        starts = [t for i, t in enumerate(inbound) if i == 0 or t - inbound[i - 1] >= gap]
        for t in starts:
            expected[("chat_opened", day(t), "", 0)] += 1
        for s, start in enumerate(starts):
            end = starts[s + 1] if s + 1 < len(starts) else None
            first = next((m for m in msgs if m.author_type == "OPERATOR" and m.sent_at >= start
                          and (end is None or m.sent_at < end)), None)
            if first is not None:
                b = bucket((first.sent_at - start).total_seconds())
                expected[("first_response", day(first.sent_at), first.author_id, b)] += 1
                for name in labels[chat_id]:
                    expected[("first_response_label", day(first.sent_at), name, b)] += 1
    for chat in Chat.objects.filter(workspace=workspace, closed_at__isnull=False):
        expected[("chat_closed", day(chat.closed_at), str(chat.closed_by_id), 0)] += 1
        inbound = [m.sent_at for m in by_chat[chat.id] if m.direction == "inbound" and m.sent_at <= chat.closed_at]
        starts = [t for i, t in enumerate(inbound) if i == 0 or t - inbound[i - 1] >= gap]
        if starts:
            b = bucket((chat.closed_at - starts[-1]).total_seconds())
            expected[("resolution", day(chat.closed_at), str(chat.closed_by_id), b)] += 1
            for name in labels[chat.id]:
                expected[("resolution_label", day(chat.closed_at), name, b)] += 1
    metrics = ("chat_opened", "chat_closed", "first_response", "first_response_label", "resolution",
               "resolution_label")
    assert stored(workspace, *metrics) == clean(expected)
    assert sum(v for k, v in expected.items() if k[0] == "first_response") > 0


def test_billing_figures_match_direct_counts(workspace, history):
    from sauti.messaging.models import Message

    expected = Counter()
    for m in Message.objects.filter(workspace=workspace, pricing__isnull=False).select_related("contact"):
        charged = "1" if m.pricing["billable"] else "0"
        dim = f"{m.pricing['category']}|{calling_code(m.contact.wa_id)}|{charged}"
        expected[("billing", day(m.sent_at), dim, 0)] += 1
    assert stored(workspace, "billing") == clean(expected)


def test_the_periodic_job_reaches_the_same_figures_and_is_idempotent(workspace, history):
    """Running the job again changes nothing; a message that arrives late with an old timestamp is
    found through the watermark and its day recomputed."""
    from sauti.messaging.models import Chat, Message

    before = stored(workspace, *{r for r in DailyCount.objects.values_list("metric", flat=True)})
    aggregate_recent()
    aggregate_recent()
    assert stored(workspace, *{m for m, *_ in before}) == before
    chat = Chat.objects.filter(workspace=workspace).select_related("contact").first()
    old = history["start"] + dt.timedelta(days=3)
    Message.objects.create(workspace=workspace, chat=chat, contact=chat.contact, direction="inbound", type="sticker",
                           status="received", sent_at=old)
    aggregate_recent()
    assert DailyCount.objects.get(workspace=workspace, metric="msg_in", day=day(old), dimension="sticker").value == 1
    DailyCount.objects.filter(workspace=workspace).delete()
    backfill(workspace)
    assert DailyCount.objects.filter(workspace=workspace, metric="msg_in", dimension="sticker").count() == 1
