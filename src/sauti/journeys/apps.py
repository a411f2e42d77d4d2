from django.apps import AppConfig


class JourneysConfig(AppConfig):
    name = "sauti.journeys"
    label = "journeys"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from sauti.journeys.runner import routing
        from sauti.messaging.routing import register_inbound_handler

        register_inbound_handler(routing.handle_inbound_message, order=10)
        from sauti.journeys.runner import timers

        timers.register()
        from django.utils.translation import gettext_lazy as _

        from sauti.web.nav import register_nav

        register_nav("journeys", _("Journeys"), "journeys:list", perm="journeys.view", order=30,
                     icon='<circle cx="6" cy="6" r="2.5"/><circle cx="18" cy="12" r="2.5"/><circle cx="6" cy="18" '
                          'r="2.5"/><path d="M8.5 6h3a4 4 0 0 1 4 4v0M8.5 18h3a4 4 0 0 0 4-4v0"/>')
