"""Create, find and revoke API tokens."""

from __future__ import annotations

import datetime as dt
import secrets

from django.db import transaction
from django.utils import timezone

from sauti.accounts.models import User, Workspace
from sauti.accounts.services import record_audit
from sauti.api.models import ApiToken, hash_token
from sauti.api.scopes import ALL_SCOPES, check_scopes

TOKEN_PREFIX = "sauti_"  # noqa: S105 - a visible marker, not a secret


@transaction.atomic
def create_token(workspace: Workspace, *, name: str = "API token", actor: User | None = None,
                 expires_at: dt.datetime | None = None, scopes: list[str] | None = None) -> tuple[ApiToken, str]:
    """Returns the row and the token itself, which is never stored and cannot be shown again.

    `scopes` None gives every scope; unknown scopes raise ValueError. The caller checks the role
    ("tokens.manage"); creation is audited.
    """
    chosen = list(ALL_SCOPES) if scopes is None else check_scopes(scopes)
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    row = ApiToken.objects.create(workspace=workspace, name=name, token_hash=hash_token(token),
                                  prefix=token[: len(TOKEN_PREFIX) + 6], expires_at=expires_at,
                                  scopes=chosen, created_by=actor)
    record_audit(workspace, "api_token_created", actor=actor, target=row.name, token=str(row.uuid),
                 scopes=chosen, expires_at=expires_at.isoformat() if expires_at else None)
    return row, token


def authenticate(token: str) -> ApiToken | None:
    """The live token matching this secret, with its workspace, or None."""
    if not token:
        return None
    row = ApiToken.objects.select_related("workspace").filter(token_hash=hash_token(token)).first()
    now = timezone.now()
    if row is None or row.revoked_at is not None or (row.expires_at is not None and row.expires_at <= now):
        return None
    if row.last_used_at is None or now - row.last_used_at > dt.timedelta(minutes=1):
        ApiToken.objects.filter(id=row.id).update(last_used_at=now)
    return row


@transaction.atomic
def revoke_token(row: ApiToken, *, actor: User | None = None) -> None:
    """Stop the token working at once; revoking twice changes nothing (and is audited once)."""
    if ApiToken.objects.filter(id=row.id, revoked_at__isnull=True).update(revoked_at=timezone.now()):
        record_audit(row.workspace, "api_token_revoked", actor=actor, target=row.name, token=str(row.uuid))
