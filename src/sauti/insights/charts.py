"""Charts drawn on the server as SVG: no JavaScript, a <title> and <desc> for screen readers, and
the same numbers in a table beside every chart (the template's job)."""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from django.utils.safestring import SafeString, mark_safe

_ids = itertools.count(1)
WIDTH, HEIGHT = 640, 240
LEFT, RIGHT, TOP, BOTTOM = 48, 12, 14, 30


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[float]


def _nice_max(value: float) -> tuple[float, float]:
    """A round top for the axis and its step (4 steps): 0–1–2–5 scale."""
    if value <= 0:
        return 4.0, 1.0
    raw = value / 4
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    return step * 4, step


def _fmt(value: float) -> str:
    if value >= 10_000:
        return f"{value / 1000:,.0f}k"
    if value == int(value):
        return f"{int(value):,}"
    return f"{value:,.2f}"


def _frame(title: str, desc: str, body: str, height: int = HEIGHT) -> SafeString:
    n = next(_ids)
    return mark_safe(  # noqa: S308 - every text below is escaped
        f'<svg class="chart" viewBox="0 0 {WIDTH} {height}" role="img" aria-labelledby="ct{n} cd{n}" '
        f'preserveAspectRatio="xMidYMid meet"><title id="ct{n}">{escape(title)}</title>'
        f'<desc id="cd{n}">{escape(desc)}</desc>{body}</svg>')


def _axes(top: float, step: float, plot_w: float, plot_h: float) -> list[str]:
    parts = []
    ticks = int(round(top / step))
    for i in range(ticks + 1):
        y = TOP + plot_h - plot_h * i / ticks
        parts.append(f'<line class="grid" x1="{LEFT}" x2="{LEFT + plot_w}" y1="{y:.1f}" y2="{y:.1f}"/>')
        parts.append(f'<text class="tick" x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end">{_fmt(step * i)}</text>')
    return parts


def time_chart(title: str, desc: str, labels: Sequence[str], series: Sequence[Series], *,
               stacked: bool = True) -> SafeString:
    """Bars over time (stacked when several series add up), or lines when `stacked` is False."""
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    count = max(1, len(labels))
    sums = [sum(s.values[i] for s in series) for i in range(len(labels))] if stacked else [
        max((s.values[i] for s in series), default=0) for i in range(len(labels))]
    top, step = _nice_max(max(sums, default=0))
    parts = _axes(top, step, plot_w, plot_h)
    slot = plot_w / count
    if stacked:
        bar = max(1.0, slot * 0.72)
        for i in range(len(labels)):
            base = TOP + plot_h
            for k, s in enumerate(series):
                h = plot_h * s.values[i] / top
                if h <= 0:
                    continue
                x = LEFT + slot * i + (slot - bar) / 2
                base -= h
                parts.append(f'<rect class="s{k}" x="{x:.1f}" y="{base:.1f}" width="{bar:.1f}" height="{h:.1f}">'
                             f'<title>{escape(labels[i])} · {escape(s.name)}: {_fmt(s.values[i])}</title></rect>')
    else:
        for k, s in enumerate(series):
            points = " ".join(f"{LEFT + slot * (i + .5):.1f},{TOP + plot_h - plot_h * v / top:.1f}"
                              for i, v in enumerate(s.values))
            parts.append(f'<polyline class="line s{k}" points="{points}"/>')
            if count <= 45:
                parts += [f'<circle class="s{k}" cx="{LEFT + slot * (i + .5):.1f}" '
                          f'cy="{TOP + plot_h - plot_h * v / top:.1f}" r="2.5"><title>{escape(labels[i])} · '
                          f'{escape(s.name)}: {_fmt(v)}</title></circle>' for i, v in enumerate(s.values)]
    every = max(1, math.ceil(count / 8))
    for i in range(0, len(labels), every):
        x = LEFT + slot * (i + .5)
        parts.append(f'<text class="tick" x="{x:.1f}" y="{HEIGHT - 10}" text-anchor="middle">'
                     f'{escape(labels[i])}</text>')
    parts.append(_legend(series))
    return _frame(title, desc, "".join(parts))


def _short(value: float, unit: str) -> str:
    return f"{value:.1f}%" if unit == "%" else f"{_fmt(value)}{escape(unit)}"


def _legend(series: Sequence[Series]) -> str:
    if len(series) < 2:
        return ""
    out, x = [], LEFT
    for k, s in enumerate(series):
        out.append(f'<rect class="s{k}" x="{x}" y="0" width="10" height="10" rx="2"/>'
                   f'<text class="legend" x="{x + 14}" y="9">{escape(s.name)}</text>')
        x += 24 + 7 * len(s.name)
    return "".join(out)


def bar_list(title: str, desc: str, items: Sequence[tuple[str, float]], *, unit: str = "") -> SafeString:
    """Horizontal bars, one per labelled value (categories, countries, a funnel)."""
    items = list(items)[:12]
    row = 26
    height = TOP + row * max(1, len(items)) + 6
    label_w = 204
    plot_w = WIDTH - label_w - 70
    top = max((v for _, v in items), default=0) or 1
    parts = []
    for i, (label, value) in enumerate(items):
        y = TOP + row * i
        w = max(1.0, plot_w * value / top) if value else 0
        short = label if len(label) <= 25 else label[:24] + "…"
        parts.append(f'<text class="label" x="{label_w - 8}" y="{y + 15}" text-anchor="end">{escape(short)}</text>'
                     f'<rect class="s0" x="{label_w}" y="{y + 3}" width="{w:.1f}" height="{row - 9}" rx="2">'
                     f'<title>{escape(label)}: {_fmt(value)}{escape(unit)}</title></rect>'
                     f'<text class="value" x="{label_w + w + 6:.1f}" y="{y + 15}">{_short(value, unit)}</text>')
    return _frame(title, desc, "".join(parts), height)
