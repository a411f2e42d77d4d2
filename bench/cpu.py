"""CPU time used by processes and their descendants, read from /proc (Linux).

Throughput on a shared machine depends on what else runs; CPU milliseconds per unit of work do
much less, so the benches report both. Elsewhere than Linux the figures are simply absent.
"""

from __future__ import annotations

import os
from pathlib import Path

TICK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def _children(pid: int) -> list[int]:
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        try:
            found += [int(p) for p in task.read_text().split()]
        except OSError:
            continue
    return found


def tree_cpu_seconds(pid: int) -> float:
    """User + system CPU of `pid` and every live descendant."""
    total, stack = 0.0, [pid]
    while stack:
        current = stack.pop()
        try:
            fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / TICK  # utime, stime
        stack += _children(current)
    return total


def postgres_cpu_seconds() -> float:
    """CPU of every PostgreSQL server process on the machine (a shared server: an upper bound)."""
    total = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue
        if "(postgres)" in text:
            fields = text.rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / TICK
    return total


def snapshot(processes: dict[str, int]) -> dict[str, float]:
    """CPU seconds so far per named process tree, plus `postgres`."""
    if not Path("/proc/self/stat").exists():
        return {}
    shot = {name: tree_cpu_seconds(pid) for name, pid in processes.items()}
    shot["postgres"] = postgres_cpu_seconds()
    return shot


def per_unit_ms(before: dict[str, float], after: dict[str, float], units: int) -> dict[str, float]:
    """CPU milliseconds per unit of work between two snapshots, per process and in total."""
    if not before or not units:
        return {}
    used = {name: 1000 * (after[name] - before[name]) / units for name in before}
    used["total"] = sum(used.values())
    return {name: round(value, 2) for name, value in used.items()}
