"""Reminder dispatch throughput: a template reminder to N people through real processes.

    .venv/bin/python bench/reminders.py [--people 100000] [--tier 1000] [--database-url postgres://...] [--quick]

Starts a whole Sauti (fake Cloud API, web, worker, scheduler) on a fresh database with the
workspace's send rate set to the tier, adds N opted-in people and an approved template, then
creates a reminder to everyone (one personalised body parameter each) and times it from the
moment it is saved until the fake Cloud API has received every message. The fake sends the
sent/delivered/read status webhooks back as Meta would (--no-statuses turns them off).

Prints progress lines, then one JSON object as the last line with at least people, tier_per_s,
seconds and achieved_per_s.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

TEMPLATE = {"name": "visit_reminder", "language": "en", "category": "UTILITY",
            "components": [{"type": "BODY", "text": "Hello {{1}}, your visit is on {{2}}.",
                            "example": {"body_text": [["Ana", "Monday"]]}}]}

SEED = """
import json, sys
import django
django.setup()
from sauti.accounts.models import Workspace
from sauti.contacts.models import Contact
from sauti.content.models import MessageTemplate
args = json.loads(sys.argv[1])
ws = Workspace.objects.get(uuid=args["workspace"])
batch = []
for i in range(args["people"]):
    batch.append(Contact(workspace=ws, wa_id=f"2783{i:07d}", name=f"Person {i}", opted_in=True))
    if len(batch) == 5000:
        Contact.objects.bulk_create(batch); batch = []
Contact.objects.bulk_create(batch)
t = args["template"]
# The scheduler's template sync may have brought it in from the fake Cloud API already.
MessageTemplate.objects.update_or_create(workspace=ws, name=t["name"], language=t["language"], defaults=dict(
    category=t["category"], components=t["components"], status="APPROVED"))
print(json.dumps({"people": Contact.objects.filter(workspace=ws).count()}))
"""

CREATE = """
import json, sys
import django
django.setup()
from sauti.accounts.models import Workspace
from sauti.content.models import MessageTemplate
from sauti.reminders.services import ReminderSpec, check_reminder, save_reminder
args = json.loads(sys.argv[1])
ws = Workspace.objects.get(uuid=args["workspace"])
template = MessageTemplate.objects.get(workspace=ws, name=args["template"])
spec = ReminderSpec(name=args.get("name", "Bench"), template=template, params={"body": ["@contact.name", "Monday"]},
                    audience="query", query="")
reminder = save_reminder(ws, check_reminder(ws, spec))
print(json.dumps({"reminder": str(reminder.uuid), "id": reminder.id}))
"""


def run_python(stack: object, code: str, args: dict) -> dict:
    """Run `code` with Django set up against the stack's database (the same env its processes have)."""
    env = {**stack.env, "DJANGO_SETTINGS_MODULE": "sauti.settings", "SAUTI_LOG_LEVEL": "WARNING"}
    done = subprocess.run([sys.executable, "-c", code, json.dumps(args)], env=env, capture_output=True, text=True)
    if done.returncode:
        raise RuntimeError(f"seeding failed: {done.stderr[-2000:]}")
    out = done.stdout
    return json.loads([line for line in out.splitlines() if line.startswith("{")][-1])


def seed(stack: object, people: int) -> None:
    """N opted-in people and the approved template, at Sauti and at the fake Cloud API."""
    import httpx

    httpx.post(f"{stack.fake_url}/_fake/templates", json=TEMPLATE, timeout=30).raise_for_status()
    run_python(stack, SEED, {"workspace": stack.workspace_id, "people": people, "template": TEMPLATE})


def create_reminder(stack: object, name: str = "Bench") -> dict:
    return run_python(stack, CREATE, {"workspace": stack.workspace_id, "template": TEMPLATE["name"],
                                      "name": name})


def sent_total(stack: object) -> int:
    import httpx

    return int(httpx.get(f"{stack.fake_url}/_fake/sent", params={"after": 10**9}, timeout=30).json()["total"])


def measure(people: int, tier: int, database_url: str | None, statuses: bool) -> dict:
    from sauti.devstack import Stack, fresh_database

    url, drop = fresh_database(database_url)
    fake_args = [] if statuses else ["--no-statuses"]
    stack = Stack(database_url=url, send_rate=tier, fake_args=fake_args, worker_threads=2,
                  env_extra={"SAUTI_LOG_LEVEL": "WARNING"})
    try:
        stack.setup()
        stack.start()
        started = time.perf_counter()
        seed(stack, people)
        print(f"seeded {people} people in {time.perf_counter() - started:.1f}s", flush=True)
        from bench.cpu import per_unit_ms, snapshot

        pids = {name: proc.pid for name, proc in stack.processes.items()}
        before = snapshot(pids)
        started = time.perf_counter()
        create_reminder(stack)
        created = time.perf_counter()
        first_at = None
        last_report = 0.0
        deadline = created + max(300.0, 10 * people / tier)
        while True:
            total = sent_total(stack)
            now = time.perf_counter()
            if total and first_at is None:
                first_at = now
            if total >= people:
                break
            if now > deadline:
                raise RuntimeError(f"only {total} of {people} sent after {now - started:.0f}s")
            if now - last_report > 5:
                last_report = now
                print(f"  {total} sent after {now - started:.1f}s", flush=True)
            time.sleep(0.2)
        finished = time.perf_counter()
        cpu = per_unit_ms(before, snapshot(pids), people)
        seconds = finished - started
        sending = finished - (first_at or started)
        result = {"people": people, "tier_per_s": tier, "seconds": round(seconds, 2),
                  "achieved_per_s": round(people / seconds, 1),
                  "sending_seconds": round(sending, 2),
                  "sending_per_s": round(people / sending, 1) if sending > 0.5 else None,
                  "first_send_after_s": round((first_at or finished) - started, 2),
                  "of_tier": round(people / seconds / tier, 3), "statuses": statuses,
                  "cpu_ms_per_message": cpu, "database": "postgresql" if url else "sqlite",
                  "cpus": os.cpu_count()}
        (dup,), = stack.query("SELECT count(*) - count(DISTINCT contact_id) FROM reminders_recipient")
        result["duplicate_recipients"] = dup
        return result
    finally:
        stack.stop()
        drop()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--people", type=int, default=100_000)
    ap.add_argument("--tier", type=int, default=1000, help="the number's send rate per second")
    ap.add_argument("--database-url", help="postgres://… (default: embedded SQLite)")
    ap.add_argument("--quick", action="store_true", help="10,000 people (under a minute)")
    ap.add_argument("--no-statuses", action="store_true", help="the fake sends no status webhooks back")
    args = ap.parse_args(argv)
    people = min(args.people, 10_000) if args.quick else args.people
    print(f"reminder to {people} people at a tier of {args.tier}/s...", flush=True)
    result = measure(people, args.tier, args.database_url, not args.no_statuses)
    print(f"dispatched {people} in {result['seconds']}s = {result['achieved_per_s']}/s "
          f"({100 * result['of_tier']:.0f}% of the tier)", flush=True)
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
