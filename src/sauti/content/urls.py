"""Templates area pages, under /w/<workspace uuid>/content/."""

from django.urls import path

from sauti.content.views import canned, library, settings, templates

app_name = "content"

urlpatterns = [
    path("templates/", templates.template_list, name="templates"),
    path("templates/new/", templates.template_new, name="template-new"),
    path("templates/sync/", templates.template_sync, name="template-sync"),
    path("templates/<uuid:template>/", templates.template_detail, name="detail"),
    path("templates/<uuid:template>/status/", templates.template_status, name="status"),
    path("templates/<uuid:template>/submit/", templates.template_submit, name="submit"),
    path("templates/<uuid:template>/test/", templates.template_test, name="test"),
    path("templates/<uuid:template>/copy/", templates.template_copy, name="copy"),
    path("templates/<uuid:template>/delete/", templates.template_delete, name="delete"),
    path("media/", library.media_list, name="media"),
    path("media/<uuid:media>/file/", library.media_file, name="media-file"),
    path("media/<uuid:media>/delete/", library.media_delete, name="media-delete"),
    path("canned-replies/", canned.canned_list, name="canned"),
    path("canned-replies/new/", canned.canned_new, name="canned-new"),
    path("canned-replies/<uuid:reply>/", canned.canned_edit, name="canned-edit"),
    path("canned-replies/<uuid:reply>/delete/", canned.canned_delete, name="canned-delete"),
    path("settings/", settings.content_settings, name="settings"),
]
