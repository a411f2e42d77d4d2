"""Background tasks of integrations (django-tasks). Thin: load by id, call one function."""

from __future__ import annotations

from django_tasks import task

from sauti.integrations import context, delivery, fanout


def _deliver_all(webhook_ids: list[int]) -> None:
    for webhook_id in webhook_ids:
        deliver.enqueue(webhook_id)


def _refresh_all(chat_ids: list[int]) -> None:
    for chat_id in chat_ids:
        refresh_context.enqueue(chat_id)


@task(queue_name="default")
def fan_out_events(event_ids: list[int]) -> int:
    webhook_ids: set[int] = set()
    chat_ids: list[int] = []
    for event_id in event_ids:
        hooks, chats = fanout.fan_out_event(event_id)
        webhook_ids.update(hooks)
        chat_ids += [c for c in chats if c not in chat_ids]
    _deliver_all(sorted(webhook_ids))
    _refresh_all(chat_ids)
    return len(webhook_ids)


@task(queue_name="default")
def fan_out_sent(workspace_id: int, message_ids: list[int]) -> int:
    webhook_ids, chat_ids = fanout.fan_out_sent(workspace_id, message_ids)
    _deliver_all(webhook_ids)
    _refresh_all(chat_ids)
    return len(webhook_ids)


@task(queue_name="default")
def deliver(webhook_id: int) -> bool:
    """Deliver what is due; a retry later is a new task scheduled for its time."""
    again = delivery.deliver_pending(webhook_id)
    if again is not None:
        deliver.using(run_after=again).enqueue(webhook_id)
    return again is None


@task(queue_name="default")
def refresh_context(chat_id: int) -> int:
    return context.refresh_chat(chat_id)


@task(queue_name="default")
def run_action(integration_id: int, chat_id: int, action_id: str, option: str | None, actor_id: int | None) -> bool:
    return context.run_action_by_ids(integration_id, chat_id, action_id, option, actor_id)


@task(queue_name="default")
def handshake(integration_id: int) -> bool:
    return context.handshake_by_id(integration_id)
