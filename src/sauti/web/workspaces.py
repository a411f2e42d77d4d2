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

from sauti.accounts import permissions
from sauti.accounts.models import Membership, Role, User, Workspace
from sauti.web import firstrun


class _Permissions:
    """`access.may.inbox_reply` in templates: Django's template dots cannot pass an argument."""

    __slots__ = ("_role",)

    def __init__(self, role: str) -> None:
        self._role = role

    def __getitem__(self, key: str) -> bool:
        area, _, action = key.partition("_")
        try:
            return permissions.can(self._role, f"{area}.{action}")
        except KeyError:
            raise KeyError(key) from None


@dataclass(frozen=True)
class Access:
    """A signed-in person inside one workspace: what the page may show and change."""

    user: User
    workspace: Workspace
    role: str

    def can(self, perm: str) -> bool:
        """See sauti.accounts.permissions for the table."""
        return permissions.can(self.role, perm)

    @property
    def may(self) -> _Permissions:
        return _Permissions(self.role)

    @property
    def can_edit_journeys(self) -> bool:
        return self.can("journeys.edit")

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


def workspace_page(view: Callable[..., HttpResponse] | None = None, *, edit: bool = False,
                   perm: str | None = None) -> Any:
    """Decorate a view taking `(request, access, **kwargs)` under `/w/<uuid:workspace>/`.

    Sends everyone to the first-run page while there are no users, anonymous people to sign in,
    answers 404 for a workspace the person may not open and 403 when the role lacks `perm`
    (`edit=True` is short for perm="journeys.edit").
    """
    required = perm or ("journeys.edit" if edit else None)
    if required is not None:
        permissions.roles_with(required)  # an unknown permission fails at import, not per request

    def decorate(func: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @functools.wraps(func)
        def wrapper(request: HttpRequest, workspace: uuid.UUID, **kwargs: Any) -> HttpResponse:
            if firstrun.needs_setup():
                return redirect("setup")
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            access = access_workspace(request.user, workspace)
            if required is not None and not access.can(required):
                raise PermissionDenied(f"{required} is not allowed for this role")
            request.access = access  # type: ignore[attr-defined]  # the sidebar reads it
            return func(request, access, **kwargs)

        return wrapper

    return decorate(view) if view is not None else decorate
