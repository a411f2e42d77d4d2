from django.urls import path

from sauti.integrations import views

app_name = "integrations"
urlpatterns = [
    path("", views.webhooks_page, name="webhooks"),
    path("<uuid:webhook>/", views.webhook_page, name="webhook"),
    path("<uuid:webhook>/<str:action>/", views.webhook_action, name="webhook-action"),
    path("deliveries/<uuid:delivery>/retry/", views.retry_delivery_view, name="delivery-retry"),
    path("integrations/<uuid:integration>/<str:action>/", views.integration_action, name="integration-action"),
    path("integrations/<uuid:integration>/chats/<uuid:chat>/act/", views.run_action_view, name="run-action"),
]
