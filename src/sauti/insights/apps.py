"""Insights: audience, engagement, journeys, inbox and billing figures, kept incrementally."""
from django.apps import AppConfig


class InsightsConfig(AppConfig):
    name = "sauti.insights"
    label = "insights"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.conf import settings
        from django.utils.translation import gettext_lazy as _

        from sauti.insights.services.aggregate import aggregate_recent, aggregate_weeks
        from sauti.timers.scheduler import register_job
        from sauti.web.nav import register_nav, register_settings

        register_nav("insights", _("Insights"), "insights:audience", perm="insights.view", order=60,
                     icon='<path d="M4 20V10M10 20V4M16 20v-7M22 20H2"/>')
        register_settings("insights-prices", _("Message prices"), "insights:prices", perm="insights.edit", order=60,
                          description=_("The estimated price of each billable message, per category and "
                                        "country, used by Insights → Billing."))
        register_job("insights: aggregate new activity", float(getattr(settings, "SAUTI_INSIGHTS_EVERY", 300)),
                     aggregate_recent)
        register_job("insights: recompute the last five weeks", 86_400.0, aggregate_weeks)
