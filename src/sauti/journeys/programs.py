"""Compiled journeys, cached by source hash: compile once per version per process."""

from __future__ import annotations

from functools import lru_cache

from sauti.journeys import Program, compile_journey


@lru_cache(maxsize=512)
def _compiled(digest: str, source: str) -> Program:
    return compile_journey(source)


def program_for_source(source: str, digest: str) -> Program:
    return _compiled(digest, source)
