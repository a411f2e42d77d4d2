"""Health check, the WhatsApp webhook endpoint and the welcome page."""

from __future__ import annotations

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

import sauti
from sauti.messaging import ingest


def health(request: HttpRequest) -> JsonResponse:
    """200 when the database answers; load balancers and `sauti` scripts poll this."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:
        return JsonResponse({"status": "error", "database": "unavailable", "detail": type(exc).__name__}, status=503)
    return JsonResponse({"status": "ok", "database": connection.vendor, "version": sauti.__version__})


@csrf_exempt
@require_http_methods(["GET", "POST"])
def whatsapp_webhook(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        challenge = ingest.verify_subscription(request.GET.get("hub.mode"), request.GET.get("hub.verify_token"),
                                               request.GET.get("hub.challenge"))
        if challenge is None:
            return HttpResponse("verification failed", status=403, content_type="text/plain")
        return HttpResponse(challenge, content_type="text/plain")
    try:
        event = ingest.receive(request.body, request.headers.get("X-Hub-Signature-256"))
    except ingest.IngestError as exc:
        return JsonResponse({"error": exc.message}, status=exc.status)
    return JsonResponse({"status": "stored", "event": event.id})


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "web/home.html", {"version": sauti.__version__})
