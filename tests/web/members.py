"""People in workspaces for view tests: one user per role, signed in through the real login."""

from __future__ import annotations

import itertools
from typing import Any

from django.test import Client

from sauti.accounts.models import Membership, User, Workspace
from sauti.accounts.services import create_workspace

PASSWORD = "correct-horse-battery"
_numbers = itertools.count(1)


def make_user(*, superuser: bool = False, email: str | None = None) -> User:
    email = email or f"person{next(_numbers)}@example.org"
    if superuser:
        return User.objects.create_superuser(email, PASSWORD)
    return User.objects.create_user(email, PASSWORD)


def make_member(workspace: Workspace, role: str, *, email: str | None = None) -> User:
    user = make_user(email=email)
    Membership.objects.create(workspace=workspace, user=user, role=role)
    return user


def make_workspace(name: str = "Clinic line") -> Workspace:
    return create_workspace(name=name)


def client_for(user: User | None) -> Client:
    """A test client signed in as `user` (None: nobody)."""
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def status_of(response: Any) -> int:
    return response.status_code
