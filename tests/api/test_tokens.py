"""Tokens: scopes enforced on every operation, Turn's rate-limit headers, and Settings → API tokens."""

from __future__ import annotations

import datetime as dt
import json
import socket

import pytest
from django.test import Client, override_settings
from django.utils import timezone

from sauti.accounts.models import AuditEntry, Role
from sauti.api import ratelimit
from sauti.api.models import ApiToken, hash_token
from sauti.api.router import api as ninja_api
from sauti.api.scopes import ALL_SCOPES
from sauti.api.services import create_token
from tests.web.members import client_for, make_member, make_user, make_workspace

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_counter():
    ratelimit.reset_counter()
    yield
    ratelimit.reset_counter()


def call(client, token, method="get", path="/v1/stacks", body=None, **headers):
    kwargs = {"HTTP_AUTHORIZATION": f"Bearer {token}", **headers}
    if body is not None:
        return getattr(client, method)(path, data=json.dumps(body), content_type="application/json", **kwargs)
    return getattr(client, method)(path, **kwargs)


def test_every_operation_names_the_scope_it_needs():
    operations = [op for router in ninja_api._routers for path in router[1].path_operations.values()
                  for op in path.operations]
    assert operations
    for operation in operations:
        scopes = [getattr(auth, "scope", None) for auth in operation.auth_callbacks]
        assert scopes and all(s in ALL_SCOPES for s in scopes), operation.view_func.__name__


def test_a_token_without_the_scope_is_refused_with_403_and_one_with_it_passes(client, workspace):
    _, reader = create_token(workspace, name="reader", scopes=["journeys:read"])
    assert call(client, reader).status_code == 200
    refused = call(client, reader, "post", "/v1/stacks", {"name": "x", "notebook": "card A do\n text(\"hi\")\nend"})
    assert refused.status_code == 403
    (error,) = refused.json()["errors"]
    assert error["code"] == 1005 and "journeys:write" in error["details"]
    assert call(client, reader, path="/v1/contacts/1/messages").status_code == 403


def test_tokens_are_stored_as_a_fingerprint_and_expired_ones_stop_working(client, workspace):
    row, token = create_token(workspace, name="short", expires_at=timezone.now() + dt.timedelta(hours=1))
    assert row.token_hash == hash_token(token) and token not in json.dumps(list(ApiToken.objects.values()),
                                                                           default=str)
    assert call(client, token).status_code == 200
    ApiToken.objects.filter(id=row.id).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert call(client, token).status_code == 401


def test_unknown_scopes_are_refused():
    workspace = make_workspace()
    with pytest.raises(ValueError, match="unknown scope"):
        create_token(workspace, scopes=["everything"])


def test_the_vendor_accept_header_is_accepted(client, workspace, api_token):
    response = call(client, api_token, HTTP_ACCEPT="application/vnd.v1+json")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/json")


@override_settings(SAUTI_API_RATE_LIMIT=3, SAUTI_API_RATE_LIMITS={"text": 2}, SAUTI_API_RATE_BACKEND="memory")
def test_rate_limits_answer_turns_headers_and_429_past_the_limit(client, workspace, api_token):
    answers = [call(client, api_token) for _ in range(4)]
    assert [a.status_code for a in answers] == [200, 200, 200, 429]
    first, last = answers[0], answers[3]
    assert first["X-Ratelimit-Bucket"] == "general" and first["X-Ratelimit-Limit"] == "3"
    assert [a["X-Ratelimit-Remaining"] for a in answers] == ["2", "1", "0", "0"]
    assert int(first["X-Ratelimit-Reset"]) > timezone.now().timestamp()
    assert last.json()["errors"][0]["code"] == 1015 and int(last["Retry-After"]) >= 1
    # Text sends count in their own bucket.
    sent = call(client, api_token, "post", "/v1/messages", {"to": "27820000001", "text": {"body": "hi"}})
    assert sent["X-Ratelimit-Bucket"] == "text" and sent["X-Ratelimit-Limit"] == "2"


@override_settings(SAUTI_API_RATE_LIMIT=2, SAUTI_API_RATE_BACKEND="memory")
def test_each_token_has_its_own_limit(client, workspace):
    first, second = create_token(workspace)[1], create_token(workspace)[1]
    assert [call(client, first).status_code for _ in range(3)] == [200, 200, 429]
    assert call(client, second).status_code == 200


@pytest.mark.parametrize("backend", ["memory", "database", "redis"])
def test_each_counter_backend_counts_per_window(backend, settings):
    if backend == "redis":
        try:
            socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
        except OSError:
            pytest.skip("no Redis on 127.0.0.1:6379")
        settings.REDIS_URL = "redis://127.0.0.1:6379/0"
    counter = {"memory": ratelimit.MemoryCounter, "database": ratelimit.DatabaseCounter,
               "redis": lambda: ratelimit.RedisCounter(settings.REDIS_URL)}[backend]()
    settings.SAUTI_API_RATE_LIMIT, settings.SAUTI_API_RATE_WINDOW = 2, 60
    token_id = int(timezone.now().timestamp() * 1000) % 10_000_000  # a fresh key in a shared Redis
    now = 1_800_000_000.0
    quotas = [ratelimit.hit(token_id, "general", now=now + i, using=counter) for i in range(3)]
    assert [q.allowed for q in quotas] == [True, True, False]
    assert quotas[0].reset == 1_800_000_060  # 1_800_000_000 starts a minute window
    assert ratelimit.hit(token_id, "general", now=now + 60, using=counter).allowed


# ------------------------------------------------------------------ Settings → API tokens
@pytest.fixture
def clinic():
    return make_workspace("Clinic line")


@pytest.fixture
def people(clinic):
    elsewhere = make_workspace("Another organisation")
    users = {role: make_member(clinic, role) for role in ("viewer", "operator", "editor", "admin", "owner")}
    users["superuser"] = make_user(superuser=True)
    users["other_admin"] = make_member(elsewhere, Role.ADMIN)
    clients = {name: client_for(user) for name, user in users.items()}
    clients["anon"] = Client()
    return clients


def test_only_owners_and_admins_manage_tokens(people, clinic):
    url = f"/w/{clinic.uuid}/settings/tokens/"
    for role in ("owner", "admin", "superuser"):
        assert people[role].get(url).status_code == 200, role
    for role in ("viewer", "operator", "editor"):
        assert people[role].get(url).status_code == 403, role
        assert people[role].post(url, {"name": "x", "expires": "30", "scopes": ["data:read"]}).status_code == 403
    assert people["other_admin"].get(url).status_code == 404
    assert people["anon"].get(url)["Location"].startswith("/login/")
    assert ApiToken.objects.count() == 0


def test_a_token_is_shown_once_works_with_its_scopes_and_revoking_stops_it(people, clinic):
    url = f"/w/{clinic.uuid}/settings/tokens/"
    page = people["admin"].post(url, {"name": "CRM sync", "expires": "90", "scopes": ["messages:read"]},
                                follow=True)
    assert page.status_code == 200 and page.redirect_chain
    secret = page.context["created"]["secret"]
    assert secret in page.content.decode()
    row = ApiToken.objects.get(workspace=clinic)
    assert row.name == "CRM sync" and row.scopes == ["messages:read"]
    assert abs((row.expires_at - timezone.now()) - dt.timedelta(days=90)) < dt.timedelta(minutes=1)
    assert secret not in people["admin"].get(url).content.decode()  # never shown again
    api = Client()
    assert call(api, secret, path="/v1/contacts/27820000001/messages").status_code == 404  # allowed, no such contact
    assert call(api, secret).status_code == 403  # journeys:read not granted
    revoke = people["owner"].post(f"{url}{row.uuid}/revoke/")
    assert revoke.status_code == 302
    assert call(api, secret, path="/v1/contacts/27820000001/messages").status_code == 401
    actions = list(AuditEntry.objects.filter(workspace=clinic).values_list("action", flat=True))
    assert "api_token_created" in actions and "api_token_revoked" in actions


def test_bad_token_forms_name_the_field_and_create_nothing(people, clinic):
    url = f"/w/{clinic.uuid}/settings/tokens/"
    page = people["admin"].post(url, {"name": "", "expires": "date", "expires_on": "2001-01-01"})
    assert page.status_code == 400
    errors = page.context["form"].errors
    assert set(errors) == {"name", "expires_on", "scopes"}
    assert ApiToken.objects.count() == 0


def test_another_workspaces_token_cannot_be_revoked(people, clinic):
    other = make_workspace("Elsewhere")
    row, _ = create_token(other)
    assert people["admin"].post(f"/w/{clinic.uuid}/settings/tokens/{row.uuid}/revoke/").status_code == 404
    row.refresh_from_db()
    assert row.revoked_at is None


@pytest.mark.parametrize("raw", [
    '{"name": "\\udcde", "notebook": "card A do\\n  text(\\"hi\\")\\nend\\n"}',  # a lone surrogate
    '{"name": "Quiz", "notebook": "\\u00b2\\u008b"}',  # "²" is a digit to Python, not to int()
])
def test_strange_text_is_a_400_not_a_500(client, workspace, api_token, raw):
    response = client.post("/v1/stacks", data=raw, content_type="application/json",
                           HTTP_AUTHORIZATION=f"Bearer {api_token}")
    assert response.status_code == 400, response.content
