"""Work limits for one evaluation: pathological input ends with ExpressionError, never a hang."""

from __future__ import annotations

from .errors import ExpressionError

MAX_STEPS = 100_000  # lambda calls (map/filter/reduce/…) in one evaluation
MAX_ITEMS = 10_000  # elements of a range or list built by one function
MAX_TEXT = 100_000  # characters of one produced text
MAX_REGEX_INPUT = 10_000  # characters a regular expression may scan
MAX_PATTERN = 1_000  # characters of a regular expression
MAX_INT_BITS = 4_096  # size of an integer result


def too_much(what: str) -> ExpressionError:
    return ExpressionError(f"this expression does too much work ({what})")


def check_items(count: int) -> None:
    if count > MAX_ITEMS:
        raise too_much(f"more than {MAX_ITEMS} items")


def check_text(text: str) -> str:
    if len(text) > MAX_TEXT:
        raise too_much(f"a text longer than {MAX_TEXT} characters")
    return text
