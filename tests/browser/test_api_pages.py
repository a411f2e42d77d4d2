"""Settings → API tokens and Settings → Webhooks & integrations in a real browser: an admin makes
a token and uses it, adds a webhook, reads its delivery log and adds an integration."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from django.utils import timezone

from sauti.accounts.models import Role
from sauti.integrations.models import Delivery, Webhook
from tests.browser.test_editor_pages import sign_in
from tests.browser.test_first_minute import expect
from tests.web.members import make_member, make_workspace

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_admin_creates_a_token_uses_it_and_revokes_it(live_server: Any, page: Any, shot: Any) -> None:
    clinic = make_workspace("Clinic line")
    make_member(clinic, Role.ADMIN, email="admin@example.org")
    sign_in(page, live_server, "admin@example.org")
    page.goto(f"{live_server.url}/w/{clinic.uuid}/settings/")
    page.get_by_test_id("settings-tokens").click()
    expect(page.get_by_role("heading", name="No tokens yet")).to_be_visible()
    page.get_by_label("Name").fill("CRM sync")
    page.get_by_label("Expires").select_option("90")
    page.get_by_label("Create, edit, publish and start journeys").uncheck()
    page.get_by_role("button", name="Create token").click()
    box = page.get_by_test_id("new-token")
    expect(box).to_contain_text("Copy it now")
    token = page.locator("#new-token-value").inner_text().strip()
    shot("40-api-token-created")
    assert httpx.get(f"{live_server.url}/v1/stacks", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    refused = httpx.post(f"{live_server.url}/v1/stacks", json={"name": "x", "notebook": "x"},
                         headers={"Authorization": f"Bearer {token}"})
    assert refused.status_code == 403
    page.reload()
    expect(page.get_by_test_id("new-token")).to_have_count(0)
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Revoke").click()
    expect(page.locator(".alert-success")).to_contain_text("no longer works")
    expect(page.get_by_test_id("token-table")).to_contain_text("Revoked")
    shot("41-api-tokens-list")
    page.goto(f"{live_server.url}/api/docs")
    expect(page.get_by_text("/v1/messages").first).to_be_visible()
    shot("46-api-docs")
    assert httpx.get(f"{live_server.url}/v1/stacks", headers={"Authorization": f"Bearer {token}"}).status_code == 401


def test_an_admin_adds_a_webhook_reads_its_log_and_adds_an_integration(live_server: Any, page: Any,
                                                                        shot: Any) -> None:
    clinic = make_workspace("Clinic line")
    make_member(clinic, Role.OWNER, email="owner@example.org")
    sign_in(page, live_server, "owner@example.org")
    page.goto(f"{live_server.url}/w/{clinic.uuid}/settings/webhooks/")
    expect(page.get_by_role("heading", name="No webhooks yet")).to_be_visible()
    form = page.get_by_test_id("webhook-form")
    form.get_by_label("URL").fill("http://127.0.0.1:9/hook")
    form.get_by_role("button", name="Add webhook").click()
    expect(page.locator(".field-error")).to_contain_text("private or local address")
    shot("42-webhook-refused")
    form = page.get_by_test_id("webhook-form")
    form.get_by_label("URL").fill("https://crm.example.org/sauti")
    form.get_by_label("Messages journeys send").check()
    form.get_by_role("button", name="Add webhook").click()
    expect(page.get_by_test_id("new-secret")).to_contain_text("Added https://crm.example.org/sauti")
    shot("43-webhook-added")
    hook = Webhook.objects.get()
    now = timezone.now()
    for i, (state, attempts, status, error) in enumerate([
            ("delivered", 1, 200, ""), ("delivered", 3, 200, ""), ("failed", 7, 503, "HTTP 503"),
            ("pending", 2, 500, "HTTP 500")]):
        Delivery.objects.create(workspace=clinic, webhook=hook, subscription="whatsapp", event="message",
                                body=f'{{"messages":[{{"id":"wamid.{i}","text":{{"body":"hello {i}"}}}}]}}',
                                next_attempt_at=now + timezone.timedelta(minutes=5), state=state,
                                attempts=attempts, response_status=status, error=error, duration_ms=40 + i)
    page.get_by_role("link", name="Deliveries").click()
    expect(page.get_by_test_id("delivery-log")).to_contain_text("Failed")
    shot("44-webhook-deliveries")
    page.get_by_role("button", name="Retry").click()
    expect(page.locator(".alert-success")).to_contain_text("sent again")
    page.goto(f"{live_server.url}/w/{clinic.uuid}/settings/webhooks/")
    integration = page.get_by_test_id("integration-form")
    integration.get_by_label("Name").fill("Clinic records")
    integration.get_by_label("URL").fill("https://records.example.org/context")
    integration.get_by_role("button", name="Add integration").click()
    expect(page.get_by_test_id("integration-table")).to_contain_text("Clinic records")
    shot("45-webhooks-and-integrations")
