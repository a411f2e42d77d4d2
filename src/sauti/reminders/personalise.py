"""Per-person values of a reminder: template parameters and SMS/email text with @expressions
(`@contact.name`), evaluated by sauti.expressions against the person's profile."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _

from sauti.expressions import ExpressionError, compile_expression


class PersonaliseError(ValueError):
    """A value that cannot be written for a person (or at all); `.field` names where."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field, self.message = field, message


def check_text(value: str, field: str) -> None:
    """Raise PersonaliseError when `value` has an expression that does not parse."""
    try:
        compile_expression(value or "", "template")
    except ExpressionError as exc:
        raise PersonaliseError(field, str(exc)) from None


def check_params(params: Mapping[str, Any]) -> None:
    for group, values in _groups(params):
        for key, value in values:
            check_text(str(value), f"{group}.{key}")


def is_static(params: Mapping[str, Any]) -> bool:
    """True when no value depends on the person: one body serves everyone."""
    return all("@" not in str(value) for _group, values in _groups(params) for _key, value in values)


def _groups(params: Mapping[str, Any]):  # noqa: ANN202 - pairs of (group, [(key, value)])
    for group in ("header", "body"):
        yield group, [(str(i + 1), v) for i, v in enumerate(params.get(group) or [])]
    buttons = params.get("buttons") or {}
    yield "buttons", list(buttons.items()) if isinstance(buttons, Mapping) else list(enumerate(buttons))


def render_text(value: str, context: Mapping[str, Any], field: str) -> str:
    try:
        return compile_expression(value or "", "template").render(context)
    except ExpressionError as exc:
        raise PersonaliseError(field, str(exc)) from None


def render_params(params: Mapping[str, Any], context: Mapping[str, Any]) -> dict[str, Any]:
    """The template's params with each value rendered for one person. An empty value is refused:
    WhatsApp rejects empty parameters, and a message reading "Hi ," helps nobody."""
    out: dict[str, Any] = {}
    for group in ("header", "body"):
        values = []
        for i, value in enumerate(params.get(group) or []):
            text = render_text(str(value), context, f"{group}.{i + 1}").strip()
            if not text:
                raise PersonaliseError(f"{group}.{i + 1}", _("the value is empty for this person"))
            values.append(text)
        if values:
            out[group] = values
    buttons = params.get("buttons") or {}
    if buttons:
        items = buttons.items() if isinstance(buttons, Mapping) else enumerate(buttons)
        out["buttons"] = {str(k): render_text(str(v), context, f"buttons.{k}") for k, v in items if v not in ("", None)}
    return out
