"""How each family of figures is computed from the source rows for a span of local days.

A family returns its rows and, per metric, the span of `day` keys it recomputed; the writer
replaces exactly those rows. Every figure here is an exact count over the source tables, which is
what tests/insights compares against. Reads only; writing is services/aggregate.py's job.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.db.models import Count, Exists, F, OuterRef
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import ExtractHour, Substr, TruncDate, TruncMonth, TruncWeek

from sauti.accounts.models import Workspace
from sauti.contacts.models import Contact
from sauti.insights.countries import calling_code
from sauti.insights.durations import bucket
from sauti.journeys.models import JourneyResult, Session
from sauti.messaging.models import Chat, Message

# Outbound messages of a reminder or broadcast carry author_id "reminder:<uuid>" and the
# reminder's name as author_name (the contract with sauti.reminders; see docs/insights.md).
REMINDER_PREFIX = "reminder:"
DELIVERED = ("delivered", "read", "played")
READ = ("read", "played")
EPISODE_GAP = dt.timedelta(hours=24)
LOOKBACK = dt.timedelta(days=7)

Row = tuple[str, dt.date, str, int, int]  # metric, day, dimension, bucket, value
Spans = dict[str, tuple[dt.date, dt.date]]


@dataclass(frozen=True)
class Family:
    name: str
    compute: Callable[[Workspace, ZoneInfo, dt.date, dt.date], tuple[list[Row], Spans]]


def bounds(tz: ZoneInfo, first: dt.date, last: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """UTC instants of the start of `first` and the end of `last`, local days in `tz`."""
    start = dt.datetime.combine(first, dt.time.min, tzinfo=tz).astimezone(dt.UTC)
    end = dt.datetime.combine(last + dt.timedelta(days=1), dt.time.min, tzinfo=tz).astimezone(dt.UTC)
    return start, end


def week_start(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def month_end(day: dt.date) -> dt.date:
    following = (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return following - dt.timedelta(days=1)


def _day(value: dt.date | dt.datetime) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def _spans(first: dt.date, last: dt.date, *metrics: str) -> Spans:
    return {m: (first, last) for m in metrics}


# Audience ---------------------------------------------------------------------------------------

def audience(ws: Workspace, tz: ZoneInfo, first: dt.date, last: dt.date) -> tuple[list[Row], Spans]:
    rows: list[Row] = []
    start, end = bounds(tz, first, last)
    inbound = Message.objects.filter(workspace=ws, direction=Message.Direction.INBOUND)
    days = inbound.filter(sent_at__gte=start, sent_at__lt=end).annotate(d=TruncDate("sent_at", tzinfo=tz))
    for r in days.values("d").annotate(n=Count("contact_id", distinct=True)):
        rows.append(("active", r["d"], "", 0, r["n"]))
    # Returning: active on a day after the day they joined.
    returning = days.annotate(cd=TruncDate("contact__created_at", tzinfo=tz)).filter(cd__lt=F("d"))
    for r in returning.values("d").annotate(n=Count("contact_id", distinct=True)):
        rows.append(("returning", r["d"], "", 0, r["n"]))
    # Distinct people per calendar week and month, over the whole weeks and months touched.
    wfirst, wlast = week_start(first), week_start(last) + dt.timedelta(days=6)
    mfirst, mlast = month_start(first), month_end(last)
    periods = (("active_week", TruncWeek, wfirst, wlast), ("active_month", TruncMonth, mfirst, mlast))
    for metric, trunc, lo, hi in periods:
        s, e = bounds(tz, lo, hi)
        q = inbound.filter(sent_at__gte=s, sent_at__lt=e).annotate(p=trunc("sent_at", tzinfo=tz))
        for r in q.values("p").annotate(n=Count("contact_id", distinct=True)):
            rows.append((metric, _day(r["p"]), "", 0, r["n"]))
    people = Contact.objects.filter(workspace=ws, created_at__gte=start, created_at__lt=end)
    new: Counter = Counter()
    by_language: Counter = Counter()
    by_country: Counter = Counter()
    grouped = people.annotate(d=TruncDate("created_at", tzinfo=tz), prefix=Substr("wa_id", 1, 3))
    for r in grouped.values("d", "language", "prefix").annotate(n=Count("id")):
        new[r["d"]] += r["n"]
        by_language[(r["d"], r["language"] or "")] += r["n"]
        by_country[(r["d"], calling_code(r["prefix"]))] += r["n"]
    rows += [("new", d, "", 0, n) for d, n in new.items()]
    rows += [("new_language", d, lang, 0, n) for (d, lang), n in by_language.items()]
    rows += [("new_country", d, cc, 0, n) for (d, cc), n in by_country.items()]
    optins = Contact.objects.filter(workspace=ws, opted_in=True, opted_in_at__gte=start, opted_in_at__lt=end)
    for r in optins.annotate(d=TruncDate("opted_in_at", tzinfo=tz)).values("d").annotate(n=Count("id")):
        rows.append(("opted_in", r["d"], "", 0, r["n"]))
    spans = _spans(first, last, "active", "returning", "new", "new_language", "new_country", "opted_in")
    spans.update(active_week=(wfirst, wlast), active_month=(mfirst, mlast))
    return rows, spans


# Engagement -------------------------------------------------------------------------------------

def engagement(ws: Workspace, tz: ZoneInfo, first: dt.date, last: dt.date) -> tuple[list[Row], Spans]:
    rows: list[Row] = []
    start, end = bounds(tz, first, last)
    messages = Message.objects.filter(workspace=ws, sent_at__gte=start, sent_at__lt=end)
    dated = messages.annotate(d=TruncDate("sent_at", tzinfo=tz))
    for r in dated.values("d", "direction", "type").annotate(n=Count("id")):
        metric = "msg_in" if r["direction"] == Message.Direction.INBOUND else "msg_out"
        rows.append((metric, r["d"], r["type"], 0, r["n"]))
    for r in dated.annotate(h=ExtractHour("sent_at", tzinfo=tz)).values("d", "direction", "h").annotate(n=Count("id")):
        metric = "msg_in_hour" if r["direction"] == Message.Direction.INBOUND else "msg_out_hour"
        rows.append((metric, r["d"], f"{r['h']:02d}", 0, r["n"]))
    outbound = dated.filter(direction=Message.Direction.OUTBOUND)
    templates = outbound.filter(type="template").annotate(name=KeyTextTransform("name", "payload__template"))
    for r in templates.values("d", "name", "status").annotate(n=Count("id")):
        rows += _delivery_rows("tpl", r["d"], (r["name"] or "")[:200], r["status"], r["n"])
    reminders = outbound.filter(author_id__startswith=REMINDER_PREFIX)
    replied = Message.objects.filter(contact_id=OuterRef("contact_id"), direction=Message.Direction.INBOUND,
                                     sent_at__gt=OuterRef("sent_at"),
                                     sent_at__lte=OuterRef("sent_at") + EPISODE_GAP)
    reminders = reminders.annotate(replied=Exists(replied))
    for r in reminders.values("d", "author_name", "status", "replied").annotate(n=Count("id")):
        name = (r["author_name"] or "")[:200]
        rows += _delivery_rows("rem", r["d"], name, r["status"], r["n"])
        if r["replied"]:
            rows.append(("rem_replied", r["d"], name, 0, r["n"]))
    metrics = ["msg_in", "msg_out", "msg_in_hour", "msg_out_hour", "rem_replied"]
    metrics += [f"{p}_{s}" for p in ("tpl", "rem") for s in ("total", "delivered", "read", "failed")]
    return _merge(rows), _spans(first, last, *metrics)


def _delivery_rows(prefix: str, day: dt.date, dim: str, status: str, n: int) -> list[Row]:
    rows = [(f"{prefix}_total", day, dim, 0, n)]
    if status in DELIVERED:
        rows.append((f"{prefix}_delivered", day, dim, 0, n))
    if status in READ:
        rows.append((f"{prefix}_read", day, dim, 0, n))
    if status == Message.Status.FAILED:
        rows.append((f"{prefix}_failed", day, dim, 0, n))
    return rows


def _merge(rows: list[Row]) -> list[Row]:
    """Sum rows that share a key (two statuses of one template land on the same row)."""
    total: Counter = Counter()
    for metric, day, dim, b, n in rows:
        total[(metric, day, dim, b)] += n
    return [(m, d, dim, b, n) for (m, d, dim, b), n in total.items()]


# Journeys ---------------------------------------------------------------------------------------

def journeys(ws: Workspace, tz: ZoneInfo, first: dt.date, last: dt.date) -> tuple[list[Row], Spans]:
    rows: list[Row] = []
    start, end = bounds(tz, first, last)
    sessions = Session.objects.filter(workspace=ws)
    started = sessions.filter(started_at__gte=start, started_at__lt=end).annotate(d=TruncDate("started_at", tzinfo=tz))
    for r in started.values("d", "journey_id").annotate(n=Count("id")):
        rows.append(("j_start", r["d"], str(r["journey_id"]), 0, r["n"]))
    ended = sessions.filter(ended_at__gte=start, ended_at__lt=end).annotate(
        d=TruncDate("ended_at", tzinfo=tz), card=KeyTextTransform("card", "state"))
    for r in ended.exclude(end_reason="completed").values("d", "journey_id", "card").annotate(n=Count("id")):
        rows.append(("j_drop", r["d"], f"{r['journey_id']}|{(r['card'] or '')[:150]}", 0, r["n"]))
    times: Counter = Counter()
    for d, journey_id, began, finished in ended.filter(end_reason="completed").values_list(
            "d", "journey_id", "started_at", "ended_at").iterator(chunk_size=5000):
        times[(d, str(journey_id), bucket((finished - began).total_seconds()))] += 1
    for (d, jid, b), n in times.items():
        rows.append(("j_time", d, jid, b, n))
        rows.append(("j_complete", d, jid, 0, n))
    rows = _merge(rows)
    results: Counter = Counter()
    written = JourneyResult.objects.filter(workspace=ws, created_at__gte=start, created_at__lt=end).annotate(
        d=TruncDate("created_at", tzinfo=tz))
    for r in written.values("d", "journey_id", "name", "label", "value").annotate(n=Count("id")):
        answer = r["label"] or _text(r["value"])
        results[(r["d"], f"{r['journey_id']}|{r['name'][:60]}|{answer[:120]}")] += r["n"]
    rows += [("j_result", d, dim, 0, n) for (d, dim), n in results.items()]
    return rows, _spans(first, last, "j_start", "j_drop", "j_time", "j_complete", "j_result")


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


# Inbox ------------------------------------------------------------------------------------------

def inbox(ws: Workspace, tz: ZoneInfo, first: dt.date, last: dt.date) -> tuple[list[Row], Spans]:
    """Conversations (episodes) start when a person writes after 24 h of quiet; the first response
    is an operator's first message after that start; resolution is the chat's close after it.

    One pass over the span's inbound and operator messages (plus a week and a day before it, so
    that every episode start inside the span is exact), grouped by chat in Python.
    """
    from sauti.inbox.models import ChatLabel

    start, end = bounds(tz, first, last)
    since = start - LOOKBACK - EPISODE_GAP
    messages = Message.objects.filter(workspace=ws, sent_at__gte=since, sent_at__lt=end)
    inbound: dict[int, list[dt.datetime]] = defaultdict(list)
    for chat_id, at in messages.filter(direction=Message.Direction.INBOUND).order_by("chat_id", "sent_at").values_list(
            "chat_id", "sent_at").iterator(chunk_size=20_000):
        inbound[chat_id].append(at)
    operator: dict[int, list[tuple[dt.datetime, str]]] = defaultdict(list)
    for chat_id, at, who in messages.filter(author_type=Message.AuthorType.OPERATOR).order_by(
            "chat_id", "sent_at").values_list("chat_id", "sent_at", "author_id").iterator(chunk_size=20_000):
        operator[chat_id].append((at, who or ""))
    closes = list(Chat.objects.filter(workspace=ws, closed_at__gte=start, closed_at__lt=end)
                  .values_list("id", "closed_at", "closed_by_id"))
    labels: dict[int, list[str]] = defaultdict(list)
    for chat_id, name in ChatLabel.objects.filter(chat__workspace=ws).values_list("chat_id", "label__name"):
        labels[chat_id].append(name)
    rows: list[Row] = []

    def local(at: dt.datetime) -> dt.date:
        return at.astimezone(tz).date()

    starts_of: dict[int, list[dt.datetime]] = {}
    for chat_id, times in inbound.items():
        starts = []
        for i, t in enumerate(times):
            starts.append(t if i == 0 or t - times[i - 1] >= EPISODE_GAP else starts[-1])
            if t >= start and (i == 0 or t - times[i - 1] >= EPISODE_GAP):
                rows.append(("chat_opened", local(t), "", 0, 1))
        starts_of[chat_id] = starts

    def began(chat_id: int, at: dt.datetime) -> dt.datetime | None:
        times = inbound.get(chat_id)
        if not times:
            return None
        i = bisect_right(times, at) - 1
        return starts_of[chat_id][i] if i >= 0 else None

    for chat_id, replies in operator.items():
        previous: dt.datetime | None = None
        for at, who in replies:
            episode = began(chat_id, at)
            first_reply = episode is not None and (previous is None or previous <= episode)
            previous = at
            if at < start or not first_reply:
                continue
            day = local(at)
            if episode < dt.datetime.combine(day, dt.time.min, tzinfo=tz) - LOOKBACK:
                continue
            b = bucket((at - episode).total_seconds())
            rows.append(("first_response", day, who, b, 1))
            rows += [("first_response_label", day, name, b, 1) for name in labels[chat_id]]
    for chat_id, at, closer in closes:
        day = local(at)
        rows.append(("chat_closed", day, str(closer or ""), 0, 1))
        episode = began(chat_id, at)
        if episode is None or episode < dt.datetime.combine(day, dt.time.min, tzinfo=tz) - LOOKBACK:
            continue
        b = bucket((at - episode).total_seconds())
        rows.append(("resolution", day, str(closer or ""), b, 1))
        rows += [("resolution_label", day, name, b, 1) for name in labels[chat_id]]
    metrics = ["chat_opened", "chat_closed", "first_response", "first_response_label", "resolution",
               "resolution_label"]
    return _merge(rows), _spans(first, last, *metrics)


# Billing ----------------------------------------------------------------------------------------

def billing(ws: Workspace, tz: ZoneInfo, first: dt.date, last: dt.date) -> tuple[list[Row], Spans]:
    start, end = bounds(tz, first, last)
    priced = Message.objects.filter(workspace=ws, direction=Message.Direction.OUTBOUND, sent_at__gte=start,
                                    sent_at__lt=end, pricing__isnull=False).annotate(
        d=TruncDate("sent_at", tzinfo=tz), category=KeyTextTransform("category", "pricing"),
        billable=KeyTextTransform("billable", "pricing"), prefix=Substr("contact__wa_id", 1, 3))
    total: Counter = Counter()
    for r in priced.values("d", "category", "billable", "prefix").annotate(n=Count("id")):
        charged = "1" if str(r["billable"]).lower() in ("true", "1") else "0"
        total[(r["d"], f"{(r['category'] or 'unknown').lower()}|{calling_code(r['prefix'])}|{charged}")] += r["n"]
    rows = [("billing", d, dim, 0, n) for (d, dim), n in total.items()]
    return rows, _spans(first, last, "billing")


FAMILIES = {f.name: f for f in (Family("audience", audience), Family("engagement", engagement),
                                Family("journeys", journeys), Family("inbox", inbox), Family("billing", billing))}
