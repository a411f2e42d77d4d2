"""Settings → API tokens: create (shown once), list and revoke the workspace's tokens."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from sauti.api.forms import TokenForm
from sauti.api.models import ApiToken
from sauti.api.scopes import ALL_SCOPES, SCOPES
from sauti.api.services import create_token, revoke_token
from sauti.web.nav import settings_for
from sauti.web.workspaces import Access, workspace_page

SHOW_ONCE = "sauti_new_api_token"


def _rows(access: Access) -> list[dict[str, Any]]:
    now = timezone.now()
    rows = []
    for token in (ApiToken.objects.filter(workspace=access.workspace).select_related("created_by")
                  .order_by("revoked_at", "-created_at")):
        if token.revoked_at:
            state = "revoked"
        elif token.expires_at and token.expires_at <= now:
            state = "expired"
        else:
            state = "live"
        granted = [s for s in ALL_SCOPES if s in (token.scopes or ())]
        missing = [s for s in ALL_SCOPES if s not in granted]
        rows.append({"token": token, "state": state, "all_scopes": not missing, "scopes": granted,
                     "all_but": missing if len(missing) <= 3 else None,
                     "titles": ", ".join(str(SCOPES[s]) for s in granted)})
    return rows


@workspace_page(perm="tokens.manage")
@require_http_methods(["GET", "POST"])
def tokens_page(request: HttpRequest, access: Access) -> HttpResponse:
    form = TokenForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            row, secret = create_token(access.workspace, name=data["name"].strip(), actor=request.user,
                                       expires_at=data["expires_at"], scopes=data["scopes"])
            # Shown on the next page only (post/redirect/get: a reload must not make another token).
            request.session[SHOW_ONCE] = {"token": str(row.uuid), "secret": secret}
            return redirect("api-tokens", workspace=access.workspace.uuid)
        status = 400
    created = None
    shown = request.session.pop(SHOW_ONCE, None) if request.method == "GET" else None
    if shown:
        row = ApiToken.objects.filter(workspace=access.workspace, uuid=shown["token"]).first()
        created = {"token": row, "secret": shown["secret"]} if row else None
    return render(request, "api/tokens.html", {
        "access": access, "active_nav": "settings", "sections": settings_for(access, "tokens"),
        "form": form, "rows": _rows(access), "created": created,
        "base_url": request.build_absolute_uri("/").rstrip("/")}, status=status)


@workspace_page(perm="tokens.manage")
@require_POST
def revoke_token_view(request: HttpRequest, access: Access, token: str) -> HttpResponse:
    row = ApiToken.objects.filter(workspace=access.workspace, uuid=token).first()
    if row is None:
        raise Http404(_("No such token."))
    revoke_token(row, actor=request.user)
    from django.contrib import messages

    messages.success(request, _("“%(name)s” no longer works.") % {"name": row.name})
    return redirect("api-tokens", workspace=access.workspace.uuid)
