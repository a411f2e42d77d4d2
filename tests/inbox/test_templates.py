"""Outside the 24-hour window the reply box sends approved templates (sauti.content's contract:
sendable_templates, template_parameters, send_template). Skipped, saying so, until sauti.content
provides those modules."""

from __future__ import annotations

import time

import pytest

from sauti.accounts.models import Role
from sauti.messaging.models import Message
from tests.inbox.helpers import write_in
from tests.web.members import client_for, make_member

pytestmark = pytest.mark.django_db

content_queries = pytest.importorskip("sauti.content.queries", reason="sauti.content has not landed on this branch")


def _approved_template(workspace):
    from sauti.content.models import MessageTemplate

    return MessageTemplate.objects.create(
        workspace=workspace, name="appointment_reminder", language="en", category="UTILITY",
        status=MessageTemplate.Status.APPROVED,
        components=[{"type": "BODY", "text": "Hello {{1}}, your visit is on {{2}}.",
                     "example": {"body_text": [["Ana", "Monday"]]}}])


def test_the_template_picker_sends_an_approved_template_with_its_parameters(workspace) -> None:
    operator = make_member(workspace, Role.OPERATOR)
    chat = write_in("27820000801", "hi", at=int(time.time()) - 30 * 3600)
    template = _approved_template(workspace)
    client = client_for(operator)
    page = client.get(f"/w/{workspace.uuid}/inbox/{chat.uuid}/").content.decode()
    assert 'data-testid="template-picker"' in page and "appointment_reminder" in page
    assert 'data-testid="reply-text"' not in page  # no free text outside the window
    missing = client.post(f"/w/{workspace.uuid}/inbox/{chat.uuid}/template/",
                          {"template": str(template.uuid), "body_1": "Thandi"}, HTTP_HX_REQUEST="true")
    assert missing.status_code == 400 and not Message.objects.filter(chat=chat, direction="outbound").exists()
    sent = client.post(f"/w/{workspace.uuid}/inbox/{chat.uuid}/template/",
                       {"template": str(template.uuid), "body_1": "Thandi", "body_2": "Friday"}, HTTP_HX_REQUEST="true")
    assert sent.status_code == 200
    message = Message.objects.get(chat=chat, direction="outbound")
    assert message.type == "template" and message.author_type == Message.AuthorType.OPERATOR
    assert message.payload["template"]["name"] == "appointment_reminder"
