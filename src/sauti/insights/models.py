"""Daily rollups of every Insights figure, the aggregation job's watermarks and the price table.

Rollups are derived data: the aggregation job (services/aggregate.py) recomputes whole days from
the source rows, so nothing here is ever edited by hand except the price table.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from sauti.accounts.models import Workspace


class DailyCount(models.Model):
    """One number for one workspace, local day, metric and dimension (and duration bucket).

    `day` is a date in the workspace's timezone; weekly and monthly distinct counts use the first
    day of the week (Monday) or month. `bucket` is the lower bound in seconds of a duration bucket
    (response and completion times), 0 for plain counts.
    """

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    metric = models.CharField(max_length=32)
    day = models.DateField()
    dimension = models.CharField(max_length=200, blank=True, default="")
    bucket = models.IntegerField(default=0)
    value = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            # One row per figure; also the index every dashboard read uses (workspace, metric, day range).
            models.UniqueConstraint(fields=["workspace", "metric", "day", "dimension", "bucket"],
                                    name="dailycount_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.metric}[{self.dimension}] {self.day}: {self.value}"


class Watermark(models.Model):
    """The highest source row id the aggregation job has looked at, per source table."""

    source = models.CharField(max_length=40, unique=True)
    last_id = models.BigIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.source} @ {self.last_id}"


class PriceRate(models.Model):
    """An estimated price per billable message, per pricing category and calling code.

    `calling_code` "" is the workspace's rate for every country without a row of its own.
    """

    class Category(models.TextChoices):
        MARKETING = "marketing", _("Marketing")
        UTILITY = "utility", _("Utility")
        AUTHENTICATION = "authentication", _("Authentication")
        SERVICE = "service", _("Service")

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    category = models.CharField(max_length=20, choices=Category.choices)
    calling_code = models.CharField(max_length=4, blank=True, default="")
    rate = models.DecimalField(max_digits=10, decimal_places=4)
    currency = models.CharField(max_length=3, default="USD")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["workspace", "category", "calling_code"],
                                               name="pricerate_unique")]

    def __str__(self) -> str:
        return f"{self.category} +{self.calling_code or '*'}: {self.rate}"
