"""Content: WhatsApp message templates (authoring, approval status), the media library, canned replies."""
from django.apps import AppConfig

TEMPLATE_SYNC_EVERY_S = 15 * 60
MEDIA_REFRESH_EVERY_S = 6 * 60 * 60


class ContentConfig(AppConfig):
    name = "sauti.content"
    label = "content"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from sauti.content.services.sync import enqueue_template_syncs
        from sauti.content.tasks import enqueue_media_refresh
        from sauti.timers.scheduler import register_job
        from sauti.web.nav import register_nav, register_settings

        register_job("sync message templates", TEMPLATE_SYNC_EVERY_S, enqueue_template_syncs)
        register_job("upload expiring media again", MEDIA_REFRESH_EVERY_S, enqueue_media_refresh)
        register_nav("content", _("Templates"), "content:templates", perm="content.view", order=40,
                     icon='<rect x="4" y="3" width="16" height="18" rx="2"/><path d="M8 8h8M8 12h8M8 16h5"/>')
        register_settings("content", _("Templates & media"), "content:settings", perm="settings.view", order=40,
                          description=_("The Meta app id that media headers of templates are uploaded through."))
