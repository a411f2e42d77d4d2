"""The backfill rebuilds lost or stale rollups from the source rows, from the CLI or manage.py."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from sauti.cli import main
from sauti.insights.models import DailyCount
from sauti.insights.services.aggregate import backfill
from tests.insights.data import generate

pytestmark = pytest.mark.django_db


def _snapshot(workspace) -> set:
    return set(DailyCount.objects.filter(workspace=workspace).values_list("metric", "day", "dimension", "bucket",
                                                                          "value"))


def test_backfill_rebuilds_exactly_what_was_lost(workspace):
    generate(workspace, days=10, people=20)
    backfill(workspace)
    before = _snapshot(workspace)
    DailyCount.objects.filter(workspace=workspace, metric__in=["msg_in", "j_start"]).delete()
    DailyCount.objects.filter(workspace=workspace, metric="active").update(value=999)
    call_command("insights_backfill", workspace=str(workspace.uuid), verbosity=0)
    assert _snapshot(workspace) == before
    DailyCount.objects.filter(workspace=workspace).delete()
    assert main(["insights", "backfill"]) == 0
    assert _snapshot(workspace) == before


def test_backfill_refuses_bad_options(workspace):
    with pytest.raises(CommandError, match="--since must be a date"):
        call_command("insights_backfill", since="yesterday")
    with pytest.raises(CommandError, match="no workspace"):
        call_command("insights_backfill", workspace="not-a-uuid")
