"""Settings → People fields: the reserved fields, the custom ones, add, change, delete."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from sauti.contacts.forms import FieldForm, choices_text
from sauti.contacts.models import Contact, ContactField, Segment
from sauti.contacts.schema import RESERVED, load_schema
from sauti.contacts.segments import SegmentSyntaxError, fields_of, parse_segment
from sauti.contacts.services import FieldDefinitionInvalid, create_field, delete_field, update_field
from sauti.web.nav import settings_for
from sauti.web.workspaces import Access, workspace_page


def _page(request: HttpRequest, access: Access, form: FieldForm, status: int = 200) -> HttpResponse:
    schema = load_schema(access.workspace)
    journey_keys = set(ContactField.objects.filter(workspace=access.workspace, reserved=False, origin="journey")
                       .values_list("key", flat=True))
    return render(request, "people/fields.html", {
        "access": access, "active_nav": "settings", "sections": settings_for(access, "people-fields"),
        "reserved": schema.reserved, "custom": schema.custom, "journey_keys": journey_keys, "form": form,
        "hide_numbers": bool(access.workspace.settings.get("hide_numbers"))}, status=status)


@workspace_page(perm="people.fields")
@require_http_methods(["GET", "POST"])
def field_list(request: HttpRequest, access: Access) -> HttpResponse:
    """GET: the schema and the form to add a field. POST: add it."""
    form = FieldForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            row = create_field(access.workspace, key=data["key"].strip(), display_name=data["display_name"],
                               type=data["type"], choices=data["choices"], is_private=data["is_private"],
                               description=data["description"], actor=request.user)
        except FieldDefinitionInvalid as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("Field “%(key)s” added.") % {"key": row.key})
            return redirect("people-fields:list", workspace=access.workspace.uuid)
    return _page(request, access, form, status=400 if form.errors else 200)


@workspace_page(perm="people.fields")
@require_http_methods(["GET", "POST"])
def field_edit(request: HttpRequest, access: Access, key: str) -> HttpResponse:
    schema = load_schema(access.workspace)
    spec = schema.fields.get(key)
    if spec is None:
        raise Http404("no such field")
    initial = {"display_name": spec.display_name, "is_private": spec.is_private, "description": spec.description,
               "choices": choices_text([{"value": c.value, "display": c.display} for c in spec.choices])}
    form = FieldForm(request.POST or None, initial=initial, editing=True)
    if spec.reserved:
        for name in ("choices", "description"):
            del form.fields[name]
    elif spec.type != "enum":
        del form.fields["choices"]
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            update_field(access.workspace, key, display_name=data["display_name"], is_private=data["is_private"],
                         choices=data.get("choices") if "choices" in form.fields else None,
                         description=data.get("description"), actor=request.user)
        except FieldDefinitionInvalid as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("Field “%(key)s” saved.") % {"key": key})
            return redirect("people-fields:list", workspace=access.workspace.uuid)
    return render(request, "people/field_edit.html", {
        "access": access, "active_nav": "settings", "sections": settings_for(access, "people-fields"),
        "spec": spec, "form": form}, status=400 if form.errors else 200)


def _segments_using(access: Access, key: str) -> list[Segment]:
    using = []
    for segment in Segment.objects.filter(workspace=access.workspace, query__icontains=key):
        try:
            if key in fields_of(parse_segment(segment.query)):
                using.append(segment)
        except SegmentSyntaxError:
            continue
    return using


@workspace_page(perm="people.fields")
@require_http_methods(["GET", "POST"])
def field_delete(request: HttpRequest, access: Access, key: str) -> HttpResponse:
    """GET asks for confirmation (how many people have a value, which segments use it); POST deletes."""
    if key in RESERVED:
        raise Http404("reserved fields cannot be deleted")
    row = ContactField.objects.filter(workspace=access.workspace, key=key, reserved=False).first()
    if row is None:
        raise Http404("no such field")
    if request.method == "POST":
        removed = delete_field(access.workspace, key, actor=request.user)
        messages.success(request, _("Field “%(key)s” deleted, with its value for %(count)s people.")
                         % {"key": key, "count": f"{removed:,}"})
        return redirect("people-fields:list", workspace=access.workspace.uuid)
    return render(request, "people/field_delete.html", {
        "access": access, "active_nav": "settings", "sections": settings_for(access, "people-fields"),
        "field": row, "people": Contact.objects.filter(workspace=access.workspace, fields__has_key=key).count(),
        "segments": _segments_using(access, key)})
