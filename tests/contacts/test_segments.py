"""The segment language: what it reads, the errors it gives (with the column), and who each query
finds, with one SQL query that means the same on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sauti.contacts.models import Contact
from sauti.contacts.segments import SegmentSyntaxError, parse_segment, segment_contacts
from sauti.contacts.segments.syntax import And, Compare, Everyone, IsSet, Not, Or, Truthy, Value
from sauti.contacts.services import create_field, save_segment
from sauti.contacts.services.segments import SegmentInvalid

NOW = dt.datetime(2025, 6, 15, 12, 0, tzinfo=dt.UTC)


def test_the_grammar_reads_precedence_parentheses_and_values() -> None:
    tree = parse_segment('opted_in and not age < 18 or (district = "North West" and visit is not set)')
    assert tree == Or((
        And((Truthy("opted_in", 1), Not(Compare("age", 18, "<", Value("number", 18, 24, "18"))))),
        And((Compare("district", 31, "=", Value("string", "North West", 42, '"North West"')),
             IsSet("visit", 59, negated=True))),
    ))
    assert parse_segment("  ") == Everyone()
    assert parse_segment("last_seen > -30d").value == Value("relative", (-30, "days"), 13, "-30d")
    assert parse_segment("contact.Name STARTS_WITH an").op == "starts_with"
    assert parse_segment("x = “curly quotes”").value.value == "curly quotes"


@pytest.mark.parametrize(("query", "column", "message"), [
    ("age >", 6, "expected a value after “>”, found the end of the query"),
    ("age > 18 and", 13, "expected a field name, found the end of the query"),
    ("(age > 18", 10, "expected “)” to close the “(” at column 1"),
    ("age > 18)", 9, "this “)” closes nothing"),
    ("name = Ana Maria", 12, "put text with spaces in quotes"),
    ('name = "Ana', 8, "this text is not closed"),
    ("age is 18", 8, "expected “set”"),
    ("age ! 3", 5, "“!” on its own means nothing here"),
    ("last_seen > 30d", 13, "write -30d for 30d ago"),
    ("last_seen > -3q", 15, "“q” is not a unit of time"),
    ("age # 3", 5, "unexpected “#”"),
    ("age over 3", 5, "expected =, !=, <, >, <=, >=, contains, starts_with or “is set” after age, found “over”"),
    ("and", 1, "expected a field name, found “and”"),
])
def test_syntax_errors_name_the_column(query: str, column: int, message: str) -> None:
    with pytest.raises(SegmentSyntaxError) as caught:
        parse_segment(query)
    assert caught.value.column == column and message in caught.value.message


@pytest.fixture
def people(workspace):
    create_field(workspace, key="age", type="number")
    create_field(workspace, key="district", type="text")
    create_field(workspace, key="visit", type="date")
    create_field(workspace, key="next_call", type="datetime")
    create_field(workspace, key="member", type="boolean")
    create_field(workspace, key="gender", type="enum", choices=["FEMALE", "MALE"])
    create_field(workspace, key="home", type="location")
    create_field(workspace, key="hiv_status", type="text", is_private=True)
    rows = [
        dict(wa_id="27820000001", name="Ana", language="por", opted_in=True, last_seen_at=NOW - dt.timedelta(days=2),
             fields={"age": 34, "district": "North West", "visit": "2025-06-20", "member": True, "gender": "FEMALE",
                     "next_call": "2025-06-15T08:00:00Z", "home": {"latitude": 1.0, "longitude": 2.0}}),
        dict(wa_id="27820000002", name="Ben", language="eng", last_seen_at=NOW - dt.timedelta(days=45),
             fields={"age": 17, "district": "South", "visit": "2025-05-01", "member": False, "gender": "MALE",
                     "next_call": "2025-06-16T01:00:00Z"}),
        # Written before `age` had a type: a wrong-typed value reads as no value, it never breaks a query.
        dict(wa_id="15550000003", name="", whatsapp_profile_name="Cee", fields={"age": "unknown", "district": ""}),
    ]
    for row in rows:
        Contact.objects.create(workspace=workspace, **row)
    return workspace


CASES = [
    ("", ["Ana", "Ben", "Cee"]),
    ("opted_in", ["Ana"]),
    ("not opted_in", ["Ben", "Cee"]),
    ("age >= 18", ["Ana"]),
    ("age < 18", ["Ben"]),
    ("not age >= 18", ["Ben", "Cee"]),
    ("age != 34", ["Ben", "Cee"]),
    ("age is set", ["Ana", "Ben"]),  # Cee's "unknown" is not a number
    ("age is not set", ["Cee"]),
    ("district is not set", ["Cee"]),
    ("district = 'north west'", ["Ana"]),
    ("district contains wes", ["Ana"]),
    ("district starts_with S", ["Ben"]),
    ("name = ana or name = BEN", ["Ana", "Ben"]),
    ("name is not set", ["Cee"]),
    ("whatsapp_id starts_with +27", ["Ana", "Ben"]),
    ("language = POR", ["Ana"]),
    ("last_seen > -30d", ["Ana"]),
    ("last_seen_at < -1mo", ["Ben"]),
    ("last_seen is not set", ["Cee"]),
    ("visit > today", ["Ana"]),
    ("visit >= 2025-05-01 and visit < 2025-06-01", ["Ben"]),
    ("visit = 2025-05-01", ["Ben"]),
    ("next_call = 2025-06-15", ["Ana"]),  # a date is a whole day: 15 June UTC
    ("next_call > now", ["Ben"]),
    ("next_call <= 2025-06-15", ["Ana"]),
    ("member = false", ["Ben"]),
    ("member", ["Ana"]),
    ("gender = female", ["Ana"]),
    ("gender != FEMALE", ["Ben", "Cee"]),
    ("home is set", ["Ana"]),
    ("(age > 10 and member) or whatsapp_id contains 555", ["Ana", "Cee"]),
    ("created_at > -1d", ["Ana", "Ben", "Cee"]),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("query", "names"), CASES, ids=[c[0] or "(empty)" for c in CASES])
def test_queries_find_the_right_people(people, query: str, names: list[str]) -> None:
    with CaptureQueriesContext(connection) as queries:
        found = list(segment_contacts(people, query, now=NOW))
    assert sorted(c.name or c.whatsapp_profile_name for c in found) == names
    assert len([q for q in queries if q["sql"].lstrip().upper().startswith("SELECT")]) == 2  # schema + people


@pytest.mark.django_db
@pytest.mark.parametrize(("query", "column", "message"), [
    ("shoe_size > 3", 1, "there is no field “shoe_size”"),
    ("age > ten", 7, "is not a number"),
    ("age contains 3", 5, "compare it with = or !="),
    ("district > 3", 10, "is text: compare it with =, !=, contains or starts_with"),
    ("gender = OTHER", 10, "not one of the choices"),
    ("home = 3", 6, "only “is set” and “is not set”"),
    ("visit > soon", 9, "is not a date"),
    ("district", 1, "is not a yes/no field"),
    ("age = now", 7, "is not a date"),
])
def test_queries_that_do_not_fit_the_fields_say_where(people, query: str, column: int, message: str) -> None:
    with pytest.raises(SegmentSyntaxError) as caught:
        segment_contacts(people, query, now=NOW)
    assert caught.value.column == column and message in caught.value.message


@pytest.mark.django_db
def test_private_fields_cannot_be_searched_by_roles_that_cannot_see_them(people) -> None:
    assert segment_contacts(people, "hiv_status is set").count() == 0
    with pytest.raises(SegmentSyntaxError, match="private"):
        segment_contacts(people, "hiv_status is set", private_hidden=True)


@pytest.mark.django_db
def test_saved_segments_are_checked_and_scoped(people) -> None:
    segment = save_segment(people, name="Adults", query="age >= 18")
    assert [c.name for c in segment_contacts(people, segment)] == ["Ana"]
    with pytest.raises(SegmentInvalid) as caught:
        save_segment(people, name="adults", query="opted_in")
    assert caught.value.field == "name"
    with pytest.raises(SegmentInvalid) as caught:
        save_segment(people, name="Broken", query="age >")
    assert (caught.value.field, caught.value.column) == ("query", 6)
    from tests.web.members import make_workspace

    with pytest.raises(ValueError, match="another workspace"):
        segment_contacts(make_workspace("Elsewhere"), segment)
