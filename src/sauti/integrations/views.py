"""Settings → Webhooks & integrations: endpoints with their delivery logs, and context integrations."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from sauti.integrations import services
from sauti.integrations.forms import IntegrationForm, WebhookForm
from sauti.integrations.models import SUBSCRIPTIONS, Delivery, Integration, Webhook
from sauti.web.nav import settings_for
from sauti.web.workspaces import Access, workspace_page

LOG_PAGE = 50
SHOW_ONCE = "sauti_new_integration_secret"  # a secret shown on the next page only (post/redirect/get)


def _page(request: HttpRequest, access: Access, template: str, status: int = 200, **extra: Any) -> HttpResponse:
    context = {"access": access, "active_nav": "settings", "sections": settings_for(access, "webhooks"),
               "subscription_labels": SUBSCRIPTIONS, **extra}
    return render(request, template, context, status=status)


def _webhook_rows(access: Access) -> list[dict[str, Any]]:
    hooks = (Webhook.objects.filter(workspace=access.workspace).order_by("created_at")
             .annotate(pending=Count("deliveries", filter=Q(deliveries__state=Delivery.State.PENDING)),
                       failed=Count("deliveries", filter=Q(deliveries__state=Delivery.State.FAILED))))
    rows = []
    for hook in hooks:
        last = Delivery.objects.filter(webhook=hook).order_by("-id").only(
            "state", "response_status", "created_at", "error").first()
        rows.append({"webhook": hook, "last": last,
                     "subscriptions": [(s, SUBSCRIPTIONS[s]) for s in hook.subscriptions if s in SUBSCRIPTIONS]})
    return rows


@workspace_page(perm="webhooks.manage")
@require_http_methods(["GET", "POST"])
def webhooks_page(request: HttpRequest, access: Access) -> HttpResponse:
    workspace = access.workspace
    kind = request.POST.get("kind")
    webhook_form = WebhookForm(request.POST if kind == "webhook" else None, workspace=workspace, prefix="webhook")
    integration_form = IntegrationForm(request.POST if kind == "integration" else None, workspace=workspace,
                                       prefix="integration")
    secret, status = None, 200
    if kind == "webhook":
        if webhook_form.is_valid():
            hook = services.create_webhook(workspace, url=webhook_form.cleaned_data["url"],
                                           subscriptions=webhook_form.cleaned_data["subscriptions"],
                                           actor=request.user)
            request.session[SHOW_ONCE] = {"url": hook.url, "value": hook.secret}
            return redirect("integrations:webhooks", workspace=workspace.uuid)
        else:
            status = 400
    elif kind == "integration":
        if integration_form.is_valid():
            integration = services.create_integration(workspace, name=integration_form.cleaned_data["name"],
                                                      url=integration_form.cleaned_data["url"], actor=request.user)
            request.session[SHOW_ONCE] = {"url": integration.url, "value": integration.secret}
            return redirect("integrations:webhooks", workspace=workspace.uuid)
        else:
            status = 400
    if request.method == "GET":
        secret = request.session.pop(SHOW_ONCE, None)
    integrations = list(Integration.objects.filter(workspace=workspace).order_by("name", "id"))
    return _page(request, access, "integrations/webhooks.html", status, rows=_webhook_rows(access),
                 webhook_form=webhook_form, integration_form=integration_form, integrations=integrations,
                 secret=secret, base_url=request.build_absolute_uri("/").rstrip("/"))


def _access_webhook(access: Access, webhook_uuid: Any) -> Webhook:
    hook = Webhook.objects.filter(workspace=access.workspace, uuid=webhook_uuid).first()
    if hook is None:
        raise Http404(_("No such webhook."))
    return hook


@workspace_page(perm="webhooks.manage")
@require_http_methods(["GET", "POST"])
def webhook_page(request: HttpRequest, access: Access, webhook: Any) -> HttpResponse:
    hook = _access_webhook(access, webhook)
    initial = {"url": hook.url, "subscriptions": hook.subscriptions}
    form = WebhookForm(request.POST or None, initial=initial, workspace=access.workspace)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            services.update_webhook(hook, url=form.cleaned_data["url"],
                                    subscriptions=form.cleaned_data["subscriptions"], actor=request.user)
            messages.success(request, _("Webhook saved."))
            return redirect("integrations:webhook", workspace=access.workspace.uuid, webhook=hook.uuid)
        status = 400
    state = request.GET.get("state", "")
    log = Delivery.objects.filter(webhook=hook).order_by("-id")
    if state in Delivery.State.values:
        log = log.filter(state=state)
    before = request.GET.get("before", "")
    if before.isdigit():
        log = log.filter(id__lt=int(before))
    deliveries = list(log[:LOG_PAGE + 1])
    more = deliveries[LOG_PAGE - 1].id if len(deliveries) > LOG_PAGE else None
    return _page(request, access, "integrations/webhook.html", status, webhook=hook, form=form,
                 deliveries=deliveries[:LOG_PAGE], more=more, state=state, states=Delivery.State.choices)


@workspace_page(perm="webhooks.manage")
@require_POST
def webhook_action(request: HttpRequest, access: Access, webhook: Any, action: str) -> HttpResponse:
    hook = _access_webhook(access, webhook)
    back = redirect("integrations:webhooks", workspace=access.workspace.uuid)
    if action == "enable":
        services.set_webhook_enabled(hook, True, actor=request.user)
        messages.success(request, _("Webhook enabled: what was waiting is being delivered, in order."))
    elif action == "disable":
        services.set_webhook_enabled(hook, False, actor=request.user)
        messages.success(request, _("Webhook disabled."))
    elif action == "rotate":
        value = services.rotate_webhook_secret(hook, actor=request.user)
        request.session[SHOW_ONCE] = {"url": hook.url, "value": value, "rotated": True}
    elif action == "delete":
        services.delete_webhook(hook, actor=request.user)
        messages.success(request, _("Webhook deleted."))
    else:
        raise Http404(_("No such action."))
    return back


@workspace_page(perm="webhooks.manage")
@require_POST
def retry_delivery_view(request: HttpRequest, access: Access, delivery: Any) -> HttpResponse:
    row = Delivery.objects.filter(workspace=access.workspace, uuid=delivery).select_related("webhook").first()
    if row is None:
        raise Http404(_("No such delivery."))
    services.retry_delivery(row, actor=request.user)
    messages.success(request, _("The delivery will be sent again."))
    return redirect("integrations:webhook", workspace=access.workspace.uuid, webhook=row.webhook.uuid)


@workspace_page(perm="webhooks.manage")
@require_POST
def integration_action(request: HttpRequest, access: Access, integration: Any, action: str) -> HttpResponse:
    row = Integration.objects.filter(workspace=access.workspace, uuid=integration).first()
    if row is None:
        raise Http404(_("No such integration."))
    if action in ("enable", "handshake"):
        services.set_integration_enabled(row, True, actor=request.user)
        messages.success(request, _("Sauti is asking the integration what it offers."))
    elif action == "disable":
        services.set_integration_enabled(row, False, actor=request.user)
        messages.success(request, _("Integration disabled."))
    elif action == "delete":
        services.delete_integration(row, actor=request.user)
        messages.success(request, _("Integration deleted."))
    else:
        raise Http404(_("No such action."))
    return redirect("integrations:webhooks", workspace=access.workspace.uuid)


@workspace_page(perm="inbox.reply")
@require_POST
def run_action_view(request: HttpRequest, access: Access, integration: Any, chat: Any) -> HttpResponse:
    """An operator picked an integration's action in the inbox panel: a worker calls the integration."""
    from django.db import transaction

    from sauti.integrations.tasks import run_action
    from sauti.messaging.models import Chat

    row = Integration.objects.filter(workspace=access.workspace, uuid=integration, enabled=True).first()
    target = Chat.objects.filter(workspace=access.workspace, uuid=chat).first()
    if row is None or target is None:
        raise Http404(_("No such integration or chat."))
    action_id, option = request.POST.get("action", ""), request.POST.get("option") or None
    transaction.on_commit(lambda: run_action.enqueue(row.id, target.id, action_id, option, request.user.id))
    from django.utils.html import format_html

    return HttpResponse(format_html('<p class="small muted" role="status">{}</p>',
                                    _("Sent to %(name)s.") % {"name": row.name}))
