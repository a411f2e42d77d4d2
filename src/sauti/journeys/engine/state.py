"""Session state: everything the engine needs between two events, JSON-serialisable."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any

from .values import decode, encode

NEW, RUNNING, WAITING, ENDED = "new", "running", "waiting", "ended"


@dataclass(slots=True)
class State:
    """Where a session stands. The engine never mutates a State it was given: `step` returns a
    new one (the mutable containers are copied before they change)."""

    status: str = NEW
    card: str | None = None          # current card name
    variant: int = 0                 # which variant of that card runs
    pc: int = 0                      # index of the next op in the variant
    vars: dict = field(default_factory=dict)      # journey variables (persist across cards)
    contact: dict = field(default_factory=dict)   # contact fields as the session sees them
    chat: dict = field(default_factory=dict)      # inbox state (assigned_to, ...)
    globals: dict = field(default_factory=dict)   # workspace dictionaries: @global.<dict>.<key>
    dictionaries: dict = field(default_factory=dict)  # journey dictionaries: @<dict>.items.<key>
    message: dict | None = None      # event.message: the inbound message being handled
    waiting: dict | None = None      # what the session waits for (reply, http, child, timer)
    deadline: str | None = None      # ISO instant the interaction timeout ends the session
    results: dict = field(default_factory=dict)   # flow results written so far (name -> value)
    end_reason: str | None = None
    counter: int = 0                 # sequence for request ids

    @property
    def ended(self) -> bool:
        return self.status == ENDED

    def to_dict(self) -> dict:
        out: dict[str, Any] = {}
        for f in fields(self):
            out[f.name] = encode(getattr(self, f.name))
        return out

    @classmethod
    def from_dict(cls, data: dict) -> State:
        known = {f.name for f in fields(cls)}
        unknown = set(data) - known
        if unknown:
            raise ValueError(f"unknown session state fields: {sorted(unknown)}")
        return cls(**{k: decode(v) for k, v in data.items()})

    def copy(self) -> State:
        """A shallow copy whose dicts can be replaced (never mutated in place) by the engine."""
        return State(self.status, self.card, self.variant, self.pc, self.vars, self.contact, self.chat,
                     self.globals, self.dictionaries, self.message, self.waiting, self.deadline,
                     self.results, self.end_reason, self.counter)
