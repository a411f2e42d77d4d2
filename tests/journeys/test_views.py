"""Journeys pages: who may read and change what, the editor's save/publish/versions, import and
export, and the simulator chatting with the draft."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from sauti.accounts.models import Role
from sauti.journeys.models import Journey
from sauti.journeys.services import create_journey, update_journey
from sauti.web.demo import sample_source
from tests.web.members import client_for, make_member, make_user, make_workspace

pytestmark = pytest.mark.django_db

VALID = 'card Start do\n  text("Hello @contact.name")\nend\n'
BROKEN = 'card Start do\n  text("Hello"\nend\n'
READERS = ["viewer", "operator", "editor", "admin", "owner", "superuser"]
EDITORS = ["editor", "admin", "owner", "superuser"]


@pytest.fixture
def clinic():
    return make_workspace("Clinic line")


@pytest.fixture
def journey(clinic) -> Journey:
    return create_journey(clinic, name="Lessons", source=sample_source(), publish=True)


@pytest.fixture
def people(clinic) -> dict[str, Any]:
    """One signed-in client per role, plus nobody and an admin of another workspace."""
    elsewhere = make_workspace("Another organisation")
    users = {role: make_member(clinic, role) for role in ("viewer", "operator", "editor", "admin", "owner")}
    users["superuser"] = make_user(superuser=True)
    users["other_admin"] = make_member(elsewhere, Role.ADMIN)
    clients = {name: client_for(user) for name, user in users.items()}
    clients["anon"] = Client()
    return clients


def urls(journey: Journey) -> dict[str, str]:
    base = f"/w/{journey.workspace.uuid}/journeys/"
    item = f"{base}{journey.uuid}/"
    return {"list": base, "new": f"{base}new/", "import": f"{base}import/", "edit": item,
            "save": f"{item}save/", "publish": f"{item}publish/", "stage": f"{item}stage/",
            "toggle": f"{item}toggle/", "export": f"{item}export/", "versions": f"{item}versions/",
            "simulator": f"{item}simulator/", "restart": f"{item}simulator/restart/",
            "contact": f"{item}simulator/contact/"}


# ---------------------------------------------------------------------------- the role matrix

READ_PAGES = ["list", "edit", "versions", "export", "simulator"]
WRITES: dict[str, Callable[[Journey], dict]] = {
    "new": lambda j: {"name": "Quiz", "start": "blank"},
    "save": lambda j: {"source": VALID},
    "publish": lambda j: {},
    "stage": lambda j: {},
    "toggle": lambda j: {},
    "import": lambda j: {"notebook": SimpleUploadedFile("quiz.md", VALID.encode())},
}


@pytest.mark.parametrize("page", READ_PAGES)
def test_every_member_reads_journeys_and_nobody_else(people, journey, page: str) -> None:
    url = urls(journey)[page]
    for role in READERS:
        assert people[role].get(url).status_code == 200, role
    assert people["other_admin"].get(url).status_code == 404
    response = people["anon"].get(url)
    assert response.status_code == 302 and response["Location"].startswith("/login/?next=")


@pytest.mark.parametrize("action", sorted(WRITES))
def test_only_editors_admins_and_owners_change_journeys(people, journey, action: str) -> None:
    url = urls(journey)[action]
    for role in ("viewer", "operator"):
        assert people[role].post(url, WRITES[action](journey)).status_code == 403, role
    assert people["other_admin"].post(url, WRITES[action](journey)).status_code == 404
    assert people["anon"].post(url, WRITES[action](journey)).status_code == 302
    before = Journey.objects.count()
    for role in EDITORS:
        response = people[role].post(url, WRITES[action](journey))
        assert response.status_code in (200, 302), (role, response.status_code)
    if action in ("new", "import"):
        assert Journey.objects.count() == before + len(EDITORS)


def test_roll_back_is_for_editors_and_a_version_of_another_journey_is_404(people, clinic, journey) -> None:
    first = journey.published_version
    update_journey(journey, source=VALID, publish=True)
    other = create_journey(clinic, name="Other", source=VALID, publish=True)
    url = f"{urls(journey)['versions']}{first.uuid}/roll-back/"
    assert people["viewer"].post(url).status_code == 403
    assert people["other_admin"].post(url).status_code == 404
    wrong = f"{urls(journey)['versions']}{other.published_version.uuid}/roll-back/"
    assert people["editor"].post(wrong).status_code == 404
    assert people["editor"].post(url).status_code == 302
    journey.refresh_from_db()
    assert journey.published_version == first and journey.draft_source == sample_source()


def test_another_workspaces_journey_is_404_even_under_ones_own_workspace(people, clinic) -> None:
    elsewhere = make_workspace("Elsewhere")
    foreign = create_journey(elsewhere, name="Foreign", source=VALID)
    url = f"/w/{clinic.uuid}/journeys/{foreign.uuid}/"
    assert people["owner"].get(url).status_code == 404
    assert people["owner"].post(url + "save/", {"source": BROKEN}).status_code == 404
    foreign.refresh_from_db()
    assert foreign.draft_source == VALID


def test_readers_get_a_read_only_editor(people, journey) -> None:
    page = people["viewer"].get(urls(journey)["edit"]).content.decode()
    assert "readonly" in page and "Read only (Viewer)" in page
    assert 'data-testid="publish"' not in page and 'data-testid="save"' not in page
    page = people["editor"].get(urls(journey)["edit"]).content.decode()
    assert 'data-testid="publish"' in page and " readonly" not in page


# ---------------------------------------------------------------------------- list and editor


def test_the_list_shows_status_triggers_and_the_enabled_switch(people, clinic, journey) -> None:
    create_journey(clinic, name="Draft only", source=VALID, publish=False)
    changed = create_journey(clinic, name="Changed", source=VALID, publish=True)
    update_journey(changed, source=VALID + "\n")
    page = people["viewer"].get(urls(journey)["list"]).content.decode()
    assert "Published · v1" in page and "Draft · never published" in page and "Unpublished changes" in page
    assert "Message is START" in page
    assert "No trigger" in page
    assert 'aria-disabled="true"' in page and "hx-post" not in page


def test_the_list_is_a_constant_number_of_queries(people, clinic, journey, django_assert_max_num_queries) -> None:
    for n in range(5):
        create_journey(clinic, name=f"Journey {n}", source=VALID, publish=True)
    client = people["admin"]
    client.get(urls(journey)["list"])
    with django_assert_max_num_queries(8):
        assert client.get(urls(journey)["list"]).status_code == 200


def test_the_enabled_switch_flips_and_answers_with_the_row(people, journey) -> None:
    response = people["editor"].post(urls(journey)["toggle"], HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and b'aria-checked="false"' in response.content
    journey.refresh_from_db()
    assert journey.enabled is False


def test_saving_a_draft_that_does_not_compile_keeps_it_and_blocks_publishing(people, journey) -> None:
    response = people["editor"].post(urls(journey)["save"], {"source": BROKEN}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    body = response.content.decode()
    assert "with errors" in body
    assert 'id="publish-reason"' in body and "line 3" in body
    assert '"line": 3, "severity": "error"' in body.replace("&quot;", '"')
    journey.refresh_from_db()
    assert journey.draft_source == BROKEN
    assert journey.published_version.number == 1

    response = people["editor"].post(urls(journey)["publish"], follow=True)
    assert response.redirect_chain[-1][0].endswith("?tab=problems")
    assert "Not published: the code has an error at line 3" in response.content.decode()
    journey.refresh_from_db()
    assert journey.published_version.number == 1


def test_the_editor_marks_problems_with_their_line_and_column(people, journey) -> None:
    update_journey(journey, source=BROKEN)
    page = people["viewer"].get(urls(journey)["edit"]).content.decode()
    assert 'data-line="3" data-column="1"' in page
    assert "The graph appears when the code compiles" in page


def test_publish_sends_the_editors_text_along_and_keeps_a_version(people, journey) -> None:
    response = people["owner"].post(urls(journey)["publish"], {"source": VALID})
    assert response.status_code == 302
    journey.refresh_from_db()
    assert journey.published_version.number == 2 and journey.published_version.source == VALID
    assert not journey.has_unpublished_changes
    page = people["owner"].get(urls(journey)["versions"]).content.decode()
    assert "v1" in page and "v2" in page and "Roll back to this" in page


def test_stage_makes_a_staging_version_without_touching_the_published_one(people, journey) -> None:
    update_journey(journey, source=VALID)
    assert people["editor"].post(urls(journey)["stage"]).status_code == 302
    journey.refresh_from_db()
    assert journey.staging_version.source == VALID
    assert journey.published_version.source == sample_source()


def test_the_graph_shows_every_card_and_marks_the_start(people, journey) -> None:
    page = people["viewer"].get(urls(journey)["edit"]).content.decode()
    assert page.count('class="node') == 10
    assert 'class="node start"' in page and 'data-card="Start"' in page
    unreachable = VALID + "card Orphan do\n  text(\"never\")\nend\n"
    update_journey(journey, source=unreachable)
    page = people["viewer"].get(urls(journey)["edit"]).content.decode()
    assert 'class="node unreachable" data-line="4" data-card="Orphan"' in page


def test_create_from_the_sample_opens_the_editor(people, clinic) -> None:
    response = people["editor"].post(f"/w/{clinic.uuid}/journeys/new/", {"name": "Lessons", "start": "sample"})
    journey = Journey.objects.get(name="Lessons")
    assert response["Location"] == f"/w/{clinic.uuid}/journeys/{journey.uuid}/"
    assert journey.draft_source == sample_source() and journey.published_version is None
    blank = people["editor"].post(f"/w/{clinic.uuid}/journeys/new/", {"name": "Hello", "start": "blank"})
    assert blank.status_code == 302
    assert "# Hello" in Journey.objects.get(name="Hello").draft_source


# ---------------------------------------------------------------------------- import and export


def test_export_then_import_gives_the_same_notebook(people, clinic, journey) -> None:
    exported = people["viewer"].get(urls(journey)["export"])
    assert exported["Content-Type"].startswith("text/markdown")
    assert exported["Content-Disposition"] == 'attachment; filename="lessons.md"'
    upload = SimpleUploadedFile("lessons.md", exported.content, content_type="text/markdown")
    response = people["editor"].post(f"/w/{clinic.uuid}/journeys/import/", {"notebook": upload})
    imported = Journey.objects.exclude(pk=journey.pk).get()
    assert response["Location"] == f"/w/{clinic.uuid}/journeys/{imported.uuid}/?tab=graph"
    assert imported.name == "Sequential lessons", "named after the notebook's first heading"
    assert imported.draft_source == journey.draft_source
    assert imported.published_version is None


def test_an_import_that_does_not_compile_is_kept_as_a_draft(people, clinic) -> None:
    upload = SimpleUploadedFile("broken.md", BROKEN.encode())
    response = people["editor"].post(f"/w/{clinic.uuid}/journeys/import/", {"notebook": upload, "name": "Mine"})
    assert response["Location"].endswith("?tab=problems")
    assert Journey.objects.get(name="Mine").draft_source == BROKEN


@pytest.mark.parametrize(("filename", "content"), [("photo.png", b"\x89PNG"), ("notes.md", b"\xff\xfe\x00bad")])
def test_an_import_of_something_else_is_refused(people, clinic, filename: str, content: bytes) -> None:
    response = people["editor"].post(f"/w/{clinic.uuid}/journeys/import/",
                                     {"notebook": SimpleUploadedFile(filename, content)})
    assert response.status_code == 400
    assert not Journey.objects.exists()


# ---------------------------------------------------------------------------- the simulator


def post_sim(client: Client, journey: Journey, **data: str) -> str:
    response = client.post(urls(journey)["simulator"], data, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    return response.content.decode()


def test_simulator_round_trip_start_press_a_button_get_the_next_message(people, journey) -> None:
    client = people["viewer"]
    first = post_sim(client, journey, text="START")
    assert "Lesson 1: Washing hands" in first and "<strong>Lesson 1: Washing hands</strong>" in first
    assert 'name="reply_id" value="Next"' in first
    second = post_sim(client, journey, reply_kind="button", reply_id="Next", reply_title="Next")
    assert "scrub for 20 seconds" in second
    third = post_sim(client, journey, reply_kind="button", reply_id="Next", reply_title="Next")
    assert "completed lesson 1" in third
    assert "Contact updated: lesson_1_complete = Next" in third and "Result saved: lesson_completed = 1" in third
    assert "The journey ended." in third
    # The contact remembers: START again opens lesson 2, in the same chat.
    fourth = post_sim(client, journey, text="start")
    assert "Lesson 2" in fourth and "completed lesson 1" in fourth


def test_the_simulator_runs_the_draft_not_the_published_version(people, journey) -> None:
    update_journey(journey, source=VALID)
    assert "Hello Ana" in post_sim(people["editor"], journey, text="hi")


def test_simulator_contact_fields_are_editable_and_restart_keeps_them(people, journey) -> None:
    client = people["editor"]
    response = client.post(urls(journey)["contact"], {"fields_text": "name: Thandi\nlesson_1_complete: Next"})
    assert "Thandi" in response.content.decode()
    assert "Lesson 2" in post_sim(client, journey, text="START")
    restarted = client.post(urls(journey)["restart"]).content.decode()
    assert "Lesson 2" not in restarted and "Chat with this journey" in restarted
    assert "lesson_1_complete: Next" in restarted
    fresh = client.post(urls(journey)["restart"], {"reset_contact": "1"}).content.decode()
    assert "lesson_1_complete" not in fresh


def test_bad_contact_lines_are_explained(people, journey) -> None:
    response = people["editor"].post(urls(journey)["contact"], {"fields_text": "this is not a field"})
    assert "Line 1: write each field as name: value" in response.content.decode()


def test_simulator_state_lives_in_the_persons_session(people, journey) -> None:
    post_sim(people["editor"], journey, text="START")
    state = people["editor"].session[f"simulator:{journey.uuid}"]
    assert json.loads(json.dumps(state))["state"]["status"] == "waiting"
    other = people["admin"].get(urls(journey)["simulator"]).content.decode()
    assert "Lesson 1" not in other


def test_http_calls_are_not_made_in_the_simulator(people, clinic) -> None:
    source = ('card Start do\n  r = get("https://api.example.org/items")\n'
              '  text("Status @r.status")\nend\n')
    journey = create_journey(clinic, name="Calls", source=source, publish=True)
    body = post_sim(people["editor"], journey, text="hi")
    assert "GET https://api.example.org/items was not called" in body
    assert "Status 599" in body


def test_a_draft_that_does_not_compile_cannot_be_simulated(people, journey) -> None:
    update_journey(journey, source=BROKEN)
    body = post_sim(people["editor"], journey, text="START")
    assert "The draft has an error, so it cannot run" in body
    assert 'data-testid="sim-send" disabled' in body


def test_the_simulator_notices_a_draft_that_changed_mid_chat(people, journey) -> None:
    post_sim(people["editor"], journey, text="START")
    update_journey(journey, source=sample_source() + "\n")
    page = people["editor"].get(urls(journey)["simulator"]).content.decode()
    assert "The draft changed since this chat started" in page



def test_hosts_the_workspace_allows_are_called_for_real(people, clinic) -> None:
    import threading
    from http.server import BaseHTTPRequestHandler, HTTPServer

    class Answer(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - the standard library's name
            body = json.dumps({"clinic": "Soweto"}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), Answer)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        clinic.settings = {"journey_http_allow_hosts": ["127.0.0.1"]}
        clinic.save()
        source = (f'card Start do\n  r = get("http://127.0.0.1:{server.server_port}/clinics")\n'
                  '  text("Nearest: @r.body.clinic (@r.status)")\nend\n')
        journey = create_journey(clinic, name="Calls", source=source, publish=True)
        body = post_sim(people["editor"], journey, text="hi")
        assert "Nearest: Soweto (200)" in body
        assert "HTTP calls to 127.0.0.1 are made for real" in body
    finally:
        server.shutdown()
