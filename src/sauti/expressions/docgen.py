"""Generate ``docs/expressions.md`` (the journey authors' reference) from the function registry.

    .venv/bin/python -m sauti.expressions.docgen > docs/expressions.md

A test fails when the committed file differs from this output, so the docs cannot drift.
"""

from __future__ import annotations

import sys

from . import registry

FAMILIES = {
    "text": "Text",
    "maths": "Numbers",
    "dates": "Dates and times",
    "logic": "Logic and type tests",
    "matching": "Testing what people typed (has_*)",
    "collections": "Lists, maps and lambdas",
    "encoding": "JSON, base64 and URLs",
}

GUIDE = r'''# Expressions

Every message text, journey condition, assignment and template parameter in Sauti uses one
expression language: Turn's FLOIP-based "Excel functions with a few additions", in the dialect
Turn runs in production ("v1"). Journeys written for Turn behave the same here.

*This file is generated from the function registry by `python -m sauti.expressions.docgen`;
edit the docstrings in `src/sauti/expressions/functions/`, not this file.*

## Two places expressions appear

**Text (templates)** — message texts, URLs, headers, JSON bodies: plain text with `@` parts.

| You write | You get |
|---|---|
| `Hi @contact.name!` | `Hi Ana!` |
| `@contact.address.city`, `@results[0].id`, `@items[i]` | a value, with `.name` and `[index]` after it |
| `@upper(contact.name)`, `@has_number(answer).number` | a function call, with attributes after it |
| `@(contact.age + 1)`, `@(upper(name) & "!")` | anything, including operators, inside `@( … )` |
| `user@@example.org` | `user@example.org` (`@@` is a plain `@`) |
| `info@support.com` | unchanged: a reference that does not resolve is written back as typed |
| `@contact.name.` | the name followed by a full stop (a final `.` is text) |

The short form (`@name…`) has no spaces and no operators: `@a + 1` renders as `1 + 1`. Use
`@( … )` for operators. An `@` followed by something that cannot start an expression (a space,
`+`, …) disappears, as on Turn: `foo @ bar` gives `foo  bar`; write `@@` for a literal `@`.

**Journey code** — `when` conditions, assignments, function arguments: the same language
without `@`. Journey code also accepts:

* `@name`, `@contact.x` and `@(expr)`, meaning the same as without the `@`;
* `a and b`, `a or b`, `not a` (below comparisons: `not x == 1` is `not (x == 1)`);
* `if c, do: a, else: b`, `if(c, do: a, else: b)` and the block form `if c do … else … end`;
* comments from `#` to the end of the line, and newlines inside brackets and `if … end` blocks.

## Values

Numbers (`42`, `-1.5`, `123_456`; as on Turn each group after an `_` loses its leading zeros,
so `1_000` is 10: write `1000`), text in `"double"` or `'single'` quotes (`\"` and `\'`
are the only escapes) or `"""triple quotes"""` (several lines; the closing line's indentation is
removed), `true`/`false` (any case), `nil`, lists `[1, "a", x]`, maps `{"key": value}`, ranges
`1..10` and `1..10//2`, and unquoted dates and times: `2022-05-24`, `2022/05/24`, `24-05-2022`
(day first), `10:30`, `10:30:15`, `2022-05-24T10:00:00Z`, `13-12-2020 23:35:55`. All datetimes
are UTC; offsets such as `+02:00` are not supported.

**Text inside quotes is itself a template**: `"Hi @contact.name"` is filled in before use, so
`if(c, "was @confirm", "was @deny")` works. Write `@@` for an `@` inside quotes.

**Names** (variables, attributes, functions) ignore case: `@Contact.Name`, `@PROPER(x)`. They
start with a letter or digit and may contain letters, digits, `_` and `-` (`@a-b` is the
variable `a-b`; put spaces around a minus).

**Rich results.** Some functions return a value with extras, e.g. `has_any_word(...)` is true or
false and also has `.match`; `datevalue(...)` is text and also has `.date` and `.datetime`.
Operators and text use the main value; attributes reach the extras.

## Operators

| Operators (loosest first) | Meaning |
|---|---|
| `or` · `and` · `not` | journey code only; the same as `or()`, `and()`, `not()` |
| `..` `//` | ranges: `1..5`, `1..10//2` |
| `+ - & = == != <> < <= > >=` | **one shared level**, left to right (see below) |
| `* /` | |
| `^` | power, left to right: `2 ^ 3 ^ 2` is 64.0 |
| `.name` `[index]` | attributes and indexes |

* Comparisons share a level with `+`, `-` and `&`, exactly as on Turn: `1 + 1 > 1` is true, but
  `x > y + 1` means `(x > y) + 1` and fails. Write `x > (y + 1)`.
* `/` and `^` always give a decimal number (`6 / 2` is 3.0); `+ - *` on whole numbers stay whole.
  Division by zero is an error.
* `&` joins the text of both sides: `1 & 2` is `"12"`. `<>` is "not equal", not joining.
* `=` and `==` compare; text comparison is **case-sensitive** (`'a' = 'A'` is false: use
  `lower()` or `has_only_phrase`). `2 == 2.0` is true; `18 == "yes"` is simply false.
* `< <= > >=` and arithmetic need numbers, or dates: a date or datetime compares with another
  or with ISO text (`contact.edd < "2024-01-01"`). Anything else fails with
  `expression is not a number: …`, or `attribute is not found: …` for a missing variable.
* `list[0]` is the first item, `list[-1]` the last, `list[1..2]` a slice; `map["key"]` reads a
  key. A missing index gives null.

## Truth, nothing and missing values

Only `false` and `nil` are false: `0` and `""` are true (use `is_nil_or_empty`). A variable
that does not exist is null for functions and false in conditions; arithmetic on it fails with
`attribute is not found`; in text it is written back as typed.

`if()`, `and()` and `or()` evaluate every argument first (as on Turn), so
`if(max_score = 0, 0, score / max_score)` still divides by zero: compute it in two steps.
`or()` gives the first true argument (`contact.nickname or contact.name`), or false.

A call to an unknown function, or with the wrong number of arguments, gives the text
`ERROR: "name is not implemented."` rather than failing, as on Turn.

## How context values are read

Before evaluation the context is normalised once: keys are lower-cased everywhere, and text
that is exactly a literal becomes that value — `"42"` → 42, `"20.0"` → 20.0, `"True"` → true,
`"2022-01-31"` → a date, `"10:30"` → a time, ISO datetimes → datetimes. Text such as `"+27…"`,
`"0821234567"`, `"1e3"` or `"1_000"` stays text. This is why `contact.age > 18` works on a
text field. Callers can turn it off (`coerce=False`); keys are lower-cased either way.

Two reserved context keys: `__now__` (a datetime or ISO text: the clock `now()` and `today()`
read — journeys freeze time with it; without it, the system UTC clock) and `__random__` (a seed
or `random.Random` for `rand_between`).

## How values print

Whole numbers as digits; decimals in their shortest exact form as Elixir prints them (`1.5`,
`3.0`, `0.30000000000000004`, `1.0e3` for 1000.0, `1.0e-5`); `true`/`false`; nil as nothing;
lists as their items joined with no separator (`[1, 2, 3]` → `123`); dates as `2022-05-24`;
datetimes as ISO 8601 in UTC keeping the stored precision (`2020-12-13T23:35:55.0Z` for a
literal, `2020-02-29T00:00:00.000000Z` after `datetime_add` on a date, `2022-08-31T00:00:00Z`
when built from whole parts); times as `12:13:14`; maps as JSON; rich results as their value.

## Limits

One evaluation may call lambdas at most 100,000 times, build lists of at most 10,000 items and
texts of at most 100,000 characters, and run a regular expression over at most 10,000
characters. Regular expressions with a repetition inside a repetition (`(a+)+`) are refused.
Going over a limit is an error, never a hang.

## Errors

Errors name the line and column, e.g.
`line 1, column 9: expected ")" after the arguments to upper, found end of text`.

## Functions

Examples assume the clock reads 2024-01-15T09:30:00Z (a Monday).
'''

CONFORMANCE = r"""
## Conformance with Turn

`../shared/conformance/expressions/run.py` checks Sauti against cases verified on the original
library. Every scored case passes. Cases the runner does not score, and why:

* 8 cases that call `echo(…)` or a custom `count(…)`: they need functions defined by the
  upstream test suite itself (`requires: custom_callbacks`).
* `@time(12, 13, 14)`, `@timevalue("2:30")` and `@timevalue("2:30:55")` rendered as text:
  upstream prints Elixir's internal form `~T[12:13:14]`; Sauti prints `12:13:14`.
* `@delete(patient, "gender")` rendered as text: upstream prints Elixir's internal form
  `%{"age" => 32}`; Sauti prints JSON, `{"age":32}`.

Decisions where the original is silent or unhelpful (all deliberate):

* Missing references in `@(…)` are written back exactly as typed (`@(missing.x)`), like short
  forms; compared with `nil` they count as null (`x == nil` is true for a missing `x`).
* `or` gives the **first** true argument. The library was once observed giving the last one
  (`or('a', 'b')` → `"b"`, in no upstream test), but real journeys rely on the first:
  `year_of_birth = contact.year_of_birth or ""` (contentrepo "Browsable FAQs"), whose recorded
  transcripts only pass this way.
* `date()` of an impossible day (29 February 2023) is kept as the text `2023-02-29`, as Turn
  does, so a journey that accepts it still prints it.
* A frozen clock (`__now__`) prints with its own precision: `2023-02-28T00:00:00Z` for a whole
  second, as upstream's test clock does; the live clock has microseconds.
* Truthiness of a rich result follows its value (`if(has_any_word(t, "no"), …)` works).
* Context text with leading zeros or `_` stays text (phone numbers and codes survive).
* `has_date`/`has_time` also find a date or time inside longer text; `has_any_word` splits words
  on punctuation; `has_phone` uses libphonenumber when installed.
* JSON and `keys`/`values` keep the map's own order.
* Turn-only functions whose behaviour is not published (`get_brief`, `normalise_text`,
  `replace_punc`, `html_to_markdown`, `switch`, `datetime_next`) follow the definitions above.
* Not provided: Turn platform helpers that need services (`attachment_url`, `openai_*`,
  `google_*`, `hf_*`, `generate_ott`, `cull_data`, `close_chat`, …) and the undocumented
  `find_exact_match`/`find_fuzzy_matches`; they give `ERROR: "name is not implemented."`.
"""


def function_section(spec) -> str:
    lines = [f"### `{spec.signature}`", ""]
    if spec.aliases:
        lines.append(f"Also: {', '.join(f'`{a}`' for a in spec.aliases)}.")
        lines.append("")
    lines.append(spec.summary)
    if spec.doc:
        lines.append(" ".join(spec.doc.split()))
    lines.append("")
    if spec.examples:
        lines.append("```")
        lines.extend(f"{expr} → {result}" for expr, result in spec.examples)
        lines.append("```")
        lines.append("")
    return "\n".join(lines)


def generate() -> str:
    out = [GUIDE.rstrip(), ""]
    specs = registry.list_functions()
    for family, title in FAMILIES.items():
        members = [s for s in specs if s.family == family]
        if not members:
            continue
        out.append(f"### {title}\n")
        out.append(", ".join(f"`{s.name}`" for s in members) + "\n")
    for family, title in FAMILIES.items():
        members = [s for s in specs if s.family == family]
        if not members:
            continue
        out.append(f"## {title}\n")
        out.extend(function_section(s) for s in members)
    out.append(CONFORMANCE.strip())
    return "\n".join(out).rstrip() + "\n"


def main() -> None:
    sys.stdout.write(generate())


if __name__ == "__main__":
    main()
