"""Writes for webhooks and context integrations; each change is audited and refreshes the cache
the message path reads (interest.py)."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from sauti.accounts.models import Membership, Role, User, Workspace
from sauti.accounts.services import record_audit
from sauti.integrations import interest
from sauti.integrations.models import SUBSCRIPTIONS, Delivery, Integration, Webhook
from sauti.integrations.signing import new_secret


def _changed() -> None:
    """The message path's cache of who listens: now in this process (tests), and after commit."""
    interest.forget()
    transaction.on_commit(interest.forget)


class InvalidSubscriptions(ValueError):
    pass


def _check_subscriptions(subscriptions: list[str]) -> list[str]:
    unknown = [s for s in subscriptions if s not in SUBSCRIPTIONS]
    if unknown or not subscriptions:
        raise InvalidSubscriptions("choose at least one of " + ", ".join(SUBSCRIPTIONS))
    return [s for s in SUBSCRIPTIONS if s in subscriptions]


@transaction.atomic
def create_webhook(workspace: Workspace, *, url: str, subscriptions: list[str], secret: str = "",
                   actor: User | None) -> Webhook:
    """A new enabled endpoint; a secret is made when none is given. The caller checks "webhooks.manage"."""
    webhook = Webhook.objects.create(workspace=workspace, url=url, secret=secret or new_secret(),
                                     subscriptions=_check_subscriptions(subscriptions), created_by=actor)
    record_audit(workspace, "webhook_created", actor=actor, target=url, webhook=str(webhook.uuid),
                 subscriptions=webhook.subscriptions)
    _changed()
    return webhook


@transaction.atomic
def update_webhook(webhook: Webhook, *, url: str, subscriptions: list[str], actor: User | None) -> Webhook:
    webhook.url = url
    webhook.subscriptions = _check_subscriptions(subscriptions)
    webhook.save(update_fields=["url", "subscriptions"])
    record_audit(webhook.workspace, "webhook_changed", actor=actor, target=url, webhook=str(webhook.uuid),
                 subscriptions=webhook.subscriptions)
    _changed()
    return webhook


@transaction.atomic
def rotate_webhook_secret(webhook: Webhook, *, actor: User | None) -> str:
    """A new signing secret, effective for the next delivery; returns it (shown once)."""
    webhook.secret = new_secret()
    webhook.save(update_fields=["secret"])
    record_audit(webhook.workspace, "webhook_secret_rotated", actor=actor, target=webhook.url,
                 webhook=str(webhook.uuid))
    return webhook.secret


@transaction.atomic
def set_webhook_enabled(webhook: Webhook, enabled: bool, *, actor: User | None) -> Webhook:
    """Enabling resumes delivery where it stopped: a delivery that had failed goes first, then the
    rest in order. Disabling keeps what is pending; nothing new is recorded while disabled."""
    from sauti.integrations.tasks import deliver

    webhook.enabled = enabled
    webhook.disabled_at = None if enabled else timezone.now()
    webhook.disabled_reason = ""
    webhook.save(update_fields=["enabled", "disabled_at", "disabled_reason"])
    if enabled:
        Delivery.objects.filter(webhook=webhook, state=Delivery.State.FAILED,
                                id__gt=_last_delivered_id(webhook)).update(
            state=Delivery.State.PENDING, attempts=0, next_attempt_at=timezone.now())
        transaction.on_commit(lambda: deliver.enqueue(webhook.id))
    record_audit(webhook.workspace, "webhook_enabled" if enabled else "webhook_disabled", actor=actor,
                 target=webhook.url, webhook=str(webhook.uuid))
    _changed()
    return webhook


def _last_delivered_id(webhook: Webhook) -> int:
    last = (Delivery.objects.filter(webhook=webhook, state=Delivery.State.DELIVERED).order_by("-id")
            .values_list("id", flat=True).first())
    return last or 0


@transaction.atomic
def delete_webhook(webhook: Webhook, *, actor: User | None) -> None:
    record_audit(webhook.workspace, "webhook_deleted", actor=actor, target=webhook.url, webhook=str(webhook.uuid))
    webhook.delete()
    _changed()


@transaction.atomic
def retry_delivery(delivery: Delivery, *, actor: User | None) -> Delivery:
    """Send a failed delivery again (it goes ahead of what is pending on an enabled endpoint)."""
    from sauti.integrations.tasks import deliver

    if delivery.state == Delivery.State.FAILED:
        Delivery.objects.filter(id=delivery.id).update(state=Delivery.State.PENDING, attempts=0,
                                                       next_attempt_at=timezone.now())
        transaction.on_commit(lambda: deliver.enqueue(delivery.webhook_id))
        delivery.refresh_from_db()
    return delivery


def disable_webhook_for_failures(webhook: Webhook, reason: str) -> None:
    """Called by the delivery worker after a delivery's last retry failed."""
    now = timezone.now()
    if not Webhook.objects.filter(id=webhook.id, enabled=True).update(enabled=False, disabled_at=now,
                                                                        disabled_reason=reason):
        return
    record_audit(webhook.workspace, "webhook_disabled_after_failures", target=webhook.url,
                 webhook=str(webhook.uuid), reason=reason)
    workspace = webhook.workspace
    url = reverse("integrations:webhooks", kwargs={"workspace": workspace.uuid})
    link = settings.SAUTI_PUBLIC_URL.rstrip("/") + url if settings.SAUTI_PUBLIC_URL else url
    recipients = sorted(set(Membership.objects.filter(workspace=workspace, role__in=[Role.OWNER, Role.ADMIN])
                            .values_list("user__email", flat=True)))
    subject = _("Sauti stopped a webhook of %(workspace)s") % {"workspace": workspace.name}
    text = _("Sauti could not deliver to %(url)s and has disabled it.\n\n%(reason)s\n\n"
             "Nothing is lost: what was waiting is kept and is delivered, in order, once you enable the "
             "webhook again in Settings → Webhooks: %(link)s") % {"url": webhook.url, "reason": reason,
                                                                    "link": link}
    if recipients:
        transaction.on_commit(lambda: send_mail(subject, text, None, recipients, fail_silently=True))
    _changed()


# ---------------------------------------------------------------------------------- integrations
@transaction.atomic
def create_integration(workspace: Workspace, *, name: str, url: str, secret: str = "",
                       actor: User | None) -> Integration:
    """A new context integration; the handshake runs in a worker right after."""
    from sauti.integrations.tasks import handshake

    integration = Integration.objects.create(workspace=workspace, name=name, url=url,
                                             secret=secret or new_secret(), created_by=actor)
    record_audit(workspace, "integration_created", actor=actor, target=name, integration=str(integration.uuid))
    transaction.on_commit(lambda: handshake.enqueue(integration.id))
    _changed()
    return integration


@transaction.atomic
def set_integration_enabled(integration: Integration, enabled: bool, *, actor: User | None) -> Integration:
    from sauti.integrations.tasks import handshake

    integration.enabled = enabled
    integration.save(update_fields=["enabled"])
    if enabled:
        transaction.on_commit(lambda: handshake.enqueue(integration.id))
    record_audit(integration.workspace, "integration_enabled" if enabled else "integration_disabled",
                 actor=actor, target=integration.name, integration=str(integration.uuid))
    _changed()
    return integration


@transaction.atomic
def delete_integration(integration: Integration, *, actor: User | None) -> None:
    record_audit(integration.workspace, "integration_deleted", actor=actor, target=integration.name,
                 integration=str(integration.uuid))
    integration.delete()
    _changed()
