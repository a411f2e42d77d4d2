"""Authoring templates: create and edit drafts, submit them to Meta, copy and delete them.

Meta is called from background tasks only (content.tasks); a submission moves the template to
SUBMITTING and the task records Meta's answer: PENDING with its id, or the refusal at its field.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sauti.accounts.models import User, Workspace
from sauti.accounts.services import record_audit
from sauti.content import rules
from sauti.content.errors import TemplateInvalid
from sauti.content.graph import GraphClient, error_field
from sauti.content.models import Media, MessageTemplate
from sauti.content.templates import Problem, check_template, component
from sauti.messaging.channels.whatsapp.errors import CloudAPIError

logger = logging.getLogger(__name__)
Status = MessageTemplate.Status


def _normalise(data: dict[str, Any]) -> dict[str, Any]:
    """Upper-case component, format and button types, as Meta stores them."""
    components = []
    for item in data.get("components") or []:
        if not isinstance(item, dict):
            components.append(item)
            continue
        item = {**item, "type": str(item.get("type", "")).upper()}
        if "format" in item:
            item["format"] = str(item["format"]).upper()
        if isinstance(item.get("buttons"), list):
            item["buttons"] = [{**b, "type": str(b.get("type", "")).upper()} if isinstance(b, dict) else b
                               for b in item["buttons"]]
        components.append(item)
    return {**data, "category": str(data.get("category") or "").upper(), "components": components}


def _check(workspace: Workspace, data: dict[str, Any], header_media: Media | None,
           exclude_id: int | None = None) -> None:
    problems = check_template(data, header_media_given=header_media is not None)
    if header_media is not None:
        header = component(data.get("components") or [], "HEADER") or {}
        wanted = str(header.get("format", "")).lower()
        if header_media.workspace_id != workspace.id:
            problems.append(Problem("header.media", _("Choose a file from this workspace's media library.")))
        elif wanted in ("image", "video", "document") and header_media.kind != wanted:
            problems.append(Problem("header.media", _("The header is a %(wanted)s: choose a %(wanted)s file.")
                                    % {"wanted": wanted}))
    taken = MessageTemplate.objects.filter(workspace=workspace, name=data.get("name"), language=data.get("language"))
    if exclude_id is not None:
        taken = taken.exclude(id=exclude_id)
    if not any(p.field == "name" for p in problems) and taken.exists():
        problems.append(Problem("name", _("A template with this name already exists in this language.")))
    if problems:
        raise TemplateInvalid(problems)


def create_template(workspace: Workspace, data: dict[str, Any], *, header_media: Media | None = None,
                    submit: bool = False, actor: User | None = None) -> MessageTemplate:
    """A new draft from a Graph-style create body `{name, language, category, components}`.

    Checked against Meta's rules first (TemplateInvalid lists every problem); `submit=True` also
    queues its submission, as Meta's own create call does.
    """
    data = _normalise(data)
    _check(workspace, data, header_media)
    try:
        with transaction.atomic():
            template = MessageTemplate.objects.create(
                workspace=workspace, name=data["name"], language=data["language"], category=data["category"],
                components=data["components"], header_media=header_media, created_by=actor)
    except IntegrityError:
        raise TemplateInvalid([Problem("name", _("A template with this name already exists in this language."))]
                              ) from None
    if submit:
        template = submit_template(template, actor=actor)
    return template


@transaction.atomic
def update_template(template: MessageTemplate, data: dict[str, Any], *, header_media: Media | None = None,
                    actor: User | None = None) -> MessageTemplate:
    """Change a draft (or a rejected template, to submit again). Name and language are fixed once
    Meta knows the template."""
    if not template.editable:
        raise TemplateInvalid([Problem("", _("Only drafts and rejected templates can be changed; copy this one "
                                             "to make a new version."))])
    data = _normalise(data)
    if template.at_meta:
        data = {**data, "name": template.name, "language": template.language}
    _check(template.workspace, data, header_media, exclude_id=template.id)
    template.name, template.language = data["name"], data["language"]
    template.category, template.components = data["category"], data["components"]
    template.header_media = header_media
    template.submit_error = None
    template.save()
    return template


def submit_template(template: MessageTemplate, *, actor: User | None = None) -> MessageTemplate:
    """Queue the template's submission to Meta (a task makes the call, see perform_template_submission)."""
    from sauti.content.tasks import submit_template as task

    if not template.editable:
        raise TemplateInvalid([Problem("", _("This template is already at Meta (%(status)s).")
                                       % {"status": template.status_label})])
    _check(template.workspace, template.graph_body(), template.header_media, exclude_id=template.id)
    workspace = template.workspace
    if not workspace.waba_id or not workspace.access_token:
        raise TemplateInvalid([Problem("", _("Connect a WhatsApp business account (its id and access token) in "
                                             "the workspace settings before submitting templates."))])
    with transaction.atomic():
        MessageTemplate.objects.filter(id=template.id).update(status=Status.SUBMITTING, submit_error=None,
                                                              submitted_at=timezone.now())
        record_audit(workspace, "template.submitted", actor=actor, target=str(template),
                     template=str(template.uuid))
        transaction.on_commit(lambda: task.enqueue(template.id))
    template.refresh_from_db()
    return template


def perform_template_submission(template_id: int) -> MessageTemplate | None:
    """The task's work: send the create (or, for a rejected template, the edit) call to Meta."""
    template = MessageTemplate.objects.select_related("workspace", "header_media").filter(id=template_id).first()
    if template is None or template.status != Status.SUBMITTING:
        return template
    previous = Status.REJECTED if template.at_meta else Status.DRAFT
    try:
        with GraphClient(template.workspace) as client:
            body = _with_header_example(client, template)
            if template.at_meta:
                client.edit_template(template.meta_id, {"category": body["category"],
                                                        "components": body["components"]})
                answer: dict[str, Any] = {"id": template.meta_id, "status": Status.PENDING}
            else:
                answer = client.create_template(body)
    except CloudAPIError as exc:
        field, message = error_field(exc)
        field = _form_field(field, template.components)
        logger.info("template %s refused by the Cloud API: %s", template.id, exc)
        MessageTemplate.objects.filter(id=template.id, status=Status.SUBMITTING).update(
            status=previous, submit_error={"field": field, "message": message, "code": exc.code})
        template.refresh_from_db()
        return template
    now = timezone.now()
    fields: dict[str, Any] = {"meta_id": str(answer.get("id") or template.meta_id), "status_changed_at": now,
                              "rejected_reason": "", "submit_error": None}
    category = str(answer.get("category") or "").upper()
    if category in rules.CATEGORIES and category != template.category:
        fields.update(category=category, previous_category=template.category)
    with transaction.atomic():
        MessageTemplate.objects.filter(id=template.id).update(**fields)
        # A status webhook may have overtaken this answer; it is the later word.
        MessageTemplate.objects.filter(id=template.id, status=Status.SUBMITTING).update(
            status=str(answer.get("status") or Status.PENDING).upper())
    template.refresh_from_db()
    return template


def _with_header_example(client: GraphClient, template: MessageTemplate) -> dict[str, Any]:
    """A media header's sample goes to Meta as an upload handle (Resumable Upload API)."""
    body = template.graph_body()
    header = component(body["components"], "HEADER")
    media = template.header_media
    if header is None or media is None or str(header.get("format", "")).upper() not in rules.MEDIA_HEADER_FORMATS:
        return body
    app_id = str(template.workspace.settings.get("meta_app_id") or "")
    if not app_id:
        raise CloudAPIError(None, "header.media: " + _("Media headers need the Meta app id of your WhatsApp app "
                                                       "(Settings → Templates & media) to upload the sample file."))
    from sauti.content.services.media import media_bytes

    handle = client.upload_handle(app_id, media_bytes(media), media.content_type, media.filename)
    components = [{**c, "example": {**(c.get("example") or {}), "header_handle": [handle]}} if c is header else c
                  for c in body["components"]]
    return {**body, "components": components}


_PATH = re.compile(r"^components\[(\d+)\](?:\.(\w+))?(?:\[(\d+)\])?(?:\.(\w+))?")


def _form_field(path: str, components: list[dict[str, Any]]) -> str:
    """Meta's "components[3].buttons[1].text" as the form's "buttons.1.text"."""
    match = _PATH.match(path)
    if not match:
        known = ("name", "language", "category", "header.", "body.", "footer.", "buttons")
        return path if path.startswith(known) else ""
    index, key, sub, subkey = match.groups()
    i = int(index)
    kind = str(components[i].get("type", "")).lower() if i < len(components) else ""
    if kind == "buttons" and sub is not None:
        return f"buttons.{sub}.{subkey or 'text'}"
    if key == "example":
        return f"{kind}.example.1"
    return f"{kind}.{key or 'text'}" if kind else ""


def copy_template(template: MessageTemplate, *, name: str, language: str, actor: User | None = None
                  ) -> MessageTemplate:
    """A new draft with the same content under another name and/or language (e.g. a translation)."""
    data = {**template.graph_body(), "name": name, "language": language}
    for item in data["components"]:
        if isinstance(item.get("example"), dict):
            item["example"] = {k: v for k, v in item["example"].items() if k != "header_handle"}
    return create_template(template.workspace, data, header_media=template.header_media, actor=actor)


def delete_template(template: MessageTemplate, *, actor: User | None = None) -> None:
    """Delete this language of the template here, and at Meta (a task) when Meta has it."""
    from sauti.content.tasks import delete_template_at_meta

    template.refresh_from_db()  # a submission's task may have given it Meta's id meanwhile
    workspace = template.workspace
    name, meta_id, at_meta = template.name, template.meta_id, template.at_meta
    with transaction.atomic():
        record_audit(workspace, "template.deleted", actor=actor, target=str(template), template=str(template.uuid),
                     meta_id=meta_id)
        template.delete()
        if at_meta:
            transaction.on_commit(lambda: delete_template_at_meta.enqueue(workspace.id, name, meta_id))


def perform_template_deletion(workspace_id: int, name: str, meta_id: str) -> bool:
    """The task's work: `DELETE message_templates?name=&hsm_id=`; False when Meta refused."""
    workspace = Workspace.objects.filter(id=workspace_id).first()
    if workspace is None:
        return False
    try:
        with GraphClient(workspace) as client:
            client.delete_template(name, meta_id)
    except CloudAPIError as exc:
        logger.warning("template %s (%s) of workspace %s was not deleted at Meta: %s", name, meta_id,
                       workspace_id, exc)
        return False
    return True


def delete_templates_named(workspace: Workspace, name: str, *, meta_id: str = "", actor: User | None = None
                           ) -> int:
    """Graph's `DELETE message_templates?name=[&hsm_id=]`: every language of the name, or the one
    with that Meta id. Returns how many were deleted (0: nothing had that name)."""
    query = MessageTemplate.objects.select_related("workspace").filter(workspace=workspace, name=name)
    if meta_id:
        query = query.filter(meta_id=meta_id)
    doomed = list(query)
    for template in doomed:
        delete_template(template, actor=actor)
    return len(doomed)
