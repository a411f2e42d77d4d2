"""Compile journey-function calls (`text(...)`, `buttons(...) do … end`, `get(...)`, …) to ops.

Each function's shape follows spec/journeys.md §1.7; the engine's functions/<family>.py run them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from .ast import Call, CallStmt, Expr
from .program import ListOf, Lit, Op, Option, Value, snake_case

if TYPE_CHECKING:
    from .compiler import CardCompiler

MEDIA = ("image", "video", "audio", "document", "sticker")
HTTP_METHODS = {"get": "GET", "post": "POST", "put": "PUT", "patch": "PATCH", "delete": "DELETE",
                "head": "HEAD", "webhook": None}
# `translated_*:` options (Canvas exports) are accepted and ignored: the template's translations
# live with the template itself.
_TEMPLATE_OPTIONS = ("image", "video", "document", "buttons", "header", "url_params")
_HTTP_OPTIONS = ("query", "headers", "body", "timeout", "cache_ttl", "mode", "method")

Compiler = Callable[["CardCompiler", Call, "str | None"], "Op | None"]
COMPILERS: dict[str, Compiler] = {}


def compiles(*names: str) -> Callable[[Compiler], Compiler]:
    def deco(fn: Compiler) -> Compiler:
        for n in names:
            COMPILERS[n] = fn
        return fn
    return deco


def _op(kind: str, call: Call, target: str | None, **params: object) -> Op:
    return Op(kind, params, target, call.line, call.column)


def _arg(cc: CardCompiler, call: Call, index: int, what: str) -> Expr:
    if len(call.args) <= index:
        raise cc.error(f"{call.name}(...) needs {what}", call.line, call.column)
    return call.args[index]


def _kw(cc: CardCompiler, call: Call, key: str) -> Value | None:
    expr = call.kw(key)
    return None if expr is None else cc.value(expr)


def _check_kwargs(cc: CardCompiler, call: Call, allowed: tuple[str, ...]) -> None:
    for k in call.kwargs:
        if k.key not in allowed:
            names = ", ".join(f"{a}:" for a in allowed) or "none"
            raise cc.error(f'unknown option "{k.key}:" for {call.name}(...) (known: {names})',
                           k.line, k.column)


# ---------------------------------------------------------------------------- messaging
@compiles("text")
def _text(cc: CardCompiler, call: Call, target: str | None) -> Op:
    _check_kwargs(cc, call, ("ai_generated",))
    body = cc.value(_arg(cc, call, 0, "the message text"))
    ai = call.kw("ai_generated")
    return _op("text", call, target, text=body, ai_generated=bool(ai is not None and ai.boolean))


@compiles(*MEDIA)
def _media(cc: CardCompiler, call: Call, target: str | None) -> Op:
    _check_kwargs(cc, call, ("filename", "caption"))
    url = cc.value(_arg(cc, call, 0, "a media URL"))
    return _op("media", call, target, media_type=call.name, url=url,
               caption=_kw(cc, call, "caption"), filename=_kw(cc, call, "filename"))


@compiles("ask")
def _ask(cc: CardCompiler, call: Call, target: str | None) -> Op:
    _check_kwargs(cc, call, ("max_response_characters",))
    prompt = cc.value(call.args[0]) if call.args else None
    return _op("ask", call, target, prompt=prompt,
               max_response_characters=_kw(cc, call, "max_response_characters"))


def block_parts(cc: CardCompiler, call: Call) -> dict:
    """Body, header and footer written inside a `buttons`/`list`/`whatsapp_cta` block."""
    body: list[Value] = []
    header: tuple[str, Value] | None = None
    footer: Value | None = None
    for stmt in call.block or ():
        inner = stmt.call if isinstance(stmt, CallStmt) else None
        if inner is None or inner.name not in ("text", "header", "footer") + MEDIA:
            raise cc.error(f"only text, header, footer and media can be used inside the "
                           f"{call.name} block", stmt.line, stmt.column)
        value = cc.value(_arg(cc, inner, 0, "a value"))
        if inner.name == "text":
            body.append(value)
        elif inner.name == "footer":
            footer = value
        elif inner.name == "header":
            header = ("text", value)
        else:
            header = (inner.name, value)
    return {"body": tuple(body), "header": header, "footer": footer}


def _card_option(cc: CardCompiler, expr: Expr) -> Option:
    """A card named in a list: its display label is shown (the card name when it has none)."""
    card = cc.card_ref(expr.name or "", expr.line, expr.column)
    value, raw = cc.card_label(card)
    return Option(card, value, raw, snake_case(card), expr.line, expr.column)


def _is_card_list(cc: CardCompiler, items: list[Expr]) -> bool:
    names = [e.name for e in items]
    if not items or any(n is None for n in names):
        return False
    return any(cc.is_card(n) or n[:1].isupper() for n in names if n)


def _options(cc: CardCompiler, call: Call, args: tuple[Expr, ...]) -> dict:
    """Options of buttons/list: named cards, keyword labels, string lists or dynamic."""
    if call.kwargs:
        if args:
            raise cc.error(f"{call.name}(...) takes either card: \"label\" pairs or a list, not both",
                           args[0].line, args[0].column)
        options = []
        for k in call.kwargs:
            card = cc.card_ref(k.key, k.line, k.column)
            raw = k.value.string if k.value.string is not None else k.value.source
            options.append(Option(card, cc.value(k.value), raw, snake_case(card), k.line, k.column))
        return {"mode": "cards", "options": tuple(options)}
    if not args:
        raise cc.error(f"{call.name}(...) needs its options", call.line, call.column)
    if len(args) == 2 and args[0].name is not None:
        target = cc.card_ref(args[0].name, args[0].line, args[0].column)
        return {"mode": "dynamic", "options": (), "dynamic_target": target,
                "dynamic_items": cc.value(args[1])}
    if len(args) > 1:
        raise cc.error(f"too many arguments for {call.name}(...)", args[1].line, args[1].column)
    items = args[0].items()
    if items is not None and _is_card_list(cc, items):
        return {"mode": "cards",
                "options": tuple(_card_option(cc, e) for e in items)}
    if items is not None and all(e.string is not None for e in items):
        options = []
        for e in items:
            text = e.string or ""
            options.append(Option(None, cc.value(e), text, text, e.line, e.column))
        return {"mode": "strings", "options": tuple(options)}
    return {"mode": "labels", "options": (), "dynamic_items": cc.value(args[0])}


@compiles("buttons", "list")
def _choice(cc: CardCompiler, call: Call, target: str | None) -> Op:
    args = call.args
    params: dict = {"style": call.name, "list_button": None}
    if call.name == "list":
        title = _arg(cc, call, 0, "the text of the button that opens the list")
        params["list_button"] = cc.value(title)
        args = args[1:]
    params.update(_options(cc, call, args))
    params.update(block_parts(cc, call))
    params["fallback"] = cc.card_then
    cc.check_choice(call, params)
    return _op("choice", call, target, **params)


@compiles("send_message_template")
def _template(cc: CardCompiler, call: Call, target: str | None) -> Op:
    _check_kwargs(cc, call, _TEMPLATE_OPTIONS + tuple(k.key for k in call.kwargs
                                                      if k.key.startswith("translated_")))
    name = cc.value(_arg(cc, call, 0, "a template name"))
    language = cc.value(_arg(cc, call, 1, "a language code"))
    params: Value = ListOf(())
    if len(call.args) > 2:
        items = call.args[2].items()
        params = (ListOf(tuple(cc.value(e) for e in items), call.args[2].source) if items is not None
                  else cc.value(call.args[2]))
    header = None
    for media in ("image", "video", "document"):
        if call.kw(media) is not None:
            header = (media, _kw(cc, call, media))
    buttons: tuple[Option, ...] = ()
    expr = call.kw("buttons")
    if expr is not None:
        items = expr.items()
        if items is None:
            raise cc.error("buttons: takes a list of cards or labels", expr.line, expr.column)
        if _is_card_list(cc, items):
            buttons = tuple(_card_option(cc, e) for e in items)
        else:
            buttons = tuple(Option(None, cc.value(e), e.string if e.string is not None else e.source,
                                   e.string if e.string is not None else e.source, e.line, e.column)
                            for e in items)
    return _op("template", call, target, name=name, language=language, params=params,
               header=header, buttons=buttons, fallback=cc.card_then)


@compiles("whatsapp_cta")
def _cta(cc: CardCompiler, call: Call, target: str | None) -> Op:
    display = cc.value(_arg(cc, call, 0, "the button text"))
    url = cc.value(_arg(cc, call, 1, "a URL"))
    return _op("cta", call, target, display_text=display, url=url, **block_parts(cc, call))


@compiles("request_location")
def _location(cc: CardCompiler, call: Call, target: str | None) -> Op:
    parts = block_parts(cc, call) if call.block else {"body": (), "header": None, "footer": None}
    if call.args:
        parts["body"] = (cc.value(call.args[0]),) + parts["body"]
    return _op("location_request", call, target, **parts)


@compiles("whatsapp_flow")
def _flow(cc: CardCompiler, call: Call, target: str | None) -> Op:
    keys = ("id", "cta", "screen", "text", "header", "footer", "mode", "token", "data")
    _check_kwargs(cc, call, keys)
    config: dict[str, Value | None] = {k: _kw(cc, call, k) for k in keys}
    for key, expr in zip(("id", "cta", "screen", "text"), call.args, strict=False):
        config[key] = cc.value(expr)
    if config["id"] is None:
        raise cc.error("whatsapp_flow(...) needs the flow id", call.line, call.column)
    return _op("whatsapp_flow", call, target, **config)


@compiles("send_content")
def _content(cc: CardCompiler, call: Call, target: str | None) -> Op:
    uuid = cc.value(_arg(cc, call, 0, "a content uuid"))
    wait = call.args[1].boolean if len(call.args) > 1 else False
    return _op("send_content", call, target, uuid=uuid, wait=bool(wait))


# ---------------------------------------------------------------------------- contact & chat
@compiles("update_contact")
def _update_contact(cc: CardCompiler, call: Call, target: str | None) -> Op:
    if not call.kwargs:
        raise cc.error("update_contact(...) needs field: value pairs", call.line, call.column)
    fields = tuple((k.key, cc.value(k.value)) for k in call.kwargs)
    return _op("update_contact", call, target, fields=fields)


@compiles("add_label", "set_message_property")
def _add_label(cc: CardCompiler, call: Call, target: str | None) -> Op:
    labels = tuple(cc.value(a) for a in call.args)
    if call.kw("labels") is not None:
        labels += (cc.value(call.kw("labels")),)  # type: ignore[arg-type]
    if not labels:
        raise cc.error("add_label(...) needs a label", call.line, call.column)
    return _op("add_label", call, target, labels=labels)


@compiles("assign_chat_to")
def _assign(cc: CardCompiler, call: Call, target: str | None) -> Op:
    return _op("assign_chat", call, target, assignee=cc.value(_arg(cc, call, 0, "a user or team")))


@compiles("route_to_operator", "handover")
def _handover(cc: CardCompiler, call: Call, target: str | None) -> Op:
    reason = cc.value(call.args[0]) if call.args else Lit("route_to_operator")
    return _op("handover", call, target, reason=reason)


@compiles("update_dictionary")
def _update_dictionary(cc: CardCompiler, call: Call, target: str | None) -> Op:
    first = _arg(cc, call, 0, "a dictionary")
    name = first.name if first.name is not None else None
    return _op("update_dictionary", call, target, dictionary=name,
               dictionary_value=None if name else cc.value(first),
               key=cc.value(_arg(cc, call, 1, "a key")), value=cc.value(_arg(cc, call, 2, "a value")))


# ---------------------------------------------------------------------------- results & logs
@compiles("write_result")
def _write_result(cc: CardCompiler, call: Call, target: str | None) -> Op:
    _check_kwargs(cc, call, ("label",))
    key = cc.value(_arg(cc, call, 0, "a result name"))
    value = cc.value(_arg(cc, call, 1, "a value"))
    label_expr = call.kw("label")
    label = None
    if label_expr is not None:
        # The label is captured as written (spec §1.7: a literal, not evaluated).
        label = label_expr.string if label_expr.string is not None else label_expr.source
    return _op("write_result", call, target, key=key, value=value, label=label)


@compiles("log")
def _log(cc: CardCompiler, call: Call, target: str | None) -> Op:
    return _op("log", call, target, message=cc.value(_arg(cc, call, 0, "a message")))


# ---------------------------------------------------------------------------- flow control
@compiles("run_stack")
def _run_stack(cc: CardCompiler, call: Call, target: str | None) -> Op:
    return _op("run_stack", call, target, uuid=cc.value(_arg(cc, call, 0, "a journey uuid")))


@compiles("schedule_stack")
def _schedule(cc: CardCompiler, call: Call, target: str | None) -> Op:
    _check_kwargs(cc, call, ("in", "at"))
    uuid = cc.value(_arg(cc, call, 0, "a journey uuid"))
    seconds, at = _kw(cc, call, "in"), _kw(cc, call, "at")
    if seconds is None and at is None:
        raise cc.error("schedule_stack(...) needs in: seconds or at: datetime", call.line, call.column)
    return _op("schedule_stack", call, target, uuid=uuid, seconds=seconds, at=at)


@compiles("cancel_scheduled_stacks")
def _cancel(cc: CardCompiler, call: Call, target: str | None) -> Op:
    uuid = cc.value(call.args[0]) if call.args else None
    return _op("cancel_scheduled_stacks", call, target, uuid=uuid)


@compiles("wait")
def _wait(cc: CardCompiler, call: Call, target: str | None) -> Op:
    return _op("wait", call, target, seconds=cc.value(_arg(cc, call, 0, "a number of seconds")))


@compiles("cull_data", "ai_auto_memory", "interaction_timeout")
def _accepted(cc: CardCompiler, call: Call, target: str | None) -> Op:
    return _op("noop", call, target, function=call.name)


# ---------------------------------------------------------------------------- HTTP
@compiles(*HTTP_METHODS)
def _http(cc: CardCompiler, call: Call, target: str | None) -> Op:
    _check_kwargs(cc, call, _HTTP_OPTIONS)
    url = cc.value(_arg(cc, call, 0, "a URL"))
    method: Value = Lit(HTTP_METHODS[call.name])
    if call.name == "webhook":
        explicit = _kw(cc, call, "method")
        method = explicit or Lit("POST" if call.kw("body") is not None else "GET")
    return _op("http", call, target, method=method, url=url,
               query=_kw(cc, call, "query"), headers=_kw(cc, call, "headers"),
               body=_kw(cc, call, "body"), timeout=_kw(cc, call, "timeout"),
               cache_ttl=_kw(cc, call, "cache_ttl"), mode=_kw(cc, call, "mode"))
