"""People pages, under /w/<workspace uuid>/people/."""

from django.urls import path

from sauti.contacts.views import people, segments, transfers

app_name = "people"

urlpatterns = [
    path("", people.people_list, name="list"),
    path("new/", people.person_new, name="new"),
    path("segments/", segments.segment_list, name="segments"),
    path("segments/count/", segments.segment_count, name="segment-count"),
    path("segments/new/", segments.segment_create, name="segment-create"),
    path("segments/<uuid:segment>/", segments.segment_update, name="segment-update"),
    path("segments/<uuid:segment>/delete/", segments.segment_delete, name="segment-delete"),
    path("import/", transfers.import_start, name="import"),
    path("import/helper.csv", transfers.import_helper, name="import-helper"),
    path("import/<uuid:job>/", transfers.import_detail, name="import-detail"),
    path("import/<uuid:job>/check/", transfers.import_check, name="import-check"),
    path("import/<uuid:job>/run/", transfers.import_run, name="import-run"),
    path("export/", transfers.export_start, name="export"),
    path("export/<uuid:job>/", transfers.export_detail, name="export-detail"),
    path("export/<uuid:job>/download/", transfers.export_download, name="export-download"),
    path("<uuid:person>/", people.person_detail, name="detail"),
    path("<uuid:person>/edit/", people.person_edit, name="edit"),
    path("<uuid:person>/delete/", people.person_delete, name="delete"),
]
