"""Reads over the rollups, each one grouped query: a year of figures is a few hundred rows."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db.models import Sum

from sauti.accounts.models import Workspace
from sauti.insights.models import DailyCount
from sauti.insights.periods import bucket_of


def _rows(ws: Workspace, metric: str | list[str], first: dt.date, last: dt.date):  # noqa: ANN202 - a QuerySet
    metrics = [metric] if isinstance(metric, str) else metric
    return DailyCount.objects.filter(workspace=ws, metric__in=metrics, day__gte=first, day__lte=last)


def series(ws: Workspace, metric: str, first: dt.date, last: dt.date, grain: str = "day") -> dict[dt.date, int]:
    """Per day (or summed per week/month) totals of an additive metric."""
    out: dict[dt.date, int] = defaultdict(int)
    for day, total in _rows(ws, metric, first, last).values("day").annotate(t=Sum("value")).values_list("day", "t"):
        out[bucket_of(day, grain)] += total
    return dict(out)


def series_by(ws: Workspace, metric: str, first: dt.date, last: dt.date,
              grain: str = "day") -> dict[str, dict[dt.date, int]]:
    """Per dimension, per day (or week/month) totals."""
    out: dict[str, dict[dt.date, int]] = defaultdict(lambda: defaultdict(int))
    rows = _rows(ws, metric, first, last).values("dimension", "day").annotate(t=Sum("value"))
    for dim, day, total in rows.values_list("dimension", "day", "t"):
        out[dim][bucket_of(day, grain)] += total
    return {k: dict(v) for k, v in out.items()}


def totals(ws: Workspace, metric: str | list[str], first: dt.date, last: dt.date) -> dict[str, int]:
    """Totals per dimension over the span (several metrics add up together)."""
    rows = _rows(ws, metric, first, last).values("dimension").annotate(t=Sum("value"))
    return {dim: total for dim, total in rows.values_list("dimension", "t")}


def total(ws: Workspace, metric: str, first: dt.date, last: dt.date) -> int:
    return _rows(ws, metric, first, last).aggregate(t=Sum("value"))["t"] or 0


def histograms(ws: Workspace, metric: str, first: dt.date, last: dt.date) -> dict[str, list[tuple[int, int]]]:
    """(bucket, count) pairs per dimension, for medians and percentiles over the span."""
    out: dict[str, list[tuple[int, int]]] = defaultdict(list)
    rows = _rows(ws, metric, first, last).values("dimension", "bucket").annotate(t=Sum("value"))
    for dim, b, n in rows.values_list("dimension", "bucket", "t"):
        out[dim].append((b, n))
    return dict(out)


def distinct_periods(ws: Workspace, metric: str, first: dt.date, last: dt.date) -> dict[dt.date, int]:
    """Weekly or monthly distinct counts, keyed by the period's first day (read as stored)."""
    rows = _rows(ws, metric, first, last).values_list("day", "value")
    return dict(rows)
