"""CSV imports and exports of people, run as background tasks with progress.

An import: upload → map columns → check (a dry run listing each bad row) → import. It is
idempotent on wa_id (existing people are updated, empty cells and missing columns leave values
as they are) and bad rows never stop good ones. Each batch commits with its progress, so a job
whose worker died resumes where it stopped (`resume_stalled_transfers`, a scheduler job).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import logging
from collections.abc import Mapping
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from sauti.accounts.models import User, Workspace
from sauti.accounts.services import record_audit
from sauti.contacts import csvfiles
from sauti.contacts.models import Contact, ContactExport, ContactImport
from sauti.contacts.privacy import mask_number
from sauti.contacts.schema import load_schema
from sauti.contacts.segments import segment_contacts
from sauti.contacts.services.people import apply_values, normalise_wa_id

logger = logging.getLogger(__name__)
LEASE = dt.timedelta(seconds=120)
CHECK_BATCH = 1000
IMPORT_BATCH = 500
EXPORT_BATCH = 2000
# Files full of personal information are not kept for ever: exports and finished imports lose
# their file after this long (their summary stays).
KEEP_FILES = dt.timedelta(days=7)
Status = ContactImport.Status


class ImportInvalid(ValueError):
    """An import step that cannot happen (a bad file, a mapping without the number…)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field, self.message = field, message


# ---------------------------------------------------------------------------- starting jobs


@transaction.atomic
def upload_import(workspace: Workspace, *, filename: str, data: bytes, actor: User | None) -> ContactImport:
    """Keep an uploaded CSV with its columns auto-matched to fields; nothing is imported yet."""
    try:
        text = csvfiles.decode(data)
        upload = csvfiles.inspect(text)
    except csvfiles.UnreadableFile as exc:
        raise ImportInvalid("file", str(exc)) from None
    schema = load_schema(workspace)
    job = ContactImport.objects.create(
        workspace=workspace, status=Status.UPLOADED, created_by=actor, filename=filename[:255],
        content=csvfiles.compress(text), headers=upload.headers, total_rows=upload.total_rows,
        mapping=csvfiles.auto_mapping(upload.headers, schema),
        problems=[{"sample": row} for row in upload.samples])
    record_audit(workspace, "contacts_import_uploaded", actor=actor, target=str(job.uuid), filename=job.filename,
                 rows=job.total_rows)
    return job


def samples_of(job: ContactImport) -> list[list[str]]:
    """The first rows of an uploaded file (kept in `problems` until the dry run replaces them)."""
    return [item["sample"] for item in job.problems if isinstance(item, dict) and "sample" in item]


def _enqueue(task: Any, job_id: int) -> None:
    # In the job's own transaction: with the database task backend the task row commits (or rolls
    # back) with the job, so neither exists without the other; the sweeper covers other backends.
    task.enqueue(job_id)


@transaction.atomic
def check_import(job: ContactImport, mapping: Mapping[str, str], *, actor: User | None) -> ContactImport:
    """Keep the column mapping and start the dry run. `mapping` is {column index: field key}."""
    from sauti.contacts.tasks import check_contact_import

    job = ContactImport.objects.select_for_update().get(pk=job.pk)
    if job.status in (Status.RUNNING, Status.DONE):
        raise ImportInvalid("status", _("This file is already imported or being imported."))
    schema = load_schema(job.workspace)
    allowed = {spec.key for spec in csvfiles.targets(schema)}
    clean: dict[str, str] = {}
    for index, key in mapping.items():
        if not key:
            continue
        if key not in allowed or not str(index).isdigit() or int(index) >= len(job.headers):
            raise ImportInvalid("mapping", _("“%(key)s” cannot be imported into.") % {"key": key})
        if key in clean.values():
            raise ImportInvalid("mapping", _("Two columns go to “%(key)s”: choose one.") % {"key": key})
        clean[str(index)] = key
    if csvfiles.KEY_COLUMN not in clean.values():
        raise ImportInvalid("mapping", _("Choose the column with the WhatsApp number: people are matched by it."))
    job.mapping = clean
    job.status, job.processed_rows, job.error = Status.CHECKING, 0, ""
    job.invalid_rows = job.would_create = job.would_update = 0
    job.problems, job.lease_until, job.enqueued_at = [], None, timezone.now()
    job.save()
    _enqueue(check_contact_import, job.id)
    return job


@transaction.atomic
def start_import(job: ContactImport, *, actor: User | None) -> ContactImport:
    """Import the checked file: the good rows, skipping those the dry run found bad."""
    from sauti.contacts.tasks import run_contact_import

    job = ContactImport.objects.select_for_update().get(pk=job.pk)
    if job.status != Status.CHECKED:
        raise ImportInvalid("status", _("Check the file before importing it."))
    if job.invalid_rows >= job.total_rows:
        raise ImportInvalid("status", _("No row can be imported: fix the file and upload it again."))
    job.status, job.processed_rows, job.lease_until, job.enqueued_at = Status.RUNNING, 0, None, timezone.now()
    job.created_count = job.updated_count = job.skipped_count = 0
    job.save()
    record_audit(job.workspace, "contacts_import_started", actor=actor, target=str(job.uuid), rows=job.total_rows)
    _enqueue(run_contact_import, job.id)
    return job


@transaction.atomic
def start_export(workspace: Workspace, *, query: str, role: str, actor: User | None,
                 segment_name: str = "") -> ContactExport:
    """Export the people a query finds, as `role` may see them. Audited (who, which query)."""
    from sauti.contacts.tasks import run_contact_export

    hidden = _hidden(workspace, role)
    total = segment_contacts(workspace, query, private_hidden=hidden).count()  # checks the query too
    job = ContactExport.objects.create(workspace=workspace, status=ContactExport.Status.RUNNING, created_by=actor,
                                       query=query, segment_name=segment_name[:100], role=role, total_rows=total,
                                       enqueued_at=timezone.now())
    record_audit(workspace, "contacts_exported", actor=actor, target=str(job.uuid), query=query,
                 segment=segment_name, rows=total)
    _enqueue(run_contact_export, job.id)
    return job


def _hidden(workspace: Workspace, role: str) -> bool:
    from sauti.contacts.privacy import numbers_hidden

    return numbers_hidden(workspace, role)


# ---------------------------------------------------------------------------- the lease


def _claim(model: type[Any], job_id: int, status: str) -> Any:
    """The job, leased to this worker, or None when it is done or another worker holds it."""
    now = timezone.now()
    claimed = (model.objects.filter(id=job_id, status=status)
               .filter(Q(lease_until__isnull=True) | Q(lease_until__lt=now))
               .update(lease_until=now + LEASE))
    if not claimed:
        return None
    return model.objects.select_related("workspace").get(id=job_id)


def _rows(job: ContactImport) -> Any:
    rows = csvfiles.rows_of(csvfiles.decompress(job.content))
    next(rows, None)  # the header
    return rows


# ---------------------------------------------------------------------------- the dry run


def run_check(job_id: int) -> bool:
    """The dry run: every row checked like the import will, nothing written to people."""
    job = _claim(ContactImport, job_id, Status.CHECKING)
    if job is None:
        return False
    try:
        _check(job)
    except Exception as exc:
        logger.exception("checking import %s failed", job_id)
        ContactImport.objects.filter(id=job_id).update(status=Status.FAILED, error=str(exc)[:1000],
                                                       lease_until=None)
        raise
    return True


def _check(job: ContactImport) -> None:
    schema = load_schema(job.workspace)
    problems: list[dict[str, Any]] = []
    invalid = creates = updates = done = 0
    seen: set[str] = set()
    batch: list[str] = []

    def flush() -> None:
        nonlocal creates, updates
        fresh = [n for n in dict.fromkeys(batch) if n not in seen]
        existing = set(Contact.objects.filter(workspace=job.workspace, wa_id__in=fresh)
                       .values_list("wa_id", flat=True))
        updates += len(existing)
        creates += len(fresh) - len(existing)
        seen.update(fresh)
        batch.clear()
        ContactImport.objects.filter(id=job.id).update(processed_rows=done, lease_until=timezone.now() + LEASE)

    for number, row in enumerate(_rows(job), start=2):
        wa_id, _values, row_problems = csvfiles.check_row(number, row, job.mapping, job.headers, schema,
                                                          normalise_wa_id)
        done += 1
        if row_problems:
            invalid += 1
            problems.extend(p.as_dict() for p in row_problems[:5])
        elif wa_id:
            batch.append(wa_id)
        if done % CHECK_BATCH == 0:
            flush()
    flush()
    ContactImport.objects.filter(id=job.id).update(
        status=Status.CHECKED, processed_rows=done, total_rows=done, invalid_rows=invalid, would_create=creates,
        would_update=updates, problems=problems[:csvfiles.MAX_PROBLEMS], lease_until=None)


# ---------------------------------------------------------------------------- the import


def run_import(job_id: int) -> bool:
    """Import the good rows in batches; each batch commits with the progress (resumable)."""
    job = _claim(ContactImport, job_id, Status.RUNNING)
    if job is None:
        return False
    try:
        _import(job)
    except Exception as exc:
        logger.exception("import %s failed", job_id)
        ContactImport.objects.filter(id=job_id).update(status=Status.FAILED, error=str(exc)[:1000],
                                                       lease_until=None)
        raise
    return True


def _import(job: ContactImport) -> None:
    schema = load_schema(job.workspace)
    rows = _rows(job)
    for _skip in range(job.processed_rows):
        next(rows, None)
    number = job.processed_rows + 1
    batch: list[tuple[str, dict[str, Any]]] = []
    skipped = 0
    for row in rows:
        number += 1
        wa_id, values, problems = csvfiles.check_row(number, row, job.mapping, job.headers, schema, normalise_wa_id)
        if problems or not wa_id:
            skipped += 1
        else:
            batch.append((wa_id, values))
        if len(batch) + skipped >= IMPORT_BATCH:
            _write_batch(job, schema, batch, skipped)
            batch, skipped = [], 0
    _write_batch(job, schema, batch, skipped, last=True)


@transaction.atomic
def _write_batch(job: ContactImport, schema: Any, batch: list[tuple[str, dict[str, Any]]], skipped: int,
                 *, last: bool = False) -> None:
    now = timezone.now()
    merged: dict[str, dict[str, Any]] = {}
    for wa_id, values in batch:  # the same number twice in a batch: the later row wins, per column
        merged.setdefault(wa_id, {}).update(values)
    existing = {c.wa_id: c for c in Contact.objects.select_for_update()
                .filter(workspace=job.workspace, wa_id__in=list(merged))}
    created: list[Contact] = []
    changed: list[Contact] = []
    columns: set[str] = set()
    defaults = schema.defaults()
    for wa_id, values in merged.items():
        contact = existing.get(wa_id)
        if contact is None:
            contact = Contact(workspace=job.workspace, wa_id=wa_id, fields=dict(defaults))
            apply_values(contact, values, schema, now)
            created.append(contact)
            continue
        touched = apply_values(contact, values, schema, now)
        if touched:
            changed.append(contact)
            columns |= touched
    try:
        with transaction.atomic():
            Contact.objects.bulk_create(created, batch_size=IMPORT_BATCH)
    except IntegrityError:
        # Someone wrote in (or another import added them) meanwhile: one by one, updating the new rows.
        for contact in created:
            try:
                with transaction.atomic():
                    contact.save()
            except IntegrityError:
                other = Contact.objects.select_for_update().get(workspace=job.workspace, wa_id=contact.wa_id)
                touched = apply_values(other, merged[contact.wa_id], schema, now)
                if touched:
                    other.save(update_fields=sorted(touched))
    if changed:
        _update_rows(changed, sorted(columns))
    processed = len(batch) + skipped
    job.processed_rows += processed
    job.created_count += len(created)
    job.updated_count += len(merged) - len(created)
    job.skipped_count += skipped
    fields = {"processed_rows": job.processed_rows, "created_count": job.created_count,
              "updated_count": job.updated_count, "skipped_count": job.skipped_count,
              "lease_until": now + LEASE}
    if last:
        fields.update(status=Status.DONE, finished_at=now, lease_until=None, total_rows=job.processed_rows)
    ContactImport.objects.filter(id=job.id).update(**fields)
    if last:
        record_audit(job.workspace, "contacts_imported", actor=job.created_by, target=str(job.uuid),
                     created=job.created_count, updated=job.updated_count, skipped=job.skipped_count)


def _update_rows(contacts: list[Contact], columns: list[str]) -> None:
    """One parameterised UPDATE run for many rows (executemany): several times faster than
    bulk_update's CASE expressions for a batch where every row has its own values."""
    fields = [Contact._meta.get_field(name) for name in columns]
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(f.column)} = %s" for f in fields)
    # Table and column names come from the model's metadata; every value is a parameter.
    sql = f"UPDATE {quote(Contact._meta.db_table)} SET {assignments} WHERE {quote('id')} = %s"  # noqa: S608
    rows = [[f.get_db_prep_save(getattr(c, f.attname), connection) for f in fields] + [c.pk] for c in contacts]
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


# ---------------------------------------------------------------------------- exports


def run_export(job_id: int) -> bool:
    """Write the CSV of an export (from the start: an export writes nothing but its own file)."""
    job = _claim(ContactExport, job_id, ContactExport.Status.RUNNING)
    if job is None:
        return False
    try:
        _export(job)
    except Exception as exc:
        logger.exception("export %s failed", job_id)
        ContactExport.objects.filter(id=job_id).update(status=ContactExport.Status.FAILED, error=str(exc)[:1000],
                                                       lease_until=None)
        raise
    return True


def _export(job: ContactExport) -> None:
    workspace = job.workspace
    hidden = _hidden(workspace, job.role)
    schema = load_schema(workspace)
    columns = csvfiles.export_columns(schema, private_hidden=hidden)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([spec.key for spec in columns])
    people = segment_contacts(workspace, job.query, private_hidden=hidden).order_by("id")
    done = 0
    mask = mask_number if hidden else None
    for contact in people.iterator(chunk_size=EXPORT_BATCH):
        writer.writerow([csvfiles.export_cell(spec, contact, mask=mask) for spec in columns])
        done += 1
        if done % EXPORT_BATCH == 0:
            ContactExport.objects.filter(id=job.id).update(processed_rows=done,
                                                           lease_until=timezone.now() + LEASE)
    stamp = timezone.now().astimezone(schema.tz).strftime("%Y-%m-%d-%H%M")
    name = slugify(job.segment_name or workspace.name) or "people"
    ContactExport.objects.filter(id=job.id).update(
        status=ContactExport.Status.DONE, processed_rows=done, total_rows=done, content=csvfiles.compress(
            out.getvalue()), filename=f"{name}-{stamp}.csv", finished_at=timezone.now(), lease_until=None)


# ---------------------------------------------------------------------------- resuming


def resume_stalled_transfers(now: dt.datetime | None = None) -> int:
    """The scheduler's job: hand jobs whose lease ran out (their worker died) to a worker again,
    and delete the files of jobs older than KEEP_FILES. Returns how many jobs were handed over."""
    from sauti.contacts.tasks import check_contact_import, run_contact_export, run_contact_import

    now = now or timezone.now()
    stale = Q(lease_until__isnull=True) | Q(lease_until__lt=now)
    waited = Q(enqueued_at__isnull=True) | Q(enqueued_at__lt=now - LEASE)
    jobs = [(ContactImport, Status.CHECKING, check_contact_import), (ContactImport, Status.RUNNING, run_contact_import),
            (ContactExport, ContactExport.Status.RUNNING, run_contact_export)]
    count = 0
    for model, status, task in jobs:
        for job_id in model.objects.filter(stale, waited, status=status).values_list("id", flat=True)[:50]:
            model.objects.filter(id=job_id).update(enqueued_at=now)
            task.enqueue(job_id)
            count += 1
    old = now - KEEP_FILES
    ContactExport.objects.filter(finished_at__lt=old, content__isnull=False).update(content=None)
    ContactImport.objects.filter(finished_at__lt=old).exclude(content=b"").update(content=b"")
    ContactImport.objects.filter(status__in=[Status.UPLOADED, Status.CHECKED], updated_at__lt=old).update(
        content=b"", status=Status.FAILED, error=_("The file was deleted: it waited more than a week without being "
                                                   "imported. Upload it again."))
    return count
