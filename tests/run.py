"""`make test`: the whole suite on SQLite, then again on PostgreSQL when a server answers.

PostgreSQL is used when TEST_DATABASE_URL is set or a server answers on 127.0.0.1:5432 (trust
auth); SAUTI_REQUIRE_POSTGRES=1 (set by .ci/run) makes its absence an error. Browser tests run
when Chromium is installed and are reported as skipped, loudly, when it is not.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile

DEFAULT_PG = "postgres://postgres@127.0.0.1:5432/postgres"


def _postgres_url() -> str | None:
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        return url
    try:
        with socket.create_connection(("127.0.0.1", 5432), timeout=1):
            return DEFAULT_PG
    except OSError:
        return None


def _pytest(label: str, env: dict[str, str], extra: list[str]) -> int:
    print(f"\n=== {label} ===", flush=True)
    return subprocess.call([sys.executable, "-m", "pytest", *extra], env=env)


def main() -> int:
    extra = sys.argv[1:]
    base = dict(os.environ)
    base.pop("DATABASE_URL", None)
    if not shutil.which("chromium") and not os.path.exists("/usr/bin/chromium"):
        print("NOTE: Chromium is not installed: browser tests will be SKIPPED "
              "(apt-get install chromium to run them).", flush=True)
    results = []
    with tempfile.TemporaryDirectory(prefix="sauti-test-") as home:
        env = dict(base, SAUTI_HOME=home, SAUTI_TEST_DB="sqlite")
        results.append(("SQLite", _pytest("tests on SQLite", env, extra)))
        pg = _postgres_url()
        if pg:
            env = dict(base, SAUTI_HOME=home, DATABASE_URL=pg, SAUTI_TEST_DB="postgres")
            # The PostgreSQL run repeats everything that touches the database; pure-Python
            # packages (expressions, journeys language) were covered by the first run.
            results.append(("PostgreSQL", _pytest("tests on PostgreSQL", env, ["-m", "not pure", *extra])))
        elif os.environ.get("SAUTI_REQUIRE_POSTGRES") == "1":
            print("ERROR: PostgreSQL is required (SAUTI_REQUIRE_POSTGRES=1) but none answers.", flush=True)
            return 1
        else:
            print("NOTE: no PostgreSQL found: tests ran on SQLite only.", flush=True)
    failed = [label for label, code in results if code not in (0,)]
    print("\nsummary: " + ", ".join(f"{label}: {'ok' if code == 0 else f'exit {code}'}" for label, code in results))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
