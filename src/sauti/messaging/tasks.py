"""Background tasks of the pipeline (django-tasks). Thin: load by id, call one function.

Webhook events are not tasks: workers claim them straight from their table in batches (see
pipeline.process_pending_events and lane.EventLane). A task handles a person whose messages had
to wait for someone else's hold on them.
"""

from __future__ import annotations

from django_tasks import task

from sauti.messaging import pipeline


@task(queue_name="contacts")
def handle_contact(contact_id: int) -> int:
    return pipeline.handle_contact(contact_id) or 0
