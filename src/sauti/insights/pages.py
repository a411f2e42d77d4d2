"""The view model of each Insights section: panels of a chart, its numbers and a CSV table.

Every panel is built from rollups (sauti.insights.queries) plus, where the figure is "now",
one small live count. Views render these dicts; CSV downloads reuse the same panels.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from sauti.accounts.models import Workspace
from sauti.insights import queries
from sauti.insights.charts import Series, bar_list, time_chart
from sauti.insights.countries import country_name
from sauti.insights.durations import human, percentile
from sauti.insights.periods import Period, buckets
from sauti.insights.prices import rate_table
from sauti.insights.services.families import week_start

EPOCH = dt.date(2000, 1, 1)


@dataclass
class Panel:
    key: str
    title: str
    desc: str
    columns: list[str]
    rows: list[list[Any]]
    chart: str = ""
    empty: str = ""
    figures: list[tuple[str, str]] = field(default_factory=list)


def _label(day: dt.date, grain: str) -> str:
    if grain == "month":
        return date_format(day, "M Y")
    return date_format(day, "j M")


def _pct(part: float, whole: float) -> str:
    return f"{100 * part / whole:.1f}%" if whole else "–"


def _time_panel(key: str, title: str, desc: str, period: Period, named: list[tuple[str, dict[dt.date, int]]], *,
                stacked: bool = True) -> Panel:
    days = buckets(period.first, period.last, period.grain)
    series = [Series(name, [values.get(d, 0) for d in days]) for name, values in named]
    labels = [_label(d, period.grain) for d in days]
    rows = [[d.isoformat(), *[s.values[i] for s in series]] for i, d in enumerate(days)]
    chart = time_chart(title, desc, labels, series, stacked=stacked)
    empty = "" if any(any(s.values) for s in series) else _("Nothing in this period yet.")
    return Panel(key, title, desc, [_("Date"), *[name for name, _v in named]], rows, chart, empty)


# Audience ---------------------------------------------------------------------------------------

def audience(ws: Workspace, period: Period) -> list[Panel]:
    from sauti.contacts.models import Contact

    first, last, grain = period.first, period.last, period.grain
    if grain == "day":
        active = queries.series(ws, "active", first, last)
    else:
        metric = "active_week" if grain == "week" else "active_month"
        lo = week_start(first) if grain == "week" else first.replace(day=1)
        active = queries.distinct_periods(ws, metric, lo, last)
    per = {"day": _("per day"), "week": _("per week"), "month": _("per month")}[grain]
    panels = [_time_panel("active", _("Active people %(per)s") % {"per": per},
                          _("People who sent at least one message, counted once per %(grain)s.")
                          % {"grain": {"day": _("day"), "week": _("week"), "month": _("month")}[grain]},
                          period, [(_("Active people"), active)])]
    panels.append(_time_panel("new-returning", _("New and returning people"),
                              _("New: people added or writing for the first time. Returning: people active on a "
                                "later day than the day they joined (counted per day)."), period,
                              [(_("New"), queries.series(ws, "new", first, last, grain)),
                               (_("Returning"), queries.series(ws, "returning", first, last, grain))]))
    everyone = Contact.objects.filter(workspace=ws).count()
    opted = Contact.objects.filter(workspace=ws, opted_in=True).count()
    optin = _time_panel("opt-ins", _("Opt-ins"), _("People who opted in, by the day they did."), period,
                        [(_("Opted in"), queries.series(ws, "opted_in", first, last, grain))])
    optin.figures = [(_("Opted in now"), f"{opted:,}"), (_("Everyone"), f"{everyone:,}"),
                     (_("Opted-in share"), _pct(opted, everyone))]
    panels.append(optin)
    for key, metric, title, name in (("languages", "new_language", _("People by language"), _("Language")),
                                     ("countries", "new_country", _("People by country"), _("Country"))):
        in_range = queries.totals(ws, metric, first, last)
        to_date = queries.totals(ws, metric, EPOCH, last)
        keys = sorted(to_date, key=lambda k: -to_date[k])
        shown = [(_display(metric, k), in_range.get(k, 0), to_date[k]) for k in keys]
        chart = bar_list(title, _("New people in the period, by %(what)s.") % {"what": name.lower()},
                         [(label, n) for label, n, _t in sorted(shown, key=lambda r: -r[1]) if n])
        panels.append(Panel(key, title, _("New people in the period, and everyone added up to its last day, by "
                                          "their current %(what)s.") % {"what": name.lower()},
                            [name, _("New in period"), _("All to date")], [list(r) for r in shown], chart,
                            "" if shown else _("Nobody yet.")))
    return panels


def _display(metric: str, key: str) -> str:
    if metric == "new_country":
        return country_name(key) or _("Unknown")
    return key or _("Not set")


# Engagement -------------------------------------------------------------------------------------

def engagement(ws: Workspace, period: Period) -> list[Panel]:
    first, last, grain = period.first, period.last, period.grain
    panels = [_time_panel("messages", _("Messages in and out"),
                          _("Messages people sent (in) and messages sent to them (out)."), period,
                          [(_("In"), queries.series(ws, "msg_in", first, last, grain)),
                           (_("Out"), queries.series(ws, "msg_out", first, last, grain))])]
    inbound, outbound = queries.totals(ws, "msg_in", first, last), queries.totals(ws, "msg_out", first, last)
    types = sorted(set(inbound) | set(outbound), key=lambda t: -(inbound.get(t, 0) + outbound.get(t, 0)))
    panels.append(Panel("types", _("Messages by type"), _("Text, media, buttons, templates…, in and out."),
                        [_("Type"), _("In"), _("Out")], [[t, inbound.get(t, 0), outbound.get(t, 0)] for t in types],
                        bar_list(_("Messages by type"), _("All messages of the period by type."),
                                 [(t, inbound.get(t, 0) + outbound.get(t, 0)) for t in types]),
                        "" if types else _("No messages in this period.")))
    hours_in = queries.totals(ws, "msg_in_hour", first, last)
    hours_out = queries.totals(ws, "msg_out_hour", first, last)
    hours = [f"{h:02d}" for h in range(24)]
    panels.append(Panel("hours", _("Messages by hour of day"),
                        _("In the workspace's timezone (%(tz)s).") % {"tz": ws.timezone},
                        [_("Hour"), _("In"), _("Out")], [[f"{h}:00", hours_in.get(h, 0), hours_out.get(h, 0)]
                                                         for h in hours],
                        time_chart(_("Messages by hour of day"), _("Messages in and out by hour."),
                                   [f"{h}h" for h in hours],
                                   [Series(_("In"), [hours_in.get(h, 0) for h in hours]),
                                    Series(_("Out"), [hours_out.get(h, 0) for h in hours])])))
    panels.append(_delivery_panel(ws, period, "tpl", "templates", _("Template delivery and read rates"),
                                  _("Templates sent in the period and how far they got."), _("Template"),
                                  _("No templates were sent in this period.")))
    panels.append(_delivery_panel(ws, period, "rem", "reminders", _("Reminders"),
                                  _("Reminder messages, their delivery, and people who replied within 24 hours."),
                                  _("Reminder"), _("No reminders yet. Once reminders go out, their delivery, reads "
                                                   "and replies within 24 hours show here.")))
    return panels


def _delivery_panel(ws: Workspace, period: Period, prefix: str, key: str, title: str, desc: str, name: str,
                    empty: str) -> Panel:
    first, last = period.first, period.last
    total = queries.totals(ws, f"{prefix}_total", first, last)
    delivered = queries.totals(ws, f"{prefix}_delivered", first, last)
    read = queries.totals(ws, f"{prefix}_read", first, last)
    failed = queries.totals(ws, f"{prefix}_failed", first, last)
    replied = queries.totals(ws, "rem_replied", first, last) if prefix == "rem" else {}
    columns = [name, _("Sent"), _("Delivered"), _("Read"), _("Failed"), _("Delivery rate"), _("Read rate")]
    if prefix == "rem":
        columns += [_("Replied within 24 h"), _("Reply rate")]
    rows = []
    for dim in sorted(total, key=lambda d: -total[d]):
        n = total[dim]
        row = [dim or _("(no name)"), n, delivered.get(dim, 0), read.get(dim, 0), failed.get(dim, 0),
               _pct(delivered.get(dim, 0), n), _pct(read.get(dim, 0), n)]
        if prefix == "rem":
            row += [replied.get(dim, 0), _pct(replied.get(dim, 0), n)]
        rows.append(row)
    chart = bar_list(title, _("Delivery rate per %(what)s.") % {"what": name.lower()},
                     [(r[0], round(100 * delivered.get(d, 0) / total[d], 1)) for r, d in
                      zip(rows, sorted(total, key=lambda d: -total[d]), strict=True)], unit="%") if rows else ""
    sent = sum(total.values())
    figures = [(_("Sent"), f"{sent:,}"), (_("Delivered"), _pct(sum(delivered.values()), sent)),
               (_("Read"), _pct(sum(read.values()), sent))] if sent else []
    if prefix == "rem" and sent:
        figures.append((_("Replied within 24 h"), _pct(sum(replied.values()), sent)))
    return Panel(key, title, desc, columns, rows, chart, "" if rows else empty, figures)


# Journeys ---------------------------------------------------------------------------------------

def journeys(ws: Workspace, period: Period, chosen: str = "") -> list[Panel]:
    from sauti.journeys.models import Journey

    first, last, grain = period.first, period.last, period.grain
    named = {str(j.id): j for j in Journey.objects.filter(workspace=ws)}
    panels = [_time_panel("starts", _("Journey starts and completions"),
                          _("Sessions started, and sessions that reached the end of their journey."), period,
                          [(_("Started"), queries.series(ws, "j_start", first, last, grain)),
                           (_("Completed"), queries.series(ws, "j_complete", first, last, grain))], stacked=False)]
    starts, completes = queries.totals(ws, "j_start", first, last), queries.totals(ws, "j_complete", first, last)
    times = queries.histograms(ws, "j_time", first, last)
    rows = []
    for jid in sorted(set(starts) | set(completes), key=lambda j: -starts.get(j, 0)):
        journey = named.get(jid)
        rows.append([journey.name if journey else _("(deleted journey)"), starts.get(jid, 0), completes.get(jid, 0),
                     _pct(completes.get(jid, 0), starts.get(jid, 0)), human(percentile(times.get(jid, []), .5)),
                     human(percentile(times.get(jid, []), .9))])
    panels.append(Panel("journeys", _("Per journey"), _("Starts, completions and time to complete (median, p90)."),
                        [_("Journey"), _("Started"), _("Completed"), _("Completion rate"), _("Median time"),
                         _("p90 time")], rows, bar_list(_("Completion rate per journey"), _("Completed ÷ started."),
                                                        [(r[0], round(100 * r[2] / r[1], 1) if r[1] else 0)
                                                         for r in rows], unit="%"),
                        "" if rows else _("No journey sessions in this period.")))
    top = chosen if chosen in named else (max(starts, key=starts.get) if starts else "")
    panels.append(_funnel(ws, period, named.get(top), starts.get(top, 0), completes.get(top, 0)))
    panels.append(_results(ws, period, named))
    return panels


def _funnel(ws: Workspace, period: Period, journey: Any, started: int, completed: int) -> Panel:
    title = _("Drop-off per card")
    if journey is None:
        return Panel("funnel", title, "", [], [], empty=_("No journey sessions in this period."))
    drops = {dim.split("|", 1)[1]: n for dim, n in queries.totals(ws, "j_drop", period.first, period.last).items()
             if dim.split("|", 1)[0] == str(journey.id)}
    source = journey.draft_source or ""
    cards = sorted(drops, key=lambda c: (source.find(c) if c and c in source else len(source), c))
    remaining, rows, items = started, [[_("Started"), started, "", ""]], [(_("Started"), started)]
    for card in cards:
        remaining -= drops[card]
        rows.append([card or _("(before the first card)"), max(remaining, 0), drops[card], _pct(drops[card], started)])
        items.append((card or "–", max(remaining, 0)))
    rows.append([_("Completed"), completed, "", _pct(completed, started)])
    items.append((_("Completed"), completed))
    desc = _("%(name)s: sessions that started, how many were still going after each card, and how many stopped "
             "there (ended without completing). Cards in the order they appear in the journey.") % {
                 "name": journey.name}
    return Panel("funnel", f"{title} · {journey.name}", desc, [_("Card"), _("Still going"), _("Stopped here"),
                                                              _("Share of starts")], rows,
                 bar_list(title, desc, items))


def _results(ws: Workspace, period: Period, named: dict[str, Any]) -> Panel:
    grouped: dict[tuple[str, str], list[tuple[str, int]]] = defaultdict(list)
    for dim, n in queries.totals(ws, "j_result", period.first, period.last).items():
        jid, question, answer = (dim.split("|", 2) + ["", ""])[:3]
        grouped[(jid, question)].append((answer, n))
    rows = []
    for (jid, question), answers in sorted(grouped.items()):
        whole = sum(n for _b, n in answers)
        journey = named.get(jid)
        for answer, n in sorted(answers, key=lambda a: -a[1])[:10]:
            rows.append([journey.name if journey else "–", question, answer, n, _pct(n, whole)])
    # Two journeys may ask the same question: then the bars say whose answers they are.
    several = len({jid for jid, _q in grouped}) > 1
    items = [(f"{r[0]} · {r[1]}: {r[2]}" if several else f"{r[1]}: {r[2]}", r[3]) for r in rows]
    return Panel("results", _("Results per question"),
                 _("Answers journeys saved with write_result, the ten most common per question."),
                 [_("Journey"), _("Question"), _("Answer"), _("Count"), _("Share")], rows,
                 bar_list(_("Results per question"), _("Most common answers."), sorted(items, key=lambda i: -i[1])),
                 "" if rows else _("No results were written in this period."))


# Inbox ------------------------------------------------------------------------------------------

def inbox(ws: Workspace, period: Period) -> list[Panel]:
    from sauti.messaging.models import Chat

    first, last, grain = period.first, period.last, period.grain
    panels = [_time_panel("chats", _("Conversations started and chats closed"),
                          _("A conversation starts when someone writes after 24 hours of quiet."), period,
                          [(_("Started"), queries.series(ws, "chat_opened", first, last, grain)),
                           (_("Closed"), queries.series(ws, "chat_closed", first, last, grain))], stacked=False)]
    waiting = Chat.objects.filter(workspace=ws, state="open", assigned_to__isnull=True, needs_human=True).count()
    assigned = Chat.objects.filter(workspace=ws, state="open", assigned_to__isnull=False).count()
    first_all = [p for h in queries.histograms(ws, "first_response", first, last).values() for p in h]
    resolved_all = [p for h in queries.histograms(ws, "resolution", first, last).values() for p in h]
    panels[0].figures = [(_("Waiting for a person now"), f"{waiting:,}"), (_("Open with an operator now"),
                                                                           f"{assigned:,}"),
                         (_("First response, median"), human(percentile(first_all, .5))),
                         (_("First response, p90"), human(percentile(first_all, .9))),
                         (_("Resolution, median"), human(percentile(resolved_all, .5))),
                         (_("Resolution, p90"), human(percentile(resolved_all, .9)))]
    users = {str(u.id): (u.get_full_name() or u.email) for u in get_user_model().objects.filter(
        memberships__workspace=ws)}
    panels.append(_times_panel(ws, period, "operators", _("Per operator"), _("Operator"), "first_response",
                               "resolution", lambda k: users.get(k, _("Automatic") if not k else _("Former member"))))
    panels.append(_times_panel(ws, period, "labels", _("Per label"), _("Label"), "first_response_label",
                               "resolution_label", lambda k: k))
    return panels


def _times_panel(ws: Workspace, period: Period, key: str, title: str, name: str, first_metric: str,
                 resolution_metric: str, display: Any) -> Panel:
    firsts = queries.histograms(ws, first_metric, period.first, period.last)
    resolved = queries.histograms(ws, resolution_metric, period.first, period.last)
    rows = []
    for dim in sorted(set(firsts) | set(resolved), key=lambda d: -sum(n for _b, n in firsts.get(d, []))):
        f, r = firsts.get(dim, []), resolved.get(dim, [])
        rows.append([display(dim), sum(n for _b, n in f), human(percentile(f, .5)), human(percentile(f, .9)),
                     sum(n for _b, n in r), human(percentile(r, .5)), human(percentile(r, .9))])
    return Panel(key, title, _("First responses and resolutions (closes), with median and p90 times."),
                 [name, _("First responses"), _("Median"), _("p90"), _("Closed"), _("Median"), _("p90")], rows,
                 bar_list(title, _("First responses per %(what)s.") % {"what": name.lower()},
                          [(r[0], r[1]) for r in rows]), "" if rows else _("Nothing in this period."))


# Billing ----------------------------------------------------------------------------------------

CATEGORIES = ("marketing", "utility", "authentication", "service")


def billing(ws: Workspace, period: Period) -> list[Panel]:
    first, last, grain = period.first, period.last, period.grain
    rates = rate_table(ws)
    per_category: dict[str, dict[dt.date, int]] = defaultdict(lambda: defaultdict(int))
    cost_by_day: dict[dt.date, Decimal] = defaultdict(Decimal)
    by_category: dict[str, list[Any]] = defaultdict(lambda: [0, 0, Decimal(0)])
    by_country: dict[str, list[Any]] = defaultdict(lambda: [0, 0, Decimal(0)])
    for dim, days in queries.series_by(ws, "billing", first, last, grain).items():
        category, code, charged = (dim.split("|") + ["", "", "0"])[:3]
        for day, n in days.items():
            cost = rates.price(category, code) * n if charged == "1" else Decimal(0)
            for table in (by_category[category], by_country[code]):
                table[0 if charged == "1" else 1] += n
                table[2] += cost
            if charged == "1":
                per_category[category][day] += n
                cost_by_day[day] += cost
    order = [c for c in CATEGORIES if c in per_category] + sorted(set(per_category) - set(CATEGORIES))
    panel = _time_panel("billable", _("Billable messages by pricing category"),
                        _("Messages WhatsApp marked billable in their status updates."), period,
                        [(c.capitalize(), per_category[c]) for c in order])
    total_cost = sum(cost_by_day.values(), Decimal(0))
    panel.figures = [(_("Billable messages"), f"{sum(v[0] for v in by_category.values()):,}"),
                     (_("Estimated cost"), f"{rates.currency} {total_cost:,.2f}")]
    cost_panel = _time_panel("cost", _("Estimated cost"),
                             _("Billable messages × your price table (Settings → Message prices). An estimate, "
                               "not an invoice."), period, [(rates.currency, {d: float(c) for d, c in
                                                                              cost_by_day.items()})])
    cost_panel.rows = [[r[0], f"{r[1]:.4f}"] for r in cost_panel.rows]
    cat_rows = [[c.capitalize(), v[0], v[1], f"{v[2]:.2f}"] for c, v in
                sorted(by_category.items(), key=lambda kv: -kv[1][0])]
    country_rows = [[country_name(k) or _("Unknown"), v[0], v[1], f"{v[2]:.2f}"] for k, v in
                    sorted(by_country.items(), key=lambda kv: -kv[1][2])]
    columns = [_("Billable"), _("Free"), _("Estimated cost (%(c)s)") % {"c": rates.currency}]
    return [panel, cost_panel,
            Panel("categories", _("By pricing category"), _("Billable and free messages, and estimated cost."),
                  [_("Category"), *columns], cat_rows, bar_list(_("By pricing category"), _("Billable messages."),
                                                                [(r[0], r[1]) for r in cat_rows]),
                  "" if cat_rows else _("No priced messages in this period.")),
            Panel("countries", _("By country"), _("From the calling code of each person's number."),
                  [_("Country"), *columns], country_rows,
                  bar_list(_("Estimated cost by country"), _("Estimated cost."),
                           [(r[0], float(r[3])) for r in country_rows]),
                  "" if country_rows else _("No priced messages in this period."))]
