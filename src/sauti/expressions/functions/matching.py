"""Tests on what a person typed (``has_*``): mostly case-insensitive, returning booleans or rich
results such as ``{__value__: true, match: "Fox"}`` whose extras are reachable as attributes."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from ..budget import MAX_REGEX_INPUT, too_much
from ..temporal import make_datetime, parse_temporal, to_date
from ..values import VALUE_KEY, equal, is_number, unwrap
from .coerce import rich, safe_regex, text
from .registry import function

FAMILY = "matching"
WORD = re.compile(r"\w+")


def _choices(value) -> list[str]:
    """A list argument, or one text of comma-separated choices (both seen in real journeys)."""
    value = unwrap(value)
    if type(value) in (list, tuple, range):
        return [text(v) for v in value]
    if value is None:
        return []
    return [part.strip() for part in text(value).split(",")]


@function("has_all_words", args=2, family=FAMILY)
def has_all_words(value, words):
    """True when every word appears in the text, in any order, ignoring case.

    has_all_words("the quick brown FOX", "the fox") → true
    has_all_words("the quick brown fox", "red fox") → false
    """
    haystack = text(value).lower()
    return all(w in haystack for w in text(words).lower().split())


@function("has_any_word", args=2, family=FAMILY)
def has_any_word(value, words):
    """Whether any of the words is a whole word of the text (ignoring case); ``.match`` holds
    the matched words as written, in text order.

    has_any_word("The Quick Brown Fox", "fox quick") → {"__value__": true, "match": "Quick Fox"}
    has_any_word("The Quick Brown Fox", "red") → {"__value__": false, "match": null}
    """
    listed = unwrap(words)
    source = " ".join(text(w) for w in listed) if type(listed) is list else text(listed)
    wanted = {w.lower() for w in WORD.findall(source)}
    found = [w for w in WORD.findall(text(value)) if w.lower() in wanted]
    return rich(bool(found), match=" ".join(found) if found else None)


@function("has_beginning", args=2, family=FAMILY)
def has_beginning(value, beginning):
    """True when the text starts with ``beginning``, ignoring case (spaces must match exactly).

    has_beginning("The Quick Brown", "the quick") → true
    has_beginning("The Quick Brown", "the    quick") → false
    """
    return text(value).lstrip().lower().startswith(text(beginning).lower())


@function("has_any_beginning", args=2, family=FAMILY)
def has_any_beginning(value, beginnings):
    """True when the text starts with any of the given beginnings, ignoring case.

    has_any_beginning("Yes please", ["no", "yes"]) → true
    """
    return any(has_beginning(value, b) for b in _choices(beginnings) if b != "")


@function("has_end", args=2, family=FAMILY)
def has_end(value, ending):
    """True when the text ends with ``ending``, ignoring case.

    has_end("Thank you!", "YOU!") → true
    """
    return text(value).rstrip().lower().endswith(text(ending).lower())


@function("has_any_end", args=2, family=FAMILY)
def has_any_end(value, endings):
    """True when the text ends with any of the given endings, ignoring case.

    has_any_end("see you tomorrow", ["today", "tomorrow"]) → true
    """
    return any(has_end(value, e) for e in _choices(endings) if e != "")


@function("has_phrase", args=2, family=FAMILY)
def has_phrase(value, phrase):
    """True when the phrase appears in the text, ignoring case (an empty phrase always does).

    has_phrase("the quick brown fox", "brown fox") → true
    has_phrase("the quick brown fox", "quick fox") → false
    """
    return text(phrase).lower() in text(value).lower()


@function("has_any_phrase", args=2, family=FAMILY)
def has_any_phrase(value, phrases):
    """True when any of the phrases (a list, or comma-separated text) appears in the text.

    has_any_phrase("I want the basic plan", ["basic", "premium"]) → true
    has_any_phrase("hello", "hi, hey") → false
    """
    haystack = text(value).lower()
    return any(p.lower() in haystack for p in _choices(phrases) if p != "")


@function("has_only_phrase", args=2, family=FAMILY)
def has_only_phrase(value, phrase):
    """True when the whole text is the phrase, ignoring case and surrounding spaces (keyword
    triggers).

    has_only_phrase("Quick Brown", "quick brown") → true
    has_only_phrase("the Quick Brown", "quick brown") → false
    """
    return text(value).strip().lower() == text(phrase).strip().lower()


@function("has_any_exact_phrase", args=2, family=FAMILY)
def has_any_exact_phrase(value, phrases):
    """True when the whole text is one of the phrases, ignoring case and surrounding spaces.

    has_any_exact_phrase(" Hi ", ["0", "hi"]) → true
    has_any_exact_phrase("hi there", ["0", "hi"]) → false
    """
    typed = text(value).strip().lower()
    return any(typed == p.strip().lower() for p in _choices(phrases))


@function("has_only_text", args=2, family=FAMILY)
def has_only_text(a, b):
    """True when both texts are exactly the same, case included.

    has_only_text("foo", "foo") → true
    has_only_text("foo", "FOO") → false
    """
    return text(a) == text(b)


@function("has_text", args=1, family=FAMILY)
def has_text(value):
    """True when there is something other than spaces (numbers count).

    has_text("quick brown") → true
    has_text("  ") → false
    has_text(123) → true
    """
    return text(value).strip() != ""


@function("has_pattern", args=2, family=FAMILY)
def has_pattern(value, pattern):
    """True when the regular expression matches somewhere in the trimmed text, ignoring case.

    has_pattern("Sign up now", "sign\\s+up") → true
    has_pattern("12", "^\\d+$") → true
    """
    source = text(value).strip()
    if len(source) > MAX_REGEX_INPUT:
        raise too_much(f"a regular expression on more than {MAX_REGEX_INPUT} characters")
    return safe_regex(text(pattern), re.IGNORECASE).search(source) is not None


def _ascii_digits(source: str) -> str:
    if source.isascii():
        return source
    return "".join(str(unicodedata.decimal(c)) if c.isdecimal() else c for c in source)


NUMBER = re.compile(r"\d+(?:\.\d+)?", re.ASCII)


def _first_number(value) -> float | None:
    value = unwrap(value)
    if is_number(value):
        return float(value)
    m = NUMBER.search(_ascii_digits(text(value)))
    return float(m.group()) if m else None


@function("has_number", args=1, family=FAMILY)
def has_number(value):
    """Whether the text contains a number (any script's digits); ``.number`` is the first one.

    has_number("the number is 42 and 5") → {"__value__": true, "number": 42.0}
    has_number("العدد ٤٢").number → 42.0
    has_number("none") → {"__value__": false, "number": null}
    """
    found = _first_number(value)
    return rich(found is not None, number=found)


def _number_test(value, other, test) -> bool:
    found = _first_number(value)
    other = unwrap(other)
    if type(other) is str:
        m = re.fullmatch(r"\s*-?\d+(?:\.\d+)?\s*", _ascii_digits(other))
        other = float(m.group()) if m else None
    if found is None or not is_number(other):
        return False
    return test(found, float(other))


@function("has_number_eq", args=2, family=FAMILY)
def has_number_eq(value, n):
    """True when the first number in the text equals ``n`` (a number or numeric text).

    has_number_eq("the number is 42", 42) → true
    has_number_eq("the number is 40", "foo") → false
    """
    return _number_test(value, n, lambda a, b: a == b)


@function("has_number_gt", args=2, family=FAMILY)
def has_number_gt(value, n):
    """True when the first number in the text is greater than ``n``.

    has_number_gt("the number is 42", 40) → true
    """
    return _number_test(value, n, lambda a, b: a > b)


@function("has_number_gte", args=2, family=FAMILY)
def has_number_gte(value, n):
    """True when the first number in the text is at least ``n``.

    has_number_gte("the number is 42", 42) → true
    """
    return _number_test(value, n, lambda a, b: a >= b)


@function("has_number_lt", args=2, family=FAMILY)
def has_number_lt(value, n):
    """True when the first number in the text is less than ``n``.

    has_number_lt("the number is 42", 44) → true
    """
    return _number_test(value, n, lambda a, b: a < b)


@function("has_number_lte", args=2, family=FAMILY)
def has_number_lte(value, n):
    """True when the first number in the text is at most ``n``.

    has_number_lte("the number is 42", 42) → true
    """
    return _number_test(value, n, lambda a, b: a <= b)


DATE_IN_TEXT = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})|(\d{4})[/.-](\d{1,2})[/.-](\d{1,2})")


def _find_date(value) -> dt.date | None:
    value = unwrap(value)
    if isinstance(value, dt.date):
        return to_date(value)
    source = re.sub(r"[a-z]", "", text(value)).strip(" \t\r\n,.;:!?")
    parsed = parse_temporal(source)
    if isinstance(parsed, dt.date):
        return to_date(parsed)
    for m in DATE_IN_TEXT.finditer(source):
        try:
            if m.group(3):
                return dt.date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
            return dt.date(int(m.group(4)), int(m.group(5)), int(m.group(6)))
        except ValueError:
            continue
    return None


@function("has_date", args=1, family=FAMILY)
def has_date(value):
    """Whether the text holds a date (day/month/year or ISO); ``.date`` and ``.datetime`` give it.

    has_date("the date is 15/01/2017").date → 2017-01-15
    has_date("there is no date here, just a year 2017") → {"__value__": false, "date": null, "datetime": null}
    """
    found = _find_date(value)
    if found is None:
        return rich(False, date=None, datetime=None)
    return rich(True, date=found, datetime=make_datetime(found.year, found.month, found.day))


def _date_test(value, other, test) -> bool:
    found = _find_date(value)
    target = to_date(unwrap(other))
    if found is None or target is None:
        return False
    return test(found, target)


@function("has_date_eq", args=2, family=FAMILY)
def has_date_eq(value, date):
    """True when the date in the text is ``date``.

    has_date_eq("the date is 15/01/2017", "2017-01-15") → true
    """
    return _date_test(value, date, lambda a, b: a == b)


@function("has_date_gt", args=2, family=FAMILY)
def has_date_gt(value, date):
    """True when the date in the text is after ``date``.

    has_date_gt("the date is 15/01/2017", "2017-01-01") → true
    """
    return _date_test(value, date, lambda a, b: a > b)


@function("has_date_lt", args=2, family=FAMILY)
def has_date_lt(value, date):
    """True when the date in the text is before ``date``.

    has_date_lt("the date is 15/01/2017", "2017-06-01") → true
    """
    return _date_test(value, date, lambda a, b: a < b)


TIME_IN_TEXT = re.compile(r"(\d{1,2}):(\d{2})(?::(\d{2}))?")


@function("has_time", args=1, family=FAMILY)
def has_time(value):
    """A time in the text as ``{__value__: true, match: time}``, or false. As upstream, letters
    are ignored, so "10:00 pm" gives 10:00.

    has_time("the time is 10:30:45").match → 10:30:45
    has_time("no time here, just 25") → false
    """
    value = unwrap(value)
    if isinstance(value, dt.time):
        return rich(True, match=value)
    source = re.sub(r"[^\W\d_]|\s", "", text(value))
    for m in TIME_IN_TEXT.finditer(source):
        try:
            return rich(True, match=dt.time(int(m.group(1)), int(m.group(2)), int(m.group(3) or 0)))
        except ValueError:
            continue
    return False


EMAIL = re.compile(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)+")


@function("has_email", args=1, family=FAMILY)
def has_email(value):
    """Whether the text contains an email address; ``.email`` is the first one.

    has_email("my email is foo1@bar.com, please respond").email → "foo1@bar.com"
    has_email("i'm not sharing my email") → {"__value__": false, "email": null}
    """
    m = EMAIL.search(text(value))
    if m is None:
        return rich(False, email=None)
    return rich(True, email=m.group().rstrip("."))


@function("has_phone", args=(1, 2), family=FAMILY)
def has_phone(value, country=None):
    """Whether the text contains a phone number; ``.phonenumber`` is it in E.164 form. Numbers
    without a "+" are read in ``country`` (two letters, e.g. "ZA").

    has_phone("my number is +12067799294 thanks").phonenumber → "+12067799294"
    has_phone("my number is 206 779 9294 thanks", "US").phonenumber → "+12067799294"
    """
    from .phones import find_phone

    found = find_phone(text(value), text(country).upper() or None)
    return rich(found is not None, phonenumber=found)


@function("has_group", args=2, family=FAMILY)
def has_group(groups, uuid):
    """True when one of the groups (maps with a ``uuid``) has this uuid.

    has_group([{"uuid": "abc"}], "abc") → true
    """
    wanted = text(uuid)
    for group in unwrap(groups) or []:
        if type(group) is dict and text(group.get("uuid")) == wanted:
            return True
    return False


def _members(value) -> list:
    value = unwrap(value) if type(value) is dict and VALUE_KEY in value else value
    if value is None:
        return []
    if type(value) in (list, tuple, range):
        return list(value)
    return [value]


@function("has_member", args=2, family=FAMILY)
def has_member(values, item):
    """True when the list contains the item.

    has_member(["a", "b"], "b") → true
    has_member([1, 2], 3) → false
    """
    return any(equal(v, item) for v in _members(values))


@function("has_any_member", args=2, family=FAMILY)
def has_any_member(values, candidates):
    """True when the list contains at least one of the candidates.

    has_any_member(["a", "b"], ["x", "b"]) → true
    """
    members = _members(values)
    return any(any(equal(v, c) for v in members) for c in _members(candidates))


@function("has_all_members", args=2, family=FAMILY)
def has_all_members(values, candidates):
    """True when the list contains every one of the candidates.

    has_all_members(["skip", "stop"], ["skip"]) → true
    has_all_members(["a"], ["a", "b"]) → false
    """
    members = _members(values)
    return all(any(equal(v, c) for v in members) for c in _members(candidates))


def _search(value, pattern) -> re.Match | None:
    source = text(value)
    if len(source) > MAX_REGEX_INPUT:
        raise too_much(f"a regular expression on more than {MAX_REGEX_INPUT} characters")
    return safe_regex(text(pattern)).search(source)


@function("regex_capture", args=2, family=FAMILY)
def regex_capture(value, pattern):
    """The first match of a regular expression: a list of the whole match then each group
    (null when it does not match). Add ``(?i)`` to ignore case.

    regex_capture("order #1234 shipped", "#(\\d+)") → ["#1234", "1234"]
    regex_capture("nothing", "\\d+") → null
    """
    m = _search(value, pattern)
    if m is None:
        return None
    return [m.group(0), *(g if g is not None else "" for g in m.groups())]


@function("regex_named_capture", args=2, family=FAMILY)
def regex_named_capture(value, pattern):
    """The named groups of the first match, as a map (null when it does not match).

    regex_named_capture("2024-05-01", "(?<year>\\d{4})-(?<month>\\d{2})") → {"year": "2024", "month": "05"}
    regex_named_capture("2024-05-01", "(?<year>\\d{4})").year → "2024"
    """
    m = _search(value, pattern)
    if m is None:
        return None
    return {k.lower(): (v if v is not None else "") for k, v in m.groupdict().items()}
