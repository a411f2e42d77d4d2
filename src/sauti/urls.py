"""URL map: the web UI, the webhook, the API."""

from django.urls import path

from sauti.api.router import api
from sauti.web import views

urlpatterns = [
    path("health", views.health, name="health"),
    path("webhooks/whatsapp", views.whatsapp_webhook, name="whatsapp-webhook"),
    path("", views.home, name="home"),
    path("", api.urls),
]
