"""CSV import (upload, map columns, dry run, import, with progress) and export of a segment."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sauti.accounts.services import record_audit
from sauti.contacts import csvfiles, queries
from sauti.contacts.forms import UploadForm
from sauti.contacts.models import ContactExport, ContactImport
from sauti.contacts.schema import load_schema
from sauti.contacts.segments import SegmentSyntaxError
from sauti.contacts.services.transfers import (
    KEEP_FILES,
    ImportInvalid,
    check_import,
    samples_of,
    start_export,
    start_import,
    upload_import,
)
from sauti.web.workspaces import Access, workspace_page


def _import_page(request: HttpRequest, access: Access, form: UploadForm, status: int = 200) -> HttpResponse:
    workspace = access.workspace
    return render(request, "people/import.html", {
        "access": access, "active_nav": "people", "form": form,
        "imports": ContactImport.objects.filter(workspace=workspace).defer("content").select_related(
            "created_by")[:10],
        "exports": ContactExport.objects.filter(workspace=workspace).defer("content").select_related(
            "created_by")[:10] if access.can("people.export") else [],
        "columns": [spec for spec in csvfiles.targets(load_schema(workspace))]}, status=status)


@workspace_page(perm="people.import")
@require_http_methods(["GET", "POST"])
def import_start(request: HttpRequest, access: Access) -> HttpResponse:
    """GET: the upload form and the helper file. POST: keep the file and map its columns."""
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            job = upload_import(access.workspace, filename=upload.name, data=upload.read(), actor=request.user)
        except ImportInvalid as exc:
            form.add_error("file", exc.message)
        else:
            return redirect("people:import-detail", workspace=access.workspace.uuid, job=job.uuid)
    return _import_page(request, access, form, status=400 if form.errors else 200)


@workspace_page(perm="people.import")
@require_GET
def import_helper(request: HttpRequest, access: Access) -> HttpResponse:
    response = HttpResponse(csvfiles.helper_csv(load_schema(access.workspace)), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="people-import-helper.csv"'
    return response


def _import_context(access: Access, job: ContactImport) -> dict[str, Any]:
    schema = load_schema(access.workspace)
    targets = csvfiles.targets(schema)
    samples = samples_of(job)
    columns = [{"index": str(i), "header": header, "field": job.mapping.get(str(i), ""),
                "samples": [row[i] for row in samples if i < len(row) and row[i].strip()][:3]}
               for i, header in enumerate(job.headers)]
    return {"access": access, "active_nav": "people", "job": job, "columns": columns, "targets": targets,
            "mapped": [(job.headers[int(i)] if int(i) < len(job.headers) else i, key)
                       for i, key in sorted(job.mapping.items(), key=lambda item: int(item[0]))],
            "importable": max(job.total_rows - job.invalid_rows, 0)}


@workspace_page(perm="people.import")
@require_GET
def import_detail(request: HttpRequest, access: Access, job: str) -> HttpResponse:
    """The job's page in every state; htmx polls the status card while it works."""
    item = queries.access_import(access.workspace, job)
    template = "people/partials/_import_status.html" if request.headers.get("HX-Request") else \
        "people/import_detail.html"
    return render(request, template, _import_context(access, item))


@workspace_page(perm="people.import")
@require_POST
def import_check(request: HttpRequest, access: Access, job: str) -> HttpResponse:
    item = queries.access_import(access.workspace, job)
    mapping = {key.removeprefix("column_"): value for key, value in request.POST.items()
               if key.startswith("column_")}
    try:
        check_import(item, mapping, actor=request.user)
    except ImportInvalid as exc:
        item.mapping = {k: v for k, v in mapping.items() if v}
        context = {**_import_context(access, item), "mapping_error": exc.message}
        return render(request, "people/import_detail.html", context, status=400)
    return redirect("people:import-detail", workspace=access.workspace.uuid, job=item.uuid)


@workspace_page(perm="people.import")
@require_POST
def import_run(request: HttpRequest, access: Access, job: str) -> HttpResponse:
    item = queries.access_import(access.workspace, job)
    try:
        start_import(item, actor=request.user)
    except ImportInvalid as exc:
        messages.error(request, exc.message)
    return redirect("people:import-detail", workspace=access.workspace.uuid, job=item.uuid)


@workspace_page(perm="people.export")
@require_POST
def export_start(request: HttpRequest, access: Access) -> HttpResponse:
    segment = None
    query = request.POST.get("query", "").strip()
    if request.POST.get("segment"):
        segment = queries.access_segment(access.workspace, request.POST["segment"])
        query = segment.query
    try:
        job = start_export(access.workspace, query=query, role=access.role, actor=request.user,
                           segment_name=segment.name if segment else "")
    except SegmentSyntaxError as exc:
        messages.error(request, _("Not exported: the query has an error at column %(column)s: %(message)s")
                       % {"column": exc.column, "message": exc.message})
        return redirect("people:list", workspace=access.workspace.uuid)
    return redirect("people:export-detail", workspace=access.workspace.uuid, job=job.uuid)


@workspace_page(perm="people.export")
@require_GET
def export_detail(request: HttpRequest, access: Access, job: str) -> HttpResponse:
    item = queries.access_export(access.workspace, job)
    template = "people/partials/_export_status.html" if request.headers.get("HX-Request") else \
        "people/export_detail.html"
    return render(request, template, {"access": access, "active_nav": "people", "job": item,
                                      "keep_days": KEEP_FILES.days})


@workspace_page(perm="people.export")
@require_GET
def export_download(request: HttpRequest, access: Access, job: str) -> HttpResponse:
    item = queries.access_export(access.workspace, job)
    content = ContactExport.objects.filter(id=item.id).values_list("content", flat=True).get()
    if item.status != ContactExport.Status.DONE or content is None:
        return redirect("people:export-detail", workspace=access.workspace.uuid, job=item.uuid)
    record_audit(access.workspace, "contacts_export_downloaded", actor=request.user, target=str(item.uuid))
    response = HttpResponse(csvfiles.decompress(content), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{item.filename}"'
    return response
