"""The People page (search, segment box, sort, pages) and one person: detail, new, edit, delete.
Thin: read with contacts.queries, write with contacts.services."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from sauti.contacts import queries
from sauti.contacts.forms import NewPersonForm, ProfileForm
from sauti.contacts.models import Contact, Segment
from sauti.contacts.privacy import shown_number
from sauti.contacts.schema import FieldValueInvalid, load_schema, read_value
from sauti.contacts.segments import SegmentSyntaxError, segment_query
from sauti.contacts.services import create_contact, delete_contact, update_contact_fields
from sauti.contacts.services.people import erasure_counts
from sauti.web.workspaces import Access, workspace_page


def _list_context(request: HttpRequest, access: Access) -> dict[str, Any]:
    workspace = access.workspace
    schema = load_schema(workspace)
    segments = list(Segment.objects.filter(workspace=workspace))
    chosen = next((s for s in segments if str(s.uuid) == request.GET.get("segment")), None)
    query = request.GET.get("query", chosen.query if chosen else "").strip()
    if chosen and query != chosen.query:
        chosen = None  # the box was edited: this is a new search, not the saved segment any more
    search = request.GET.get("q", "").strip()
    hidden = queries.private_hidden(workspace, access.role)
    error, page = None, None
    try:
        q = segment_query(workspace, query, schema=schema, private_hidden=hidden) if query else None
    except SegmentSyntaxError as exc:
        error = {"message": exc.message, "column": exc.column}
    else:
        page = queries.list_people(workspace, access.role, segment_q=q, search=search,
                                   sort=request.GET.get("sort", queries.DEFAULT_SORT),
                                   cursor=request.GET.get("after"), schema=schema)
    sort = page.sort if page else queries.DEFAULT_SORT
    state = {k: val for k, val in (("q", search), ("query", query), ("segment", chosen.uuid if chosen else ""))
             if val}
    if error:
        error["caret"] = " " * (error["column"] - 1) + "^"
    return {"access": access, "active_nav": "people", "page": page, "query": query, "search": search,
            "error": error, "segments": segments, "chosen": chosen, "sort": sort, "filtered": bool(query or search),
            "sort_links": _sort_links(state, sort),
            "next_url": f"?{urlencode({**state, 'sort': sort, 'after': page.next_cursor})}"
                        if page and page.next_cursor else "",
            "first_url": f"?{urlencode({**state, 'sort': sort})}"}


def _sort_links(state: dict[str, Any], current: str) -> dict[str, dict[str, Any]]:
    """For each sortable column: the URL that sorts by it (again: the other way round) and its state."""
    defaults = {"name": "name", "last_seen": "-last_seen", "created": "-created"}
    links = {}
    for column, first in defaults.items():
        active = current.lstrip("-") == column
        target = (current[1:] if current.startswith("-") else f"-{current}") if active else first
        links[column] = {"url": f"?{urlencode({**state, 'sort': target})}", "active": active,
                         "descending": current.startswith("-")}
    return links


@workspace_page(perm="people.view")
@require_GET
def people_list(request: HttpRequest, access: Access) -> HttpResponse:
    context = _list_context(request, access)
    template = "people/partials/_results.html" if request.headers.get("HX-Request") else "people/list.html"
    return render(request, template, context)


def _person_context(access: Access, contact: Contact) -> dict[str, Any]:
    schema = load_schema(access.workspace)
    hidden = queries.private_hidden(access.workspace, access.role)
    return {"access": access, "active_nav": "people", "person": contact, "schema": schema,
            "number": shown_number(access.workspace, access.role, contact.wa_id) or contact.user_id or "",
            "profile": queries.profile_of(contact, schema, hidden=hidden), "when": queries.moments(contact, schema),
            **queries.person_activity(contact)}


@workspace_page(perm="people.view")
@require_GET
def person_detail(request: HttpRequest, access: Access, person: str) -> HttpResponse:
    contact = queries.access_contact(access.workspace, person)
    return render(request, "people/detail.html", _person_context(access, contact))


@workspace_page(perm="people.edit")
@require_http_methods(["GET", "POST"])
def person_new(request: HttpRequest, access: Access) -> HttpResponse:
    schema = load_schema(access.workspace)
    hidden = queries.private_hidden(access.workspace, access.role)
    form = NewPersonForm(request.POST or None, schema=schema, hidden_private=hidden,
                         stored={"opted_in": False})
    if request.method == "POST" and form.is_valid():
        try:
            contact = create_contact(access.workspace, wa_id=form.cleaned_data["wa_id"],
                                     values=form.changed_values(), actor=request.user)
        except FieldValueInvalid as exc:
            form.add_error("wa_id" if exc.field == "whatsapp_id" else exc.field, exc.message)
        else:
            messages.success(request, _("%(name)s was added.") % {"name": contact.display_name or _("The person")})
            return redirect("people:detail", workspace=access.workspace.uuid, person=contact.uuid)
    status = 400 if form.errors else 200
    return render(request, "people/edit.html", {"access": access, "active_nav": "people", "form": form,
                                                "person": None}, status=status)


@workspace_page(perm="people.edit")
@require_http_methods(["GET", "POST"])
def person_edit(request: HttpRequest, access: Access, person: str) -> HttpResponse:
    contact = queries.access_contact(access.workspace, person)
    schema = load_schema(access.workspace)
    hidden = queries.private_hidden(access.workspace, access.role)
    stored = {spec.key: read_value(contact, spec) for spec in schema.writable()}
    form = ProfileForm(request.POST or None, schema=schema, stored=stored, hidden_private=hidden)
    if request.method == "POST" and form.is_valid():
        try:
            update_contact_fields(contact, form.changed_values(), actor=request.user, source="ui")
        except FieldValueInvalid as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("Profile saved."))
            return redirect("people:detail", workspace=access.workspace.uuid, person=contact.uuid)
    status = 400 if form.errors else 200
    return render(request, "people/edit.html", {"access": access, "active_nav": "people", "form": form,
                                                "person": contact,
                                                "number": shown_number(access.workspace, access.role,
                                                                       contact.wa_id)}, status=status)


@workspace_page(perm="people.delete")
@require_http_methods(["GET", "POST"])
def person_delete(request: HttpRequest, access: Access, person: str) -> HttpResponse:
    """GET asks for confirmation (with what goes too); POST deletes for real."""
    contact = queries.access_contact(access.workspace, person)
    if request.method == "POST":
        name = contact.display_name or shown_number(access.workspace, access.role, contact.wa_id)
        delete_contact(contact, actor=request.user)
        messages.success(request, _("%(name)s was deleted, with their messages and journey history.")
                         % {"name": name})
        return redirect("people:list", workspace=access.workspace.uuid)
    return render(request, "people/delete.html", {
        "access": access, "active_nav": "people", "person": contact, "counts": erasure_counts(contact),
        "number": shown_number(access.workspace, access.role, contact.wa_id)})
