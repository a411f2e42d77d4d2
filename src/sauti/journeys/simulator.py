"""The editor's simulator: a journey's draft run by the pure engine, one chat per browser session.

The state is plain JSON kept between requests by the caller (the user's web session); the notes
it writes are translated, the only Django it uses. Effects are
carried out in memory: contact updates change the simulated contact, waits pass at once, child
journeys return at once, and HTTP calls get status 599 unless the workspace allows the host
(`journey_http_allow_hosts`). Nothing here touches the database or sends a WhatsApp message.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
from dataclasses import asdict, dataclass, field
from typing import Any
from urllib.parse import urlsplit

import httpx
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from .engine import ChildFinished, HttpResponse, Start, State, TimerFired, UserMessage, step
from .engine.effects import (
    AddLabel,
    AssignChat,
    CancelSchedules,
    Effect,
    End,
    Handover,
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

DEFAULT_CONTACT = {"name": "Ana", "whatsapp_id": "27820001234"}
MAX_TRANSCRIPT = 300
MAX_ROUND_TRIPS = 50          # effects that lead to more events within one action
NOT_PERFORMED = 599
END_REASONS = {"completed": _lazy("The journey ended. A new message starts it again."),
               "timeout": _lazy("The journey ended: no reply in time. A new message starts it again."),
               "failed": _lazy("The journey stopped because of an error (see the red note above).")}


@dataclass
class Simulation:
    """One simulated chat: the engine state, the contact and what was said."""

    contact: dict = field(default_factory=lambda: dict(DEFAULT_CONTACT))
    state: dict | None = None           # State.to_dict(); None before the first message
    transcript: list[dict] = field(default_factory=list)
    seq: int = 0
    clock_offset: float = 0.0           # seconds skipped by wait(...)
    source_hash: str = ""               # the draft the chat started on

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict | None) -> Simulation:
        if not data:
            return cls()
        try:
            return cls(**data)
        except TypeError:   # an older shape: start again rather than fail
            return cls()

    @property
    def active(self) -> bool:
        return self.state is not None and self.state.get("status") not in ("ended", "new")

    @property
    def last_interactive(self) -> int | None:
        """Index of the last message with buttons, rows or quick replies, if a reply is awaited."""
        if not self.active:
            return None
        for index in range(len(self.transcript) - 1, -1, -1):
            entry = self.transcript[index]
            if entry["kind"] == "in":
                return None
            if entry["kind"] == "out" and bubble(entry["message"]).get("replies"):
                return index
        return None


class Simulator:
    """Drive a Simulation with one program: `send_text`, `reply` (button/list/template)."""

    def __init__(self, program: Program, simulation: Simulation, *, now: dt.datetime,
                 allow_hosts: list[str] | tuple[str, ...] = (), source_hash: str = "") -> None:
        self.program = program
        self.sim = simulation
        self.real_now = now
        self.allow_hosts = {h.lower().strip() for h in allow_hosts if h}
        self.source_hash = source_hash

    @property
    def now(self) -> dt.datetime:
        return self.real_now + dt.timedelta(seconds=self.sim.clock_offset)

    # ------------------------------------------------------------------ actions
    def send_text(self, text: str) -> None:
        self._inbound({"type": "text", "text": {"body": text}}, shown=text)

    def reply(self, kind: str, reply_id: str, title: str) -> None:
        """Tap a button (`button`), pick a list row (`list`) or a template quick reply (`template`)."""
        if kind == "list":
            body = {"type": "interactive", "interactive": {
                "type": "list_reply", "list_reply": {"id": reply_id, "title": title}}}
        elif kind == "template":
            body = {"type": "button", "button": {"payload": reply_id, "text": title}}
        else:
            body = {"type": "interactive", "interactive": {
                "type": "button_reply", "button_reply": {"id": reply_id, "title": title}}}
        self._inbound(body, shown=title)

    def set_contact(self, fields: dict) -> None:
        self.sim.contact = dict(fields)
        self._note("info", _("Contact fields changed; the next step of the journey sees them."))

    # ------------------------------------------------------------------ internals
    def _inbound(self, body: dict, *, shown: str) -> None:
        self.sim.seq += 1
        message = {"id": f"wamid.simulator-{self.sim.seq}", "from": str(self.sim.contact.get("whatsapp_id", "")),
                   "timestamp": str(int(self.now.timestamp())), **body}
        self._add({"kind": "in", "text": shown, "message": message})
        if not self.sim.active:
            self.sim.source_hash = self.source_hash
            self._note("start", _("The journey starts."))
            self._run(Start(message=message, contact=dict(self.sim.contact)))
        else:
            self._run(UserMessage(message=message, contact=dict(self.sim.contact)))

    def _run(self, event: Any) -> None:
        pending = [event]
        trips = 0
        while pending and trips < MAX_ROUND_TRIPS:
            trips += 1
            state = State.from_dict(self.sim.state) if self.sim.state else State()
            new_state, effects = step(self.program, state, pending.pop(0), self.now)
            self.sim.state = json.loads(json.dumps(new_state.to_dict()))
            for effect in effects:
                follow = self._apply(effect)
                if follow is not None:
                    pending.append(follow)
        if pending:
            self._note("error", _("The journey kept going without waiting for a reply; the simulator stopped it."))

    def _apply(self, effect: Effect) -> Any:
        if isinstance(effect, SendMessage):
            self._add({"kind": "out", "message": copy.deepcopy(effect.message), "card": effect.card})
        elif isinstance(effect, UpdateContact):
            self.sim.contact.update(copy.deepcopy(effect.fields))
            changes = ", ".join(f"{k} = {_short(v)}" for k, v in effect.fields.items())
            self._note("contact", _("Contact updated: %(changes)s") % {"changes": changes})
        elif isinstance(effect, WriteResult):
            self._note("result", _("Result saved: %(name)s = %(value)s") % {"name": effect.name,
                                                                           "value": _short(effect.value)})
        elif isinstance(effect, Log):
            self._note("error" if effect.level == "error" else "log", effect.message, card=effect.card)
        elif isinstance(effect, HttpRequest):
            return self._http(effect)
        elif isinstance(effect, RunJourney):
            self._note("info", _("Would start journey %(uuid)s now; the simulator skips it and goes on.")
                       % {"uuid": effect.journey_uuid})
            return ChildFinished(journey_uuid=effect.journey_uuid, contact=dict(self.sim.contact))
        elif isinstance(effect, Schedule):
            return self._schedule(effect)
        elif isinstance(effect, SendContent):
            self._note("info", _("Would send the saved content %(uuid)s.") % {"uuid": effect.content_uuid})
        elif isinstance(effect, AddLabel):
            self._note("info", _("Label added: %(labels)s") % {"labels": ", ".join(map(str, effect.labels))})
        elif isinstance(effect, Handover):
            self._note("info", _("The chat is handed to a person in the inbox; automation pauses for it."))
        elif isinstance(effect, AssignChat):
            self._note("info", _("The chat is assigned to %(assignee)s.") % {"assignee": effect.assignee})
        elif isinstance(effect, UpdateDictionary):
            self._note("info", _("Dictionary %(name)s: %(key)s = %(value)s")
                       % {"name": effect.dictionary, "key": effect.key, "value": _short(effect.value)})
        elif isinstance(effect, End):
            reason = END_REASONS.get(effect.reason) or _("The journey ended (%(reason)s).") % {"reason": effect.reason}
            self._note("end", str(reason))
        elif isinstance(effect, CancelSchedules):
            pass
        return None

    def _schedule(self, effect: Schedule) -> Any:
        if effect.kind == "wait":
            at = dt.datetime.fromisoformat(effect.at)
            skipped = max(0.0, (at - self.now).total_seconds())
            self.sim.clock_offset += skipped
            self._note("info", _("Waited %(time)s (skipped in the simulator).") % {"time": _duration(skipped)})
            return TimerFired(key=effect.key, at=effect.at, contact=dict(self.sim.contact))
        if effect.kind == "journey":
            self._note("info", _("Would start journey %(uuid)s at %(at)s.") % {"uuid": effect.journey_uuid,
                                                                                  "at": effect.at})
        return None

    def _http(self, req: HttpRequest) -> Any:
        host = (urlsplit(req.url).hostname or "").lower()
        if host and host in self.allow_hosts:
            status, body = _perform(req)
            answer = status if status is not None else _("nothing")
            self._note("http", _("%(method)s %(url)s answered %(status)s")
                       % {"method": req.method, "url": req.url, "status": answer})
        else:
            status, body = NOT_PERFORMED, "ERROR: HTTP calls are not made in the simulator"
            self._note("http", _("%(method)s %(url)s was not called: the simulator answers %(status)s. Allow the "
                                 "host in the workspace setting journey_http_allow_hosts to call it.")
                       % {"method": req.method, "url": req.url, "status": NOT_PERFORMED})
        if req.mode == "async":
            return None
        return HttpResponse(request_id=req.request_id, status=status, body=body, headers={},
                            contact=dict(self.sim.contact))

    def _note(self, level: str, text: str, card: str | None = None) -> None:
        self._add({"kind": "note", "level": level, "text": text, "card": card})

    def _add(self, entry: dict) -> None:
        entry["at"] = self.now.isoformat()
        self.sim.transcript.append(entry)
        del self.sim.transcript[:-MAX_TRANSCRIPT]


def _perform(req: HttpRequest) -> tuple[int | None, Any]:
    timeout = min(max(req.timeout_ms, 100), 20_000) / 1000
    try:
        response = httpx.request(req.method, req.url, headers=[tuple(h) for h in req.headers],
                                 content=req.body, timeout=timeout, follow_redirects=False)
    except httpx.HTTPError as exc:
        return None, f"ERROR: {type(exc).__name__}"
    if "json" in response.headers.get("content-type", ""):
        try:
            return response.status_code, response.json()
        except ValueError:
            pass
    return response.status_code, response.text


def _short(value: Any, limit: int = 80) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _duration(seconds: float) -> str:
    seconds = int(seconds)
    if seconds < 120:
        return _("%(n)s s") % {"n": seconds}
    if seconds < 7200:
        return _("%(n)s min") % {"n": seconds // 60}
    return _("%(n)s h") % {"n": seconds // 3600}


# ---------------------------------------------------------------------- how a message looks


def bubble(message: dict) -> dict:
    """A Cloud API message body as the chat pane draws it: text, header, media, footer, replies."""
    kind = message.get("type")
    out: dict[str, Any] = {"type": kind, "text": "", "replies": [], "rows": [], "media": None}
    if kind == "text":
        out["text"] = message.get("text", {}).get("body", "")
    elif kind in ("image", "video", "audio", "document", "sticker"):
        media = message.get(kind) or {}
        out["media"] = {"kind": kind, "url": media.get("link") or media.get("id") or "",
                        "filename": media.get("filename") or "", "caption": media.get("caption") or ""}
        out["text"] = media.get("caption") or ""
    elif kind == "interactive":
        _interactive(message.get("interactive") or {}, out)
    elif kind == "template":
        _template(message.get("template") or {}, out)
    elif kind == "location":
        loc = message.get("location") or {}
        out["text"] = f"📍 {loc.get('name') or ''} {loc.get('latitude', '')}, {loc.get('longitude', '')}".strip()
    else:
        out["text"] = json.dumps(message, ensure_ascii=False)[:500]
    return out


def _interactive(inter: dict, out: dict) -> None:
    out["subtype"] = inter.get("type")
    header = inter.get("header") or {}
    if header.get("type") == "text":
        out["header"] = header.get("text", "")
    elif header.get("type") in ("image", "video", "document"):
        media = header.get(header["type"]) or {}
        out["media"] = {"kind": header["type"], "url": media.get("link") or media.get("id") or "",
                        "filename": media.get("filename") or "", "caption": ""}
    out["text"] = (inter.get("body") or {}).get("text", "")
    out["footer"] = (inter.get("footer") or {}).get("text", "")
    action = inter.get("action") or {}
    if inter.get("type") == "button":
        out["replies"] = [{"kind": "button", "id": b.get("reply", {}).get("id", ""),
                           "title": b.get("reply", {}).get("title", "")} for b in action.get("buttons", [])]
    elif inter.get("type") == "list":
        out["list_button"] = action.get("button", "")
        for section in action.get("sections", []):
            rows = [{"kind": "list", "id": r.get("id", ""), "title": r.get("title", ""),
                     "description": r.get("description", "")} for r in section.get("rows", [])]
            out["rows"].append({"title": section.get("title", ""), "rows": rows})
            out["replies"] += rows
    elif inter.get("type") == "cta_url":
        params = action.get("parameters") or {}
        out["link"] = {"text": params.get("display_text", ""), "url": params.get("url", "")}
    elif inter.get("type") == "location_request_message":
        out["note"] = "Asks for the contact's location"
    elif inter.get("type") == "flow":
        out["note"] = "Opens a WhatsApp Flow"


def _template(template: dict, out: dict) -> None:
    out["template"] = {"name": template.get("name", ""), "language": (template.get("language") or {}).get("code", "")}
    params: list[str] = []
    for comp in template.get("components", []):
        if comp.get("type") == "button":
            for p in comp.get("parameters", []):
                if p.get("type") == "payload":
                    title = p.get("payload", "")
                    out["replies"].append({"kind": "template", "id": title, "title": title})
        else:
            for p in comp.get("parameters", []):
                if p.get("type") == "text":
                    params.append(p.get("text", ""))
                elif p.get("type") in ("image", "video", "document"):
                    media = p.get(p["type"]) or {}
                    out["media"] = {"kind": p["type"], "url": media.get("link", ""), "filename": "", "caption": ""}
    out["template"]["params"] = params
