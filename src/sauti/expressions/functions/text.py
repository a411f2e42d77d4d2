"""Text functions (Unicode-aware: lengths and slices count user-perceived characters)."""

from __future__ import annotations

import html
import re
import unicodedata
from html.parser import HTMLParser

from ..budget import MAX_TEXT, check_text, too_much
from ..errors import ExpressionError
from .coerce import flag, graphemes, integer, items, text, word_list
from .registry import function

FAMILY = "text"


@function("char", args=1, family=FAMILY, aliases=("unichar",))
def char(code):
    """The character with a Unicode code point (``unichar`` is the same function).

    char(65) → "A"
    unichar(233) → "é"
    """
    try:
        return chr(integer(code))
    except (ValueError, OverflowError):
        raise ExpressionError(f"{code} is not a Unicode code point") from None


@function("code", args=1, family=FAMILY, aliases=("unicode",))
def code(value):
    """The Unicode code point of the first character (``unicode`` is the same function).

    code("A") → 65
    unicode("é") → 233
    """
    value = text(value)
    if not value:
        raise ExpressionError("code needs at least one character")
    return ord(value[0])


@function("clean", args=1, family=FAMILY)
def clean(value):
    """Remove non-printable control characters.

    clean(concatenate("A", char(7), "B")) → "AB"
    """
    return "".join(c for c in text(value) if unicodedata.category(c) != "Cc")


@function("concatenate", args=(0, None), family=FAMILY, signature="concatenate(text, …)")
def concatenate(*values):
    """Join the text forms of all arguments.

    concatenate("Hi", " ", "Ana") → "Hi Ana"
    concatenate("n=", 5) → "n=5"
    """
    return check_text("".join(text(v) for v in values))


@function("left", args=2, family=FAMILY)
def left(value, count):
    """The first ``count`` characters.

    left("foobar", 4) → "foob"
    """
    count = integer(count)
    if count < 0:
        raise ExpressionError("left needs a count of 0 or more")
    return "".join(graphemes(text(value))[:count])


@function("right", args=2, family=FAMILY)
def right(value, count):
    """The last ``count`` characters.

    right("testing", 3) → "ing"
    """
    count = integer(count)
    if count < 0:
        raise ExpressionError("right needs a count of 0 or more")
    if count == 0:
        return ""
    return "".join(graphemes(text(value))[-count:])


@function("mid", args=3, family=FAMILY)
def mid(value, start, count):
    """``count`` characters starting at position ``start`` (1 is the first).

    mid("expression", 3, 5) → "press"
    """
    start = max(integer(start), 1)
    count = integer(count)
    if count < 0:
        raise ExpressionError("mid needs a count of 0 or more")
    return "".join(graphemes(text(value))[start - 1: start - 1 + count])


@function("len", args=1, family=FAMILY)
def length(value):
    """Number of characters (of items, for a list).

    len("zoë") → 3
    len("") → 0
    """
    if type(value) is list:
        return len(value)
    return len(graphemes(text(value)))


@function("lower", args=1, family=FAMILY)
def lower(value):
    """Lower-case text.

    lower("Foo Bar") → "foo bar"
    """
    return text(value).lower()


@function("upper", args=1, family=FAMILY)
def upper(value):
    """Upper-case text.

    upper("ana") → "ANA"
    """
    return text(value).upper()


@function("proper", args=1, family=FAMILY)
def proper(value):
    """Capitalise each word (split on single spaces): first letter up, the rest down.

    proper("foo BAR") → "Foo Bar"
    """
    return " ".join(w[:1].upper() + w[1:].lower() for w in text(value).split(" "))


@function("rept", args=2, family=FAMILY)
def rept(value, times):
    """Repeat text ``times`` times.

    rept("ab", 3) → "ababab"
    """
    value, times = text(value), integer(times)
    if times < 0:
        raise ExpressionError("rept needs a count of 0 or more")
    if len(value) * times > MAX_TEXT:
        raise too_much(f"a text longer than {MAX_TEXT} characters")
    return value * times


@function("substitute", args=3, family=FAMILY)
def substitute(value, old, new):
    """Replace every occurrence of ``old`` with ``new``.

    substitute("I can't", "can't", "can do") → "I can do"
    """
    value, old, new = text(value), text(old), text(new)
    if old == "":
        if len(value) * (len(new) + 1) > MAX_TEXT:
            raise too_much(f"a text longer than {MAX_TEXT} characters")
    elif new and value.count(old) * len(new) > MAX_TEXT:
        raise too_much(f"a text longer than {MAX_TEXT} characters")
    return check_text(value.replace(old, new))


@function("first_word", args=1, family=FAMILY)
def first_word(value):
    """The text before the first space.

    first_word("foo bar baz") → "foo"
    """
    words = text(value).split()
    return words[0] if words else ""


@function("remove_first_word", args=(1, 2), family=FAMILY)
def remove_first_word(value, separator=" "):
    """Everything after the first word (words end at ``separator``, a space by default).

    remove_first_word("foo bar") → "bar"
    remove_first_word("foo-bar", "-") → "bar"
    """
    value, separator = text(value), text(separator) or " "
    if separator == " ":
        parts = value.strip().split(None, 1)
        return parts[1] if len(parts) > 1 else ""
    parts = value.split(separator, 1)
    return parts[1] if len(parts) > 1 else ""


@function("remove_last_word", args=(1, 2), family=FAMILY)
def remove_last_word(value, separator=" "):
    """Everything before the last word (words end at ``separator``, a space by default).

    remove_last_word("foo bar baz") → "foo bar"
    """
    value, separator = text(value), text(separator) or " "
    if separator == " ":
        parts = value.strip().rsplit(None, 1)
        return parts[0] if len(parts) > 1 else ""
    parts = value.rsplit(separator, 1)
    return parts[0] if len(parts) > 1 else ""


@function("word", args=(2, 3), family=FAMILY)
def word(value, number, by_spaces=False):
    """The nth word (1 is the first, -1 the last); words split on spaces and , : ; ! ? . -
    unless ``by_spaces`` is true.

    word("hello cow-boy", 2) → "cow"
    word("hello cow-boy", 2, true) → "cow-boy"
    word("one two three", -1) → "three"
    """
    words = word_list(text(value), flag(by_spaces))
    n = integer(number)
    if n > 0 and n <= len(words):
        return words[n - 1]
    if n < 0 and -n <= len(words):
        return words[n]
    return None


@function("word_count", args=(1, 2), family=FAMILY)
def word_count(value, by_spaces=False):
    """Number of words (see ``word`` for how words are split).

    word_count("hello cow-boy") → 3
    word_count("hello cow-boy", true) → 2
    """
    return len(word_list(text(value), flag(by_spaces)))


@function("word_slice", args=(2, 4), family=FAMILY)
def word_slice(value, start, stop=None, by_spaces=None):
    """Words from ``start`` up to (not including) ``stop``; negative numbers count from the end.
    With only ``start`` the text is split on spaces.

    word_slice("FLOIP expressions are fun", 2, 4) → "expressions are"
    word_slice("FLOIP expressions are fun", 2) → "expressions are fun"
    """
    spaces = True if stop is None else flag(by_spaces)
    words = word_list(text(value), spaces)
    n = len(words)
    first = integer(start)
    first = first - 1 if first > 0 else n + first
    if stop is None:
        return " ".join(words[max(first, 0):])
    last = integer(stop)
    last = last - 1 if last > 0 else n + last
    return " ".join(words[max(first, 0): max(last, 0)])


_DIGIT_WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")


@function("read_digits", args=1, family=FAMILY)
def read_digits(value):
    """Spell out digits and ``+`` one by one, for text-to-speech.

    read_digits("+271") → "plus two seven one"
    """
    words = []
    for c in text(value):
        if c == "+":
            words.append("plus")
        elif c.isdecimal():
            words.append(_DIGIT_WORDS[unicodedata.decimal(c)])
    return " ".join(words)


@function("split", args=(1, 2), family=FAMILY)
def split(value, separator=None):
    """Split text into a list: on ``separator`` (plain text), or on whitespace when omitted.

    split("a,b,c", ",") → ["a", "b", "c"]
    split("12.5", ".")[0] → "12"
    split(" one  two ") → ["one", "two"]
    """
    value = text(value)
    if separator is None:
        return value.split()
    separator = text(separator)
    if separator == "":
        return graphemes(value)
    parts = value.split(separator)
    items(parts, "split")
    return parts


@function("normalise_whitespace", args=1, family=FAMILY, aliases=("normalize_whitespace",))
def normalise_whitespace(value):
    """Collapse runs of spaces, tabs and newlines into one space and trim the ends.

    normalise_whitespace(concatenate("  too   many", char(10), " spaces ")) → "too many spaces"
    """
    return " ".join(text(value).split())


@function("normalise_text", args=1, family=FAMILY, aliases=("normalize_text",))
def normalise_text(value):
    """Lower-case, strip accents and punctuation, and collapse whitespace (for matching replies).

    normalise_text("  Olá,   Mundo! ") → "ola mundo"
    """
    decomposed = unicodedata.normalize("NFKD", text(value).lower())
    kept = "".join(c for c in decomposed
                   if unicodedata.category(c) not in ("Mn", "Me") and not unicodedata.category(c).startswith("P"))
    return " ".join(kept.split())


_EMOJI = re.compile(
    "[\U0001F000-\U0001FAFF\U00002600-\U000027BF\U00002300-\U000023FF\U00002B00-\U00002BFF"
    "\U0001F1E6-\U0001F1FF\U0001F3FB-\U0001F3FF\U000E0020-\U000E007F\u200d\ufe0f\u20e3"
    "\u2190-\u21ff\u3030\u303d\u3297\u3299\u00a9\u00ae\u203c\u2049\u2122\u2139]")


@function("remove_emojis", args=1, family=FAMILY)
def remove_emojis(value):
    """Remove emoji (and the joiners and modifiers that build them); spaces left doubled collapse.

    remove_emojis("Hi 👋🏽 there") → "Hi there"
    """
    cleaned = _EMOJI.sub("", text(value))
    return re.sub(r"[ \t]{2,}", " ", cleaned).strip()


@function("remove_numbers", args=1, family=FAMILY)
def remove_numbers(value):
    """Remove every digit.

    remove_numbers("Room 101b") → "Room b"
    """
    return "".join(c for c in text(value) if not c.isdecimal())


@function("remove_punc", args=1, family=FAMILY, aliases=("remove_punctuation",))
def remove_punc(value):
    """Remove punctuation characters.

    remove_punc("Yes! Please, now.") → "Yes Please now"
    """
    return "".join(c for c in text(value) if not unicodedata.category(c).startswith("P"))


@function("replace_punc", args=(1, 2), family=FAMILY)
def replace_punc(value, replacement=" "):
    """Replace each punctuation character with ``replacement`` (a space by default).

    replace_punc("yes,no", " ") → "yes no"
    """
    replacement = text(replacement)
    return check_text("".join(replacement if unicodedata.category(c).startswith("P") else c
                              for c in text(value)))


@function("levenshtein_distance", args=2, family=FAMILY)
def levenshtein_distance(a, b):
    """Number of single-character edits between two texts (for spotting typos).

    levenshtein_distance("kitten", "sitting") → 3
    """
    a, b = graphemes(text(a)), graphemes(text(b))
    if len(a) * len(b) > 250_000:
        raise too_much("texts too long to compare")
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


@function("get_brief", args=(1, 2), family=FAMILY)
def get_brief(phrase, length=20):
    """Shorten text to at most ``length`` characters (20 by default, the WhatsApp button limit),
    cutting at a word boundary and ending with "…" when something was cut.

    get_brief("Tell me more about the clinic", 20) → "Tell me more about…"
    get_brief("Short") → "Short"
    """
    chars = graphemes(text(phrase).strip())
    limit = integer(length)
    if len(chars) <= limit:
        return "".join(chars)
    if limit <= 1:
        return "…"[:limit]
    cut = "".join(chars[: limit - 1])
    if chars[limit - 1] != " " and " " in cut:
        cut = cut[: cut.rfind(" ")]
    return cut.rstrip() + "…"


class _Markdown(HTMLParser):
    TAGS = {"b": "*", "strong": "*", "i": "_", "em": "_", "s": "~", "strike": "~", "del": "~",
            "code": "```", "pre": "```"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.links: list[str | None] = []

    def handle_starttag(self, tag, attrs):
        if tag in self.TAGS:
            self.out.append(self.TAGS[tag])
        elif tag == "br":
            self.out.append("\n")
        elif tag in ("p", "div", "ul", "ol") and self.out and not "".join(self.out).endswith("\n"):
            self.out.append("\n")
        elif tag == "li":
            self.out.append("\n- " if self.out and not "".join(self.out).endswith("\n") else "- ")
        elif tag == "a":
            self.links.append(dict(attrs).get("href"))

    def handle_endtag(self, tag):
        if tag in self.TAGS:
            self.out.append(self.TAGS[tag])
        elif tag in ("p", "div"):
            self.out.append("\n")
        elif tag == "a" and self.links:
            href = self.links.pop()
            if href:
                self.out.append(f" ({href})")

    def handle_data(self, data):
        self.out.append(data)


@function("html_to_markdown", args=1, family=FAMILY)
def html_to_markdown(value):
    """Turn simple HTML into WhatsApp formatting: bold ``*``, italics ``_``, strike ``~``,
    line breaks, list items and links written as "text (url)".

    html_to_markdown("<p>Hi <b>Ana</b></p>") → "Hi *Ana*"
    """
    parser = _Markdown()
    parser.feed(text(value))
    parser.close()
    result = html.unescape("".join(parser.out))
    return re.sub(r"\n{3,}", "\n\n", result).strip()
