from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "sauti.web"
    label = "web"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from sauti.web.nav import register_settings

        register_settings("team", _("Team"), "team", perm="members.manage", order=10,
                          description=_("Members, their roles, and invitations to join."))
        register_settings("audit", _("Audit log"), "audit-log", perm="audit.view", order=90,
                          description=_("Role changes, tokens, exports, deletions: who did what, when."))
