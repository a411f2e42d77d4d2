"""CSV import and export as background tasks: columns matched by header, a dry run with row-level
errors, idempotent on wa_id, bad rows never stop good ones, resumable, and exports that import back."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.utils import timezone

from sauti.accounts.models import AuditEntry
from sauti.contacts import csvfiles
from sauti.contacts.models import Contact, ContactExport, ContactImport
from sauti.contacts.schema import load_schema
from sauti.contacts.services import create_contact, create_field
from sauti.contacts.services.transfers import (
    ImportInvalid,
    _claim,
    _write_batch,
    check_import,
    resume_stalled_transfers,
    start_export,
    start_import,
    upload_import,
)
from tests.support import drain_tasks

pytestmark = pytest.mark.django_db

FILE = """Phone,Name,District,Age,Notes,Opted in
+27 82 000 0001,Ana,North,31,ignored,yes
27820000002,Ben,South,twelve,,no
,Nobody,North,4,,
27820000004,Dee,,40,,
not-a-number,Eve,East,5,,yes
"""


@pytest.fixture
def clinic(workspace):
    create_field(workspace, key="district", type="text")
    create_field(workspace, key="age", type="number")
    return workspace


def _upload(workspace, text: str = FILE, name: str = "people.csv") -> ContactImport:
    return upload_import(workspace, filename=name, data=text.encode(), actor=None)


def test_columns_are_matched_by_header_and_samples_kept(clinic) -> None:
    job = _upload(clinic)
    assert job.headers == ["Phone", "Name", "District", "Age", "Notes", "Opted in"]
    assert job.mapping == {"0": "whatsapp_id", "1": "name", "2": "district", "3": "age", "5": "opted_in"}
    assert job.total_rows == 5 and job.status == "uploaded"


def test_the_dry_run_lists_each_bad_row_and_changes_nobody(clinic) -> None:
    create_contact(clinic, wa_id="27820000004", values={"name": "Dee", "district": "West"})
    job = check_import(_upload(clinic), _upload(clinic).mapping, actor=None)
    drain_tasks()
    job.refresh_from_db()
    assert job.status == "checked" and job.processed_rows == 5
    assert (job.would_create, job.would_update, job.invalid_rows) == (1, 1, 3)
    assert [(p["row"], p["column"]) for p in job.problems] == [(3, "Age"), (4, "Phone"), (6, "Phone")]
    assert "“twelve” is not a number" in job.problems[0]["message"]
    assert job.problems[1]["message"] == "The WhatsApp number is missing."
    assert Contact.objects.count() == 1


def test_importing_creates_updates_skips_bad_rows_and_leaves_empty_cells_alone(clinic) -> None:
    dee = create_contact(clinic, wa_id="27820000004", values={"name": "Dee", "district": "West", "age": 39})
    job = _upload(clinic)
    check_import(job, job.mapping, actor=None)
    drain_tasks()
    start_import(job, actor=None)
    drain_tasks()
    job.refresh_from_db()
    assert (job.status, job.created_count, job.updated_count, job.skipped_count) == ("done", 1, 1, 3)
    ana = Contact.objects.get(wa_id="27820000001")
    assert (ana.name, ana.fields, ana.opted_in) == ("Ana", {"district": "North", "age": 31}, True)
    assert ana.opted_in_at is not None
    dee.refresh_from_db()
    assert dee.fields == {"district": "West", "age": 40}  # an empty District cell changes nothing
    assert AuditEntry.objects.filter(action="contacts_imported").exists()

    again = _upload(clinic)  # the same file again: nobody new, nobody duplicated
    check_import(again, again.mapping, actor=None)
    drain_tasks()
    start_import(again, actor=None)
    drain_tasks()
    again.refresh_from_db()
    assert (again.created_count, again.updated_count) == (0, 2)
    assert Contact.objects.count() == 2


def test_a_mapping_must_name_the_number_and_each_field_once(clinic) -> None:
    job = _upload(clinic)
    with pytest.raises(ImportInvalid, match="WhatsApp number"):
        check_import(job, {"1": "name"}, actor=None)
    with pytest.raises(ImportInvalid, match="Two columns"):
        check_import(job, {"0": "whatsapp_id", "1": "name", "2": "name"}, actor=None)
    with pytest.raises(ImportInvalid, match="cannot be imported"):
        check_import(job, {"0": "whatsapp_id", "1": "last_seen_at"}, actor=None)
    with pytest.raises(ImportInvalid, match="Check the file"):
        start_import(job, actor=None)


@pytest.mark.parametrize(("data", "message"), [
    (b"", "empty"), (b"whatsapp_id,name\n", "nobody below it"), (b"\x00\xff\xfe\x00" * 4, "header row"),
])
def test_unreadable_files_are_refused_with_a_reason(clinic, data: bytes, message: str) -> None:
    with pytest.raises(ImportInvalid) as caught:
        upload_import(clinic, filename="x.csv", data=data, actor=None)
    assert message in caught.value.message


def test_excel_files_with_semicolons_and_old_encodings_are_read(clinic) -> None:
    text = "\ufeffNúmero;Name\n27820000001;José\n"
    job = upload_import(clinic, filename="excel.csv", data=text.encode("utf-8"), actor=None)
    assert job.headers == ["Número", "Name"] and job.mapping == {"1": "name"}
    job = upload_import(clinic, filename="old.csv", data="phone;name\n27820000001;Zoë\n".encode("cp1252"), actor=None)
    check_import(job, job.mapping, actor=None)
    drain_tasks()
    start_import(job, actor=None)
    drain_tasks()
    assert Contact.objects.get().name == "Zoë"


def test_an_import_whose_worker_died_resumes_where_it_stopped(clinic) -> None:
    rows = "\n".join(f"2783000{n:04d},P{n}" for n in range(12))
    job = _upload(clinic, "whatsapp_id,name\n" + rows + "\n")
    check_import(job, job.mapping, actor=None)
    drain_tasks()
    start_import(job, actor=None)
    # A worker claims it and commits one batch of five rows, then dies holding the lease.
    claimed = _claim(ContactImport, job.id, "running")
    schema = load_schema(clinic)
    _write_batch(claimed, schema, [(f"2783000{n:04d}", {"name": f"P{n}"}) for n in range(5)], 0)
    from django_tasks_db.models import DBTaskResult

    DBTaskResult.objects.all().delete()  # its task is gone with it
    assert resume_stalled_transfers() == 0  # the lease still runs: nobody else takes it
    later = timezone.now() + dt.timedelta(minutes=5)
    assert resume_stalled_transfers(now=later) == 1
    ContactImport.objects.filter(id=job.id).update(lease_until=timezone.now() - dt.timedelta(seconds=1))
    drain_tasks()
    job.refresh_from_db()
    assert (job.status, job.processed_rows, job.created_count) == ("done", 12, 12)
    assert Contact.objects.count() == 12


def test_an_export_is_a_file_that_imports_back_unchanged(clinic, django_user_model) -> None:
    admin = django_user_model.objects.create_user("admin@example.org", "pw-123456789")
    create_field(clinic, key="visit", type="datetime")
    create_contact(clinic, wa_id="27820000001", values={"name": "=HYPERLINK(\"x\")", "district": "North", "age": 3.5,
                                                        "visit": "2025-03-01T09:00:00Z", "opted_in": True})
    create_contact(clinic, wa_id="27820000002", values={"name": "Ben", "birthday": "2001-02-03"})
    job = start_export(clinic, query="district = north or birthday is set", role="admin", actor=admin)
    drain_tasks()
    job = ContactExport.objects.get(id=job.id)
    assert job.status == "done" and job.total_rows == 2 and job.filename.endswith(".csv")
    text = csvfiles.decompress(job.content)
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows[0]["name"] == "'=HYPERLINK(\"x\")"  # never a formula in a spreadsheet
    assert rows[0]["age"] == "3.5" and rows[0]["opted_in"] == "true" and rows[1]["birthday"] == "2001-02-03"
    assert "last_seen_at" in rows[0] and rows[0]["whatsapp_id"] == "27820000001"
    before = {c.wa_id: (c.name, c.fields, c.opted_in_at) for c in Contact.objects.all()}
    back = _upload(clinic, text, "export.csv")
    check_import(back, back.mapping, actor=None)
    drain_tasks()
    back.refresh_from_db()
    assert back.invalid_rows == 0 and back.would_update == 2
    start_import(back, actor=None)
    drain_tasks()
    assert {c.wa_id: (c.name, c.fields, c.opted_in_at) for c in Contact.objects.all()} == before
    assert AuditEntry.objects.get(action="contacts_exported").details["rows"] == 2


def test_the_helper_file_has_every_field_and_its_example_row_imports(clinic) -> None:
    create_field(clinic, key="gender", type="enum", choices=["FEMALE", "MALE"])
    text = csvfiles.helper_csv(load_schema(clinic))
    header = text.splitlines()[0].split(",")
    assert header[0] == "whatsapp_id"
    assert {"name", "opted_in", "birthday", "location", "district", "gender"} <= set(header)
    assert "last_seen_at" not in header
    job = _upload(clinic, text, "helper.csv")
    check_import(job, job.mapping, actor=None)
    drain_tasks()
    job.refresh_from_db()
    assert job.invalid_rows == 0, job.problems


def test_files_of_personal_information_are_deleted_after_a_week(clinic) -> None:
    create_contact(clinic, wa_id="27820000001", values={"name": "Ana"})
    export = start_export(clinic, query="", role="admin", actor=None)
    waiting = _upload(clinic)
    drain_tasks()
    later = timezone.now() + dt.timedelta(days=8)
    ContactImport.objects.filter(id=waiting.id).update(updated_at=timezone.now() - dt.timedelta(days=8))
    resume_stalled_transfers(now=later)
    assert ContactExport.objects.get(id=export.id).content is None
    waiting.refresh_from_db()
    assert waiting.status == "failed" and bytes(waiting.content) == b"" and "Upload it again" in waiting.error
