"""Settings → People fields, under /w/<workspace uuid>/settings/people-fields/."""

from django.urls import path

from sauti.contacts.views import fields

app_name = "people-fields"

urlpatterns = [
    path("", fields.field_list, name="list"),
    path("<slug:key>/", fields.field_edit, name="edit"),
    path("<slug:key>/delete/", fields.field_delete, name="delete"),
]
