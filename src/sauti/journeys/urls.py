"""Journeys pages, under /w/<workspace uuid>/journeys/."""

from django.urls import path

from sauti.journeys import views

app_name = "journeys"

urlpatterns = [
    path("", views.journey_list, name="list"),
    path("new/", views.journey_new, name="new"),
    path("import/", views.journey_import, name="import"),
    path("<uuid:journey>/", views.journey_edit, name="edit"),
    path("<uuid:journey>/save/", views.journey_save, name="save"),
    path("<uuid:journey>/publish/", views.journey_publish, name="publish"),
    path("<uuid:journey>/stage/", views.journey_stage, name="stage"),
    path("<uuid:journey>/toggle/", views.journey_toggle, name="toggle"),
    path("<uuid:journey>/export/", views.journey_export, name="export"),
    path("<uuid:journey>/versions/", views.journey_versions, name="versions"),
    path("<uuid:journey>/versions/<uuid:version>/roll-back/", views.journey_roll_back, name="roll-back"),
    path("<uuid:journey>/simulator/", views.journey_simulator, name="simulator"),
    path("<uuid:journey>/simulator/restart/", views.journey_simulator_restart, name="simulator-restart"),
    path("<uuid:journey>/simulator/contact/", views.journey_simulator_contact, name="simulator-contact"),
]
