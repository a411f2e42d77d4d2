"""Meta's template webhooks (shared conformance corpus) reach the stored template through the real
webhook endpoint and worker: status with reason, quality, category, and content changes."""

from __future__ import annotations

import json

import pytest

from sauti.content.models import MessageTemplate
from sauti.content.services import delete_templates_named
from tests.conftest import WABA_ID
from tests.content.conftest import deliver
from tests.support import WHATSAPP_CORPUS

pytestmark = pytest.mark.django_db


def corpus(name: str, **value) -> dict:
    body = json.loads((WHATSAPP_CORPUS / name).read_text())
    body["entry"][0]["id"] = WABA_ID
    body["entry"][0]["changes"][0]["value"].update(value)
    return body


def stored(ws, name: str, language: str, meta_id: str, **fields) -> MessageTemplate:
    return MessageTemplate.objects.create(workspace=ws, name=name, language=language, meta_id=meta_id,
                                          components=[{"type": "BODY", "text": "Hi"}], **fields)


def test_status_quality_and_category_updates_are_stored(ws, client) -> None:
    template = stored(ws, "welcome_template", "en_US", "806312974732579", status="PENDING", category="UTILITY")
    deliver(client, [corpus("template_status__approved.json", message_template_id=806312974732579,
                            message_template_name="welcome_template", message_template_language="en_US")])
    template.refresh_from_db()
    assert template.status == "APPROVED"
    deliver(client, [corpus("template_quality__green_to_yellow.json")])
    deliver(client, [corpus("template_category__marketing.json", message_template_id=806312974732579,
                            message_template_name="welcome_template", message_template_language="en_US")])
    template.refresh_from_db()
    assert (template.quality_score, template.category, template.previous_category) == ("YELLOW", "MARKETING",
                                                                                       "UTILITY")
    assert template.to_graph()["quality_score"] == {"score": "YELLOW"}


@pytest.mark.parametrize(("event", "reason", "status", "kept_reason"), [
    ("REJECTED", "INVALID_FORMAT", "REJECTED", "INVALID_FORMAT"),
    ("PAUSED", None, "PAUSED", ""),
    ("DISABLED", None, "DISABLED", ""),
    ("REINSTATED", None, "APPROVED", ""),
    ("SOMETHING_NEW", None, "SOMETHING_NEW", ""),  # kept as Meta says, never a failure
])
def test_every_status_meta_announces_is_kept(ws, client, event, reason, status, kept_reason) -> None:
    template = stored(ws, "my_message_template", "pt-BR", "12345678", status="APPROVED")
    deliver(client, [corpus("template_status__approved_reason_null.json", event=event, reason=reason)])
    template.refresh_from_db()
    assert (template.status, template.rejected_reason) == (status, kept_reason)


def test_a_content_change_at_meta_fetches_the_templates_again(ws, fake, client, run_commits) -> None:
    import httpx

    httpx.post(f"{fake.url}/_fake/templates", json={"name": "my_message_template", "language": "he",
                                                    "body": "Hi {{1}}! Welcome to our service."})
    run_commits(lambda: deliver(client, [corpus("template_components__body_only.json")]))
    template = MessageTemplate.objects.get(workspace=ws, name="my_message_template")
    assert template.components[0]["text"] == "Hi {{1}}! Welcome to our service."


def test_deleting_by_name_takes_every_language(ws) -> None:
    stored(ws, "welcome", "en", "")
    stored(ws, "welcome", "pt_BR", "")
    stored(ws, "other", "en", "")
    assert delete_templates_named(ws, "welcome") == 2
    assert list(MessageTemplate.objects.values_list("name", flat=True)) == ["other"]
    assert delete_templates_named(ws, "welcome") == 0
