"""Internal notes, and the teammates they mention (@handle), who are told in the app and by email."""

from __future__ import annotations

import logging
import re

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils.translation import gettext as _

from sauti.accounts.models import Membership, User
from sauti.inbox.events import announce
from sauti.inbox.models import Mention, Note
from sauti.messaging.models import Chat

logger = logging.getLogger(__name__)
MENTION = re.compile(r"(?<![\w.@])@([\w.+-]+(?:@[\w-]+(?:\.[\w-]+)+)?)")
MAX_NOTE = 4000


class NoteInvalid(ValueError):
    pass


def handle_of(user: User) -> str:
    """What teammates type after @ to name someone: the part of the email before the @."""
    return user.email.split("@", 1)[0].lower()


def mentioned_members(workspace_id: int, text: str) -> list[User]:
    """Members named in `text` by handle or by full email (case-insensitive), in order of appearance."""
    names = [m.lower().rstrip(".") for m in MENTION.findall(text)]
    if not names:
        return []
    members = [m.user for m in Membership.objects.filter(workspace_id=workspace_id).select_related("user")]
    found: list[User] = []
    for name in names:
        for user in members:
            if name in (user.email.lower(), handle_of(user)) and user not in found:
                found.append(user)
    return found


@transaction.atomic
def add_note(chat: Chat, text: str, *, actor: User) -> Note:
    """A note in the chat; each mentioned member gets a Mention, a live notice and an email."""
    text = text.strip()
    if not text:
        raise NoteInvalid(_("Write something first."))
    if len(text) > MAX_NOTE:
        raise NoteInvalid(_("A note has at most 4,000 characters."))
    note = Note.objects.create(workspace_id=chat.workspace_id, chat=chat, author=actor, text=text)
    announce(chat.workspace_id, "note_added", chat=chat.uuid, note=note.uuid)
    for user in mentioned_members(chat.workspace_id, text):
        if user.id == actor.id:
            continue
        Mention.objects.create(note=note, user=user, chat=chat)
        announce(chat.workspace_id, "mentioned", chat=chat.uuid, user=user.uuid, by=str(actor))
        transaction.on_commit(lambda user=user: _email_mention(user, actor, chat, text))
    return note


def _email_mention(user: User, actor: User, chat: Chat, text: str) -> None:
    contact = chat.contact
    subject = _("%(person)s mentioned you in a chat") % {"person": str(actor)}
    body = _("%(person)s mentioned you in the chat with %(contact)s:\n\n%(text)s\n") % {
        "person": str(actor), "contact": contact.name or contact.whatsapp_profile_name or _("a contact"), "text": text}
    try:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
    except Exception:  # an unreachable mail server must not undo the note
        logger.warning("mention email to %s not sent", user.email, exc_info=True)
