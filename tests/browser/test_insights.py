"""Insights in a real browser, as an admin meets them: each section with a generated history,
a quick pick and a custom range, a CSV download, and the price table with a mistake fixed."""

from __future__ import annotations

from typing import Any

import pytest

from sauti.accounts.models import Role
from sauti.insights.services.aggregate import backfill
from tests.browser.test_editor_pages import sign_in
from tests.insights.data import generate
from tests.web.members import make_member, make_workspace

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_each_insights_section_reads_well(live_server: Any, page: Any, shot: Any) -> None:
    clinic = make_workspace("Clinic line")
    clinic.timezone = "Africa/Johannesburg"
    clinic.save(update_fields=["timezone"])
    make_member(clinic, Role.ADMIN, email="admin@example.org")
    generate(clinic, days=60, people=120)
    backfill(clinic)
    sign_in(page, live_server, "admin@example.org")
    page.goto(f"{live_server.url}/w/{clinic.uuid}/")
    page.get_by_role("link", name="Insights").first.click()
    page.wait_for_url("**/insights/audience/")
    assert page.get_by_role("heading", name="Active people per day").is_visible()
    shot("insights-01-audience")
    for n, (tab, heading) in enumerate([("Engagement", "Messages in and out"),
                                        ("Journeys", "Journey starts and completions"),
                                        ("Inbox", "Conversations started and chats closed"),
                                        ("Billing", "Billable messages by pricing category")], start=2):
        page.locator(".insight-tabs").get_by_role("link", name=tab).click()
        page.get_by_role("heading", name=heading).wait_for()
        assert page.locator("svg.chart title").count() >= 2
        shot(f"insights-0{n}-{tab.lower()}")
    page.get_by_role("link", name="Last 90 days").click()
    page.wait_for_url("**range=90d**")
    assert page.get_by_role("link", name="Last 90 days").get_attribute("aria-current") == "true"
    page.get_by_label("From").fill("2026-01-01")
    page.get_by_label("To").fill("2025-12-01")
    page.get_by_role("button", name="Show").click()
    assert page.get_by_text("The end date must be on or after the start date.").is_visible()
    page.locator(".insight-tabs").get_by_role("link", name="Engagement").click()
    with page.expect_download() as download:
        page.locator("#panel-types").get_by_role("link", name="CSV").click()
    assert download.value.suggested_filename.startswith("engagement-types-")
    page.goto(f"{live_server.url}/w/{clinic.uuid}/insights/prices/")
    page.locator('input[name="rate-27-marketing"]').fill("a lot")
    page.get_by_role("button", name="Save prices").click()
    assert page.get_by_text("Enter a price such as 0.0125.").is_visible()
    shot("insights-06-prices-error")
    page.locator('input[name="rate-27-marketing"]').fill("0.04")
    page.get_by_role("button", name="Save prices").click()
    assert page.get_by_text("Prices saved.").is_visible()
    shot("insights-07-prices")
