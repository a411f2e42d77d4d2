from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "sauti.api"
    label = "api"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from sauti.web.nav import register_settings

        register_settings("tokens", _("API tokens"), "api-tokens", perm="tokens.manage", order=50,
                          description=_("Tokens for your own systems to use Sauti's Turn-compatible API."))
