from django.urls import path

from sauti.api import views

urlpatterns = [
    path("", views.tokens_page, name="api-tokens"),
    path("<uuid:token>/revoke/", views.revoke_token_view, name="api-token-revoke"),
]
