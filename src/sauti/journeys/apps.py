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
