from django.apps import AppConfig


class ContactsConfig(AppConfig):
    name = "sauti.contacts"
    label = "contacts"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from sauti.contacts.services.transfers import resume_stalled_transfers
        from sauti.timers.scheduler import register_job
        from sauti.web.nav import register_nav, register_settings

        register_nav("people", _("People"), "people:list", perm="people.view", order=20,
                     icon='<circle cx="9" cy="8" r="3.5"/><path d="M2.5 20a6.5 6.5 0 0 1 13 0"/>'
                          '<path d="M16 4.5a3.5 3.5 0 0 1 0 7M18.5 20a6.5 6.5 0 0 0-3-5.5"/>')
        register_settings("people-fields", _("People fields"), "people-fields:list", perm="people.fields", order=20,
                          description=_("The profile every person has: reserved fields, your own fields, their "
                                        "types and which are private."))
        register_job("people: resume stalled imports and exports", 30.0, resume_stalled_transfers)
