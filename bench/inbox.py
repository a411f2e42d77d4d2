"""Inbox speed at scale: the chat list and opening a chat, as an operator's browser asks for them.

    .venv/bin/python bench/inbox.py --database-url postgres://postgres@127.0.0.1:5432/postgres [--quick]

A fresh PostgreSQL database (beside --database-url) gets 100,000 contacts, their chats and
1,000,000 messages (--quick: 10,000 and 100,000), generated in SQL; then a real `sauti web` serves a
signed-in operator. Timed: the chat list partial for the built-in collections (All open,
Unassigned, Assigned to me, Closed), opening random chats (the pane htmx fetches), the whole page,
and a label search. Prints progress, then one JSON line: chat_list_p95_ms, open_chat_p95_ms,
full_page_p95_ms, label_search_p95_ms, medians, sizes.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import statistics
import sys
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from sauti.devstack import Stack, fresh_database  # noqa: E402

PASSWORD = "bench-operator-password"
EMAIL = "operator@bench.example"

GENERATE = """
INSERT INTO contacts_contact (workspace_id, uuid, wa_id, name, surname, whatsapp_profile_name, language, opted_in,
                              fields, created_at, first_message_at, last_seen_at, lock_token)
SELECT %(ws)s, gen_random_uuid(), (27700000000 + i)::text, CASE WHEN i %% 3 = 0 THEN 'Person ' || i ELSE '' END, '',
       'WA ' || i, 'en', i %% 2 = 0, '{}'::jsonb, now() - interval '90 days', now() - interval '90 days',
       now() - (i %% 20000) * interval '5 minutes', ''
FROM generate_series(1, %(people)s) AS i;

INSERT INTO messaging_chat (workspace_id, uuid, contact_id, state, state_reason, assigned_to_id, unread_count,
                            needs_human, last_inbound_at, window_expires_at, last_message_at, created_at)
SELECT c.workspace_id, gen_random_uuid(), c.id,
       CASE WHEN c.id %% 3 = 0 THEN 'closed' ELSE 'open' END, '',
       CASE WHEN c.id %% 50 = 1 THEN %(operator)s END, (c.id %% 4)::int, c.id %% 7 = 2,
       c.last_seen_at, c.last_seen_at + interval '24 hours', c.last_seen_at, c.created_at
FROM contacts_contact c WHERE c.workspace_id = %(ws)s;

INSERT INTO messaging_message (workspace_id, uuid, chat_id, contact_id, direction, type, payload, text, provider_id,
                               status, statuses, labels, author_type, author_id, author_name, sent_at, created_at,
                               handled_at)
SELECT ch.workspace_id, gen_random_uuid(), ch.id, ch.contact_id,
       CASE WHEN n %% 2 = 0 THEN 'inbound' ELSE 'outbound' END, 'text',
       jsonb_build_object('type', 'text', 'text', jsonb_build_object('body', 'message ' || n || ' of chat ' || ch.id)),
       'message ' || n || ' of chat ' || ch.id, 'wamid.bench.' || ch.id || '.' || n,
       CASE WHEN n %% 2 = 0 THEN 'received' ELSE 'read' END, '[]'::jsonb, '[]'::jsonb,
       CASE WHEN n %% 2 = 0 THEN 'CONTACT' ELSE 'SYSTEM' END, '', '',
       ch.last_message_at - (%(per_chat)s - n) * interval '1 minute', now(), now()
FROM messaging_chat ch CROSS JOIN generate_series(1, %(per_chat)s) AS n WHERE ch.workspace_id = %(ws)s;

INSERT INTO inbox_label (workspace_id, uuid, name, colour, created_at)
VALUES (%(ws)s, gen_random_uuid(), 'urgent', 'red', now());

INSERT INTO inbox_chatlabel (chat_id, label_id, created_at)
SELECT ch.id, (SELECT id FROM inbox_label WHERE workspace_id = %(ws)s AND name = 'urgent'), now()
FROM messaging_chat ch WHERE ch.workspace_id = %(ws)s AND ch.id %% 97 = 0;
"""


def generate(stack: Stack, people: int, per_chat: int) -> None:
    import psycopg

    workspace = stack.query("SELECT id FROM accounts_workspace WHERE uuid = %s", (stack.workspace_id,))[0][0]
    operator = stack.query("SELECT id FROM accounts_user WHERE email = %s", (EMAIL,))[0][0]
    with psycopg.connect(stack.database_url, autocommit=True) as conn:
        params = {"ws": workspace, "people": people, "per_chat": per_chat, "operator": operator}
        for statement in filter(str.strip, GENERATE.split(";\n")):
            conn.execute(statement, params)
        conn.execute("VACUUM ANALYZE")


def sign_in(stack: Stack) -> httpx.Client:
    client = httpx.Client(base_url=stack.web_url, timeout=60, follow_redirects=False)
    page = client.get("/login/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    response = client.post("/login/", data={"username": EMAIL, "password": PASSWORD, "csrfmiddlewaretoken": token},
                           headers={"Referer": f"{stack.web_url}/login/"})
    assert response.status_code == 302, response.text[:500]
    return client


def timed(client: httpx.Client, path: str, headers: dict[str, str]) -> float:
    start = time.perf_counter()
    response = client.get(path, headers=headers)
    elapsed = (time.perf_counter() - start) * 1000
    assert response.status_code == 200, (path, response.status_code, response.text[:300])
    return elapsed


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return round(ordered[max(0, int(len(ordered) * 0.95) - 1)], 1)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL"),
                        help="postgres://… (a fresh database is created beside it); required")
    parser.add_argument("--quick", action="store_true", help="10,000 contacts and 100,000 messages")
    parser.add_argument("--keep", action="store_true", help="keep the generated database (its URL is printed)")
    parser.add_argument("--requests", type=int, default=0, help="timed requests of each kind (default 200, quick 60)")
    args = parser.parse_args()
    if not args.database_url:
        parser.error("--database-url postgres://… is required: the inbox is measured on PostgreSQL")
    people, per_chat = (10_000, 10) if args.quick else (100_000, 10)
    rounds = args.requests or (60 if args.quick else 200)
    url, drop = fresh_database(args.database_url)
    stack = Stack(database_url=url)
    result: dict = {"database": "postgresql", "contacts": people, "messages": people * per_chat, "quick": args.quick}
    try:
        stack.setup()
        stack.sauti("member", "add", "--workspace", stack.workspace_id, "--email", EMAIL, "--role", "operator",
                    "--password", PASSWORD, "--name", "Bench operator")
        start = time.perf_counter()
        generate(stack, people, per_chat)
        print(f"generated {people} contacts and chats, {people * per_chat} messages in "
              f"{time.perf_counter() - start:.1f}s", flush=True)
        stack.start("web")
        client = sign_in(stack)
        base = f"/w/{stack.workspace_id}/inbox"
        htmx = {"HX-Request": "true"}
        lists = [f"{base}/list/?c=open", f"{base}/list/?c=unassigned", f"{base}/list/?c=mine",
                 f"{base}/list/?c=closed"]
        searches = [f"{base}/list/?q=label:urgent", f"{base}/list/?q=label:urgent+state:open"]
        chats = [row[0] for row in stack.query("SELECT uuid FROM messaging_chat ORDER BY random() LIMIT %s",
                                               (rounds,))]
        for path in lists + [f"{base}/{chats[0]}/"]:  # warm up caches and connections
            timed(client, path, htmx)
        by_list: dict[str, list[float]] = {path: [] for path in lists}
        for i in range(rounds):
            by_list[lists[i % len(lists)]].append(timed(client, lists[i % len(lists)], htmx))
        list_ms = [ms for values in by_list.values() for ms in values]
        open_ms = [timed(client, f"{base}/{chat}/", htmx) for chat in chats]
        search_ms = [timed(client, searches[i % len(searches)], htmx) for i in range(max(10, rounds // 4))]
        page_ms = [timed(client, f"{base}/{random.choice(chats)}/?c=open", {}) for _ in range(max(10, rounds // 10))]
        result.update({
            "chat_list_p95_ms": p95(list_ms), "chat_list_median_ms": round(statistics.median(list_ms), 1),
            "open_chat_p95_ms": p95(open_ms), "open_chat_median_ms": round(statistics.median(open_ms), 1),
            "full_page_p95_ms": p95(page_ms), "label_search_p95_ms": p95(search_ms), "requests": rounds,
            "chat_list_p95_ms_by_list": {path.rsplit("/list/", 1)[1]: p95(values) for path, values in by_list.items()},
        })
        print(f"chat list: p95 {result['chat_list_p95_ms']} ms; open chat: p95 {result['open_chat_p95_ms']} ms; "
              f"whole page: p95 {result['full_page_p95_ms']} ms", flush=True)
    finally:
        stack.stop()
        if args.keep:
            print(f"kept {url} (workspace {stack.workspace_id}, SAUTI_HOME {stack.home})", flush=True)
        else:
            drop()
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
