"""`Conversation`: chat with a compiled journey in tests, without a database or a network.

    conv = Conversation(compile_journey(src), contact={"name": "Ana"})
    conv.start()               # -> outbound messages (Cloud API bodies) produced by the call
    conv.send("hi"); conv.send_button("Yes"); conv.send_list("May")

The harness carries out the engine's effects in memory: contact updates, results, logs, HTTP
through `http` (canned responses or a callable), `wait(...)` timers (the clock jumps ahead) and
run_stack (paused until `finish_child`). The session state goes through JSON before every step,
as it would through the database.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
from collections.abc import Callable
from typing import Any

from .engine import ChildFinished, HttpResponse, Start, State, TimerFired, UserMessage, step
from .engine.effects import (
    CancelSchedules,
    Effect,
    End,
    HttpRequest,
    Log,
    RunJourney,
    Schedule,
    SendContent,
    SendMessage,
    UpdateContact,
    UpdateDictionary,
    WriteResult,
)
from .lang.program import Program

HttpCallable = Callable[..., tuple[int | None, Any]]
DEFAULT_NOW = dt.datetime(2025, 1, 1, 9, 0, tzinfo=dt.UTC)
# HTTP round trips one call may make before the harness assumes a loop.
MAX_ROUND_TRIPS = 1000


class ConversationError(AssertionError):
    """The test drove the conversation wrongly (pressed a button that is not there, ...)."""


class Conversation:
    """An in-memory session of one journey for one contact (see the module docstring)."""

    def __init__(self, program: Program, contact: dict | None = None, globals: dict | None = None,
                 dictionaries: dict | None = None, http: list[dict] | HttpCallable | None = None,
                 now: dt.datetime | None = None, run_stack: str = "pause",
                 chat: dict | None = None) -> None:
        if run_stack not in ("pause", "skip"):
            raise ValueError('run_stack must be "pause" (wait for finish_child) or "skip"')
        self.program = program
        self.contact: dict = dict(contact or {})
        self.globals = copy.deepcopy(globals or {})
        self.dictionaries = copy.deepcopy(dictionaries or {})
        self.chat = dict(chat or {})
        self.now = _aware(now or DEFAULT_NOW)
        self.run_stack = run_stack
        self.http = http
        self.state = State()
        self.results: list[dict] = []
        self.logs: list[str] = []
        self.effects: list[Effect] = []
        self.messages: list[dict] = []          # every outbound message, in order
        self.http_calls: list[dict] = []
        self.timers: list[Schedule] = []       # this session's pending timers (timeouts)
        self.scheduled: list[Schedule] = []    # journeys scheduled for the contact (schedule_stack)
        self.child_flow: str | None = None
        self.last_interactive: dict | None = None
        self._seq = 0

    # ------------------------------------------------------------------ state
    @property
    def ended(self) -> bool:
        return self.state.status == "ended"

    @property
    def vars(self) -> dict:
        """The journey's variables (read-only view for assertions)."""
        return dict(self.state.vars)

    # ------------------------------------------------------------------ driving
    def start(self, text: str | None = None) -> list[dict]:
        """Start the journey, optionally as if `text` triggered it (event.message)."""
        message = self._inbound({"type": "text", "text": {"body": text}}) if text is not None else None
        return self._step(Start(message=message, contact=dict(self.contact), chat=dict(self.chat),
                                globals=copy.deepcopy(self.globals),
                                dictionaries=copy.deepcopy(self.dictionaries)))

    def send(self, text: str) -> list[dict]:
        """The contact types `text`."""
        return self._message({"type": "text", "text": {"body": text}})

    def send_message(self, message: dict) -> list[dict]:
        """Any inbound Cloud API message (image, location, nfm_reply, ...)."""
        return self._message(dict(message))

    def send_button(self, label: str) -> list[dict]:
        """Tap a reply button of the last interactive message, by its id or its title; after a
        template with quick replies, `label` may be a payload."""
        last = self.last_interactive
        if last is None:
            raise ConversationError(f"no interactive message to tap {label!r} on")
        if last.get("type") == "template":
            payloads = _template_payloads(last)
            if label in payloads:
                return self._message({"type": "button", "button": {"payload": label, "text": label}})
            return self.send(label)
        inter = last["interactive"]
        if inter.get("type") == "list":
            return self.send_list(label)
        for b in inter.get("action", {}).get("buttons", []):
            reply = b.get("reply", {})
            if label in (reply.get("id"), reply.get("title")):
                return self._message({"type": "interactive", "interactive": {
                    "type": "button_reply", "button_reply": {"id": reply["id"], "title": reply["title"]}}})
        titles = [b.get("reply", {}).get("title") for b in inter.get("action", {}).get("buttons", [])]
        raise ConversationError(f"no button {label!r} in the last message (buttons: {titles})")

    def send_list(self, label: str) -> list[dict]:
        """Pick a row of the last list message, by its id or its title."""
        last = self.last_interactive
        if last is None or last.get("type") != "interactive":
            raise ConversationError(f"no list message to pick {label!r} from")
        inter = last["interactive"]
        if inter.get("type") == "button":
            return self.send_button(label)
        rows = [r for s in inter.get("action", {}).get("sections", []) for r in s.get("rows", [])]
        for row in rows:
            if label in (row.get("id"), row.get("title")):
                return self._message({"type": "interactive", "interactive": {
                    "type": "list_reply", "list_reply": {"id": row["id"], "title": row["title"]}}})
        raise ConversationError(f"no row {label!r} in the last list (rows: {[r.get('title') for r in rows]})")

    def finish_child(self, contact_update: dict | None = None) -> list[dict]:
        """End the journey started by run_stack (as if it set `contact_update`); the parent
        resumes after its run_stack."""
        if self.child_flow is None:
            raise ConversationError("no child journey is running")
        self.contact.update(contact_update or {})
        uuid, self.child_flow = self.child_flow, None
        return self._step(ChildFinished(journey_uuid=uuid, contact=dict(self.contact)))

    def set_contact(self, **fields: Any) -> None:
        self.contact.update(fields)

    def set_time(self, when: dt.datetime) -> list[dict]:
        """Move the clock; timers that are due fire (an interaction timeout ends the session)."""
        self.now = _aware(when)
        out: list[dict] = []
        for timer in sorted(self.timers, key=lambda t: t.at):
            if dt.datetime.fromisoformat(timer.at) <= self.now and timer in self.timers:
                self.timers.remove(timer)
                out += self._step(TimerFired(key=timer.key, at=timer.at, contact=dict(self.contact)))
        return out

    # ------------------------------------------------------------------ internals
    def _inbound(self, body: dict) -> dict:
        self._seq += 1
        return {"id": f"wamid.test-{self._seq}", "from": str(self.contact.get("whatsapp_id", "")),
                "timestamp": str(int(self.now.timestamp())), **body}

    def _message(self, body: dict) -> list[dict]:
        return self._step(UserMessage(message=self._inbound(body), contact=dict(self.contact),
                                      chat=dict(self.chat)))

    def _step(self, event: Any) -> list[dict]:
        out: list[dict] = []
        pending = [event]
        trips = 0
        while pending:
            trips += 1
            if trips > MAX_ROUND_TRIPS:
                raise ConversationError("the journey keeps calling HTTP without waiting: a loop?")
            # Through JSON, as the database would store it: non-serialisable state fails here.
            state = State.from_dict(json.loads(json.dumps(self.state.to_dict())))
            self.state, effects = step(self.program, state, pending.pop(0), self.now)
            for effect in effects:
                follow = self._apply(effect, out)
                if follow is not None:
                    pending.append(follow)
        return out

    def _apply(self, effect: Effect, out: list[dict]) -> Any:
        """Carry out one effect; return the event it leads to, if any."""
        self.effects.append(effect)
        if isinstance(effect, SendMessage):
            message = copy.deepcopy(effect.message)
            out.append(message)
            self.messages.append(message)
            if message.get("type") == "interactive" and message["interactive"].get("type") in ("button", "list"):
                self.last_interactive = message
            elif message.get("type") == "template" and _template_payloads(message):
                self.last_interactive = message
        elif isinstance(effect, SendContent):
            self.logs.append(f"[content] sent content {effect.content_uuid}")
        elif isinstance(effect, UpdateContact):
            self.contact.update(copy.deepcopy(effect.fields))
        elif isinstance(effect, WriteResult):
            self.results.append({"name": effect.name, "value": effect.value, "label": effect.label})
        elif isinstance(effect, Log):
            self.logs.append(f"[{effect.level}] {effect.message}")
        elif isinstance(effect, UpdateDictionary):
            target = self.dictionaries if effect.dictionary in self.program.dictionaries else self.globals
            target.setdefault(effect.dictionary, {})[effect.key] = effect.value
        elif isinstance(effect, HttpRequest):
            return self._http(effect)
        elif isinstance(effect, RunJourney):
            if self.run_stack == "skip":
                return ChildFinished(journey_uuid=effect.journey_uuid, contact=dict(self.contact))
            self.child_flow = effect.journey_uuid
        elif isinstance(effect, Schedule):
            if effect.kind == "journey":
                self.scheduled.append(effect)
                return None
            if effect.kind == "wait":
                # The clock jumps to the end of the wait and the journey goes on.
                self.now = max(self.now, dt.datetime.fromisoformat(effect.at))
                return TimerFired(key=effect.key, at=effect.at, contact=dict(self.contact))
            self.timers = [t for t in self.timers if not (t.key == effect.key and t.kind == effect.kind)]
            self.timers.append(effect)
        elif isinstance(effect, CancelSchedules):
            if effect.kind == "journey":
                self.scheduled = [t for t in self.scheduled
                                  if effect.journey_uuid not in (None, t.journey_uuid)]
            else:
                self.timers = [t for t in self.timers if t.kind != effect.kind]
        elif isinstance(effect, End):
            self.timers = []
        return None

    def _http(self, req: HttpRequest) -> Any:
        headers = [list(h) for h in req.headers]
        status, body = self._call(req.method, req.url, headers, req.body)
        self.http_calls.append({"method": req.method, "url": req.url, "headers": headers,
                                "body": req.body, "status": status})
        if req.mode == "async":
            return None
        return HttpResponse(request_id=req.request_id, status=status, body=copy.deepcopy(body),
                            headers={}, contact=dict(self.contact))

    def _call(self, method: str, url: str, headers: list, body: str | None) -> tuple[int | None, Any]:
        if callable(self.http):
            status, out = self.http(method, url, headers, body)
            return status, out
        bare = url.split("?", 1)[0]
        for canned in self.http or []:
            want = str(canned.get("method", "ANY")).upper()
            if want not in ("ANY", method) or canned.get("url") not in (url, bare):
                continue
            return canned.get("status", 200), copy.deepcopy(canned.get("body"))
        return None, f"ERROR: no canned response for {method} {url}"


def _template_payloads(message: dict) -> list[str]:
    out = []
    for comp in message.get("template", {}).get("components", []):
        if comp.get("type") == "button":
            for p in comp.get("parameters", []):
                if p.get("type") == "payload":
                    out.append(p.get("payload"))
    return out


def _aware(when: dt.datetime) -> dt.datetime:
    return when if when.tzinfo else when.replace(tzinfo=dt.UTC)
