"""Journeys throughput: pure engine steps per second (end-to-end turns through the pipeline to come).

    .venv/bin/python bench/journeys.py [--quick] [--database-url postgres://...]

`measure_engine` compiles two representative journeys once (the sequential-lessons sample that
ships with Sauti, and a survey with questions, validation variants, an HTTP call and results)
and drives many conversations through `step` alone: no JSON round trip, no I/O. Prints progress
lines, then one JSON object as the last line with at least engine_steps_per_s, turns_per_s,
p50_ms and p99_ms (the end-to-end keys are null until the pipeline part is added).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

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


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="a short run (CI smoke)")
    ap.add_argument("--database-url", help="for the end-to-end part (not measured yet)")
    args = ap.parse_args(argv)
    print("engine: stepping conversations through the pure engine...", flush=True)
    result = measure_engine(args.quick)
    print(f"engine: {result['engine_steps_per_s']} steps/s (best of {result['engine_rounds']} rounds of "
          f"{result['engine_steps']} steps)", flush=True)
    result.update({"turns_per_s": None, "p50_ms": None, "p99_ms": None})
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
