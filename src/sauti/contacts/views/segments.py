"""Saved segments: the list with live counts, save from the People page's box, rename, delete."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from sauti.contacts import queries
from sauti.contacts.forms import SegmentForm
from sauti.contacts.models import Segment
from sauti.contacts.segments import SegmentSyntaxError, segment_contacts
from sauti.contacts.services import SegmentInvalid, delete_segment, save_segment, update_segment
from sauti.web.workspaces import Access, workspace_page


@workspace_page(perm="people.view")
@require_GET
def segment_list(request: HttpRequest, access: Access) -> HttpResponse:
    segments = list(Segment.objects.filter(workspace=access.workspace).select_related("created_by"))
    return render(request, "people/segments.html", {"access": access, "active_nav": "people", "segments": segments})


@workspace_page(perm="people.view")
@require_GET
def segment_count(request: HttpRequest, access: Access) -> HttpResponse:
    """How many people a query (or a saved segment) finds: the live count in the editor and lists."""
    query = request.GET.get("query", "")
    if request.GET.get("segment"):
        query = queries.access_segment(access.workspace, request.GET["segment"]).query
    hidden = queries.private_hidden(access.workspace, access.role)
    try:
        count, error = segment_contacts(access.workspace, query, private_hidden=hidden).count(), None
    except SegmentSyntaxError as exc:
        count, error = None, exc
    return render(request, "people/partials/_count.html", {"count": count, "error": error})


def _back_to_list(access: Access, segment: Segment) -> HttpResponse:
    url = reverse("people:list", kwargs={"workspace": access.workspace.uuid})
    return redirect(f"{url}?{urlencode({'segment': segment.uuid})}")


@workspace_page(perm="people.segments")
@require_POST
def segment_create(request: HttpRequest, access: Access) -> HttpResponse:
    form = SegmentForm(request.POST)
    list_url = reverse("people:list", kwargs={"workspace": access.workspace.uuid})
    if not form.is_valid():
        messages.error(request, _("A segment needs a name and a query."))
        return redirect(f"{list_url}?{urlencode({'query': request.POST.get('query', '')})}")
    try:
        segment = save_segment(access.workspace, name=form.cleaned_data["name"], query=form.cleaned_data["query"],
                               actor=request.user)
    except SegmentInvalid as exc:
        messages.error(request, exc.message)
        return redirect(f"{list_url}?{urlencode({'query': form.cleaned_data['query']})}")
    messages.success(request, _("Segment “%(name)s” saved.") % {"name": segment.name})
    return _back_to_list(access, segment)


@workspace_page(perm="people.segments")
@require_POST
def segment_update(request: HttpRequest, access: Access, segment: str) -> HttpResponse:
    item = queries.access_segment(access.workspace, segment)
    try:
        update_segment(item, name=request.POST.get("name"), query=request.POST.get("query"), actor=request.user)
    except SegmentInvalid as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Segment “%(name)s” saved.") % {"name": item.name})
    if request.POST.get("next") == "segments":
        return redirect("people:segments", workspace=access.workspace.uuid)
    return _back_to_list(access, item)


@workspace_page(perm="people.segments")
@require_POST
def segment_delete(request: HttpRequest, access: Access, segment: str) -> HttpResponse:
    item = queries.access_segment(access.workspace, segment)
    delete_segment(item, actor=request.user)
    messages.success(request, _("Segment “%(name)s” deleted.") % {"name": item.name})
    return redirect("people:segments", workspace=access.workspace.uuid)
