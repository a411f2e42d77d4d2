"""`POST /<phone-number-id>/messages`: validate, apply injected faults, record, schedule statuses."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from .envelopes import failed_status_item, status_item
from .errors import GraphError, bad_param, fault_error, unknown_object
from .http_io import Request, Response, json_response
from .ids import new_wamid
from .store import now_iso
from .templates import check_template_send
from .validation import OutboundMessage, ReadReceipt, check_message_request

if TYPE_CHECKING:
    from .app import FakeCloudAPI


async def post_message(fake: FakeCloudAPI, request: Request, phone_number_id: str) -> Response:
    """Answer like Meta: the wamid on success, `{"success": true}` for a read receipt, else a Graph error."""
    config = fake.config
    if phone_number_id != config.phone_number_id:
        raise unknown_object(phone_number_id, "POST")
    try:
        body = request.json()
    except ValueError:
        raise bad_param("body", "the request body is not valid JSON") from None
    checked = check_message_request(body)
    if isinstance(checked, ReadReceipt):
        fake.store.reads.append({"message_id": checked.message_id, "typing_indicator": checked.typing_indicator,
                                 "received_at": now_iso()})
        return json_response({"success": True})
    if checked.wa_id == config.display_phone_number:
        raise GraphError(131021, "to: the recipient is this business number")
    category = "service"
    if checked.template is not None:
        name, language, body_params, header_params = checked.template
        template = check_template_send(fake.store.find_template(name, language), name, language, body_params,
                                       header_params)
        category = template.category.lower()
    fault = fake.store.take_fault(checked.wa_id)
    if fault is not None and fault.mode == "response":
        raise fault_error(fault.code)
    wamid = new_wamid(checked.wa_id)
    fake.store.record_sent(wamid, checked.to, checked.wa_id, body)
    if fault is not None:
        _schedule_failure(fake, wamid, checked, fault_error(fault.code))
    else:
        _schedule_statuses(fake, wamid, checked, category)
    return json_response({"messaging_product": "whatsapp",
                          "contacts": [{"input": checked.to, "wa_id": checked.wa_id}],
                          "messages": [{"id": wamid}]})


def _schedule_statuses(fake: FakeCloudAPI, wamid: str, message: OutboundMessage, category: str) -> None:
    config = fake.config
    delay = config.status_delay_ms / 1000
    now = time.time()
    conversation = fake.store.conversation(message.wa_id, category, now)
    for step, status in enumerate(config.statuses, start=1):
        item = status_item(wamid, status, message.wa_id, int(now + step * delay), category=category,
                           conversation=conversation, opaque=message.biz_opaque_callback_data)
        fake.webhooks.schedule_status(item, step * delay)


def _schedule_failure(fake: FakeCloudAPI, wamid: str, message: OutboundMessage, error: GraphError) -> None:
    delay = fake.config.status_delay_ms / 1000
    item = failed_status_item(wamid, message.wa_id, int(time.time() + delay), error.to_webhook_error(),
                              message.biz_opaque_callback_data)
    fake.webhooks.schedule_status(item, delay)
