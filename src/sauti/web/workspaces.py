"""Who may open which workspace, with which role, and the decorator every `/w/<uuid>/…` page uses.

Site administrators (is_superuser) open every workspace as owners; everyone else only the
workspaces they are members of. "Missing" and "not yours" are the same 404, so nothing leaks.
"""

from __future__ import annotations

import functools
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect

from sauti.accounts.models import Membership, Role, User, Workspace
from sauti.web import firstrun

# Who may change journeys (and later content); operators work in the inbox, viewers only look.
JOURNEY_EDITORS = frozenset({Role.OWNER, Role.ADMIN, Role.EDITOR})


@dataclass(frozen=True)
class Access:
    """A signed-in person inside one workspace: what the page may show and change."""

    user: User
    workspace: Workspace
    role: str

    @property
    def can_edit_journeys(self) -> bool:
        return self.role in JOURNEY_EDITORS

    @property
    def role_label(self) -> str:
        return Role(self.role).label


def workspaces_for(user: User) -> list[Workspace]:
    """The workspaces `user` may open, by name (site administrators: all of them)."""
    if not user.is_authenticated:
        return []
    if user.is_superuser:
        return list(Workspace.objects.order_by("name", "id"))
    return list(Workspace.objects.filter(memberships__user=user).order_by("name", "id"))


def access_workspace(user: User, workspace_uuid: uuid.UUID | str) -> Access:
    """The workspace with its role for `user`, or Http404 when it is missing or not theirs."""
    membership = (Membership.objects.select_related("workspace")
                  .filter(user=user, workspace__uuid=workspace_uuid).first())
    if membership is not None:
        return Access(user, membership.workspace, membership.role)
    if user.is_superuser:
        workspace = Workspace.objects.filter(uuid=workspace_uuid).first()
        if workspace is not None:
            return Access(user, workspace, Role.OWNER)
    raise Http404("no such workspace")


def workspace_page(view: Callable[..., HttpResponse] | None = None, *, edit: bool = False) -> Any:
    """Decorate a view taking `(request, access, **kwargs)` under `/w/<uuid:workspace>/`.

    Sends everyone to the first-run page while there are no users, anonymous people to sign in,
    answers 404 for a workspace the person may not open and 403 when `edit` is asked of a role
    that may only read journeys.
    """

    def decorate(func: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @functools.wraps(func)
        def wrapper(request: HttpRequest, workspace: uuid.UUID, **kwargs: Any) -> HttpResponse:
            if firstrun.needs_setup():
                return redirect("setup")
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            access = access_workspace(request.user, workspace)
            if edit and not access.can_edit_journeys:
                raise PermissionDenied("journeys are read-only for this role")
            request.access = access  # type: ignore[attr-defined]  # the sidebar reads it
            return func(request, access, **kwargs)

        return wrapper

    return decorate(view) if view is not None else decorate
