"""The media library page: upload, thumbnails, copy the id, delete; and the file itself."""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sauti.content import queries
from sauti.content.errors import MediaInvalid
from sauti.content.forms import MediaUploadForm
from sauti.content.models import Media
from sauti.content.services import delete_media, upload_media
from sauti.content.views.common import media_url, page
from sauti.web.workspaces import Access, workspace_page


def _items(access: Access, kind: str) -> list[dict]:
    return [{"media": m, "url": media_url(access, m)} for m in queries.list_media(access.workspace, kind=kind)]


@workspace_page(perm="content.view")
@require_http_methods(["GET", "POST"])
def media_list(request: HttpRequest, access: Access) -> HttpResponse:
    kind = request.GET.get("kind", "") if request.GET.get("kind") in Media.Kind.values else ""
    form = MediaUploadForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        if not access.can("content.edit"):
            return render(request, "web/error.html", {"status": 403, "title": _("Not allowed"),
                                                      "text": _("Your role cannot upload media.")}, status=403)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                media = upload_media(access.workspace, upload.read(), upload.content_type or "", upload.name,
                                     actor=request.user)
            except MediaInvalid as exc:
                form.add_error("file", exc.message)
            else:
                messages.success(request, _("%(name)s is in the library. Use it by its id anywhere media is taken.")
                                 % {"name": media.filename})
                return redirect("content:media", workspace=access.workspace.uuid)
        status = 400
    return render(request, "content/media/list.html", page(
        access, "media", form=form, items=_items(access, kind), kind=kind, kinds=Media.Kind.choices), status=status)


@workspace_page(perm="content.view")
@require_GET
def media_file(request: HttpRequest, access: Access, media: str) -> HttpResponse:
    item = queries.access_media(access.workspace, media)
    response = FileResponse(item.file.open("rb"), content_type=item.content_type)
    response["Content-Disposition"] = "inline"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=3600"
    return response


@workspace_page(perm="content.edit")
@require_POST
def media_delete(request: HttpRequest, access: Access, media: str) -> HttpResponse:
    item = queries.access_media(access.workspace, media)
    name = item.filename or str(item.uuid)
    delete_media(item, actor=request.user)
    messages.success(request, _("%(name)s was deleted.") % {"name": name})
    return redirect("content:media", workspace=access.workspace.uuid)
