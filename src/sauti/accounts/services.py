"""Writes for users, workspaces and memberships; each one leaves an audit entry where it matters."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from sauti.accounts.models import AuditEntry, Membership, Role, User, Workspace


def record_audit(workspace: Workspace | None, action: str, *, actor: User | None = None,
                 target: str = "", **details: Any) -> AuditEntry:
    return AuditEntry.objects.create(workspace=workspace, actor=actor, action=action, target=target,
                                     details=details)


@transaction.atomic
def create_admin(email: str, password: str) -> User:
    """Create (or update the password of) a site administrator, who can open every workspace."""
    user = User.objects.filter(email=email.lower()).first()
    if user is None:
        user = User.objects.create_superuser(email, password)
    else:
        user.set_password(password)
        user.is_superuser = user.is_staff = True
        user.save()
    record_audit(None, "admin_created", target=user.email)
    return user


@transaction.atomic
def create_workspace(*, name: str, phone_number_id: str | None = None, waba_id: str = "",
                     access_token: str = "", app_secret: str = "", verify_token: str = "",
                     graph_url: str = "", timezone: str = "UTC", send_rate: int = 80,
                     display_phone_number: str = "", owner: User | None = None) -> Workspace:
    workspace = Workspace.objects.create(
        name=name, phone_number_id=phone_number_id or None, waba_id=waba_id, access_token=access_token,
        app_secret=app_secret, verify_token=verify_token, graph_url=graph_url, timezone=timezone,
        send_rate=send_rate, display_phone_number=display_phone_number,
    )
    if owner is not None:
        Membership.objects.create(workspace=workspace, user=owner, role=Role.OWNER)
    record_audit(workspace, "workspace_created", actor=owner, target=str(workspace.uuid))
    return workspace


@transaction.atomic
def update_workspace_settings(workspace: Workspace, *, actor: User | None, name: str | None = None,
                              timezone: str | None = None, settings: dict[str, Any] | None = None) -> Workspace:
    """Change a workspace's name, timezone and keys of its settings (others stay as they are).

    The caller checks the role ("settings.edit"); every change is audited with what changed.
    """
    changed: dict[str, Any] = {}
    fields: list[str] = []
    if name is not None and name != workspace.name:
        changed["name"] = name
        workspace.name = name
        fields.append("name")
    if timezone is not None and timezone != workspace.timezone:
        changed["timezone"] = timezone
        workspace.timezone = timezone
        fields.append("timezone")
    if settings:
        merged = {**workspace.settings, **settings}
        diff = {k: v for k, v in settings.items() if workspace.settings.get(k) != v}
        if diff:
            changed.update(diff)
            workspace.settings = merged
            fields.append("settings")
    if fields:
        workspace.save(update_fields=fields)
        record_audit(workspace, "workspace_settings_changed", actor=actor, target=str(workspace.uuid),
                     changes=sorted(changed))
    return workspace
