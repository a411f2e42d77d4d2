"""The `sauti` command's contract: subcommands, flags and the JSON they print."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

import httpx
import pytest

from sauti.accounts.models import User, Workspace
from sauti.api.services import authenticate
from sauti.cli import main


def run(capsys, *argv: str) -> dict:
    assert main(list(argv)) == 0
    return json.loads(capsys.readouterr().out.strip().splitlines()[-1])


@pytest.mark.django_db
def test_workspace_create_prints_the_new_workspace(capsys):
    out = run(capsys, "workspace", "create", "--name", "Clinic", "--phone-number-id", "111", "--waba-id", "222",
              "--access-token", "tok", "--app-secret", "sec", "--verify-token", "ver", "--timezone",
              "Africa/Johannesburg", "--send-rate", "250")
    workspace = Workspace.objects.get(uuid=out["id"])
    assert (workspace.name, workspace.phone_number_id, workspace.waba_id) == ("Clinic", "111", "222")
    assert workspace.send_rate == 250 and workspace.timezone == "Africa/Johannesburg"
    assert workspace.graph_base_url.startswith("https://graph.facebook.com/")
    assert workspace.app_secret == "sec" and workspace.access_token == "tok"


@pytest.mark.django_db
def test_secrets_are_not_stored_in_clear(capsys):
    from django.db import connection

    run(capsys, "workspace", "create", "--name", "C", "--phone-number-id", "1", "--waba-id", "2",
        "--access-token", "very-secret-token", "--app-secret", "very-secret-app", "--verify-token", "v")
    with connection.cursor() as cursor:
        cursor.execute("SELECT access_token, app_secret FROM accounts_workspace")
        stored = cursor.fetchone()
    assert "very-secret" not in " ".join(stored)


@pytest.mark.django_db
def test_token_create_prints_a_token_that_authenticates(capsys):
    workspace = run(capsys, "workspace", "create", "--name", "C", "--phone-number-id", "1", "--waba-id", "2",
                    "--access-token", "t", "--app-secret", "s", "--verify-token", "v")
    out = run(capsys, "token", "create", "--workspace", workspace["id"], "--name", "crm")
    row = authenticate(out["token"])
    assert row is not None and str(row.workspace.uuid) == workspace["id"] and row.name == "crm"


@pytest.mark.django_db
def test_token_create_for_an_unknown_workspace_fails(capsys):
    assert main(["token", "create", "--workspace", "00000000-0000-0000-0000-000000000000"]) == 1


@pytest.mark.django_db
def test_createadmin_makes_a_site_administrator(capsys):
    run(capsys, "createadmin", "--email", "Admin@Example.org", "--password", "a-long-password")
    user = User.objects.get(email="admin@example.org")
    assert user.is_superuser and user.check_password("a-long-password")


@pytest.mark.slow
def test_serve_answers_health_on_a_fresh_home(tmp_path):
    """What a newcomer does first: serve on an empty SAUTI_HOME and see it healthy."""
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env["SAUTI_HOME"] = str(tmp_path)
    port = 18000 + os.getpid() % 1000
    proc = subprocess.Popen([sys.executable, "-m", "sauti.cli", "serve", "--port", str(port)], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                response = httpx.get(f"http://127.0.0.1:{port}/health", timeout=1)
                break
            except httpx.HTTPError:
                time.sleep(0.3)
        else:
            pytest.fail("sauti serve did not answer within 60 s")
        assert response.status_code == 200
        assert response.json()["status"] == "ok" and response.json()["database"] == "sqlite"
        assert (tmp_path / "sauti.sqlite3").exists()
        first_page = httpx.get(f"http://127.0.0.1:{port}/", follow_redirects=True)
        assert first_page.status_code == 200 and first_page.url.path == "/setup/"  # the first-run page
    finally:
        proc.terminate()
        proc.wait(10)
