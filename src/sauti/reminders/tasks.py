"""Background tasks of reminders (django-tasks): thin; each loads a run by id and dispatches it.

Safe to run twice: a run is leased, so a second copy finds it taken and returns.
"""

from __future__ import annotations

from django_tasks import task

from sauti.reminders import dispatch


@task(queue_name="default")
def dispatch_run(run_id: int) -> bool:
    return dispatch.dispatch_run(run_id)
