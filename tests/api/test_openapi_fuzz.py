"""schemathesis against the OpenAPI document of a running Sauti (real web, worker and fake Cloud
API processes): no server error, every answer documented and matching its schema."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from sauti.devstack import Stack, fresh_database

pytestmark = pytest.mark.slow
CHECKS = ("not_a_server_error,status_code_conformance,content_type_conformance,"
          "response_schema_conformance,response_headers_conformance")


def seed(stack: Stack) -> None:
    """A person who wrote and a journey, so reads find something to validate."""
    with httpx.Client(base_url=stack.fake_url, timeout=10) as fake:
        fake.post("/_fake/inbound", json={"from": "27820000001", "name": "Ana", "text": "hello"}).raise_for_status()
    with stack.api() as api:
        api.post("/v1/stacks", json={"name": "Quiz", "notebook": 'card A do\n  write_result("x", 1)\nend\n'})
        deadline = time.monotonic() + 30
        while api.get("/v1/contacts/27820000001/messages").status_code != 200:
            assert time.monotonic() < deadline, "the seeded message never arrived"
            time.sleep(0.2)


def test_schemathesis_finds_no_server_error_and_no_schema_violation(tmp_path: Path):
    url, drop = fresh_database(os.environ.get("DATABASE_URL"))
    stack = Stack(database_url=url)
    try:
        stack.setup()
        stack.start("fake", "web", "worker")
        seed(stack)
        command = [str(Path(sys.executable).with_name("st")), "run", f"{stack.web_url}/api/openapi.json",
                   "-H", f"Authorization: Bearer {stack.token}", "--checks", CHECKS,
                   "--max-examples", os.environ.get("SAUTI_FUZZ_EXAMPLES", "25"),
                   "--seed", os.environ.get("SAUTI_FUZZ_SEED", "20251121"),
                   "--workers", "1", "--no-color", "--max-time", "90"]
        result = subprocess.run(command, capture_output=True, text=True, timeout=300)
        assert result.returncode == 0, result.stdout[-12000:] + result.stderr[-3000:]
    finally:
        stack.stop()
        drop()
