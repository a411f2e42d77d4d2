"""Background tasks of People (django-tasks): thin, each loads a job by id and runs it once.

Safe to run twice: a job is leased, so a second copy finds it taken or finished and returns.
"""

from __future__ import annotations

from django_tasks import task

from sauti.contacts.services import transfers


@task(queue_name="default")
def check_contact_import(import_id: int) -> bool:
    return transfers.run_check(import_id)


@task(queue_name="default")
def run_contact_import(import_id: int) -> bool:
    return transfers.run_import(import_id)


@task(queue_name="default")
def run_contact_export(export_id: int) -> bool:
    return transfers.run_export(export_id)
