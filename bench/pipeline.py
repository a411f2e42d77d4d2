"""Pipeline throughput: webhook ingest, outbound sends through the fake Cloud API, status updates.

    .venv/bin/python bench/pipeline.py [--database-url postgres://...] [--quick]

Real processes on a fresh database (see sauti.devstack). Prints progress lines, then one JSON
object as the last line: ingest_per_s (webhooks durably stored and acknowledged per second),
sends_per_s (Outbox rows delivered to the fake Cloud API per second), statuses_per_s (status
updates applied per second), database.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.httpload import post_many  # noqa: E402
from sauti.devstack import APP_SECRET, PHONE_NUMBER_ID, WABA_ID, Stack, fresh_database  # noqa: E402
from sauti.messaging.channels.whatsapp.signature import sign  # noqa: E402


def webhook_body(kind: str, i: int, now: int) -> bytes:
    value: dict = {"messaging_product": "whatsapp",
                   "metadata": {"display_phone_number": "15550000001", "phone_number_id": PHONE_NUMBER_ID}}
    if kind == "message":
        wa_id = f"2783{i % 5000:07d}"
        value["contacts"] = [{"profile": {"name": f"Person {i}"}, "wa_id": wa_id}]
        value["messages"] = [{"from": wa_id, "id": f"wamid.bench.{i}", "timestamp": str(now), "type": "text",
                              "text": {"body": f"message {i}"}}]
    body = {"object": "whatsapp_business_account",
            "entry": [{"id": WABA_ID, "changes": [{"field": "messages", "value": value}]}]}
    return json.dumps(body).encode()


def status_body(wamids: list[str], recipients: list[str], now: int) -> bytes:
    statuses = [{"id": w, "status": "read", "timestamp": str(now), "recipient_id": r,
                 "pricing": {"billable": False, "pricing_model": "PMP", "category": "service"}}
                for w, r in zip(wamids, recipients, strict=True)]
    value = {"messaging_product": "whatsapp", "statuses": statuses,
             "metadata": {"display_phone_number": "15550000001", "phone_number_id": PHONE_NUMBER_ID}}
    return json.dumps({"object": "whatsapp_business_account",
                       "entry": [{"id": WABA_ID, "changes": [{"field": "messages", "value": value}]}]}).encode()


def post_all(url: str, bodies: list[bytes], concurrency: int) -> float:
    signed = [(raw, {"X-Hub-Signature-256": sign(raw, APP_SECRET)}) for raw in bodies]
    return asyncio.run(post_many(url, signed, concurrency))


def wait(stack: Stack, sql: str, target: int, timeout: float) -> float:
    start = time.perf_counter()
    while time.perf_counter() - start < timeout:
        if stack.query(sql)[0][0] >= target:
            return time.perf_counter() - start
        time.sleep(0.05)
    raise RuntimeError(f"timed out: {sql} did not reach {target}")


def queue_outbound(stack: Stack, count: int, people: int) -> None:
    """Put `count` replies in the Outbox for `people` people whose window is open, as the API would."""
    os.environ.update(stack.env)
    os.environ["DJANGO_SETTINGS_MODULE"] = "sauti.settings"
    import django

    django.setup()
    from django.utils import timezone

    from sauti.accounts.models import Workspace
    from sauti.contacts.models import Contact
    from sauti.messaging.models import Chat, Message, Outbox

    workspace = Workspace.objects.get(uuid=stack.workspace_id)
    now = timezone.now()
    contacts = Contact.objects.bulk_create([Contact(workspace=workspace, wa_id=f"2784{i:07d}") for i in range(people)])
    chats = Chat.objects.bulk_create([Chat(workspace=workspace, contact=c, last_inbound_at=now,
                                           window_expires_at=now + timezone.timedelta(hours=24)) for c in contacts])
    messages = Message.objects.bulk_create([
        Message(workspace=workspace, chat=chats[i % people], contact=contacts[i % people], direction="outbound",
                type="text", payload={"type": "text", "text": {"body": f"reply {i}"}}, text=f"reply {i}",
                status="queued", sent_at=now) for i in range(count)], batch_size=1000)
    Outbox.objects.bulk_create([Outbox(workspace=workspace, message=m, contact_id=m.contact_id, not_before=now)
                                for m in messages], batch_size=1000)
    from django.db import connection

    connection.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL"),
                        help="postgres://… (a fresh database is created beside it); default: embedded SQLite")
    parser.add_argument("--quick", action="store_true", help="a run under a minute")
    parser.add_argument("--web-workers", type=int, default=2)
    parser.add_argument("--concurrency", type=int, default=16)
    args = parser.parse_args()
    n_ingest, n_sends = (1500, 1500) if args.quick else (6000, 6000)
    url, drop = fresh_database(args.database_url)
    stack = Stack(database_url=url, web_workers=args.web_workers, send_rate=1000, worker_threads=2,
                  fake_args=["--no-statuses"])
    result: dict = {"database": "postgresql" if url else "sqlite"}
    try:
        stack.setup()
        stack.start("web")
        now = int(time.time())
        bodies = [webhook_body("message", i, now) for i in range(n_ingest)]
        post_all(f"{stack.web_url}/webhooks/whatsapp", bodies[:200], args.concurrency)  # warm up
        elapsed = post_all(f"{stack.web_url}/webhooks/whatsapp", bodies[200:], args.concurrency)
        result["ingest_per_s"] = round((n_ingest - 200) / elapsed, 1)
        print(f"ingest: {n_ingest - 200} webhooks stored in {elapsed:.2f}s", flush=True)

        stack.start("worker")
        wait(stack, "SELECT count(*) FROM messaging_webhookevent WHERE processed_at IS NULL", 0, 1)
        drain = time.perf_counter()
        while stack.query("SELECT count(*) FROM messaging_webhookevent WHERE processed_at IS NULL")[0][0]:
            time.sleep(0.1)
        result["webhooks_processed_per_s"] = round(n_ingest / (time.perf_counter() - drain), 1)
        print(f"worker: webhooks processed at {result['webhooks_processed_per_s']}/s", flush=True)
        stack.kill("worker")

        stack.start("fake")
        queue_outbound(stack, n_sends, people=min(n_sends, 2000))
        stack.start("worker")
        elapsed = wait(stack, "SELECT count(*) FROM messaging_outbox WHERE state='sent'", n_sends, 600)
        result["sends_per_s"] = round(n_sends / elapsed, 1)
        print(f"sends: {n_sends} delivered to the fake Cloud API in {elapsed:.2f}s", flush=True)

        rows = stack.query("SELECT m.provider_id, c.wa_id FROM messaging_message m JOIN contacts_contact c "
                           "ON c.id = m.contact_id WHERE m.direction='outbound' ORDER BY m.id")
        batches = [rows[i:i + 50] for i in range(0, len(rows), 50)]
        bodies = [status_body([r[0] for r in b], [r[1] for r in b], now) for b in batches]
        start = time.perf_counter()
        post_all(f"{stack.web_url}/webhooks/whatsapp", bodies, 8)
        wait(stack, "SELECT count(*) FROM messaging_message WHERE status='read'", len(rows), 600)
        elapsed = time.perf_counter() - start
        result["statuses_per_s"] = round(len(rows) / elapsed, 1)
        print(f"statuses: {len(rows)} applied in {elapsed:.2f}s (webhooks of 50)", flush=True)
    finally:
        stack.stop()
        drop()
    result.update({"ingest_webhooks": n_ingest - 200, "sends": n_sends, "web_workers": args.web_workers,
                   "quick": args.quick})
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
