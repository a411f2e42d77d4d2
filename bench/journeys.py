"""Journeys throughput: pure engine steps per second, and end-to-end turns through the pipeline.

    .venv/bin/python bench/journeys.py [--quick] [--database-url postgres://...]

`measure_engine` compiles two representative journeys once (the sequential-lessons sample that
ships with Sauti, and a survey with questions, validation variants, an HTTP call and results)
and drives many conversations through `step` alone: no JSON round trip, no I/O.

`measure_turns` starts a whole Sauti (fake Cloud API, web, workers, scheduler) on a fresh database,
publishes a two-turn journey through the API, and has many people talk to it through the fake
Cloud API: a turn is one inbound message in and the journey's reply delivered to the fake. First
as fast as the pipeline takes them (turns_per_s), then at a steady rate below that to read the
latency of a turn (p50_ms, p99_ms: inbound webhook sent → reply received by the Cloud API).

Prints progress lines, then one JSON object as the last line with at least engine_steps_per_s,
turns_per_s, p50_ms and p99_ms.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sauti.journeys import compile_journey  # noqa: E402
from sauti.journeys.engine import HttpResponse, Start, State, UserMessage, step  # noqa: E402

SAMPLE = Path(__file__).resolve().parents[1] / "src" / "sauti" / "journeys" / "samples" / "sequential_lessons.md"
NOW = dt.datetime(2025, 8, 15, 10, 0, tzinfo=dt.UTC)

SURVEY = """
card Start, then: AskAge do
  text("Hi @contact.name! Three quick questions.")
end

card AskAge, then: CheckAge do
  age = ask("How old are you?")
end

card CheckAge when not has_pattern("@age", "^\\d+$"), then: AskAge do
  text("Please send a number.")
end

card CheckAge, then: Province do
  update_contact(age: "@age")
  write_result("age", age)
end

card Province, then: Province do
  province = buttons(North: "North", South: "South") do
    text("Which province?")
  end
end

card North, then: Save do
  region = "north"
end

card South, then: Save do
  region = "south"
end

card Save do
  resp = post("https://crm.example.org/people", body: \"\"\"{"age": "@age", "region": "@region"}\"\"\")
  write_result("region", region)
  text("Thanks! Saved with status @resp.status.")
end
"""


def _text(body: str) -> UserMessage:
    return UserMessage(message={"id": "wamid.b", "type": "text", "text": {"body": body}})


def _button(title: str) -> UserMessage:
    return UserMessage(message={"id": "wamid.b", "type": "interactive", "interactive": {
        "type": "button_reply", "button_reply": {"id": title, "title": title}}})


def _scripts() -> list[tuple[object, list[object]]]:
    lessons = compile_journey(SAMPLE.read_text(encoding="utf-8"))
    survey = compile_journey(SURVEY)
    start = Start(contact={"name": "Ana", "whatsapp_id": "27820000000"},
                  message={"id": "wamid.a", "type": "text", "text": {"body": "START"}})
    return [
        (lessons, [start, _button("Next"), _button("Back"), _button("Next"), _button("Next")]),
        (survey, [start, _text("forty"), _text("41"), _button("South"),
                  HttpResponse(request_id="1", status=201, body={"id": 7})]),
    ]


def measure_engine(quick: bool) -> dict:
    """Pure engine steps per second over representative conversations (best of a few rounds,
    as timeit does: the machine's other work only ever slows a round down)."""
    scripts = _scripts()
    conversations = 400 if quick else 4000
    rounds = 3 if quick else 7
    # Warm up (imports, caches), then measure.
    for program, events in scripts:
        state = State()
        for event in events:
            state, _ = step(program, state, event, NOW)
    best = cpu_best = float("inf")
    steps = 0
    for _round in range(rounds):
        steps = 0
        started, cpu_started = time.perf_counter(), time.process_time()
        for k in range(conversations):
            program, events = scripts[k % len(scripts)]
            state = State()
            for event in events:
                state, _effects = step(program, state, event, NOW)
                steps += 1
            if not state.ended:
                raise RuntimeError(f"bench conversation did not finish: {state.card} {state.waiting}")
        best = min(best, time.perf_counter() - started)
        cpu_best = min(cpu_best, time.process_time() - cpu_started)
    return {"engine_steps_per_s": round(steps / best), "engine_cpu_steps_per_s": round(steps / cpu_best),
            "engine_steps": steps, "engine_conversations": conversations, "engine_rounds": rounds,
            "engine_seconds": round(best, 3)}


TURN_JOURNEY = """
trigger(on: "MESSAGE RECEIVED") when has_only_phrase(event.message.text.body, "hi")

card Menu do
  choice = buttons(["Yes", "No"]) do
    text("Hello @contact.whatsapp_profile_name, shall we start today's lesson?")
  end
  write_result("wants_lesson", choice)
  text("You said @choice. See you tomorrow!")
end
"""


def _iso(text: str) -> float:
    return dt.datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()


async def _talk(stack: object, people: int, rate: float | None, offset: int) -> tuple[list[float], float, float]:
    """Each person says "hi" then "Yes"; returns the turns' latencies (s), first send, last reply."""
    import asyncio

    import httpx

    from bench.httpload import KeepAlivePool

    sent_at: dict[str, list[float]] = {}
    gap = 1.0 / rate if rate else 0.0
    async with httpx.AsyncClient(base_url=stack.fake_url, timeout=60) as http, \
            KeepAlivePool(stack.fake_url, size=16) as pool:

        async def person(wa_id: str) -> None:
            # One person's messages go in order, as a person types them.
            for seq, text in enumerate(("hi", "Yes")):
                sent_at.setdefault(wa_id, []).append(time.time())
                body = json.dumps({"from": wa_id, "text": text, "name": "Ana", "id": f"wamid.bench.{wa_id}.{seq}"})
                status, answer = await pool.request("POST", "/_fake/inbound", body.encode())
                if status != 200:
                    raise RuntimeError(f"the fake Cloud API answered {status}: {answer[:200]!r}")

        first = time.time()
        tasks = []
        for i in range(people):
            tasks.append(asyncio.create_task(person(f"2785{offset + i:07d}")))
            if gap:
                await asyncio.sleep(2 * gap)
        await asyncio.gather(*tasks)
        expected = 2 * people
        deadline = time.time() + 180
        mine: list[dict] = []
        seen = 0
        while True:
            # Only what arrived since the last look, so polling costs the fake (on the same cores) little.
            sent = (await http.get("/_fake/sent", params={"after": seen})).json()["messages"]
            seen += len(sent)
            mine += [m for m in sent if m["to"].startswith("2785") and offset <= int(m["to"][4:]) < offset + people]
            if len(mine) >= expected or time.time() > deadline:
                break
            await asyncio.sleep(0.25)
    replies: dict[str, list[float]] = {}
    for m in mine:
        replies.setdefault(m["to"], []).append(_iso(m["received_at"]))
    latencies = [reply - sent for wa_id, times in replies.items()
                 for sent, reply in zip(sorted(sent_at.get(wa_id, [])), sorted(times), strict=False)]
    last = max((t for times in replies.values() for t in times), default=time.time())
    if len(mine) < expected:
        raise RuntimeError(f"only {len(mine)} of {expected} replies arrived")
    return latencies, first, last


def measure_turns(database_url: str | None, quick: bool) -> dict:
    import asyncio
    import os

    import httpx

    from sauti.devstack import Stack, fresh_database

    people = 150 if quick else 600
    url, drop = fresh_database(database_url)
    stack = Stack(database_url=url, send_rate=1000, worker_threads=2, worker_processes=2,
                  fake_args=["--no-statuses"], env_extra={"SAUTI_LOG_LEVEL": "WARNING"})
    try:
        stack.setup()
        stack.start()
        r = httpx.post(f"{stack.web_url}/v1/stacks", headers={"Authorization": f"Bearer {stack.token}"},
                       json={"name": "Bench", "notebook": TURN_JOURNEY, "enabled": True}, timeout=30)
        r.raise_for_status()
        from bench.cpu import per_unit_ms, snapshot

        pids = {name: proc.pid for name, proc in stack.processes.items()}
        before = snapshot(pids)
        latencies, first, last = asyncio.run(_talk(stack, people, None, 0))
        cpu = per_unit_ms(before, snapshot(pids), 2 * people)
        turns_per_s = 2 * people / (last - first)
        print(f"turns: {2 * people} turns in {last - first:.2f}s = {turns_per_s:.0f}/s", flush=True)
        print(f"cpu ms per turn: {cpu}", flush=True)
        steady = max(10.0, turns_per_s * 0.5)
        latencies, _, _ = asyncio.run(_talk(stack, people // 2, steady, people))
        latencies.sort()

        def pct(p: float) -> float:
            return round(1000 * latencies[min(len(latencies) - 1, int(p * len(latencies)))], 1)

        print(f"latency at {steady:.0f} turns/s: p50 {pct(0.5)} ms, p99 {pct(0.99)} ms", flush=True)
        return {"turns_per_s": round(turns_per_s, 1), "p50_ms": pct(0.5), "p99_ms": pct(0.99),
                "latency_rate_per_s": round(steady, 1), "turns": 2 * people, "cpu_ms_per_turn": cpu,
                "database": "postgresql" if url else "sqlite", "worker_processes": 2,
                "cpus": os.cpu_count()}
    finally:
        stack.stop()
        drop()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="a short run (under a minute)")
    ap.add_argument("--database-url", help="postgres://… for the end-to-end part (default: embedded SQLite)")
    ap.add_argument("--engine-only", action="store_true", help="skip the end-to-end part")
    args = ap.parse_args(argv)
    print("engine: stepping conversations through the pure engine...", flush=True)
    result = measure_engine(args.quick)
    print(f"engine: {result['engine_steps_per_s']} steps/s (best of {result['engine_rounds']} rounds of "
          f"{result['engine_steps']} steps)", flush=True)
    if args.engine_only:
        result.update({"turns_per_s": None, "p50_ms": None, "p99_ms": None})
    else:
        result.update(measure_turns(args.database_url, args.quick))
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
