"""The media library (Meta's types and sizes, kept under MEDIA_ROOT, uploaded to the Cloud API and
renewed when Meta's id lapses) and canned replies (shortcuts, search, the messages they send)."""

from __future__ import annotations

import datetime as dt

import httpx
import pytest
from django.utils import timezone

from sauti.accounts.models import AuditEntry
from sauti.content.errors import ContentInvalid, MediaInvalid
from sauti.content.models import Media
from sauti.content.queries import search_canned_replies
from sauti.content.services import (
    canned_reply_messages,
    create_canned_reply,
    delete_media,
    media_bytes,
    media_object,
    update_canned_reply,
    upload_media,
)
from tests.web.members import make_workspace

pytestmark = pytest.mark.django_db
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 100
PDF = b"%PDF-1.4\n" + b"0" * 100


def fake_media(fake, media_id: str):
    return httpx.get(f"{fake.url}/v23.0/{media_id}", headers={"Authorization": "Bearer t"})


def test_an_upload_is_kept_and_sent_to_the_cloud_api(ws, fake, run_commits) -> None:
    media = run_commits(lambda: upload_media(ws, PNG, "image/png", "poster.png"))
    media.refresh_from_db()
    assert (media.kind, media.size, media.filename) == ("image", len(PNG), "poster.png")
    assert media_bytes(media) == PNG
    assert media.meta_id and fake_media(fake, media.meta_id).json()["mime_type"] == "image/png"
    assert media_object(media, caption="Our poster") == {"id": media.meta_id, "caption": "Our poster"}


def test_metas_id_is_renewed_when_it_lapses(ws, fake, run_commits) -> None:
    media = run_commits(lambda: upload_media(ws, PDF, "application/pdf", "leaflet.pdf"))
    media.refresh_from_db()
    first = media.meta_id
    Media.objects.filter(id=media.id).update(meta_uploaded_at=timezone.now() - dt.timedelta(days=30))
    media.refresh_from_db()
    obj = media_object(media)
    assert obj["id"] != first and obj["filename"] == "leaflet.pdf"
    assert fake_media(fake, obj["id"]).status_code == 200


@pytest.mark.parametrize(("data", "content_type", "name", "problem"), [
    (b"GIF89a", "image/gif", "a.gif", "does not take image/gif"),
    (PNG, "image/jpeg", "a.jpg", "content is not image/jpeg"),
    (b"\xff\xd8\xff" + b"0" * (5 * 1024 * 1024), "image/jpeg", "big.jpg", "at most 5.0 MB"),
    (b"", "application/pdf", "empty.pdf", "empty"),
])
def test_files_whatsapp_would_refuse_are_refused_with_the_reason(ws, data, content_type, name, problem) -> None:
    with pytest.raises(MediaInvalid) as caught:
        upload_media(ws, data, content_type, name)
    assert problem in caught.value.message
    assert not Media.objects.exists()


def test_the_type_is_taken_from_the_name_when_the_browser_gives_none(ws) -> None:
    assert upload_media(ws, PDF, "application/octet-stream", "form.pdf").content_type == "application/pdf"


def test_deleting_media_removes_the_file_and_leaves_an_audit_entry(ws, run_commits) -> None:
    media = upload_media(ws, PNG, "image/png", "old.png")
    reply = create_canned_reply(ws, title="Poster", text="See our poster", media=media)
    storage, path = media.file.storage, media.file.name
    run_commits(lambda: delete_media(media))
    assert not storage.exists(path)
    reply.refresh_from_db()
    assert reply.media is None
    assert AuditEntry.objects.filter(action="media.deleted").exists()


def test_canned_reply_rules(ws) -> None:
    create_canned_reply(ws, title="Opening hours", text="We are open *8–17*.", shortcut="/hours")
    with pytest.raises(ContentInvalid) as caught:
        create_canned_reply(ws, title="Hours again", text="…", shortcut="hours")
    assert caught.value.field == "shortcut"
    with pytest.raises(ContentInvalid) as caught:
        create_canned_reply(ws, title="Empty")
    assert caught.value.field == "text"
    with pytest.raises(ContentInvalid) as caught:
        create_canned_reply(ws, title="Bad", text="x", shortcut="no spaces")
    assert caught.value.field == "shortcut"
    other = make_workspace("Other")
    create_canned_reply(other, title="Theirs", text="x", shortcut="hours")  # shortcuts are per workspace


def test_search_puts_shortcuts_first_and_stays_in_the_workspace(ws) -> None:
    hours = create_canned_reply(ws, title="Opening hours", text="We are open 8–17.", shortcut="hours")
    create_canned_reply(ws, title="Holiday closures", text="Closed on public holidays.", shortcut="holiday")
    create_canned_reply(ws, title="Directions", text="We are open late on Thursdays, near the hospital.")
    create_canned_reply(make_workspace("Other"), title="Opening hours elsewhere", text="x", shortcut="hours2")
    assert [r.title for r in search_canned_replies(ws, "/ho")] == ["Holiday closures", "Opening hours"]
    assert [r.title for r in search_canned_replies(ws, "/hours")] == ["Opening hours"]
    assert [r.title for r in search_canned_replies(ws, "open")] == ["Opening hours", "Directions"]
    assert [r.title for r in search_canned_replies(ws)] == ["Directions", "Holiday closures", "Opening hours"]
    assert len(search_canned_replies(ws, limit=2)) == 2
    update_canned_reply(hours, title="Hours", text="Open 8–17", shortcut="")
    assert search_canned_replies(ws, "/hours") == []


def test_the_messages_a_canned_reply_sends(ws, fake, run_commits) -> None:
    text = create_canned_reply(ws, title="Hi", text="Hello, see https://example.org")
    assert canned_reply_messages(text) == [{"type": "text", "text": {"body": "Hello, see https://example.org",
                                                                     "preview_url": True}}]
    image = run_commits(lambda: upload_media(ws, PNG, "image/png", "map.png"))
    with_image = create_canned_reply(ws, title="Map", text="Here is the map", media=image)
    (message,) = canned_reply_messages(with_image)
    assert message["type"] == "image" and message["image"]["caption"] == "Here is the map"
    assert message["image"]["id"]
