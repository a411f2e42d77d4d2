"""Hidden numbers: masked for roles below admin only when the workspace asks for it."""

from __future__ import annotations

import pytest

from sauti.accounts.models import Role
from sauti.contacts.privacy import mask_number, shown_number
from tests.web.members import make_workspace

pytestmark = pytest.mark.django_db


def test_numbers_show_in_full_until_the_workspace_hides_them() -> None:
    clinic = make_workspace("Clinic line")
    assert shown_number(clinic, Role.OPERATOR, "27820001234") == "+27820001234"
    clinic.settings = {"hide_numbers": True}
    assert shown_number(clinic, Role.OPERATOR, "27820001234") == "+27 •••• ••34"
    assert shown_number(clinic, Role.VIEWER, "27820001234") == "+27 •••• ••34"
    assert shown_number(clinic, Role.ADMIN, "27820001234") == "+27820001234"
    assert shown_number(clinic, Role.OWNER, "") == ""


def test_short_or_odd_numbers_never_leak_through_the_mask() -> None:
    assert mask_number("123") == "••••"
    assert "1234" not in mask_number("+1 (555) 000-1234")
