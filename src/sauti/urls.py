"""URL map: the web UI, the webhook, the API."""

from django.contrib.auth import views as auth_views
from django.urls import include, path, reverse_lazy

from sauti.api.router import api
from sauti.reminders.channels.sms_views import sms_status_callback
from sauti.web import settings_views, team_views, views
from sauti.web.views import setup_first

handler403 = "sauti.web.views.permission_denied"
handler404 = "sauti.web.views.page_not_found"

urlpatterns = [
    path("health", views.health, name="health"),
    path("webhooks/whatsapp", views.whatsapp_webhook, name="whatsapp-webhook"),
    path("", views.home, name="home"),
    path("setup/", views.setup, name="setup"),
    path("login/", setup_first(views.LoginView.as_view()), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("password-reset/", setup_first(views.PasswordResetView.as_view()), name="password_reset"),
    path("password-reset/sent/", setup_first(auth_views.PasswordResetDoneView.as_view()),
         name="password_reset_done"),
    path("password-reset/<uidb64>/<token>/",
         setup_first(auth_views.PasswordResetConfirmView.as_view(success_url=reverse_lazy("password_reset_complete"))),
         name="password_reset_confirm"),
    path("password-reset/done/", setup_first(auth_views.PasswordResetCompleteView.as_view()),
         name="password_reset_complete"),
    path("workspaces/demo/", views.create_demo, name="demo"),
    path("workspaces/new/", views.new_workspace, name="workspace-new"),
    path("w/<uuid:workspace>/", views.workspace_home, name="workspace"),
    path("w/<uuid:workspace>/settings/", settings_views.settings_home, name="settings"),
    path("w/<uuid:workspace>/settings/general/", settings_views.settings_general, name="settings-general"),
    path("w/<uuid:workspace>/settings/tokens/", include("sauti.api.urls")),
    path("w/<uuid:workspace>/settings/webhooks/", include("sauti.integrations.urls")),
    path("w/<uuid:workspace>/settings/team/", team_views.team, name="team"),
    path("w/<uuid:workspace>/settings/team/invite/", team_views.invite, name="team-invite"),
    path("w/<uuid:workspace>/settings/team/<uuid:user>/role/", team_views.change_role, name="team-role"),
    path("w/<uuid:workspace>/settings/team/<uuid:user>/remove/", team_views.remove, name="team-remove"),
    path("w/<uuid:workspace>/settings/team/invitations/<uuid:invitation>/revoke/", team_views.revoke,
         name="team-revoke"),
    path("w/<uuid:workspace>/settings/audit/", team_views.audit_log, name="audit-log"),
    path("invitations/<str:token>/", team_views.invitation, name="invitation"),
    path("w/<uuid:workspace>/journeys/", include("sauti.journeys.urls")),
    path("w/<uuid:workspace>/content/", include("sauti.content.urls")),
    path("w/<uuid:workspace>/people/", include("sauti.contacts.urls")),
    path("w/<uuid:workspace>/settings/people-fields/", include("sauti.contacts.urls_fields")),
    path("w/<uuid:workspace>/inbox/", include("sauti.inbox.urls")),
    path("w/<uuid:workspace>/insights/", include("sauti.insights.urls")),
    path("w/<uuid:workspace>/reminders/", include("sauti.reminders.urls")),
    path("reminders/sms/<uuid:workspace>/status", sms_status_callback, name="reminders-sms-status"),
    path("", api.urls),
]
