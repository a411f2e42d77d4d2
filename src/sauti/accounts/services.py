"""Writes for users, workspaces and memberships; each one leaves an audit entry where it matters."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from sauti.accounts.models import AuditEntry, Invitation, Membership, Role, User, Workspace


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


# ---------------------------------------------------------------------------- the team

class TeamChangeRefused(Exception):
    """A change to the team that the rules forbid (the last owner, a role one may not give…)."""

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.field = field


INVITATION_DAYS = 7


def _check_role_change(workspace: Workspace, actor_role: str | None, old: str | None, new: str | None) -> None:
    from django.utils.translation import gettext as _

    from sauti.accounts.permissions import assignable_roles

    allowed = assignable_roles(actor_role)
    for role in (old, new):
        if role is not None and role not in allowed:
            raise TeamChangeRefused(_("Only an owner can give or take the owner role."), "role")
    if old == Role.OWNER and new != Role.OWNER and Membership.objects.filter(
            workspace=workspace, role=Role.OWNER).count() <= 1:
        raise TeamChangeRefused(_("A workspace keeps at least one owner: make someone else owner first."), "role")


@transaction.atomic
def add_member(workspace: Workspace, *, email: str, role: str, actor: User | None = None, password: str | None = None,
               name: str = "") -> Membership:
    """Give `email` a role in the workspace, creating the account when new (unusable password
    unless one is given: they set one by password reset or through an invitation)."""
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        user = User.objects.create_user(email, password, name=name)
    elif password:
        user.set_password(password)
        user.save(update_fields=["password"])
    membership, created = Membership.objects.get_or_create(workspace=workspace, user=user, defaults={"role": role})
    if not created and membership.role != role:
        old = membership.role
        membership.role = role
        membership.save(update_fields=["role"])
        record_audit(workspace, "member_role_changed", actor=actor, target=user.email, old=old, new=role)
    elif created:
        record_audit(workspace, "member_added", actor=actor, target=user.email, role=role)
    return membership


@transaction.atomic
def change_member_role(membership: Membership, role: str, *, actor: User, actor_role: str | None) -> Membership:
    """The caller checked members.manage; this checks which roles `actor_role` may give or take."""
    if role not in Role.values:
        raise TeamChangeRefused("unknown role", "role")
    if role == membership.role:
        return membership
    _check_role_change(membership.workspace, actor_role, membership.role, role)
    old = membership.role
    membership.role = role
    membership.save(update_fields=["role"])
    record_audit(membership.workspace, "member_role_changed", actor=actor, target=membership.user.email,
                 old=old, new=role)
    return membership


@transaction.atomic
def remove_member(membership: Membership, *, actor: User, actor_role: str | None) -> None:
    """Out of the workspace: their open chats go back to Unassigned."""
    from sauti.messaging.models import Chat

    _check_role_change(membership.workspace, actor_role, membership.role, None)
    Chat.objects.filter(workspace=membership.workspace, assigned_to=membership.user, state=Chat.State.OPEN).update(
        assigned_to=None, assigned_at=None, needs_human=True)
    record_audit(membership.workspace, "member_removed", actor=actor, target=membership.user.email,
                 role=membership.role)
    membership.delete()


def _token_hash(token: str) -> str:
    import hashlib

    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def invite_member(workspace: Workspace, *, email: str, role: str, actor: User,
                  actor_role: str | None) -> tuple[Invitation, str]:
    """An invitation valid for a week; returns it and the token for the link (never stored)."""
    import datetime as dt
    import secrets

    from django.utils import timezone
    from django.utils.translation import gettext as _

    email = email.strip().lower()
    _check_role_change(workspace, actor_role, None, role)
    if Membership.objects.filter(workspace=workspace, user__email__iexact=email).exists():
        raise TeamChangeRefused(_("This person is a member already."), "email")
    now = timezone.now()
    Invitation.objects.filter(workspace=workspace, email__iexact=email, accepted_at__isnull=True,
                              revoked_at__isnull=True).update(revoked_at=now)
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(workspace=workspace, email=email, role=role, token_hash=_token_hash(token),
                                           invited_by=actor, expires_at=now + dt.timedelta(days=INVITATION_DAYS))
    record_audit(workspace, "member_invited", actor=actor, target=email, role=role)
    return invitation, token


def find_invitation(token: str) -> Invitation | None:
    """The pending invitation a link's token names, or None (unknown, used, revoked or expired)."""
    from django.utils import timezone

    invitation = Invitation.objects.select_related("workspace", "invited_by").filter(
        token_hash=_token_hash(token)).first()
    if invitation is None or not invitation.is_pending(timezone.now()):
        return None
    return invitation


@transaction.atomic
def accept_invitation(invitation: Invitation, *, user: User | None = None, password: str | None = None,
                      name: str = "") -> Membership:
    """Join the workspace: as the signed-in `user` (whose email must match), or as a new account."""
    from django.utils import timezone
    from django.utils.translation import gettext as _

    locked = Invitation.objects.select_for_update().get(id=invitation.id)
    if not locked.is_pending(timezone.now()):
        raise TeamChangeRefused(_("This invitation was used, revoked or has expired."))
    if user is not None and user.email.lower() != locked.email.lower():
        raise TeamChangeRefused(_("This invitation is for another email address."), "email")
    if user is None:
        if User.objects.filter(email__iexact=locked.email).exists():
            raise TeamChangeRefused(_("An account with this email exists: sign in to accept."), "email")
        user = User.objects.create_user(locked.email, password, name=name)
    membership, _created = Membership.objects.get_or_create(workspace=locked.workspace, user=user,
                                                             defaults={"role": locked.role})
    locked.accepted_at = timezone.now()
    locked.save(update_fields=["accepted_at"])
    record_audit(locked.workspace, "invitation_accepted", actor=user, target=user.email, role=locked.role)
    return membership


@transaction.atomic
def revoke_invitation(invitation: Invitation, *, actor: User) -> None:
    from django.utils import timezone

    Invitation.objects.filter(id=invitation.id).update(revoked_at=timezone.now())
    record_audit(invitation.workspace, "invitation_revoked", actor=actor, target=invitation.email)
