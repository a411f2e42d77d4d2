"""People at scale: segment counts, the People page, search, and CSV import throughput.

    .venv/bin/python bench/people.py [--people N] [--quick] [--database-url postgres://...]

Seeds a fresh database (a new PostgreSQL database next to --database-url, or SQLite in a temporary
directory) with N people (default 100,000) carrying reserved and custom fields, then times, as the
median of several runs: the live count of representative segment queries (custom fields in JSON,
relative dates, and/or/not), the first page of the People page, a keyset page deep in the list,
a free-text search over every field, and the import of a CSV file (dry run + import) in rows/s.

Prints progress lines, then one JSON object as the last line with at least people, count_ms
(per query), max_count_ms, list_ms, search_ms and import_rows_per_s.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

QUERIES = [
    "opted_in",
    "opted_in and last_seen > -30d",
    'age >= 18 and district = "North"',
    "(district = North or district = South) and not member and visit > 2025-01-01",
    "language = zul and name starts_with Th",
]
DISTRICTS = ["North", "South", "East", "West", "Central"]
NAMES = ["Thandi", "Lerato", "Sipho", "Naledi", "Ayanda", "Bongani", "Zanele", "Amahle", "Kagiso", "Palesa"]


def _median_ms(run, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append((time.perf_counter() - start) * 1000)
    return round(statistics.median(times), 1)


def _seed(workspace, people: int) -> None:
    from django.utils import timezone

    from sauti.contacts.models import Contact
    from sauti.contacts.services import create_field

    for key, kind in (("age", "number"), ("district", "text"), ("visit", "date"), ("member", "boolean")):
        create_field(workspace, key=key, type=kind)
    rng = random.Random(6)
    now = timezone.now()
    batch = []
    for i in range(people):
        seen = now - dt.timedelta(minutes=rng.randrange(0, 120 * 24 * 60)) if rng.random() < .9 else None
        batch.append(Contact(
            workspace=workspace, wa_id=f"2782{i:07d}", name=rng.choice(NAMES), surname=f"S{i}",
            language=rng.choice(["eng", "por", "zul", "xho"]), opted_in=rng.random() < .7, last_seen_at=seen,
            first_message_at=seen,
            fields={"age": rng.randrange(12, 70), "district": rng.choice(DISTRICTS),
                    "visit": (dt.date(2024, 6, 1) + dt.timedelta(days=rng.randrange(0, 500))).isoformat(),
                    "member": rng.random() < .4}))
        if len(batch) == 5000:
            Contact.objects.bulk_create(batch)
            batch = []
    Contact.objects.bulk_create(batch)


def _import(workspace, rows: int) -> float:
    """A CSV file of `rows` people, half already known: dry run then import, rows per second."""
    from sauti.contacts.models import ContactImport
    from sauti.contacts.services.transfers import check_import, run_check, run_import, start_import, upload_import

    lines = ["whatsapp_id,name,district,age,opted_in"]
    for i in range(rows):
        lines.append(f"2782{i * 2:07d},Imported {i},{DISTRICTS[i % 5]},{20 + i % 40},{'yes' if i % 3 else 'no'}")
    job = upload_import(workspace, filename="bench.csv", data=("\n".join(lines) + "\n").encode(), actor=None)
    start = time.perf_counter()
    job = check_import(job, job.mapping, actor=None)
    run_check(job.id)
    job = start_import(ContactImport.objects.get(id=job.id), actor=None)
    run_import(job.id)
    elapsed = time.perf_counter() - start
    job = ContactImport.objects.get(id=job.id)
    assert job.status == "done" and job.created_count + job.updated_count == rows, job.error
    return rows / elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--import-rows", type=int, default=20_000)
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL"),
                        help="postgres://… (a fresh database is created beside it); default: SQLite")
    parser.add_argument("--quick", action="store_true", help="10,000 people and 2,000 imported rows")
    args = parser.parse_args()
    people = 10_000 if args.quick else args.people
    import_rows = 2_000 if args.quick else args.import_rows

    from sauti.devstack import fresh_database

    url, drop = fresh_database(args.database_url)
    home = tempfile.mkdtemp(prefix="sauti-bench-people-")
    os.environ["SAUTI_HOME"] = home
    os.environ["DJANGO_SETTINGS_MODULE"] = "sauti.settings"
    if url:
        os.environ["DATABASE_URL"] = url
    else:
        os.environ.pop("DATABASE_URL", None)
    try:
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection

        from sauti.accounts.services import create_workspace
        from sauti.contacts.queries import list_people
        from sauti.contacts.segments import segment_contacts

        call_command("migrate", verbosity=0)
        workspace = create_workspace(name="Bench")
        start = time.perf_counter()
        _seed(workspace, people)
        print(f"seeded {people:,} people in {time.perf_counter() - start:.1f}s", flush=True)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        repeat = 5
        result: dict = {"people": people, "database": connection.vendor, "count_ms": {}, "found": {}}
        for query in QUERIES:
            result["found"][query] = segment_contacts(workspace, query).count()
            result["count_ms"][query] = _median_ms(lambda q=query: segment_contacts(workspace, q).count(), repeat)
            print(f"count {query!r}: {result['found'][query]:,} people in {result['count_ms'][query]} ms", flush=True)
        result["max_count_ms"] = max(result["count_ms"].values())
        result["list_ms"] = _median_ms(lambda: list_people(workspace, "admin"), repeat)
        page = list_people(workspace, "admin")
        for _ in range(20):  # walk 20 pages in, then time the next one
            page = list_people(workspace, "admin", cursor=page.next_cursor)
        cursor = page.next_cursor
        result["deep_page_ms"] = _median_ms(lambda: list_people(workspace, "admin", cursor=cursor), repeat)
        result["search_ms"] = _median_ms(lambda: list_people(workspace, "admin", search="S4242"), repeat)
        result["segment_list_ms"] = _median_ms(
            lambda: list_people(workspace, "admin", segment_q=None, search="", sort="name"), repeat)
        print(f"People page: first {result['list_ms']} ms, deep {result['deep_page_ms']} ms, "
              f"by name {result['segment_list_ms']} ms, search {result['search_ms']} ms", flush=True)
        rate = _import(workspace, import_rows)
        result["import_rows"] = import_rows
        result["import_rows_per_s"] = round(rate, 1)
        print(f"import: {import_rows:,} rows (half new) checked and imported at {rate:,.0f} rows/s", flush=True)
        connection.close()
    finally:
        drop()
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
