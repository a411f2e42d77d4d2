"""Semantic checks after parsing: what WhatsApp would refuse and cards that can never run.

WhatsApp limits are warnings, not errors: journeys that work on Turn today must still compile
(spec/journeys.md §1.7; Cloud API limits in spec/whatsapp-cloud-api.md §1.7).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .errors import WARNING, Diagnostic
from .program import CardVariant, Lit

if TYPE_CHECKING:
    from .compiler import CardCompiler, Compilation

MAX_BUTTONS = 3
MAX_BUTTON_TITLE = 20
MAX_LIST_ROWS = 10
MAX_ROW_TITLE = 24
MAX_LIST_BUTTON = 20


def _static(value: Any) -> str | None:
    return value.value if isinstance(value, Lit) and isinstance(value.value, str) else None


def check_choice(cc: CardCompiler, call: Any, params: dict) -> None:
    options = params.get("options") or ()
    if params["style"] == "buttons":
        if len(options) > MAX_BUTTONS:
            cc.warn(f"buttons(...) has {len(options)} options; WhatsApp shows at most {MAX_BUTTONS} "
                    "reply buttons (use list(...) for more)", call.line, call.column, "too-many-buttons")
        limit, what = MAX_BUTTON_TITLE, "button label"
    else:
        if len(options) > MAX_LIST_ROWS:
            cc.warn(f"list(...) has {len(options)} rows; WhatsApp shows at most {MAX_LIST_ROWS}",
                    call.line, call.column, "too-many-rows")
        limit, what = MAX_ROW_TITLE, "list row"
        title = _static(params.get("list_button"))
        if title is not None and len(title) > MAX_LIST_BUTTON:
            cc.warn(f'the list button "{title}" is {len(title)} characters; WhatsApp allows '
                    f"{MAX_LIST_BUTTON}", call.line, call.column, "label-too-long")
    for opt in options:
        label = _static(opt.label)
        if label is not None and len(label) > limit:
            cc.warn(f'{what} "{label}" is {len(label)} characters; WhatsApp allows {limit}',
                    opt.line or call.line, opt.column or call.column, "label-too-long")


def check_program(unit: Compilation, cards: dict[str, list[CardVariant]]) -> None:
    if not cards:
        unit.diagnostics.append(Diagnostic(WARNING, "the journey has no cards", 1, 1, "no-cards"))
    for variants in cards.values():
        default = next((v for v in variants if v.condition is None), None)
        if default is None:
            continue
        for v in variants:
            if v.index > default.index:
                unit.diagnostics.append(Diagnostic(
                    WARNING, f"card {v.name} can never run: the variant at line {default.line} has "
                    "no when condition and is tried first", v.line, v.column, "unreachable"))
