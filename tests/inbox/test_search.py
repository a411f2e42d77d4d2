"""The search language: filters, quick words for dates, errors that name the filter."""

from __future__ import annotations

import datetime as dt

import pytest

from sauti.inbox.search import Search, SearchInvalid, parse_search, with_filter

TODAY = dt.date(2026, 3, 10)


@pytest.mark.pure
@pytest.mark.parametrize(("query", "expected"), [
    ("", Search()),
    ("fever", Search(text="fever")),
    ('"sore throat" label:urgent', Search(text="sore throat", labels=("urgent",))),
    ("tag:a label:b", Search(labels=("a", "b"))),
    ("assignee:ME state:open", Search(assignee="me", state="open")),
    ("state:all", Search(state=None)),
    ("from:Ana is:unread is:waiting", Search(contact="Ana", flags=frozenset({"unread", "waiting"}))),
    ("after:2026-03-01 before:today", Search(after=dt.date(2026, 3, 1), before=TODAY)),
    ("after:7d", Search(after=dt.date(2026, 3, 3))),
    ("since:yesterday", Search(after=dt.date(2026, 3, 9))),
    ("re: test", Search(text="re: test")),
], ids=lambda v: v if isinstance(v, str) else "")
def test_searches_read_as_people_write_them(query, expected) -> None:
    assert parse_search(query, TODAY) == expected


@pytest.mark.pure
@pytest.mark.parametrize(("query", "field", "words"), [
    ("after:soon", "after", "takes a date"),
    ("state:pending", "state", "open, closed or all"),
    ("is:happy", "is", "is one of"),
    ("label:", "label", "needs a value"),
    ("after:2026-03-05 before:2026-03-01", "before", "comes before its start"),
])
def test_bad_filters_are_named_with_a_way_to_fix_them(query, field, words) -> None:
    with pytest.raises(SearchInvalid) as caught:
        parse_search(query, TODAY)
    assert caught.value.field == field and words in caught.value.message


@pytest.mark.pure
def test_a_quick_pick_replaces_its_own_filter_only() -> None:
    assert with_filter("fever after:2026-01-01", "after", "2026-03-10") == "fever after:2026-03-10"
    assert with_filter("", "label", "high risk") == 'label:"high risk"'
