"""A fake WhatsApp Cloud API: a real HTTP server for tests, demos and benchmarks (no Django).

Graph endpoints (any `/vNN.N` prefix, Bearer token required):
  POST   /<phone-number-id>/messages          send (validated like Meta) or mark as read
  POST   /<phone-number-id>/media             upload (multipart)      GET|DELETE /<media-id>
  GET|POST|DELETE /<waba-id>/message_templates                          GET|POST /<template-id>
After each accepted send, signed sent/delivered/read status webhooks follow, batched. A new
template is APPROVED after the approval delay, or REJECTED (INVALID_FORMAT) when its name
contains "reject"; either way a signed `message_template_status_update` webhook is delivered.

Control endpoints (no token): /_fake/health, /_fake/inbound, /_fake/inbound-raw, /_fake/sent,
/_fake/reads, /_fake/faults, /_fake/templates, /_fake/templates/<id>/status, /_fake/webhooks,
/_fake/media/<id> (the download URL), /_fake/reset. See control_api.py for their bodies.
"""
