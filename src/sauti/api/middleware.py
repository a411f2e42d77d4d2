"""Adds Turn's rate-limit headers to every API answer whose call was counted (errors included)."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse


class RateLimitHeaders:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        quota = getattr(request, "api_quota", None)
        if quota is not None:
            for name, value in quota.headers().items():
                response[name] = value
        return response
