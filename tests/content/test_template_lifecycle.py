"""A template's life with the fake Cloud API over real HTTP: draft, submission, review by webhook,
rejection and resubmission, sync with Meta's list, copy, delete here and at Meta."""

from __future__ import annotations

import httpx
import pytest

from sauti.accounts.models import AuditEntry
from sauti.content.errors import TemplateInvalid
from sauti.content.models import MessageTemplate
from sauti.content.services import (
    copy_template,
    create_template,
    delete_template,
    submit_template,
    sync_templates,
    update_template,
)
from tests.content.conftest import deliver, template_webhooks

pytestmark = pytest.mark.django_db
Status = MessageTemplate.Status


def reminder(name: str = "visit_reminder", language: str = "en") -> dict:
    return {"name": name, "language": language, "category": "UTILITY", "components": [
        {"type": "BODY", "text": "Hello {{1}}, your visit is on {{2}}.",
         "example": {"body_text": [["Ana", "Monday"]]}},
        {"type": "FOOTER", "text": "Sauti clinic"},
        {"type": "BUTTONS", "buttons": [{"type": "QUICK_REPLY", "text": "Confirm"}]}]}


def at_meta(fake) -> dict[str, dict]:
    return {t["name"]: t for t in httpx.get(f"{fake.url}/_fake/templates").json()["data"]}


def test_submitted_template_is_approved_by_the_status_webhook(ws, fake, client, run_commits) -> None:
    template = create_template(ws, reminder(), actor=None)
    assert template.status == Status.DRAFT
    template = run_commits(lambda: submit_template(template))
    template.refresh_from_db()
    assert template.status == Status.PENDING
    assert template.meta_id == at_meta(fake)["visit_reminder"]["id"]
    assert AuditEntry.objects.filter(action="template.submitted", workspace=ws).exists()

    deliver(client, template_webhooks(fake))
    template.refresh_from_db()
    assert template.status == Status.APPROVED
    assert template.status_changed_at is not None


def test_rejection_keeps_the_reason_and_an_edit_goes_back_to_review(ws, fake, client, run_commits) -> None:
    template = create_template(ws, reminder("reject_this_one"))
    run_commits(lambda: submit_template(template))
    deliver(client, template_webhooks(fake))
    template.refresh_from_db()
    assert (template.status, template.rejected_reason) == (Status.REJECTED, "INVALID_FORMAT")
    assert template.editable

    data = reminder("reject_this_one")
    data["components"][0]["text"] = "Dear {{1}}, we will see you on {{2}}."
    template = update_template(template, data)
    run_commits(lambda: submit_template(template))
    template.refresh_from_db()
    assert template.status == Status.PENDING
    assert at_meta(fake)["reject_this_one"]["components"][0]["text"].startswith("Dear {{1}}")


def test_metas_refusal_shows_at_the_field_and_the_draft_stays(ws, fake, run_commits) -> None:
    httpx.post(f"{fake.url}/_fake/templates", json={"name": "taken_name", "language": "en", "body": "Hi"})
    template = create_template(ws, reminder("taken_name"))
    run_commits(lambda: submit_template(template))
    template.refresh_from_db()
    assert template.status == Status.DRAFT
    assert template.submit_error["field"] == "name"
    assert "already exists" in template.submit_error["message"]


def test_broken_rules_are_refused_before_meta_is_asked(ws) -> None:
    data = reminder("Visit Reminder")
    data["components"][0]["example"] = {"body_text": [["Ana"]]}
    with pytest.raises(TemplateInvalid) as caught:
        create_template(ws, data)
    assert set(caught.value.by_field()) == {"name", "body.example.2"}
    create_template(ws, reminder())
    with pytest.raises(TemplateInvalid) as caught:
        create_template(ws, reminder())
    assert caught.value.field == "name"
    assert MessageTemplate.objects.filter(workspace=ws).count() == 1


def test_sync_adopts_metas_templates_and_notices_deletions(ws, fake, run_commits) -> None:
    httpx.post(f"{fake.url}/_fake/templates", json={"name": "made_at_meta", "language": "pt_BR",
                                                    "body": "Olá {{1}}", "category": "MARKETING"})
    mine = create_template(ws, reminder())
    run_commits(lambda: submit_template(mine))
    counts = sync_templates(ws)
    assert counts["created"] == 1
    adopted = MessageTemplate.objects.get(workspace=ws, name="made_at_meta")
    assert (adopted.status, adopted.category, adopted.language) == (Status.APPROVED, "MARKETING", "pt_BR")
    assert adopted.components[0]["text"] == "Olá {{1}}"

    httpx.delete(f"{fake.url}/v23.0/{ws.waba_id}/message_templates", params={"name": "made_at_meta"},
                 headers={"Authorization": "Bearer t"})
    assert sync_templates(ws)["deleted"] == 1
    adopted.refresh_from_db()
    assert adopted.status == Status.DELETED
    assert sync_templates(ws) == {"created": 0, "updated": 0, "deleted": 0}


def test_a_status_webhook_for_an_unknown_template_fetches_it(ws, fake, client, run_commits) -> None:
    created = httpx.post(f"{fake.url}/_fake/templates", json={"name": "elsewhere", "language": "en",
                                                              "body": "Hi", "status": "PENDING"}).json()
    httpx.post(f"{fake.url}/_fake/templates/{created['id']}/status", json={"status": "APPROVED"})
    run_commits(lambda: deliver(client, template_webhooks(fake)))
    # The webhook queued a sync, which the worker ran.
    assert MessageTemplate.objects.get(workspace=ws, name="elsewhere").status == Status.APPROVED


def test_copy_is_a_new_draft_and_delete_reaches_meta(ws, fake, client, run_commits) -> None:
    template = create_template(ws, reminder())
    run_commits(lambda: submit_template(template))
    copy = copy_template(template, name="visit_reminder", language="pt_BR")
    assert (copy.status, copy.components) == (Status.DRAFT, template.components)
    with pytest.raises(TemplateInvalid):
        copy_template(template, name="visit_reminder", language="en")

    run_commits(lambda: delete_template(template))
    assert "visit_reminder" not in at_meta(fake)
    assert not MessageTemplate.objects.filter(id=template.id).exists()
    assert AuditEntry.objects.filter(action="template.deleted", workspace=ws).exists()
    run_commits(lambda: delete_template(copy))  # a draft: nothing to delete at Meta



def test_a_media_header_sample_goes_to_meta_as_an_upload_handle(ws, fake, run_commits) -> None:
    from sauti.accounts.services import update_workspace_settings
    from sauti.content.services import upload_media

    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
    poster = upload_media(ws, png, "image/png", "poster.png")
    data = reminder("poster_invite")
    data["components"].insert(0, {"type": "HEADER", "format": "IMAGE"})
    template = create_template(ws, data, header_media=poster)
    run_commits(lambda: submit_template(template))
    template.refresh_from_db()
    assert (template.status, template.submit_error["field"]) == (Status.DRAFT, "header.media")
    assert "Meta app id" in template.submit_error["message"]

    update_workspace_settings(ws, actor=None, settings={"meta_app_id": "1234567890"})
    template.workspace.refresh_from_db()
    run_commits(lambda: submit_template(template))
    template.refresh_from_db()
    assert template.status == Status.PENDING, template.submit_error
    header = at_meta(fake)["poster_invite"]["components"][0]
    assert header["example"]["header_handle"][0].startswith("4::")
