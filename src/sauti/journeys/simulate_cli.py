"""`sauti journeys check` and `sauti journeys simulate`: journeys in the terminal, no database.

Pure Python on the language and the `Conversation` harness, so authors can check and try a
journey file before (or without) running a server. Streams are parameters, so tests drive it.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO

from . import JourneySyntaxError, check_journey, compile_journey
from .engine.effects import (
    AddLabel,
    AssignChat,
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
    WriteResult,
)
from .testing import Conversation, ConversationError

HTTP_TIMEOUT_S = 5.0
UNAVAILABLE_STATUS = 599  # what a journey sees for HTTP calls the simulator does not make
UNAVAILABLE_BODY = "not available in the simulator"
DEFAULT_WA_ID = "15550000001"
BOT = "journey"
PROMPT = "you> "


# ---------------------------------------------------------------------------------- check
def check_files(paths: Sequence[str], out: TextIO, err: TextIO) -> int:
    """Print every error and warning as `file:line:col: message`; 1 if any file has errors.

    Warnings (what WhatsApp would refuse, e.g. a button label over 20 characters) never fail the
    check, because journeys that run on Turn today must still compile.
    """
    errors = warnings = failed = 0
    for path in paths:
        try:
            source = Path(path).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            print(f"{path}: cannot read: {exc}", file=out)
            errors += 1
            failed += 1
            continue
        found = check_journey(source)
        for diagnostic in found:
            print(diagnostic.format(path), file=out)
        file_errors = sum(1 for d in found if d.severity == "error")
        errors += file_errors
        warnings += len(found) - file_errors
        failed += 1 if file_errors else 0
    files = f"{len(paths)} file{'s' if len(paths) != 1 else ''}"
    if errors or warnings:
        print(f"{files} checked: {_count(errors, 'error')}, {_count(warnings, 'warning')}"
              f"{f' ({failed} failed)' if failed else ''}", file=err)
    else:
        print(f"{files} checked: no problems", file=err)
    return 1 if errors else 0


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


# ---------------------------------------------------------------------------------- simulate
def parse_contact(pairs: Sequence[str]) -> dict[str, str]:
    """`field=value` pairs into contact fields (values stay text, as contact fields arrive)."""
    contact: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise ValueError(f"--contact takes field=value, got {pair!r}")
        contact[name.strip()] = value
    return contact


def parse_now(text: str | None) -> dt.datetime | None:
    """An ISO 8601 time for the frozen clock; a time without a zone is UTC."""
    if not text:
        return None
    moment = dt.datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


class _BadInput(ValueError):
    """A line the simulator cannot turn into a reply; the chat goes on."""


class _Http:
    """HTTP for the simulated journey: answered 599 unless real calls were asked for (--http).
    Keeps each answer so the transcript can show it next to the request."""

    def __init__(self, real: bool) -> None:
        self.real = real
        self.answers: list[tuple[int | None, Any]] = []

    def __call__(self, method: str, url: str, headers: list, body: str | None) -> tuple[int | None, Any]:
        answer = self._perform(method, url, headers, body) if self.real else (UNAVAILABLE_STATUS, UNAVAILABLE_BODY)
        self.answers.append(answer)
        return answer

    @staticmethod
    def _perform(method: str, url: str, headers: list, body: str | None) -> tuple[int | None, Any]:
        import httpx

        try:
            response = httpx.request(method, url, headers=[(str(k), str(v)) for k, v in headers],
                                     content=body, timeout=HTTP_TIMEOUT_S)
        except httpx.TimeoutException:
            return None, "ERROR: timeout"
        except httpx.HTTPError as exc:
            return None, f"ERROR: {exc}"
        if "json" in response.headers.get("content-type", ""):
            try:
                return response.status_code, response.json()
            except ValueError:
                pass
        return response.status_code, response.text


class Simulator:
    """One terminal chat with a compiled journey: renders what the journey does, turns each
    input line into a reply (a number picks the numbered option of the latest choice)."""

    def __init__(self, conversation: Conversation, http: _Http, out: TextIO, *, follow_clock: bool) -> None:
        self.conv = conversation
        self.http = http
        self.out = out
        self.follow_clock = follow_clock
        self.options: list[dict] = []     # the replies the numbers stand for
        self._seen = 0                    # effects already shown
        self._http_seen = 0

    def run(self, lines: TextIO, start_text: str | None = None) -> int:
        self._say("Type a reply; a number picks an option; /location LAT,LNG shares a place; /quit stops.",
                  note=True)
        self._show(lambda: self.conv.start(start_text))
        while not self.conv.ended:
            self.out.write(PROMPT)
            self.out.flush()
            line = lines.readline()
            if not line:
                self._say("end of input: the session is left waiting", note=True)
                return 0
            text = line.rstrip("\r\n")
            if not _is_terminal(lines):
                print(text, file=self.out)   # piped input: keep the transcript readable
            if text.strip() == "/quit":
                self._say("stopped: the session is left waiting", note=True)
                return 0
            if not text.strip():
                continue
            if self.follow_clock:
                self.conv.now = max(self.conv.now, dt.datetime.now(dt.UTC))
            if not self._show(lambda text=text: self._reply(text)):
                return 1
        return 0

    def _reply(self, text: str) -> Any:
        choice = text.strip()
        if choice.startswith("/location "):
            latitude, _, longitude = choice.removeprefix("/location ").partition(",")
            try:
                where = {"latitude": float(latitude), "longitude": float(longitude)}
            except ValueError:
                raise _BadInput("/location takes LAT,LNG, e.g. /location -1.2921,36.8219") from None
            return self.conv.send_message({"type": "location", "location": where})
        if choice.isdigit() and 1 <= int(choice) <= len(self.options):
            return self.conv.send_message(self.options[int(choice) - 1]["message"])
        return self.conv.send(text)

    def _show(self, act: Any) -> bool:
        try:
            act()
        except _BadInput as exc:
            self._say(str(exc), note=True)
            return True
        except ConversationError as exc:
            self._say(f"simulator error: {exc}", note=True)
            return False
        effects = self.conv.effects[self._seen:]
        self._seen = len(self.conv.effects)
        sent_choice = False
        for effect in effects:
            if isinstance(effect, SendMessage) and _options(effect.message):
                sent_choice = True
                self.options = _options(effect.message)
            self._effect(effect)
        if not sent_choice and any(isinstance(e, SendMessage) for e in effects):
            self.options = []   # a newer message without options: numbers are text again
        return True

    def _effect(self, effect: Effect) -> None:
        if isinstance(effect, SendMessage):
            self._say("\n".join(render_message(effect.message)))
        elif isinstance(effect, HttpRequest):
            status, body = self.http.answers[self._http_seen] if self._http_seen < len(self.http.answers) \
                else (None, None)
            self._http_seen += 1
            answer = f"{status}" if status is not None else "no answer"
            if body is not None:
                answer += f" {_short(body)}"
            self._say(f"HTTP {effect.method} {effect.url}{' (async)' if effect.mode == 'async' else ''}"
                      f" → {answer}", note=True)
        elif isinstance(effect, Log):
            self._say(f"log [{effect.level}] {effect.message}", note=True)
        elif isinstance(effect, UpdateContact):
            fields = ", ".join(f"{k} = {_short(v)}" for k, v in effect.fields.items())
            self._say(f"contact updated: {fields}", note=True)
        elif isinstance(effect, WriteResult):
            self._say(f"result: {effect.name} = {_short(effect.value)}", note=True)
        elif isinstance(effect, AddLabel):
            self._say(f"labelled: {', '.join(map(str, effect.labels))}", note=True)
        elif isinstance(effect, SendContent):
            self._say(f"[content {effect.content_uuid}] (content library items are not shown here)")
        elif isinstance(effect, RunJourney):
            self._say(f"run_stack {effect.journey_uuid}: other journeys are not available here; "
                      "carrying on as if it finished", note=True)
        elif isinstance(effect, Schedule) and effect.kind == "journey":
            self._say(f"journey {effect.journey_uuid} scheduled for {effect.at}", note=True)
        elif isinstance(effect, Schedule) and effect.kind == "wait":
            self._say(f"waiting until {effect.at}", note=True)
        elif isinstance(effect, Handover):
            self._say("handed over to a person (automation pauses here)", note=True)
        elif isinstance(effect, AssignChat):
            self._say(f"chat assigned to {effect.assignee}", note=True)
        elif isinstance(effect, End):
            self._say(f"session ended ({effect.reason})", note=True)

    def _say(self, text: str, *, note: bool = False) -> None:
        if note:
            print(f"  · {text}", file=self.out)
            return
        lines = text.split("\n") or [""]
        print(f"{BOT}: {lines[0]}", file=self.out)
        pad = " " * (len(BOT) + 2)
        for line in lines[1:]:
            print(f"{pad}{line}" if line else "", file=self.out)


def simulate_file(path: str, *, contact: dict[str, str] | None = None, now: dt.datetime | None = None,
                  http: bool = False, message: str | None = None, stdin: TextIO, out: TextIO,
                  err: TextIO) -> int:
    """Chat with the journey in `path` over `stdin`/`out`. 0 when the chat ends or input ends,
    1 when the file cannot be read or does not compile."""
    try:
        source = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        print(f"{path}: cannot read: {exc}", file=err)
        return 1
    try:
        program = compile_journey(source)
    except JourneySyntaxError:
        for diagnostic in check_journey(source):
            print(diagnostic.format(path), file=err)
        print(f"{path}: does not compile", file=err)
        return 1
    fields = {"whatsapp_id": DEFAULT_WA_ID, **(contact or {})}
    caller = _Http(real=http)
    conversation = Conversation(program, contact=fields, http=caller, now=now or dt.datetime.now(dt.UTC),
                                run_stack="skip")
    return Simulator(conversation, caller, out, follow_clock=now is None).run(stdin, message)


# ---------------------------------------------------------------------------------- rendering
def render_message(message: dict) -> list[str]:
    """A Cloud API message body as terminal lines (options numbered `[1] Yes`)."""
    kind = message.get("type")
    if kind == "text":
        return str(message.get("text", {}).get("body", "")).split("\n")
    if kind in ("image", "video", "audio", "document", "sticker"):
        return _media(kind, message.get(kind) or {})
    if kind == "interactive":
        return _interactive(message.get("interactive") or {})
    if kind == "template":
        return _template(message.get("template") or {})
    if kind == "location":
        loc = message.get("location") or {}
        where = " ".join(str(loc[k]) for k in ("name", "address") if loc.get(k))
        return [f"[location] {loc.get('latitude')},{loc.get('longitude')}{f' {where}' if where else ''}"]
    return [f"[{kind}] {json.dumps(message.get(kind, message), ensure_ascii=False)}"]


def _media(kind: str, media: dict) -> list[str]:
    where = media.get("link") or (f"media id {media['id']}" if media.get("id") else "")
    lines = [f"[{kind}] {where}".rstrip()]
    if media.get("filename"):
        lines[0] += f" ({media['filename']})"
    if media.get("caption"):
        lines += str(media["caption"]).split("\n")
    return lines


def _interactive(inter: dict) -> list[str]:
    lines: list[str] = []
    header = inter.get("header") or {}
    if header.get("type") == "text":
        lines.append(str(header.get("text", "")))
    elif header.get("type"):
        lines += _media(header["type"], header.get(header["type"]) or {})
    lines += str((inter.get("body") or {}).get("text", "")).split("\n")
    if (inter.get("footer") or {}).get("text"):
        lines.append(f"({inter['footer']['text']})")
    action = inter.get("action") or {}
    kind = inter.get("type")
    if kind == "button":
        lines += [f"[{n}] {b.get('reply', {}).get('title', '')}"
                  for n, b in enumerate(action.get("buttons", []), 1)]
    elif kind == "list":
        lines.append(f"({action.get('button', 'Options')})")
        n = 0
        for section in action.get("sections", []):
            if section.get("title"):
                lines.append(f"{section['title']}:")
            for row in section.get("rows", []):
                n += 1
                description = f" — {row['description']}" if row.get("description") else ""
                lines.append(f"[{n}] {row.get('title', '')}{description}")
    elif kind == "cta_url":
        params = action.get("parameters") or {}
        lines.append(f"[link] {params.get('display_text', '')} → {params.get('url', '')}")
    elif kind == "location_request_message":
        lines.append("[asks for your location]")
    else:
        lines.append(f"[{kind}] {json.dumps(action, ensure_ascii=False)}")
    return lines


def _template(template: dict) -> list[str]:
    lines = [f"[template] {template.get('name', '')} ({(template.get('language') or {}).get('code', '')})"]
    n = 0
    for comp in template.get("components", []):
        if comp.get("type") == "header":
            for p in comp.get("parameters", []):
                if p.get("type") in ("image", "video", "document"):
                    lines += _media(p["type"], p.get(p["type"]) or {})
        elif comp.get("type") == "body":
            lines += [f"{{{{{i}}}}} = {p.get('text', '')}" for i, p in enumerate(comp.get("parameters", []), 1)]
        elif comp.get("type") == "button":
            for p in comp.get("parameters", []):
                if p.get("type") == "payload":
                    n += 1
                    lines.append(f"[{n}] {p.get('payload', '')}")
    return lines


def _options(message: dict) -> list[dict]:
    """The replies a message offers, each as the inbound message that picking it sends."""
    kind = message.get("type")
    if kind == "template":
        return [{"message": {"type": "button", "button": {"payload": p["payload"], "text": p["payload"]}}}
                for comp in message["template"].get("components", []) if comp.get("type") == "button"
                for p in comp.get("parameters", []) if p.get("type") == "payload"]
    if kind != "interactive":
        return []
    inter = message["interactive"]
    if inter.get("type") == "button":
        return [{"message": {"type": "interactive", "interactive": {"type": "button_reply", "button_reply": {
                    "id": str(b["reply"]["id"]), "title": b["reply"]["title"]}}}}
                for b in inter.get("action", {}).get("buttons", [])]
    if inter.get("type") == "list":
        return [{"message": {"type": "interactive", "interactive": {"type": "list_reply", "list_reply": {
                    "id": str(row["id"]), "title": row["title"]}}}}
                for section in inter.get("action", {}).get("sections", []) for row in section.get("rows", [])]
    return []


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def _short(value: Any, limit: int = 200) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= limit else text[: limit - 1] + "…"
