from django.apps import AppConfig


class ContactsConfig(AppConfig):
    name = "sauti.contacts"
    label = "contacts"
    default_auto_field = "django.db.models.BigAutoField"
