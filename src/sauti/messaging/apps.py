from django.apps import AppConfig


class MessagingConfig(AppConfig):
    name = "sauti.messaging"
    label = "messaging"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from sauti import wakeups

        wakeups.connect_signals()
