"""Duration buckets: response, resolution and completion times are counted per bucket so that a
median or p90 over any date range is read from rollups (exact at the bucket's resolution)."""

from __future__ import annotations

from collections.abc import Iterable

MINUTE, HOUR, DAY = 60, 3600, 86400
CAP = 30 * DAY


def bucket(seconds: float) -> int:
    """The bucket's lower bound: whole minutes below an hour, quarter hours below a day, hours after."""
    s = max(0, min(int(seconds), CAP))
    if s < HOUR:
        return s // MINUTE * MINUTE
    if s < DAY:
        return s // 900 * 900
    return s // HOUR * HOUR


def percentile(counts: Iterable[tuple[int, int]], fraction: float) -> int | None:
    """Nearest-rank percentile over (bucket, count) pairs; None when there is nothing."""
    pairs = sorted((b, c) for b, c in counts if c)
    total = sum(c for _, c in pairs)
    if not total:
        return None
    rank = max(1, _ceil(total * fraction))
    seen = 0
    for b, c in pairs:
        seen += c
        if seen >= rank:
            return b
    return pairs[-1][0]


def _ceil(x: float) -> int:
    n = int(x)
    return n + 1 if x - n > 1e-9 else n


def human(seconds: int | None) -> str:
    """"4 min", "2 h 15 min", "3 d 4 h"."""
    if seconds is None:
        return "–"
    if seconds < HOUR:
        return f"{seconds // MINUTE} min"
    if seconds < DAY:
        h, m = divmod(seconds // MINUTE, 60)
        return f"{h} h {m} min" if m else f"{h} h"
    d, h = divmod(seconds // HOUR, 24)
    return f"{d} d {h} h" if h else f"{d} d"
