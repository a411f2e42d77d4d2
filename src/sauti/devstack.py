"""Start a whole local Sauti (fake Cloud API, web, worker, scheduler) as real processes.

Used by the end-to-end tests, the benchmarks and anyone who wants to watch the pipeline work:
each part is the same `sauti` command an operator would run, against a fresh database.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

APP_SECRET = "devstack-secret"  # noqa: S105 - a local stack's own secret
PHONE_NUMBER_ID = "100000000000001"
WABA_ID = "200000000000001"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fresh_database(base_url: str | None) -> tuple[str | None, Any]:
    """A new empty PostgreSQL database next to `base_url` (None: SQLite); returns (url, dropper)."""
    if not base_url:
        return None, lambda: None
    import psycopg

    name = f"sauti_stack_{uuid.uuid4().hex[:10]}"
    head, _, _ = base_url.rpartition("/")
    with psycopg.connect(base_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')

    def drop() -> None:
        with psycopg.connect(base_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return f"{head}/{name}", drop


@dataclass
class Stack:
    database_url: str | None = None
    env_extra: dict[str, str] = field(default_factory=dict)
    fake_args: list[str] = field(default_factory=list)
    worker_threads: int = 2
    worker_processes: int = 1
    web_workers: int = 1
    send_rate: int = 1000
    home: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="sauti-stack-")))
    processes: dict[str, subprocess.Popen] = field(default_factory=dict)
    web_port: int = field(default_factory=free_port)
    fake_port: int = field(default_factory=free_port)
    token: str = ""
    workspace_id: str = ""

    @property
    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
        env["SAUTI_HOME"] = str(self.home)
        # The processes run this very source tree, whichever checkout the caller came from.
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(Path(__file__).resolve().parents[1]),
                                                         env.get("PYTHONPATH", "")]))
        if self.database_url:
            env["DATABASE_URL"] = self.database_url
        # Benchmarks and end-to-end tests drive the API far past a client's fair share.
        env.setdefault("SAUTI_API_RATE_LIMIT", "100000000")
        env.update(self.env_extra)
        return env

    @property
    def web_url(self) -> str:
        return f"http://127.0.0.1:{self.web_port}"

    @property
    def fake_url(self) -> str:
        return f"http://127.0.0.1:{self.fake_port}"

    def sauti(self, *args: str) -> dict[str, Any]:
        out = subprocess.run([sys.executable, "-m", "sauti.cli", *args], env=self.env, check=True,
                             capture_output=True, text=True).stdout
        lines = [line for line in out.splitlines() if line.startswith("{")]
        return json.loads(lines[-1]) if lines else {}

    def setup(self) -> None:
        self.sauti("migrate")
        workspace = self.sauti("workspace", "create", "--name", "Stack", "--phone-number-id", PHONE_NUMBER_ID,
                               "--waba-id", WABA_ID, "--access-token", "stack-token", "--app-secret", APP_SECRET,
                               "--verify-token", "stack", "--graph-url", f"{self.fake_url}/v23.0",
                               "--send-rate", str(self.send_rate))
        self.workspace_id = workspace["id"]
        self.token = self.sauti("token", "create", "--workspace", self.workspace_id)["token"]

    def start(self, *names: str) -> None:
        commands = {
            "fake": ["fake-whatsapp", "--port", str(self.fake_port), "--webhook-url",
                     f"{self.web_url}/webhooks/whatsapp", "--app-secret", APP_SECRET, *self.fake_args],
            "web": ["web", "--port", str(self.web_port), "--workers", str(self.web_workers)],
            "worker": ["worker", "--threads", str(self.worker_threads)],
            "scheduler": ["scheduler"],
            # Everything in one process (`sauti serve`): live updates reach browsers without Redis.
            "serve": ["serve", "--port", str(self.web_port)],
        }
        for extra in range(2, self.worker_processes + 1):
            commands[f"worker{extra}"] = ["worker", "--threads", str(self.worker_threads), "--no-sender"]
        default = ("fake", "web", "worker", *[f"worker{i}" for i in range(2, self.worker_processes + 1)], "scheduler")
        for name in names or default:
            log = open(self.home / f"{name}.log", "ab")  # noqa: SIM115 - lives as long as the process
            self.processes[name] = subprocess.Popen([sys.executable, "-m", "sauti.cli", *commands[name]],
                                                    env=self.env, stdout=log, stderr=subprocess.STDOUT)
        self.wait_until_up()

    def wait_until_up(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        checks = {"web": f"{self.web_url}/health", "serve": f"{self.web_url}/health",
                  "fake": f"{self.fake_url}/_fake/health"}
        for name, url in checks.items():
            if name not in self.processes:
                continue
            while True:
                try:
                    if httpx.get(url, timeout=1).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                if time.monotonic() > deadline or self.processes[name].poll() is not None:
                    raise RuntimeError(f"{name} did not start; see {self.home / (name + '.log')}")
                time.sleep(0.2)

    def kill(self, name: str) -> None:
        """kill -9: no chance to finish anything."""
        proc = self.processes.pop(name)
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)

    def stop(self) -> None:
        for proc in self.processes.values():
            proc.terminate()
        for proc in self.processes.values():
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
        self.processes.clear()

    def query(self, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        """Read the stack's database directly (checks in tests and benchmarks); `%s` placeholders."""
        if self.database_url:
            import psycopg

            with psycopg.connect(self.database_url) as conn:
                return list(conn.execute(sql, params).fetchall())
        import sqlite3

        conn = sqlite3.connect(self.home / "sauti.sqlite3", timeout=30)
        try:
            return list(conn.execute(sql.replace("%s", "?"), params).fetchall())
        finally:
            conn.close()

    def execute(self, sql: str, params: tuple[Any, ...] = ()) -> int:
        """Change the stack's database directly (a test's "meanwhile…"); returns the rows changed."""
        if self.database_url:
            import psycopg

            with psycopg.connect(self.database_url) as conn:
                return conn.execute(sql, params).rowcount
        import sqlite3

        conn = sqlite3.connect(self.home / "sauti.sqlite3", timeout=30)
        try:
            with conn:
                return conn.execute(sql.replace("%s", "?"), params).rowcount
        finally:
            conn.close()

    def api(self) -> httpx.Client:
        return httpx.Client(base_url=self.web_url, headers={"Authorization": f"Bearer {self.token}"}, timeout=30)

    def __enter__(self) -> Stack:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
