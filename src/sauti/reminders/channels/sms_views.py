"""The SMS provider's delivery reports: POST /reminders/sms/<workspace uuid>/status (Twilio's
StatusCallback), checked with the provider's signature before anything is changed."""

from __future__ import annotations

import hmac
import uuid

from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from sauti.reminders.channels.sms import apply_sms_status, status_callback_url, twilio_signature
from sauti.reminders.models import ChannelSettings


@csrf_exempt
@require_POST
def sms_status_callback(request: HttpRequest, workspace: uuid.UUID) -> JsonResponse:
    channels = ChannelSettings.objects.select_related("workspace").filter(workspace__uuid=workspace).first()
    if channels is None or not channels.sms_ready:
        return JsonResponse({"error": "unknown workspace"}, status=404)
    params = {key: request.POST.get(key, "") for key in request.POST}
    given = request.headers.get("X-Twilio-Signature", "")
    urls = {status_callback_url(str(workspace)), request.build_absolute_uri()} - {""}
    if not any(hmac.compare_digest(given, twilio_signature(channels.sms_secret, url, params)) for url in urls):
        return JsonResponse({"error": "bad signature"}, status=403)
    matched = apply_sms_status(channels.workspace_id, params.get("MessageSid", ""), params.get("MessageStatus", ""),
                               params.get("ErrorCode", ""))
    return JsonResponse({"status": "ok", "matched": matched})
