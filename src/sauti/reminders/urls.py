"""Reminders pages, under /w/<workspace uuid>/reminders/."""

from django.urls import path

from sauti.reminders import views

app_name = "reminders"

urlpatterns = [
    path("", views.reminder_list, name="list"),
    path("new/", views.reminder_new, name="new"),
    path("count/", views.audience_count, name="count"),
    path("template-params/", views.template_params, name="template-params"),
    path("settings/", views.channel_settings, name="channels"),
    path("<uuid:reminder>/", views.reminder_detail, name="detail"),
    path("<uuid:reminder>/edit/", views.reminder_edit, name="edit"),
    path("<uuid:reminder>/cancel/", views.reminder_cancel, name="cancel"),
]
