"""The first run: while the database has no users, a newcomer creates the first administrator and
a workspace (connected to WhatsApp now or later) or the demo workspace."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from django.db import transaction

from sauti.accounts.models import User, Workspace
from sauti.accounts.services import create_admin, create_workspace


class SetupDone(Exception):
    """Someone finished the first run already; the page now asks to sign in instead."""


@dataclass(frozen=True)
class Channel:
    """WhatsApp Cloud API credentials typed on the first-run page (all empty: connect later)."""

    phone_number_id: str = ""
    waba_id: str = ""
    access_token: str = ""
    app_secret: str = ""
    verify_token: str = ""

    @property
    def connected(self) -> bool:
        return bool(self.phone_number_id)


def needs_setup() -> bool:
    """True while nobody can sign in: every page leads to the first-run page."""
    return not User.objects.exists()


@transaction.atomic
def complete_setup(*, email: str, password: str, demo: bool, workspace_name: str = "",
                   channel: Channel | None = None) -> tuple[User, Workspace]:
    """Create the first site administrator and their first workspace, in one transaction.

    Raises SetupDone when a user exists already: the first run happens once.
    """
    if User.objects.exists():
        raise SetupDone()
    admin = create_admin(email, password)
    if demo:
        from sauti.web.demo import create_demo_workspace

        return admin, create_demo_workspace(admin)
    return admin, create_organisation_workspace(name=workspace_name, channel=channel or Channel(), owner=admin)


def create_organisation_workspace(*, name: str, channel: Channel, owner: User) -> Workspace:
    """A workspace of one's own, its WhatsApp number connected now or (no credentials) later.

    A connected channel without a verify token gets a random one, shown to the newcomer for the
    webhook settings of their Meta app.
    """
    verify_token = channel.verify_token or (secrets.token_urlsafe(18) if channel.connected else "")
    return create_workspace(
        name=name, phone_number_id=channel.phone_number_id or None, waba_id=channel.waba_id,
        access_token=channel.access_token, app_secret=channel.app_secret, verify_token=verify_token,
        owner=owner,
    )
