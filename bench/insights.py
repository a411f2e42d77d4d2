"""Insights at scale: a year of 10 million messages, 200,000 people and 2 million journey steps
(sessions and results) on PostgreSQL, the backfill that builds the rollups, the periodic job, and
each Insights section rendered for a one-year range. Prints one JSON object per measurement; the
last line is the summary with `view_p95_ms` (section → ms).

    .venv/bin/python bench/insights.py --database-url postgres://postgres@127.0.0.1:5432/postgres [--quick]

Rows are generated with generate_series in PostgreSQL (a fresh database beside --database-url,
dropped at the end). --quick: 200,000 messages, 5,000 people, 40,000 steps.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

SECTIONS = ["audience", "engagement", "journeys", "inbox", "billing"]


def emit(**data: object) -> None:
    print(json.dumps(data), flush=True)


def load(cursor, ws: int, operators: list[int], journeys: list[int], people: int, messages: int,  # noqa: ANN001
         sessions: int, results: int) -> None:
    """Insert people, chats, messages, sessions and results with set-based SQL."""
    cursor.execute("""
        INSERT INTO contacts_contact (workspace_id, uuid, wa_id, name, surname, whatsapp_profile_name, language,
                                      opted_in, opted_in_at, fields, created_at, lock_token)
        SELECT %s, gen_random_uuid(),
               (ARRAY['27','234','254','91','255','256','1','44'])[1 + g %% 8] || lpad(g::text, 9, '0'),
               'Person ' || g, '', '', (ARRAY['eng','zul','swa','por',''])[1 + g %% 5], g %% 3 <> 0,
               CASE WHEN g %% 3 <> 0 THEN now() - random() * interval '365 days' END, '{}'::jsonb,
               now() - interval '400 days' + (g::float / %s) * interval '400 days', ''
        FROM generate_series(1, %s) g""", [ws, people, people])
    cursor.execute("SELECT min(id) FROM contacts_contact WHERE workspace_id = %s", [ws])
    first_contact = cursor.fetchone()[0]
    cursor.execute("""
        INSERT INTO messaging_chat (workspace_id, uuid, contact_id, state, state_reason, unread_count, needs_human,
                                    created_at, closed_at, closed_by_id)
        SELECT %s, gen_random_uuid(), c.id,
               CASE WHEN c.id %% 4 = 0 THEN 'closed' ELSE 'open' END, '', 0, c.id %% 17 = 0, c.created_at,
               CASE WHEN c.id %% 4 = 0 THEN now() - random() * interval '360 days' END,
               CASE WHEN c.id %% 4 = 0 THEN (%s::bigint[])[1 + c.id %% %s] END
        FROM contacts_contact c WHERE c.workspace_id = %s""", [ws, operators, len(operators), ws])
    cursor.execute("SELECT min(id) FROM messaging_chat WHERE workspace_id = %s", [ws])
    first_chat = cursor.fetchone()[0]
    step = 1_000_000
    for lo in range(1, messages + 1, step):
        hi = min(messages, lo + step - 1)
        # g picks the person (a spread hash), the kind of message and its moment in the year.
        cursor.execute("""
            INSERT INTO messaging_message (workspace_id, uuid, chat_id, contact_id, direction, type, payload, text,
                                           status, statuses, labels, author_type, author_id, author_name, sent_at,
                                           created_at, handled_at, pricing)
            SELECT %(ws)s, gen_random_uuid(), %(chat)s + p, %(contact)s + p,
                   CASE WHEN k < 50 THEN 'inbound' ELSE 'outbound' END,
                   CASE WHEN k < 40 THEN 'text' WHEN k < 45 THEN 'button' WHEN k < 50 THEN 'image'
                        WHEN k < 80 THEN 'text' ELSE 'template' END,
                   CASE WHEN k >= 80 THEN jsonb_build_object('type', 'template', 'template',
                        jsonb_build_object('name', (ARRAY['welcome','visit_due','results_ready'])[1 + g %% 3]))
                        ELSE '{}'::jsonb END,
                   '', CASE WHEN k < 50 THEN 'received'
                            ELSE (ARRAY['sent','delivered','delivered','read','read','failed'])[1 + g %% 6] END,
                   '[]'::jsonb, '[]'::jsonb,
                   CASE WHEN k < 50 THEN 'CONTACT' WHEN k < 53 THEN 'OPERATOR' ELSE 'SYSTEM' END,
                   CASE WHEN k BETWEEN 50 AND 52 THEN ((%(ops)s::bigint[])[1 + g %% %(nops)s])::text
                        WHEN k >= 97 THEN 'reminder:' || (g %% 4) ELSE '' END,
                   CASE WHEN k >= 97 THEN 'Reminder ' || (g %% 4) ELSE '' END,
                   at, at, CASE WHEN k < 50 THEN at END,
                   CASE WHEN k >= 80 THEN jsonb_build_object('billable', true, 'pricing_model', 'PMP', 'category',
                        (ARRAY['marketing','utility','authentication'])[1 + g %% 3])
                        WHEN k >= 50 THEN '{"billable": false, "category": "service", "pricing_model": "PMP"}'::jsonb
                   END
            FROM (SELECT g, (g * 2654435761) %% %(people)s AS p, (g * 7919) %% 100 AS k,
                         now() - random() * interval '365 days' AS at
                  FROM generate_series(%(lo)s::bigint, %(hi)s::bigint) g) s""",
                       {"ws": ws, "chat": first_chat, "contact": first_contact, "ops": operators,
                        "nops": len(operators), "people": people, "lo": lo, "hi": hi})
        emit(stage="messages", inserted=hi)
    cursor.execute("""
        INSERT INTO journeys_session (workspace_id, uuid, journey_id, contact_id, status, state, started_at,
                                      updated_at, ended_at, end_reason)
        SELECT %(ws)s, gen_random_uuid(), (%(js)s::bigint[])[1 + g %% %(nj)s], %(contact)s + (g * 48271) %% %(people)s,
               'ended', jsonb_build_object('card', (ARRAY['Welcome','Lesson 1','Lesson 2','Quiz'])[1 + g %% 4]),
               st, st, st + (g %% 900) * interval '1 minute',
               CASE WHEN g %% 5 < 3 THEN 'completed' ELSE 'expired' END
        FROM (SELECT g, now() - interval '1 day' - random() * interval '364 days' AS st
              FROM generate_series(1::bigint, %(n)s::bigint) g) s""",
                   {"ws": ws, "js": journeys, "nj": len(journeys), "contact": first_contact, "people": people,
                    "n": sessions})
    cursor.execute("SELECT min(id) FROM journeys_session WHERE workspace_id = %s", [ws])
    first_session = cursor.fetchone()[0]
    cursor.execute("""
        INSERT INTO journeys_journeyresult (workspace_id, journey_id, session_id, contact_id, name, value, label,
                                            card, created_at)
        SELECT %(ws)s, s.journey_id, s.id, s.contact_id,
               (ARRAY['pregnant','weeks','clinic'])[1 + g %% 3],
               CASE WHEN g %% 3 = 1 THEN to_jsonb(4 + g %% 36)
                    ELSE to_jsonb((ARRAY['yes','no','maybe'])[1 + g %% 3]) END,
               '', 'Welcome', s.started_at + interval '5 minutes'
        FROM generate_series(1::bigint, %(n)s::bigint) g
        JOIN journeys_session s ON s.id = %(first)s + g %% %(sessions)s""",
                   {"ws": ws, "n": results, "first": first_session, "sessions": sessions})
    cursor.execute("ANALYZE")


def p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[max(0, int(round(0.95 * len(ordered))) - 1)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL"), required=False,
                        help="postgres://… (a fresh database is created beside it)")
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--runs", type=int, default=10, help="timed renders per section")
    args = parser.parse_args()
    if not args.database_url:
        parser.error("--database-url is required (the bench generates its rows with PostgreSQL)")
    people, messages, sessions, results = ((5_000, 200_000, 10_000, 30_000) if args.quick
                                           else (200_000, 10_000_000, 500_000, 1_500_000))

    from sauti.devstack import fresh_database

    url, drop = fresh_database(args.database_url)
    os.environ.update(SAUTI_HOME=tempfile.mkdtemp(prefix="sauti-bench-insights-"), DATABASE_URL=url,
                      DJANGO_SETTINGS_MODULE="sauti.settings")
    try:
        import django

        django.setup()
        from django.conf import settings
        from django.core.management import call_command
        from django.db import connection
        from django.test import Client

        from sauti.accounts.services import add_member, create_workspace
        from sauti.insights.services.aggregate import aggregate_recent, backfill
        from sauti.journeys.models import Journey

        settings.ALLOWED_HOSTS = ["*"]
        call_command("migrate", verbosity=0)
        workspace = create_workspace(name="Bench", phone_number_id="100000000000009", waba_id="1",
                                     access_token="t", app_secret="s", verify_token="v")
        admin = add_member(workspace, email="admin@example.org", role="admin", password="pw").user
        operators = [add_member(workspace, email=f"op{i}@example.org", role="operator", password="pw").user.id
                     for i in range(5)]
        journeys = [Journey.objects.create(workspace=workspace, name=n).id for n in ("Antenatal", "Quiz", "Vaccines")]
        started = time.perf_counter()
        with connection.cursor() as cursor:
            load(cursor, workspace.id, operators, journeys, people, messages, sessions, results)
        load_s = time.perf_counter() - started
        emit(stage="load", seconds=round(load_s, 1), messages=messages, people=people,
             journey_steps=sessions + results)
        from sauti.insights.services.families import FAMILIES

        backfill_s, per_family = 0.0, {}
        for family in FAMILIES:
            started = time.perf_counter()
            backfill(workspace, families=[family])
            per_family[family] = round(time.perf_counter() - started, 1)
            backfill_s += per_family[family]
        emit(stage="backfill", seconds=round(backfill_s, 1), per_family=per_family)
        started = time.perf_counter()
        aggregate_recent()
        job_s = time.perf_counter() - started
        emit(stage="periodic job", seconds=round(job_s, 2))
        client = Client()
        client.force_login(admin)
        view_p95: dict[str, float] = {}
        for section in SECTIONS:
            path = f"/w/{workspace.uuid}/insights/{section}/?range=year"
            assert client.get(path).status_code == 200  # warm
            samples = []
            for _ in range(args.runs):
                t = time.perf_counter()
                response = client.get(path)
                samples.append((time.perf_counter() - t) * 1000)
                assert response.status_code == 200
            view_p95[section] = round(p95(samples), 1)
            emit(view=section, p95_ms=view_p95[section], median_ms=round(sorted(samples)[len(samples) // 2], 1))
        from sauti.insights.models import DailyCount

        emit(messages=messages, people=people, journey_steps=sessions + results, load_s=round(load_s, 1),
             backfill_s=round(backfill_s, 1), backfill_per_family_s=per_family, periodic_job_s=round(job_s, 2),
             rollup_rows=DailyCount.objects.filter(workspace=workspace).count(), view_p95_ms=view_p95,
             floor_ms=500, ok=all(v <= 500 for v in view_p95.values()))
    finally:
        from django.db import connections

        connections.close_all()
        drop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
