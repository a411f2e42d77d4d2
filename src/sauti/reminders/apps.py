"""Reminders and broadcasts: WhatsApp templates or journeys, SMS and email, to an audience, on a schedule."""

from django.apps import AppConfig


class RemindersConfig(AppConfig):
    name = "sauti.reminders"
    label = "reminders"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from sauti.reminders.dispatch import DISPATCH_TIMER, fire_dispatch_timer, resume_stalled_runs
        from sauti.reminders.services import RUN_TIMER, fire_run_timer
        from sauti.timers.scheduler import register_job
        from sauti.timers.services import register_timer_handler
        from sauti.web.nav import register_nav, register_settings

        register_timer_handler(RUN_TIMER, fire_run_timer)
        register_timer_handler(DISPATCH_TIMER, fire_dispatch_timer)
        register_job("reminders: resume stalled runs", 15.0, resume_stalled_runs)
        register_nav("reminders", _("Reminders"), "reminders:list", perm="reminders.view", order=35,
                     icon='<path d="M6 8a6 6 0 0 1 12 0c0 7 3 8 3 8H3s3-1 3-8"/><path d="M10 20a2 2 0 0 0 4 0"/>')
        register_settings("reminders", _("SMS & email"), "reminders:channels", perm="settings.view", order=45,
                          description=_("The SMS provider and the email sender that reminders and broadcasts use."))
