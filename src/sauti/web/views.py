"""Health check, the WhatsApp webhook endpoint, sign-in, the first run and the way into a workspace."""

from __future__ import annotations

import functools
from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

import sauti
from sauti.messaging import ingest
from sauti.web import firstrun
from sauti.web.demo import create_demo_workspace, demo_journey
from sauti.web.forms import SetupForm, WorkspaceForm
from sauti.web.workspaces import access_workspace, workspace_page, workspaces_for


def health(request: HttpRequest) -> JsonResponse:
    """200 when the database answers; load balancers and `sauti` scripts poll this."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:
        return JsonResponse({"status": "error", "database": "unavailable", "detail": type(exc).__name__}, status=503)
    return JsonResponse({"status": "ok", "database": connection.vendor, "version": sauti.__version__})


@csrf_exempt
@require_http_methods(["GET", "POST"])
def whatsapp_webhook(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        challenge = ingest.verify_subscription(request.GET.get("hub.mode"), request.GET.get("hub.verify_token"),
                                               request.GET.get("hub.challenge"))
        if challenge is None:
            return HttpResponse("verification failed", status=403, content_type="text/plain")
        return HttpResponse(challenge, content_type="text/plain")
    try:
        event = ingest.receive(request.body, request.headers.get("X-Hub-Signature-256"))
    except ingest.IngestError as exc:
        return JsonResponse({"error": exc.message}, status=exc.status)
    return JsonResponse({"status": "stored", "event": event.id})


# ---------------------------------------------------------------------------- signing in


def setup_first(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """While nobody can sign in, a page leads to the first-run page instead."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        if firstrun.needs_setup():
            return redirect("setup")
        return view(request, *args, **kwargs)

    return wrapper


class LoginView(auth_views.LoginView):
    redirect_authenticated_user = True
    next_page = reverse_lazy("home")


class LogoutView(auth_views.LogoutView):
    next_page = reverse_lazy("login")


class PasswordResetView(auth_views.PasswordResetView):
    email_template_name = "web/email/password_reset_email.txt"
    subject_template_name = "web/email/password_reset_subject.txt"


# ---------------------------------------------------------------------------- first run and home


def home(request: HttpRequest) -> HttpResponse:
    """Into the first workspace of a signed-in person; the first run while nobody can sign in."""
    if firstrun.needs_setup():
        return redirect("setup")
    if not request.user.is_authenticated:
        return redirect("login")
    workspaces = workspaces_for(request.user)
    if workspaces:
        return _landing(access_workspace(request.user, workspaces[0].uuid))
    return render(request, "web/no_workspace.html", {"form": WorkspaceForm()})


@require_http_methods(["GET", "POST"])
def setup(request: HttpRequest) -> HttpResponse:
    """The first-run page: the first administrator and the demo or their own workspace."""
    if not firstrun.needs_setup():
        return redirect("home")
    form = SetupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user, workspace = firstrun.complete_setup(
                email=data["email"], password=data["password1"], demo=data["mode"] == "demo",
                workspace_name=data["workspace_name"].strip(), channel=form.channel())
        except firstrun.SetupDone:
            return redirect("login")
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        return _welcome(request, workspace)
    return render(request, "web/setup.html", {"form": form})


def _welcome(request: HttpRequest, workspace) -> HttpResponse:
    if workspace.settings.get("demo"):
        journey = demo_journey(workspace)
        messages.success(request, _("Your demo is ready. Type START in the simulator on the right to begin "
                                    "lesson 1, exactly as a person on WhatsApp would."))
        if journey is not None:
            url = reverse("journeys:edit", kwargs={"workspace": workspace.uuid, "journey": journey.uuid})
            return redirect(f"{url}?tab=simulator")
    elif workspace.phone_number_id:
        webhook = request.build_absolute_uri(reverse("whatsapp-webhook"))
        messages.success(request, _("Workspace created. In your Meta app, set the webhook callback URL to %(url)s "
                                    "with the verify token %(token)s, and subscribe to messages.")
                         % {"url": webhook, "token": workspace.verify_token})
    else:
        messages.success(request, _("Workspace created. You can build and try journeys now, and connect a "
                                    "WhatsApp number when you have one."))
    return redirect("journeys:list", workspace=workspace.uuid)


@login_required
@require_POST
def create_demo(request: HttpRequest) -> HttpResponse:
    """A site administrator opens (or re-creates) the demo workspace."""
    if not request.user.is_superuser:
        raise PermissionDenied("only site administrators create workspaces")
    return _welcome(request, create_demo_workspace(request.user))


@login_required
@require_POST
def new_workspace(request: HttpRequest) -> HttpResponse:
    """A site administrator creates a workspace, connected to WhatsApp now or later."""
    if not request.user.is_superuser:
        raise PermissionDenied("only site administrators create workspaces")
    form = WorkspaceForm(request.POST)
    if not form.is_valid():
        return render(request, "web/no_workspace.html", {"form": form}, status=400)
    workspace = firstrun.create_organisation_workspace(
        name=form.cleaned_data["workspace_name"].strip(), channel=form.channel(), owner=request.user)
    return _welcome(request, workspace)


@workspace_page
def workspace_home(request: HttpRequest, access) -> HttpResponse:
    return _landing(access)


def _landing(access) -> HttpResponse:
    """Operators land in the inbox, where their work is; everyone else in journeys."""
    if access.role == "operator":
        return redirect("inbox:home", workspace=access.workspace.uuid)
    return redirect("journeys:list", workspace=access.workspace.uuid)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "web/error.html", {"status": 404, "title": _("Not found"),
                                              "text": _("This page does not exist, or you cannot open it.")},
                  status=404)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "web/error.html", {"status": 403, "title": _("Not allowed"),
                                              "text": _("Your role in this workspace can look but not change this. "
                                                        "Ask an owner or admin if you need to edit.")},
                  status=403)
