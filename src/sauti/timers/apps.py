from django.apps import AppConfig


class TimersConfig(AppConfig):
    name = "sauti.timers"
    label = "timers"
    default_auto_field = "django.db.models.BigAutoField"
