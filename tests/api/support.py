"""Stored, approved templates for API tests (as a sync from WhatsApp leaves them)."""

from __future__ import annotations

import re

from sauti.content.models import MessageTemplate


def approved_template(workspace, name: str, body: str, language: str = "en") -> MessageTemplate:
    count = len(set(re.findall(r"\{\{(\d+)\}\}", body)))
    component = {"type": "BODY", "text": body}
    if count:
        component["example"] = {"body_text": [[f"sample {n}" for n in range(1, count + 1)]]}
    return MessageTemplate.objects.create(workspace=workspace, name=name, language=language, category="UTILITY",
                                          components=[component], status="APPROVED", meta_id=f"{name}-{language}")
