from django.apps import AppConfig


class InboxConfig(AppConfig):
    name = "sauti.inbox"
    label = "inbox"
    default_auto_field = "django.db.models.BigAutoField"
