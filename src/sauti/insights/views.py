"""Insights pages under /w/<workspace>/insights/: one section per question, CSV per panel, prices."""

from __future__ import annotations

import csv
from collections.abc import Callable

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from sauti.accounts.models import Workspace
from sauti.insights import pages
from sauti.insights.periods import QUICK, Period, parse_period
from sauti.insights.prices import CATEGORIES, PricesInvalid, check_save_prices, rate_table
from sauti.insights.services.aggregate import local_today
from sauti.web.workspaces import Access, workspace_page

Builder = Callable[[Workspace, Period], list[pages.Panel]]
SECTIONS: dict[str, tuple[object, str, Builder]] = {
    "audience": (gettext_lazy("Audience"), "insights.view", pages.audience),
    "engagement": (gettext_lazy("Engagement"), "insights.view", pages.engagement),
    "journeys": (gettext_lazy("Journeys"), "insights.view", pages.journeys),
    "inbox": (gettext_lazy("Inbox"), "insights.view", pages.inbox),
    "billing": (gettext_lazy("Billing"), "insights.billing", pages.billing),
}
QUESTIONS = {
    "audience": gettext_lazy("Is our audience growing?"),
    "engagement": gettext_lazy("How are people engaging?"),
    "journeys": gettext_lazy("How are we guiding them, and are we making an impact?"),
    "inbox": gettext_lazy("How quickly does the team help?"),
    "billing": gettext_lazy("What do conversations cost?"),
}


def _panels(access: Access, section: str, period: Period, request: HttpRequest) -> list[pages.Panel]:
    _label, perm, build = SECTIONS[section]
    if not access.can(perm):
        raise Http404
    if section == "journeys":
        return pages.journeys(access.workspace, period, request.GET.get("journey", ""))
    return build(access.workspace, period)


def _section(request: HttpRequest, access: Access, section: str) -> HttpResponse:
    period = parse_period(request.GET.dict(), local_today(access.workspace))
    panels = _panels(access, section, period, request)
    tabs = [{"key": k, "label": label, "current": k == section} for k, (label, perm, _b) in SECTIONS.items()
            if access.can(perm)]
    journeys = []
    if section == "journeys":
        from sauti.journeys.models import Journey

        journeys = list(Journey.objects.filter(workspace=access.workspace).order_by("name").values("id", "name"))
    return render(request, "insights/section.html", {
        "access": access, "active_nav": "insights", "section": section, "title": SECTIONS[section][0],
        "question": QUESTIONS[section], "tabs": tabs, "panels": panels, "period": period,
        "quick": [(k, label) for k, label in QUICK.items()], "journeys": journeys,
        "chosen_journey": request.GET.get("journey", ""),
    }, status=400 if period.errors else 200)


def _page(section: str) -> Callable[..., HttpResponse]:
    @workspace_page(perm=SECTIONS[section][1])
    @require_GET
    def view(request: HttpRequest, access: Access) -> HttpResponse:
        return _section(request, access, section)

    view.__name__ = f"{section}_page"
    view.__doc__ = f"The {section} section of Insights for the chosen period."
    return view


audience_page, engagement_page, journeys_page, inbox_page, billing_page = (_page(s) for s in SECTIONS)


@workspace_page(perm="insights.view")
@require_GET
def home(request: HttpRequest, access: Access) -> HttpResponse:
    return redirect("insights:audience", workspace=access.workspace.uuid)


@workspace_page(perm="insights.view")
@require_GET
def panel_csv(request: HttpRequest, access: Access, section: str, panel: str) -> HttpResponse:
    """One panel's table as CSV, for the same period as the page."""
    if section not in SECTIONS:
        raise Http404
    period = parse_period(request.GET.dict(), local_today(access.workspace))
    found = next((p for p in _panels(access, section, period, request) if p.key == panel), None)
    if found is None:
        raise Http404
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    name = f"{section}-{panel}-{period.first.isoformat()}-{period.last.isoformat()}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    writer = csv.writer(response)
    writer.writerow(found.columns)
    writer.writerows(found.rows)
    return response


@workspace_page(perm="insights.billing")
@require_http_methods(["GET", "POST"])
def prices(request: HttpRequest, access: Access) -> HttpResponse:
    """GET: the price table (defaults until saved). POST (admins): replace it; errors name the field."""
    errors: dict[str, str] = {}
    values = request.POST if request.method == "POST" else None
    if request.method == "POST":
        if not access.can("insights.edit"):
            return HttpResponse(status=403)
        try:
            check_save_prices(access.workspace, request.POST.dict(), actor=request.user)
        except PricesInvalid as exc:
            errors = exc.errors
        else:
            messages.success(request, _("Prices saved."))
            return redirect("insights:prices", workspace=access.workspace.uuid)
    table = rate_table(access.workspace)
    rows = []
    for code in table.codes():
        rows.append({"code": code, "name": pages.country_name(code) if code else _("Every other country"),
                     "cells": [{"name": f"rate-{code}-{c}", "value": (values or {}).get(f"rate-{code}-{c}",
                                                                                 table.price(c, code)),
                                "error": errors.get(f"rate-{code}-{c}", ""),
                                "label": f"{c} · {code or '*'}"} for c in CATEGORIES]})
    new_cells = [{"name": f"new-{c}", "value": (values or {}).get(f"new-{c}", ""), "error": errors.get(f"new-{c}", ""),
                  "label": _("New country · %(category)s") % {"category": c}} for c in CATEGORIES]
    return render(request, "insights/prices.html", {
        "access": access, "active_nav": "insights", "rows": rows, "categories": CATEGORIES,
        "currency": table.currency, "errors": errors, "new_cells": new_cells,
        "new_code": (values or {}).get("new-code", ""), "new_code_error": errors.get("new-code", ""),
        "may_edit": access.can("insights.edit"),
    }, status=400 if errors else 200)
