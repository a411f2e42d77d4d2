from django.apps import AppConfig


class IntegrationsConfig(AppConfig):
    name = "sauti.integrations"
    label = "integrations"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from sauti.inbox.panels import register_panel, register_suggestions
        from sauti.integrations import claims, delivery, panel, retention
        from sauti.messaging.routing import register_inbound_handler
        from sauti.timers.scheduler import register_job
        from sauti.web.nav import register_settings

        # Ahead of journeys (order 10): a claimed chat is left to the service that claimed it.
        register_inbound_handler(claims.hold_claimed_message, order=5)
        register_job("sweep lost webhook deliveries", 15.0, delivery.sweep)
        register_job("prune old webhook deliveries and claims", 3600.0, retention.prune)
        register_panel("integrations", _("Integrations"), panel.render_panel, order=50)
        register_suggestions(panel.suggestions)
        register_settings("webhooks", _("Webhooks & integrations"), "integrations:webhooks",
                          perm="webhooks.manage", order=60,
                          description=_("Send messages and statuses to your own systems, signed; "
                                        "show context from them in the inbox."))
