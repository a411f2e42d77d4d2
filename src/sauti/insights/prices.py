"""The workspace's estimated message prices: defaults until someone edits them, and the one write.

The defaults are rounded, per-message estimates in USD shaped like Meta's per-message pricing
(marketing dearest, utility and authentication cheaper, service replies free); they are not
Meta's price list, and each workspace should check its own rates (docs/insights.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext as _

from sauti.accounts.models import User, Workspace
from sauti.accounts.services import record_audit
from sauti.insights.models import PriceRate

CATEGORIES = ("marketing", "utility", "authentication", "service")
# calling code ("" = everywhere else) → (marketing, utility, authentication, service)
DEFAULT_RATES: dict[str, tuple[str, str, str, str]] = {
    "": ("0.0500", "0.0080", "0.0080", "0"),
    "27": ("0.0380", "0.0076", "0.0076", "0"),    # South Africa
    "234": ("0.0520", "0.0067", "0.0067", "0"),   # Nigeria
    "254": ("0.0225", "0.0040", "0.0040", "0"),   # Kenya (rest of Africa)
    "91": ("0.0110", "0.0014", "0.0014", "0"),    # India
    "55": ("0.0625", "0.0068", "0.0068", "0"),    # Brazil
    "62": ("0.0410", "0.0250", "0.0250", "0"),    # Indonesia
}


@dataclass
class RateTable:
    rates: dict[tuple[str, str], Decimal]
    currency: str = "USD"

    def price(self, category: str, code: str) -> Decimal:
        """The rate for a category in a country, else the workspace's default rate, else nothing."""
        return self.rates.get((category, code), self.rates.get((category, ""), Decimal(0)))

    def codes(self) -> list[str]:
        return sorted({code for _, code in self.rates}, key=lambda c: (c != "", c))


def default_table() -> RateTable:
    return RateTable({(cat, code): Decimal(values[i]) for code, values in DEFAULT_RATES.items()
                      for i, cat in enumerate(CATEGORIES)})


def rate_table(workspace: Workspace) -> RateTable:
    """The saved table, or the defaults when the workspace has never saved one."""
    saved = list(PriceRate.objects.filter(workspace=workspace))
    if not saved:
        return default_table()
    return RateTable({(r.category, r.calling_code): r.rate for r in saved}, saved[0].currency)


class PricesInvalid(Exception):
    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(errors.values()))
        self.errors = errors


def check_save_prices(workspace: Workspace, data: dict[str, str], *, actor: User) -> RateTable:
    """Read `rate-<code>-<category>` fields (and a new row `new-code`, `new-<category>`), check
    each one, then replace the table; errors name the field and nothing is saved."""
    errors: dict[str, str] = {}
    rates: dict[tuple[str, str], Decimal] = {}
    codes = {key.split("-")[1] for key in data if key.startswith("rate-") and key.count("-") == 2}
    new_code = (data.get("new-code") or "").strip().lstrip("+")
    if new_code:
        if not new_code.isdigit() or len(new_code) > 3:
            errors["new-code"] = _("A calling code is one to three digits, like 27.")
        else:
            codes.add(new_code)
    for code in codes:
        for category in CATEGORIES:
            field = f"rate-{code}-{category}" if f"rate-{code}-{category}" in data else f"new-{category}"
            raw = (data.get(field) or "").strip()
            if code == new_code and field.startswith("new-") and not raw:
                raw = "0"
            try:
                value = Decimal(raw or "0")
            except InvalidOperation:
                errors[field] = _("Enter a price such as 0.0125.")
                continue
            if value < 0 or value >= 1000:
                errors[field] = _("Enter a price from 0 up to 999.")
                continue
            rates[(category, code)] = value
    if "" not in codes:
        errors["rate--marketing"] = _("The default row (every other country) is required.")
    if errors:
        raise PricesInvalid(errors)
    with transaction.atomic():
        PriceRate.objects.filter(workspace=workspace).delete()
        PriceRate.objects.bulk_create([PriceRate(workspace=workspace, category=c, calling_code=code, rate=v)
                                       for (c, code), v in rates.items()])
        record_audit(workspace, "insights_prices_changed", actor=actor, target=_("Message prices"),
                     rows=len(rates))
    return RateTable(rates)
