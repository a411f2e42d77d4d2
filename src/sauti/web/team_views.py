"""Settings → Team (members, roles, invitations), the invitation link, and the audit log.

Views check `members.manage` / `audit.view`; sauti.accounts.services decides which roles the
acting person may give or take (only owners make owners; a workspace keeps an owner).
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, password_validation
from django.core.mail import send_mail
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from sauti.accounts.models import AuditEntry, Invitation, Membership, Role
from sauti.accounts.permissions import assignable_roles
from sauti.accounts.services import (
    TeamChangeRefused,
    accept_invitation,
    change_member_role,
    find_invitation,
    invite_member,
    remove_member,
    revoke_invitation,
)
from sauti.web.nav import settings_for
from sauti.web.workspaces import Access, workspace_page

AUDIT_PAGE = 100


class InviteForm(forms.Form):
    email = forms.EmailField(label=gettext_lazy("Email address"))
    role = forms.ChoiceField(label=gettext_lazy("Role"))

    def __init__(self, *args: object, roles: frozenset[str] = frozenset(), **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [(r.value, r.label) for r in Role if r.value in roles]
        self.fields["role"].initial = Role.OPERATOR


class AcceptForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Your name"), max_length=150)
    password1 = forms.CharField(label=gettext_lazy("Choose a password"), strip=False,
                                widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
                                help_text=gettext_lazy("At least 8 characters."))
    password2 = forms.CharField(label=gettext_lazy("Type it again"), strip=False,
                                widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))

    def clean(self) -> dict:
        data = super().clean()
        p1, p2 = data.get("password1"), data.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("The two passwords are different."))
        elif p1:
            try:
                password_validation.validate_password(p1)
            except forms.ValidationError as exc:
                self.add_error("password1", exc)
        return data


ROLE_HELP = {
    Role.OWNER: gettext_lazy("Everything, including making other owners."),
    Role.ADMIN: gettext_lazy("Everything except owners: team, settings, tokens, exports."),
    Role.EDITOR: gettext_lazy("Builds journeys, templates and reminders; reads the inbox."),
    Role.OPERATOR: gettext_lazy("Answers chats in the inbox and edits profiles."),
    Role.VIEWER: gettext_lazy("Looks at everything, changes nothing."),
}


def _team(request: HttpRequest, access: Access, form: InviteForm, status: int = 200) -> HttpResponse:
    workspace = access.workspace
    roles = assignable_roles(access.role)
    members = list(Membership.objects.filter(workspace=workspace).select_related("user")
                   .order_by("user__name", "user__email"))
    rows = [{"membership": m, "can_change": m.role in roles and m.user_id != access.user.id} for m in members]
    invitations = [i for i in Invitation.objects.filter(workspace=workspace, accepted_at__isnull=True,
                                                        revoked_at__isnull=True).select_related("invited_by")
                   if i.is_pending(timezone.now())]
    return render(request, "web/team/team.html", {
        "access": access, "active_nav": "settings", "rows": rows, "invitations": invitations, "form": form,
        "roles": [(r.value, r.label) for r in Role if r.value in roles],
        "role_help": [(r.label, ROLE_HELP[r]) for r in Role], "sections": settings_for(access, "team")},
        status=status)


@workspace_page(perm="members.manage")
def team(request: HttpRequest, access: Access) -> HttpResponse:
    return _team(request, access, InviteForm(roles=assignable_roles(access.role)))


@workspace_page(perm="members.manage")
@require_POST
def invite(request: HttpRequest, access: Access) -> HttpResponse:
    form = InviteForm(request.POST, roles=assignable_roles(access.role))
    if not form.is_valid():
        return _team(request, access, form, 400)
    try:
        invitation, token = invite_member(access.workspace, email=form.cleaned_data["email"],
                                          role=form.cleaned_data["role"], actor=request.user, actor_role=access.role)
    except TeamChangeRefused as exc:
        form.add_error(exc.field or None, exc.message)
        return _team(request, access, form, 400)
    link = request.build_absolute_uri(reverse("invitation", kwargs={"token": token}))
    transaction.on_commit(lambda: _send_invitation(invitation, link, access))
    messages.success(request, _("Invitation sent to %(email)s. They can also join with this link for 7 days: "
                                "%(link)s") % {"email": invitation.email, "link": link})
    return redirect("team", workspace=access.workspace.uuid)


def _send_invitation(invitation: Invitation, link: str, access: Access) -> None:
    subject = _("%(person)s invited you to %(workspace)s on Sauti") % {
        "person": str(access.user), "workspace": access.workspace.name}
    body = _("%(person)s invited you to join %(workspace)s as %(role)s.\n\nJoin here (the link works for 7 days):\n"
             "%(link)s\n") % {"person": str(access.user), "workspace": access.workspace.name,
                             "role": Role(invitation.role).label, "link": link}
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [invitation.email])


def _membership(access: Access, user_uuid: str) -> Membership:
    membership = (Membership.objects.select_related("user", "workspace")
                  .filter(workspace=access.workspace, user__uuid=user_uuid).first())
    if membership is None:
        raise Http404("no such member")
    return membership


@workspace_page(perm="members.manage")
@require_POST
def change_role(request: HttpRequest, access: Access, user: str) -> HttpResponse:
    membership = _membership(access, user)
    try:
        change_member_role(membership, request.POST.get("role", ""), actor=request.user, actor_role=access.role)
        messages.success(request, _("%(person)s is now %(role)s.") % {
            "person": str(membership.user), "role": Role(membership.role).label})
    except TeamChangeRefused as exc:
        messages.error(request, exc.message)
    return redirect("team", workspace=access.workspace.uuid)


@workspace_page(perm="members.manage")
@require_POST
def remove(request: HttpRequest, access: Access, user: str) -> HttpResponse:
    membership = _membership(access, user)
    try:
        remove_member(membership, actor=request.user, actor_role=access.role)
        messages.success(request, _("%(person)s no longer has access.") % {"person": str(membership.user)})
    except TeamChangeRefused as exc:
        messages.error(request, exc.message)
    return redirect("team", workspace=access.workspace.uuid)


@workspace_page(perm="members.manage")
@require_POST
def revoke(request: HttpRequest, access: Access, invitation: str) -> HttpResponse:
    item = Invitation.objects.filter(workspace=access.workspace, uuid=invitation).first()
    if item is None:
        raise Http404("no such invitation")
    revoke_invitation(item, actor=request.user)
    messages.success(request, _("Invitation withdrawn."))
    return redirect("team", workspace=access.workspace.uuid)


@require_http_methods(["GET", "POST"])
def invitation(request: HttpRequest, token: str) -> HttpResponse:
    """The link in the email: join as the signed-in person, or create an account and join."""
    item = find_invitation(token)
    if item is None:
        return render(request, "web/team/invitation.html", {"gone": True}, status=404)
    from sauti.accounts.models import User

    user = request.user if request.user.is_authenticated else None
    has_account = user is None and User.objects.filter(email__iexact=item.email).exists()
    form = AcceptForm(request.POST or None) if user is None and not has_account else None
    error = ""
    if request.method == "POST":
        try:
            if user is not None:
                accept_invitation(item, user=user)
            elif form is not None and form.is_valid():
                membership = accept_invitation(item, password=form.cleaned_data["password1"],
                                               name=form.cleaned_data["name"].strip())
                login(request, membership.user, backend="django.contrib.auth.backends.ModelBackend")
            else:
                raise TeamChangeRefused("")
            messages.success(request, _("Welcome to %(workspace)s.") % {"workspace": item.workspace.name})
            return redirect("workspace", workspace=item.workspace.uuid)
        except TeamChangeRefused as exc:
            error = exc.message
    status = 400 if request.method == "POST" else 200
    return render(request, "web/team/invitation.html", {
        "invitation": item, "form": form, "user": user, "has_account": has_account, "error": error,
        "wrong_account": user is not None and user.email.lower() != item.email.lower(),
        "login_url": f"{reverse('login')}?next={request.path}"}, status=status)


@workspace_page(perm="audit.view")
def audit_log(request: HttpRequest, access: Access) -> HttpResponse:
    entries = AuditEntry.objects.filter(workspace=access.workspace).select_related("actor")
    action = request.GET.get("action", "")
    if action:
        entries = entries.filter(action=action)
    actions = (AuditEntry.objects.filter(workspace=access.workspace).values_list("action", flat=True)
               .distinct().order_by("action"))
    page = Paginator(entries.order_by("-created_at", "-id"), AUDIT_PAGE).get_page(request.GET.get("page"))
    return render(request, "web/team/audit.html", {
        "access": access, "active_nav": "settings", "page": page, "actions": list(actions), "action": action,
        "sections": settings_for(access, "audit")})
