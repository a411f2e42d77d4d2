"""Settings → Webhooks & integrations: who may open it, adding and changing endpoints, the delivery log."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone

from sauti.accounts.models import AuditEntry, Role
from sauti.accounts.services import update_workspace_settings
from sauti.integrations import services
from sauti.integrations.models import Delivery, Integration, Webhook
from tests.web.members import client_for, make_member, make_user, make_workspace

pytestmark = pytest.mark.django_db


@pytest.fixture
def clinic():
    workspace = make_workspace("Clinic line")
    update_workspace_settings(workspace, actor=None, settings={"journey_http_allow_hosts": ["crm.internal"]})
    return workspace


@pytest.fixture
def people(clinic):
    elsewhere = make_workspace("Another organisation")
    users = {role: make_member(clinic, role) for role in ("viewer", "operator", "editor", "admin", "owner")}
    users["superuser"] = make_user(superuser=True)
    users["other_admin"] = make_member(elsewhere, Role.ADMIN)
    clients = {name: client_for(user) for name, user in users.items()}
    clients["anon"] = Client()
    return clients


@pytest.fixture
def webhook(clinic):
    return services.create_webhook(clinic, url="https://crm.example.org/hook", subscriptions=["whatsapp"], actor=None)


def test_only_owners_and_admins_open_webhooks(people, clinic, webhook):
    for url in (f"/w/{clinic.uuid}/settings/webhooks/", f"/w/{clinic.uuid}/settings/webhooks/{webhook.uuid}/"):
        for role in ("owner", "admin", "superuser"):
            assert people[role].get(url).status_code == 200, (role, url)
        for role in ("viewer", "operator", "editor"):
            assert people[role].get(url).status_code == 403, (role, url)
        assert people["other_admin"].get(url).status_code == 404
        assert people["anon"].get(url)["Location"].startswith("/login/")
    for role in ("editor", "other_admin"):
        people[role].post(f"/w/{clinic.uuid}/settings/webhooks/{webhook.uuid}/delete/")
    assert Webhook.objects.filter(id=webhook.id).exists()


def test_an_admin_adds_a_webhook_and_sees_its_secret_once(people, clinic):
    url = f"/w/{clinic.uuid}/settings/webhooks/"
    page = people["admin"].post(url, {"kind": "webhook", "webhook-url": "https://crm.example.org/sauti",
                                      "webhook-subscriptions": ["whatsapp", "turn"]}, follow=True)
    assert page.status_code == 200
    hook = Webhook.objects.get(workspace=clinic)
    assert hook.subscriptions == ["whatsapp", "turn"] and hook.enabled
    assert hook.secret in page.content.decode()
    assert hook.secret not in people["admin"].get(url).content.decode()
    assert AuditEntry.objects.filter(workspace=clinic, action="webhook_created").exists()


@pytest.mark.parametrize(("data", "field"), [
    ({"webhook-url": "http://127.0.0.1:9/hook", "webhook-subscriptions": ["whatsapp"]}, "url"),
    ({"webhook-url": "not a url", "webhook-subscriptions": ["whatsapp"]}, "url"),
    ({"webhook-url": "https://crm.example.org/x"}, "subscriptions"),
])
def test_a_webhook_sauti_may_not_call_is_refused_at_the_field(people, clinic, data, field):
    page = people["owner"].post(f"/w/{clinic.uuid}/settings/webhooks/", {"kind": "webhook", **data})
    assert page.status_code == 400
    assert field in page.context["webhook_form"].errors
    assert not Webhook.objects.exists()


def test_private_hosts_the_workspace_allows_are_accepted(people, clinic):
    page = people["owner"].post(f"/w/{clinic.uuid}/settings/webhooks/", {
        "kind": "webhook", "webhook-url": "http://crm.internal/hook", "webhook-subscriptions": ["turn"]}, follow=True)
    assert page.status_code == 200 and Webhook.objects.get().url == "http://crm.internal/hook"


def test_disable_enable_rotate_edit_and_delete(people, clinic, webhook):
    base = f"/w/{clinic.uuid}/settings/webhooks/{webhook.uuid}/"
    admin = people["admin"]
    assert admin.post(base + "disable/").status_code == 302
    webhook.refresh_from_db()
    assert not webhook.enabled
    assert admin.post(base + "enable/").status_code == 302
    webhook.refresh_from_db()
    assert webhook.enabled
    old = webhook.secret
    page = admin.post(base + "rotate/", follow=True)
    webhook.refresh_from_db()
    assert webhook.secret != old and webhook.secret in page.content.decode()
    saved = admin.post(base, {"url": "https://crm.example.org/v2", "subscriptions": ["journey_outbound"]})
    assert saved.status_code == 302
    webhook.refresh_from_db()
    assert webhook.url == "https://crm.example.org/v2" and webhook.subscriptions == ["journey_outbound"]
    assert admin.post(base + "explode/").status_code == 404
    assert admin.post(base + "delete/").status_code == 302
    assert not Webhook.objects.exists()
    actions = set(AuditEntry.objects.filter(workspace=clinic).values_list("action", flat=True))
    assert {"webhook_disabled", "webhook_enabled", "webhook_secret_rotated", "webhook_changed",
            "webhook_deleted"} <= actions


def test_the_delivery_log_lists_newest_first_filters_and_retries_failed(people, clinic, webhook):
    now = timezone.now()
    rows = [Delivery.objects.create(workspace=clinic, webhook=webhook, subscription="whatsapp", event="message",
                                    body=f'{{"n": {i}}}', next_attempt_at=now, state=state, attempts=attempts,
                                    response_status=status)
            for i, (state, attempts, status) in enumerate([("delivered", 1, 200), ("failed", 3, 500),
                                                           ("pending", 0, None)])]
    url = f"/w/{clinic.uuid}/settings/webhooks/{webhook.uuid}/"
    page = people["admin"].get(url)
    assert [d.id for d in page.context["deliveries"]] == [rows[2].id, rows[1].id, rows[0].id]
    assert "HTTP 500" in page.content.decode()
    failed_only = people["admin"].get(url + "?state=failed")
    assert [d.id for d in failed_only.context["deliveries"]] == [rows[1].id]
    retry = people["admin"].post(f"/w/{clinic.uuid}/settings/webhooks/deliveries/{rows[1].uuid}/retry/")
    assert retry.status_code == 302
    rows[1].refresh_from_db()
    assert rows[1].state == "pending" and rows[1].attempts == 0
    other = make_workspace("Elsewhere")
    foreign_admin = client_for(make_member(other, Role.ADMIN))
    assert foreign_admin.post(f"/w/{other.uuid}/settings/webhooks/deliveries/{rows[0].uuid}/retry/").status_code == 404


def test_an_admin_adds_a_context_integration(people, clinic):
    page = people["admin"].post(f"/w/{clinic.uuid}/settings/webhooks/", {
        "kind": "integration", "integration-name": "Clinic records", "integration-url": "https://crm.example.org/ctx"},
        follow=True)
    assert page.status_code == 200
    integration = Integration.objects.get(workspace=clinic)
    assert integration.name == "Clinic records" and integration.secret in page.content.decode()
    assert "Connecting" in people["admin"].get(f"/w/{clinic.uuid}/settings/webhooks/").content.decode()
    base = f"/w/{clinic.uuid}/settings/webhooks/integrations/{integration.uuid}/"
    assert people["admin"].post(base + "disable/").status_code == 302
    integration.refresh_from_db()
    assert not integration.enabled
    assert people["editor"].post(base + "delete/").status_code == 403
    assert people["admin"].post(base + "delete/").status_code == 302
    assert not Integration.objects.exists()
