"""Old deliveries, bodies, claims and snapshots are pruned; pending deliveries never are."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from sauti.integrations import services
from sauti.integrations.delivery import sweep
from sauti.integrations.models import Delivery
from sauti.integrations.retention import prune

pytestmark = pytest.mark.django_db


def test_old_finished_deliveries_go_and_pending_ones_stay(workspace):
    hook = services.create_webhook(workspace, url="https://crm.example.org/h", subscriptions=["whatsapp"], actor=None)
    now = timezone.now()
    rows = {state: Delivery.objects.create(workspace=workspace, webhook=hook, subscription="whatsapp", event="message",
                                           body="{}", next_attempt_at=now, state=state)
            for state in ("delivered", "failed", "pending")}
    Delivery.objects.update(created_at=now - dt.timedelta(days=31))
    fresh = Delivery.objects.create(workspace=workspace, webhook=hook, subscription="whatsapp", event="message",
                                    body="{}", next_attempt_at=now, state="delivered")
    assert prune()["deliveries"] == 2
    assert set(Delivery.objects.values_list("id", flat=True)) == {rows["pending"].id, fresh.id}


def test_the_sweep_finds_endpoints_whose_delivery_task_was_lost(workspace):
    from django_tasks_db.models import DBTaskResult

    hook = services.create_webhook(workspace, url="https://crm.example.org/h", subscriptions=["whatsapp"], actor=None)
    Delivery.objects.create(workspace=workspace, webhook=hook, subscription="whatsapp", event="message", body="{}",
                            next_attempt_at=timezone.now() - dt.timedelta(minutes=5))
    assert sweep() == 1
    assert DBTaskResult.objects.filter(task_path__endswith="integrations.tasks.deliver").count() == 1
