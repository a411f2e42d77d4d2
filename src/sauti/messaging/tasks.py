"""Background tasks of the pipeline (django-tasks). Thin: load by id, call one function."""

from __future__ import annotations

from django_tasks import task

from sauti.messaging import pipeline


@task(queue_name="webhooks")
def process_webhook(event_id: int) -> int:
    try:
        contact_ids = pipeline.process_webhook_event(event_id)
    except Exception as exc:
        pipeline.record_event_failure(event_id, exc)
        raise
    for contact_id in contact_ids:
        handle_contact.enqueue(contact_id)
    return len(contact_ids)


@task(queue_name="contacts")
def handle_contact(contact_id: int) -> int:
    return pipeline.handle_contact(contact_id) or 0
