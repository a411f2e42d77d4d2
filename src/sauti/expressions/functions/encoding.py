"""Encodings: JSON, base64 and URL percent-encoding."""

from __future__ import annotations

import base64
import binascii
import json as jsonlib
import urllib.parse

from ..budget import MAX_TEXT, check_text, too_much
from ..errors import ExpressionError
from ..values import to_json
from .coerce import inspect, text
from .registry import function

FAMILY = "encoding"


@function("json", args=1, family=FAMILY)
def json(value):
    """Encode a value as compact JSON text (dates as ISO text).

    json([1, "a", true]) → "[1,\\"a\\",true]"
    """
    return check_text(to_json(value))


def _lower_keys(value):
    if type(value) is dict:
        return {k.lower(): _lower_keys(v) for k, v in value.items()}
    if type(value) is list:
        return [_lower_keys(v) for v in value]
    return value


@function("parse_json", args=1, family=FAMILY)
def parse_json(value):
    """Decode JSON text into values; keys are lower-cased like every context key. Empty text
    gives null.

    parse_json("{\\"Score\\": 3}").score → 3
    parse_json("[1, 2]") → [1, 2]
    """
    source = text(value)
    if len(source) > MAX_TEXT:
        raise too_much(f"a text longer than {MAX_TEXT} characters")
    if not source.strip():
        return None
    try:
        return _lower_keys(jsonlib.loads(source))
    except (ValueError, RecursionError) as error:
        raise ExpressionError(f"parse_json: {inspect(source[:40])} is not valid JSON ({error})") from None


@function("base64_encode", args=1, family=FAMILY)
def base64_encode(value):
    """Base64 of the text's UTF-8 bytes.

    base64_encode("hello") → "aGVsbG8="
    """
    return check_text(base64.b64encode(text(value).encode()).decode("ascii"))


@function("base64_decode", args=1, family=FAMILY)
def base64_decode(value):
    """Decode base64 back to text; invalid input is an error.

    base64_decode("aGVsbG8=") → "hello"
    """
    source = text(value)
    try:
        return base64.b64decode(source.strip(), validate=True).decode("utf-8")
    except (binascii.Error, ValueError, UnicodeDecodeError):
        raise ExpressionError(f"base64_decode: {inspect(source[:60])} is not base64 text") from None


@function("url_encode", args=1, family=FAMILY)
def url_encode(value):
    """Percent-encode text for use inside a URL (spaces become %20).

    url_encode("a b&c") → "a%20b%26c"
    """
    return check_text(urllib.parse.quote(text(value), safe="-_.~"))


@function("url_decode", args=1, family=FAMILY)
def url_decode(value):
    """Decode percent-encoding (a ``+`` stays a plus).

    url_decode("a%20b%26c") → "a b&c"
    """
    return urllib.parse.unquote(text(value))
