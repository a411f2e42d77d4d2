from django.apps import AppConfig


class InboxConfig(AppConfig):
    name = "sauti.inbox"
    label = "inbox"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from sauti.inbox import handover
        from sauti.inbox.services.autoclose import TIMER_KIND, fire_auto_close
        from sauti.messaging.routing import register_inbound_handler
        from sauti.timers.services import register_timer_handler
        from sauti.web.nav import register_nav, register_settings

        register_inbound_handler(handover.inbox, order=1000)
        register_timer_handler(TIMER_KIND, fire_auto_close)
        register_nav("inbox", _("Inbox"), "inbox:home", perm="inbox.view", order=10,
                     icon='<path d="M22 12h-6l-2 3h-4l-2-3H2"/><path d="M5.5 5.1 2 12v6a2 2 0 0 0 2 2h16a2 2 0 0 0 '
                          '2-2v-6l-3.5-6.9A2 2 0 0 0 16.7 4H7.3a2 2 0 0 0-1.8 1.1z"/>')
        register_settings("inbox", _("Inbox & routing"), "inbox:settings", perm="settings.view", order=20,
                          description=_("Routing of new chats, operator capacity, labels and automatic closure."))
