"""What each field type accepts and how it is stored: the rules every profile write follows."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest

from sauti.contacts import values as v
from sauti.contacts.values import Choice, ValueInvalid

JHB = zoneinfo.ZoneInfo("Africa/Johannesburg")
GENDER = (Choice("FEMALE", "Female"), Choice("MALE", "Male"), Choice("UNDISCLOSED", "Prefer not to say"))


@pytest.mark.parametrize(("kind", "raw", "stored"), [
    (v.TEXT, "Ana", "Ana"),
    (v.TEXT, 3, "3"),
    (v.TEXT, True, "true"),
    (v.TEXT, {"a": 1}, '{"a": 1}'),
    (v.TEXT, "  ", None),
    (v.NUMBER, "42", 42),
    (v.NUMBER, " 3.50 ", 3.5),
    (v.NUMBER, 7.0, 7),
    (v.NUMBER, "-1e3", -1000),
    (v.BOOLEAN, "Yes", True),
    (v.BOOLEAN, "0", False),
    (v.BOOLEAN, False, False),
    (v.DATE, "2025-03-01", "2025-03-01"),
    (v.DATE, dt.date(2025, 3, 1), "2025-03-01"),
    (v.DATE, "2025-02-28T23:30:00Z", "2025-03-01"),  # in Johannesburg it is already March
    (v.DATETIME, "2025-03-01 09:30", "2025-03-01T07:30:00Z"),  # a naive time is the workspace's clock
    (v.DATETIME, "2025-03-01T09:30:00+00:00", "2025-03-01T09:30:00Z"),
    (v.DATETIME, "2025-03-01", "2025-02-28T22:00:00Z"),
    (v.ENUM, "female", "FEMALE"),
    (v.ENUM, "Prefer not to say", "UNDISCLOSED"),
    (v.LOCATION, "-33.92, 18.42", {"latitude": -33.92, "longitude": 18.42}),
    (v.LOCATION, {"latitude": 1, "longitude": 2, "name": "Clinic"}, {"latitude": 1.0, "longitude": 2.0,
                                                                     "name": "Clinic"}),
], ids=lambda x: repr(x))
def test_values_are_stored_in_one_form_per_type(kind: str, raw: object, stored: object) -> None:
    assert v.normalise(kind, raw, choices=GENDER, tz=JHB) == stored


@pytest.mark.parametrize(("kind", "raw", "message"), [
    (v.NUMBER, "1,234", "is not a number"),
    (v.NUMBER, "ten", "is not a number"),
    (v.NUMBER, True, "is not a number"),
    (v.NUMBER, "nan", "is not a number"),
    (v.BOOLEAN, "maybe", "is not true or false"),
    (v.DATE, "01/03/2025", "is not a date"),
    (v.DATETIME, "tomorrow", "is not a date"),
    (v.ENUM, "other", "is not one of the choices (FEMALE, MALE, UNDISCLOSED)"),
    (v.LOCATION, "Cape Town", "is not a location"),
    (v.LOCATION, "91,0", "outside the globe"),
    (v.TEXT, "x" * 10_001, "longer than 10,000"),
])
def test_values_that_do_not_fit_say_why(kind: str, raw: object, message: str) -> None:
    with pytest.raises(ValueInvalid) as caught:
        v.normalise(kind, raw, choices=GENDER, tz=JHB)
    assert message in caught.value.message


def test_stored_values_read_back_the_same_from_a_csv_cell() -> None:
    for kind, raw in [(v.NUMBER, "3.5"), (v.BOOLEAN, "yes"), (v.DATE, "2025-03-01"),
                      (v.DATETIME, "2025-03-01T07:30:00Z"), (v.LOCATION, "-33.92,18.42"), (v.ENUM, "MALE")]:
        stored = v.normalise(kind, raw, choices=GENDER)
        assert v.normalise(kind, v.as_text(kind, stored), choices=GENDER) == stored
        assert v.normalise(kind, v.example(kind, GENDER), choices=GENDER) is not None


def test_language_codes_are_iso_639() -> None:
    assert v.language_code("ENG") == "eng"
    assert v.language_code("pt_BR") == "pt_BR"
    with pytest.raises(ValueInvalid):
        v.language_code("English")
