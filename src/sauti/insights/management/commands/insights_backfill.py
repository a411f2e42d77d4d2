"""Rebuild Insights rollups from the source rows (after an upgrade, an import, or to repair)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sauti.accounts.models import Workspace
from sauti.insights.services.aggregate import backfill
from sauti.insights.services.families import FAMILIES


class Command(BaseCommand):
    help = "Recompute Insights rollups for every workspace (or one), over all time or a span of days."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--workspace", help="workspace id (uuid); default: every workspace")
        parser.add_argument("--since", help="first local day, YYYY-MM-DD (default: the first activity)")
        parser.add_argument("--until", help="last local day, YYYY-MM-DD (default: today)")
        parser.add_argument("--days", type=int, help="only the last N days (instead of --since)")
        parser.add_argument("--family", action="append", choices=sorted(FAMILIES),
                            help="only these figures (repeatable); default: all")

    def handle(self, *args: Any, **options: Any) -> None:
        workspace = None
        if options["workspace"]:
            try:
                workspace = Workspace.objects.get(uuid=options["workspace"])
            except (Workspace.DoesNotExist, ValueError, Exception) as exc:
                raise CommandError(f"no workspace {options['workspace']!r}") from exc
        since, until = _date(options["since"], "--since"), _date(options["until"], "--until")
        if options["days"]:
            since = dt.date.today() - dt.timedelta(days=options["days"] - 1)
        if since and until and since > until:
            raise CommandError("--since must be on or before --until")
        for name, rows in backfill(workspace, since, until, options["family"]).items():
            if options["verbosity"]:
                self.stdout.write(f"{name}: {rows} rollup rows")


def _date(value: str | None, flag: str) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"{flag} must be a date as YYYY-MM-DD") from exc
