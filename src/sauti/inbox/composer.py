"""What the reply box and profile pane draw on from other apps: approved templates and canned
replies (sauti.content), journeys to hand a chat back to, and the contact's editable fields.

sauti.content is built alongside the inbox; until its modules exist these return nothing and the
reply box says so, rather than failing.
"""

from __future__ import annotations

import importlib
import logging
from typing import Any

from sauti.accounts.models import Workspace
from sauti.contacts.models import Contact

logger = logging.getLogger(__name__)


def _content(module: str) -> Any:
    try:
        return importlib.import_module(f"sauti.content.{module}")
    except ImportError:
        return None


def content_ready() -> bool:
    return _content("queries") is not None and _content("services") is not None


def templates_for(workspace: Workspace) -> list[dict[str, Any]]:
    """Approved templates with the parameters each needs (for the picker's form)."""
    queries, templates = _content("queries"), _content("templates")
    if queries is None or templates is None:
        return []
    out = []
    for template in queries.sendable_templates(workspace):
        params = templates.template_parameters(template)
        out.append({"template": template, "params": params, "body": _body_text(template.components)})
    return out


def _body_text(components: Any) -> str:
    for component in components or []:
        if isinstance(component, dict) and str(component.get("type", "")).upper() == "BODY":
            return str(component.get("text") or "")
    return ""


def find_template(workspace: Workspace, template_uuid: str) -> Any:
    queries = _content("queries")
    if queries is None:
        return None
    return next((t for t in queries.sendable_templates(workspace) if str(t.uuid) == str(template_uuid)), None)


def canned_replies(workspace: Workspace, query: str = "") -> list[Any]:
    queries = _content("queries")
    if queries is None or not hasattr(queries, "search_canned_replies"):
        return []
    return list(queries.search_canned_replies(workspace, query=query, limit=20))


def send_template(workspace: Workspace, contact: Contact, template: Any, params: dict[str, list[str]], *,
                  actor: Any) -> Any:
    """Through sauti.content.services.send_template; its TemplateParamsInvalid reaches the caller."""
    from sauti.messaging.models import Message

    services = _content("services")
    return services.send_template(workspace, contact, template, params, actor=actor,
                                  author_type=Message.AuthorType.OPERATOR, author_id=str(actor.uuid),
                                  author_name=str(actor))


def template_params_error() -> type[Exception]:
    for module in ("services", "templates"):
        found = getattr(_content(module), "TemplateParamsInvalid", None)
        if found is not None:
            return found
    return ValueError


def journeys_for(workspace: Workspace) -> list[Any]:
    """Journeys a chat can be handed back to: enabled and published."""
    from sauti.journeys.models import Journey

    return list(Journey.objects.filter(workspace=workspace, enabled=True, published_version__isnull=False)
                .order_by("name").only("uuid", "name"))


SKIPPED_FIELDS = ("opted_in_at",)  # set with opted_in, never typed


def profile_fields(contact: Contact, workspace: Workspace, role: str) -> list[dict[str, Any]]:
    """The contact's writable fields in the workspace's schema, as form inputs show them; private
    fields are left out for roles that see numbers masked (sauti.contacts.queries.private_hidden)."""
    from sauti.contacts.forms import form_value
    from sauti.contacts.queries import private_hidden
    from sauti.contacts.schema import load_schema, read_value, visible_fields

    schema = load_schema(workspace)
    out = []
    for spec in visible_fields(schema, private_hidden=private_hidden(workspace, role)):
        if not spec.writable or spec.key in SKIPPED_FIELDS:
            continue
        out.append({"key": spec.key, "label": spec.display_name, "type": spec.type, "choices": spec.choices,
                    "nullable": spec.nullable, "help": spec.description,
                    "value": form_value(spec, read_value(contact, spec), schema.tz)})
    return out
