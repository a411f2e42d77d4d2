"""Insights pages, under /w/<workspace uuid>/insights/."""

from django.urls import path

from sauti.insights import views

app_name = "insights"

urlpatterns = [
    path("", views.home, name="home"),
    path("audience/", views.audience_page, name="audience"),
    path("engagement/", views.engagement_page, name="engagement"),
    path("journeys/", views.journeys_page, name="journeys"),
    path("inbox/", views.inbox_page, name="inbox"),
    path("billing/", views.billing_page, name="billing"),
    path("prices/", views.prices, name="prices"),
    path("<slug:section>/<slug:panel>.csv", views.panel_csv, name="csv"),
]
