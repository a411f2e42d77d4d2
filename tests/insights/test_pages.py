"""Insights pages: each section renders its charts and numbers, CSV matches the page's figures,
the period picker refuses bad dates by field, and roles decide who sees billing and edits prices."""

from __future__ import annotations

import csv
import io

import pytest

from sauti.insights.models import PriceRate
from sauti.insights.services.aggregate import backfill
from tests.insights.data import generate

pytestmark = pytest.mark.django_db
SECTIONS = ["audience", "engagement", "journeys", "inbox", "billing"]


@pytest.fixture
def members(workspace):
    from sauti.accounts.services import add_member

    generate(workspace)
    backfill(workspace)
    return {role: add_member(workspace, email=f"{role}@example.org", role=role, password="pw").user
            for role in ("admin", "viewer")}


def url(workspace, section: str) -> str:
    return f"/w/{workspace.uuid}/insights/{section}/"


@pytest.mark.parametrize("section", SECTIONS)
def test_each_section_shows_accessible_charts_beside_their_numbers(client, workspace, members, section):
    client.force_login(members["admin"])
    response = client.get(url(workspace, section), {"range": "30d"})
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<svg class=\"chart\"") >= 2
    assert "<title id=" in html and "<desc id=" in html
    assert "<table class=\"table compact\">" in html
    assert ".csv?range=30d" in html


def test_csv_download_has_the_numbers_of_the_page(client, workspace, members):
    from sauti.messaging.models import Message

    client.force_login(members["viewer"])
    response = client.get(f"/w/{workspace.uuid}/insights/engagement/types.csv", {"range": "year"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["Type", "In", "Out"]
    got = {r[0]: (int(r[1]), int(r[2])) for r in rows[1:]}
    inbound = Message.objects.filter(workspace=workspace, direction="inbound", type="text").count()
    outbound = Message.objects.filter(workspace=workspace, direction="outbound", type="text").count()
    assert got["text"] == (inbound, outbound)


def test_every_quick_pick_and_a_custom_range_render(client, workspace, members):
    client.force_login(members["viewer"])
    for pick in ("7d", "30d", "90d", "this_month", "last_month", "year"):
        assert client.get(url(workspace, "audience"), {"range": pick}).status_code == 200
    response = client.get(url(workspace, "engagement"), {"range": "custom", "from": "2026-01-01",
                                                          "to": "2026-02-15", "by": "week"})
    assert response.status_code == 200
    assert 'value="2026-01-01"' in response.content.decode()


def test_a_bad_custom_range_names_the_field_and_falls_back(client, workspace, members):
    client.force_login(members["viewer"])
    response = client.get(url(workspace, "audience"), {"range": "custom", "from": "2026-03-01", "to": "2026-02-01"})
    assert response.status_code == 400
    assert "The end date must be on or after the start date." in response.content.decode()
    response = client.get(url(workspace, "audience"), {"range": "custom", "from": "soon", "to": "2026-02-01"})
    assert response.status_code == 400
    assert "Enter a date as YYYY-MM-DD." in response.content.decode()


def test_viewers_see_insights_but_not_billing_or_prices(client, workspace, members):
    client.force_login(members["viewer"])
    page = client.get(url(workspace, "audience")).content.decode()
    assert 'data-testid="tab-billing"' not in page
    assert client.get(url(workspace, "billing")).status_code == 403
    assert client.get(f"/w/{workspace.uuid}/insights/billing/cost.csv").status_code == 404
    assert client.get(f"/w/{workspace.uuid}/insights/prices/").status_code == 403


def test_other_workspaces_and_anonymous_people_see_nothing(client, workspace, members):
    from sauti.accounts.services import create_workspace

    other = create_workspace(name="Other line", phone_number_id="999", waba_id="998", access_token="t",
                             app_secret="s", verify_token="v")
    assert client.get(url(workspace, "audience")).status_code == 302
    client.force_login(members["admin"])
    assert client.get(url(other, "audience")).status_code == 404


def test_an_admin_edits_the_price_table_and_billing_uses_it(client, workspace, members):
    client.force_login(members["admin"])
    page = client.get(f"/w/{workspace.uuid}/insights/prices/")
    assert page.status_code == 200 and 'name="rate-27-marketing"' in page.content.decode()
    form = {f"rate--{c}": v for c, v in (("marketing", "1"), ("utility", "1"), ("authentication", "1"),
                                          ("service", "0"))}
    form.update({"new-code": "234", "new-marketing": "2", "new-utility": "abc"})
    bad = client.post(f"/w/{workspace.uuid}/insights/prices/", form)
    assert bad.status_code == 400
    assert "Enter a price such as 0.0125." in bad.content.decode()
    assert not PriceRate.objects.filter(workspace=workspace).exists()
    form["new-utility"] = "2"
    assert client.post(f"/w/{workspace.uuid}/insights/prices/", form).status_code == 302
    assert PriceRate.objects.get(workspace=workspace, category="marketing", calling_code="234").rate == 2
    rows = list(csv.reader(io.StringIO(client.get(f"/w/{workspace.uuid}/insights/billing/categories.csv",
                                                  {"range": "year"}).content.decode())))
    from sauti.messaging.models import Message

    billable = [m for m in Message.objects.filter(workspace=workspace, pricing__isnull=False).select_related("contact")
                if m.pricing["billable"] and m.pricing["category"] == "marketing"]
    expected = sum(2 if m.contact.wa_id.startswith("234") else 1 for m in billable)
    marketing = next(r for r in rows if r[0] == "Marketing")
    assert int(marketing[1]) == len(billable)
    assert float(marketing[3]) == expected
