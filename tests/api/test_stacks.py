"""/v1/stacks: create, list, edit, publish, start and read logs of journeys, in Turn's shapes."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from sauti.accounts.services import create_workspace
from sauti.api.services import create_token
from sauti.contacts.models import Contact
from sauti.journeys.models import Journey, JourneyLog, Session
from sauti.journeys.services import create_journey
from sauti.messaging.models import Message
from tests.conftest import APP_SECRET, PHONE_NUMBER_ID
from tests.support import drain_tasks, post_webhook, text_webhook

pytestmark = pytest.mark.django_db

HELLO = """card Greeting do
  log("hello world")
  text("Hello @contact.name")
end
"""
ASK = """card Ask, then: Done do
  name = ask("What is your name?")
end

card Done do
  text("Thanks @name")
end
"""
ECHO = """card Echo do
  text("You said @event.message.text.body")
end
"""
BROKEN = """card A do
  text("hi")
end

card B, then: Nowhere do
  text("bye")
end
"""
CANVAS = """# Welcome

<!-- { section: "0f6c1c8e-3c58-4d5a-9c6e-2d1e6b3b7a11", x: 500, y: 48} -->
```stack
card Start do
  text("Welcome")
end
```
"""
SAMPLE = Path(__file__).resolve().parents[2] / "src/sauti/journeys/samples/sequential_lessons.md"
STACK_KEYS = {"name", "uuid", "url", "inserted_at", "updated_at", "is_canvas", "is_notebook_valid",
              "production_notebook_revision_uuid", "enabled", "has_unpublished_changes"}
WA_ID = "27820000001"


def error_of(response) -> dict:
    body = response.json()
    assert set(body) == {"errors"}
    error = body["errors"][0]
    assert {"code", "title", "details"} <= set(error)
    return error


@pytest.fixture
def patch(client, api_token):
    def send(path: str, body: dict):
        return client.patch(path, data=json.dumps(body), content_type="application/json",
                            HTTP_AUTHORIZATION=f"Bearer {api_token}")
    return send


@pytest.fixture
def other_workspace(db):
    return create_workspace(name="Other clinic", phone_number_id="555000555", app_secret="x")


@pytest.fixture
def hello(api) -> dict:
    response = api.post("/v1/stacks", {"name": "Hello", "notebook": HELLO})
    assert response.status_code == 201, response.content
    return response.json()


def wrote(client, body: str = "hi", wamid: str = "wamid.first") -> Message:
    """The contact writes to the number, through the real webhook and pipeline."""
    assert post_webhook(client, text_webhook(PHONE_NUMBER_ID, WA_ID, body, wamid=wamid), APP_SECRET).status_code == 200
    drain_tasks()
    return Message.objects.get(provider_id=wamid)


# ------------------------------------------------------------------------------ create
def test_create_publishes_at_once_and_answers_in_turns_shape(api):
    response = api.post("/v1/stacks", {"name": "Hello", "notebook": HELLO, "enabled": True,
                                       "publish_latest_changes": False})
    assert response.status_code == 201
    body = response.json()
    assert set(body) == STACK_KEYS
    journey = Journey.objects.get(uuid=body["uuid"])
    assert body["url"] == f"http://testserver/v1/stacks/{journey.uuid}"
    assert body["production_notebook_revision_uuid"] == str(journey.published_version.uuid)
    assert (body["name"], body["enabled"], body["is_canvas"]) == ("Hello", True, False)
    assert body["is_notebook_valid"] is True and body["has_unpublished_changes"] is False
    assert journey.published_version.source == HELLO
    inserted = dt.datetime.fromisoformat(body["inserted_at"].replace("Z", "+00:00"))
    assert body["inserted_at"].endswith("Z") and abs(inserted - journey.created_at) < dt.timedelta(seconds=1)


def test_a_markdown_notebook_is_accepted_and_canvas_placement_is_reported(api):
    sample = api.post("/v1/stacks", {"name": "Lessons", "notebook": SAMPLE.read_text(), "enabled": False})
    assert sample.status_code == 201, sample.content
    assert sample.json()["is_canvas"] is False and sample.json()["enabled"] is False
    canvas = api.post("/v1/stacks", {"name": "Canvas", "notebook": CANVAS})
    assert canvas.status_code == 201, canvas.content
    assert canvas.json()["is_canvas"] is True


def test_a_notebook_that_does_not_compile_is_refused_with_its_position_and_not_stored(api):
    response = api.post("/v1/stacks", {"name": "Broken", "notebook": BROKEN})
    assert response.status_code == 400
    error = error_of(response)
    assert error["code"] == 1009 and error["title"] == "Notebook does not compile"
    assert error["source"] == {"pointer": "/notebook", "line": 5, "column": error["source"]["column"]}
    assert error["details"].startswith("'notebook': line 5, column ") and "Nowhere" in error["details"]
    assert not Journey.objects.exists()


@pytest.mark.parametrize(("body", "field"), [
    ({"notebook": HELLO}, "name"),
    ({"name": "Hello"}, "notebook"),
    ({"name": "", "notebook": HELLO}, "name"),
    ({"name": "   ", "notebook": HELLO}, "name"),
    ({"name": "Hello", "notebook": HELLO, "enabled": "sometimes"}, "enabled"),
])
def test_bad_bodies_name_the_field(api, body, field):
    response = api.post("/v1/stacks", body)
    assert response.status_code == 400
    error = error_of(response)
    assert error["details"].startswith(f"'{field}'")
    assert error["source"]["pointer"] == f"/{field}"


# ------------------------------------------------------------------------------ read
def test_list_and_get_show_only_this_workspaces_journeys(api, workspace, other_workspace, hello):
    theirs = create_journey(other_workspace, name="Theirs", source=HELLO)
    listed = api.get("/v1/stacks")
    assert listed.status_code == 200
    assert [s["uuid"] for s in listed.json()] == [hello["uuid"]]
    assert api.get(f"/v1/stacks/{hello['uuid']}").json() == hello
    mine_missing = api.get("/v1/stacks/00000000-0000-0000-0000-000000000000")
    not_mine = api.get(f"/v1/stacks/{theirs.uuid}")
    malformed = api.get("/v1/stacks/not-a-uuid")
    assert mine_missing.status_code == not_mine.status_code == malformed.status_code == 404
    assert error_of(not_mine)["code"] == error_of(mine_missing)["code"] == 1006


def test_list_does_not_query_per_journey(api, workspace, django_assert_max_num_queries):
    for n in range(5):
        create_journey(workspace, name=f"J{n}", source=HELLO)
    with django_assert_max_num_queries(4):  # token, last-used stamp, journeys (+ slack)
        assert len(api.get("/v1/stacks").json()) == 5


def test_requests_without_a_token_are_refused(client, hello):
    assert client.get("/v1/stacks").status_code == 401
    assert client.get(f"/v1/stacks/{hello['uuid']}/logs").status_code == 401


# ------------------------------------------------------------------------------ edit
def test_patch_without_publishing_keeps_unpublished_changes(api, patch, hello):
    response = patch(f"/v1/stacks/{hello['uuid']}", {"notebook": ASK})
    assert response.status_code == 200
    body = response.json()
    assert body["has_unpublished_changes"] is True
    assert body["production_notebook_revision_uuid"] == hello["production_notebook_revision_uuid"]
    journey = Journey.objects.get(uuid=hello["uuid"])
    assert journey.draft_source == ASK and journey.published_version.source == HELLO


def test_patch_with_publish_makes_a_new_revision_live(api, patch, hello):
    response = patch(f"/v1/stacks/{hello['uuid']}", {"notebook": ASK, "publish_latest_changes": True})
    assert response.status_code == 200
    body = response.json()
    assert body["has_unpublished_changes"] is False
    assert body["production_notebook_revision_uuid"] != hello["production_notebook_revision_uuid"]
    journey = Journey.objects.get(uuid=hello["uuid"])
    assert journey.published_version.source == ASK and journey.versions.count() == 2


def test_publishing_alone_publishes_the_saved_draft(api, patch, hello):
    patch(f"/v1/stacks/{hello['uuid']}", {"notebook": ASK})
    body = patch(f"/v1/stacks/{hello['uuid']}", {"publish_latest_changes": True}).json()
    assert body["has_unpublished_changes"] is False
    assert Journey.objects.get(uuid=hello["uuid"]).published_version.source == ASK


def test_patch_name_and_enabled(api, patch, hello):
    body = patch(f"/v1/stacks/{hello['uuid']}", {"name": "Greeter", "enabled": False}).json()
    assert (body["name"], body["enabled"], body["has_unpublished_changes"]) == ("Greeter", False, False)
    assert api.get(f"/v1/stacks/{hello['uuid']}").json()["name"] == "Greeter"


def test_a_draft_that_does_not_compile_is_kept_but_marked_invalid(api, patch, hello):
    body = patch(f"/v1/stacks/{hello['uuid']}", {"notebook": BROKEN}).json()
    assert body["is_notebook_valid"] is False and body["has_unpublished_changes"] is True
    assert body["production_notebook_revision_uuid"] == hello["production_notebook_revision_uuid"]
    refused = patch(f"/v1/stacks/{hello['uuid']}", {"publish_latest_changes": True})
    assert refused.status_code == 400 and error_of(refused)["source"]["line"] == 5


def test_publishing_a_notebook_that_does_not_compile_changes_nothing(api, patch, hello):
    response = patch(f"/v1/stacks/{hello['uuid']}", {"name": "Renamed", "notebook": BROKEN,
                                                     "publish_latest_changes": True})
    assert response.status_code == 400
    assert error_of(response)["title"] == "Notebook does not compile"
    journey = Journey.objects.get(uuid=hello["uuid"])
    assert (journey.name, journey.draft_source, journey.published_version.source) == ("Hello", HELLO, HELLO)


def test_patch_of_another_workspaces_journey_is_404(patch, other_workspace):
    theirs = create_journey(other_workspace, name="Theirs", source=HELLO)
    assert patch(f"/v1/stacks/{theirs.uuid}", {"name": "Mine now"}).status_code == 404
    assert Journey.objects.get(id=theirs.id).name == "Theirs"


# ------------------------------------------------------------------------------ start
def test_start_for_a_contact_who_wrote(api, client, hello):
    message = wrote(client)
    response = api.post(f"/v1/stacks/{hello['uuid']}/start", {"wa_id": WA_ID})
    assert response.status_code == 201, response.content
    assert response.json() == {"success": True}
    session = Session.objects.get(journey__uuid=hello["uuid"])
    assert session.contact == message.contact


def test_start_sees_the_reference_message_or_the_last_one(api, client):
    echo = api.post("/v1/stacks", {"name": "Echo", "notebook": ECHO}).json()
    wrote(client, "first", "wamid.one")
    wrote(client, "second", "wamid.two")
    assert api.post(f"/v1/stacks/{echo['uuid']}/start", {"wa_id": WA_ID, "message_id": "wamid.one"}).status_code == 201
    assert api.post(f"/v1/stacks/{echo['uuid']}/start", {"wa_id": WA_ID}).status_code == 201
    sent = Message.objects.filter(direction=Message.Direction.OUTBOUND).order_by("id")
    assert [m.payload["text"]["body"] for m in sent] == ["You said first", "You said second"]


def test_start_refuses_a_known_contact_that_only_received_messages(api, workspace, hello):
    Contact.objects.create(workspace=workspace, wa_id=WA_ID)
    response = api.post(f"/v1/stacks/{hello['uuid']}/start", {"wa_id": WA_ID})
    assert response.status_code == 400
    assert error_of(response)["reason"] == "contact_never_wrote"
    assert not Session.objects.exists()


def test_start_refuses_an_unknown_reference_message(api, client, hello):
    wrote(client)
    response = api.post(f"/v1/stacks/{hello['uuid']}/start", {"wa_id": WA_ID, "message_id": "wamid.nope"})
    assert response.status_code == 400
    assert error_of(response)["reason"] == "unknown_message"


def test_start_refuses_a_contact_in_an_active_session(api, client):
    waiting = api.post("/v1/stacks", {"name": "Ask", "notebook": ASK}).json()
    wrote(client)
    assert api.post(f"/v1/stacks/{waiting['uuid']}/start", {"wa_id": WA_ID}).status_code == 201
    again = api.post(f"/v1/stacks/{waiting['uuid']}/start", {"wa_id": WA_ID})
    assert again.status_code == 409
    assert error_of(again)["reason"] == "active_session"


def test_start_refuses_a_disabled_journey(api, client, patch, hello):
    wrote(client)
    patch(f"/v1/stacks/{hello['uuid']}", {"enabled": False})
    response = api.post(f"/v1/stacks/{hello['uuid']}/start", {"wa_id": WA_ID})
    assert response.status_code == 409
    assert error_of(response)["reason"] == "disabled"


def test_start_refuses_a_journey_never_published(api, client, workspace):
    journey = create_journey(workspace, name="Draft", source=HELLO, publish=False)
    wrote(client)
    response = api.post(f"/v1/stacks/{journey.uuid}/start", {"wa_id": WA_ID})
    assert response.status_code == 409
    assert error_of(response)["reason"] == "not_published"


def test_start_of_an_unknown_or_foreign_journey_is_404(api, client, other_workspace):
    theirs = create_journey(other_workspace, name="Theirs", source=HELLO)
    wrote(client)
    for path in (f"/v1/stacks/{theirs.uuid}/start", "/v1/stacks/00000000-0000-0000-0000-000000000000/start"):
        response = api.post(path, {"wa_id": WA_ID})
        assert response.status_code == 404
        assert error_of(response)["code"] == 1006


def test_start_without_wa_id_names_the_field(api, hello):
    response = api.post(f"/v1/stacks/{hello['uuid']}/start", {})
    assert response.status_code == 400
    assert error_of(response)["source"] == {"pointer": "/wa_id"}


# ------------------------------------------------------------------------------ logs
def _log(journey: Journey, moment: dt.datetime, message: str, **kw) -> JourneyLog:
    return JourneyLog.objects.create(workspace=journey.workspace, journey=journey, message=message,
                                     created_at=moment, **kw)


def test_logs_in_turns_shape(api, workspace, hello):
    journey = Journey.objects.get(uuid=hello["uuid"])
    contact = Contact.objects.create(workspace=workspace, wa_id=WA_ID)
    session = Session.objects.create(workspace=workspace, journey=journey, version=journey.published_version,
                                     contact=contact, status=Session.Status.ENDED)
    moment = dt.datetime(2023, 6, 24, 1, 18, 49, 563012, tzinfo=dt.UTC)
    _log(journey, moment, "hello world", level="info", card="Greeting", line=2, session=session, contact=contact)
    response = api.get(f"/v1/stacks/{journey.uuid}/logs")
    assert response.status_code == 200
    assert response.json() == [{
        "level": "info",
        "message": "hello world",
        "metadata": {
            "app": "http://testserver/",
            "chat": f"http://testserver/v1/contacts/{WA_ID}/messages",
            "card": {"condition": None, "meta": {"column": 3, "line": 2}, "name": "Greeting"},
            "session_id": str(session.uuid),
            "stack": f"http://testserver/v1/stacks/{journey.uuid}",
        },
        "timestamp": 1687569529563012,
    }]


def test_logs_name_the_card_variants_condition(api, workspace):
    source = ('card Start when contact.age > 18 do\n  log("adult")\nend\n\n'
              'card Start do\n  log("minor")\nend\n')
    journey = create_journey(workspace, name="Ages", source=source)
    session = Session.objects.create(workspace=workspace, journey=journey, version=journey.published_version,
                                     contact=Contact.objects.create(workspace=workspace, wa_id=WA_ID))
    moment = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
    _log(journey, moment, "adult", card="Start", line=2, session=session)
    _log(journey, moment + dt.timedelta(seconds=1), "minor", card="Start", line=6, session=session)
    cards = [log["metadata"]["card"] for log in api.get(f"/v1/stacks/{journey.uuid}/logs").json()]
    assert [c["condition"] for c in cards] == ["contact.age > 18", None]


def test_logs_without_a_session_or_card_keep_the_shape(api, hello):
    journey = Journey.objects.get(uuid=hello["uuid"])
    _log(journey, dt.datetime(2025, 1, 1, tzinfo=dt.UTC), "[body: \"ERROR: timeout\"]", level="error")
    (log,) = api.get(f"/v1/stacks/{journey.uuid}/logs").json()
    assert log["level"] == "error"
    assert log["metadata"]["card"] is None and log["metadata"]["session_id"] is None
    assert log["metadata"]["chat"] is None


def test_logs_are_the_1000_most_recent_ascending_after_from(api, hello):
    journey = Journey.objects.get(uuid=hello["uuid"])
    start = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
    JourneyLog.objects.bulk_create([
        JourneyLog(workspace=journey.workspace, journey=journey, message=f"log {n}",
                   created_at=start + dt.timedelta(milliseconds=n)) for n in range(1005)])
    logs = api.get(f"/v1/stacks/{journey.uuid}/logs").json()
    assert len(logs) == 1000
    assert logs[0]["message"] == "log 5" and logs[-1]["message"] == "log 1004"
    assert [entry["timestamp"] for entry in logs] == sorted(entry["timestamp"] for entry in logs)
    since = logs[-3]["timestamp"]
    newer = api.get(f"/v1/stacks/{journey.uuid}/logs?from={since}").json()
    assert [entry["message"] for entry in newer] == ["log 1003", "log 1004"]
    iso = api.get(f"/v1/stacks/{journey.uuid}/logs?from=2025-01-01T00:00:01.002Z").json()
    assert [entry["message"] for entry in iso] == ["log 1003", "log 1004"]


def test_logs_refuse_a_bad_from_and_a_foreign_journey(api, other_workspace, hello):
    bad = api.get(f"/v1/stacks/{hello['uuid']}/logs?from=yesterday")
    assert bad.status_code == 400 and error_of(bad)["source"] == {"pointer": "/from"}
    theirs = create_journey(other_workspace, name="Theirs", source=HELLO)
    _log(theirs, dt.datetime(2025, 1, 1, tzinfo=dt.UTC), "secret")
    assert api.get(f"/v1/stacks/{theirs.uuid}/logs").status_code == 404


def test_a_started_journey_logs_through_the_runner(api, client, hello):
    wrote(client)
    assert api.post(f"/v1/stacks/{hello['uuid']}/start", {"wa_id": WA_ID}).status_code == 201
    drain_tasks()
    logs = api.get(f"/v1/stacks/{hello['uuid']}/logs").json()
    assert [(log["level"], log["message"]) for log in logs] == [("info", "hello world")]
    session = Session.objects.get(journey__uuid=hello["uuid"])
    assert logs[0]["metadata"]["session_id"] == str(session.uuid)
    assert logs[0]["metadata"]["card"]["name"] == "Greeting"


# ------------------------------------------------------------------------------ docs
def test_every_stacks_endpoint_is_documented_with_a_summary(client):
    paths = client.get("/api/openapi.json").json()["paths"]
    expected = {("/v1/stacks", "post"), ("/v1/stacks", "get"), ("/v1/stacks/{stack_uuid}", "get"),
                ("/v1/stacks/{stack_uuid}", "patch"), ("/v1/stacks/{stack_uuid}/start", "post"),
                ("/v1/stacks/{stack_uuid}/logs", "get")}
    for path, method in expected:
        assert paths[path][method]["summary"], (path, method)
    params = paths["/v1/stacks/{stack_uuid}/logs"]["get"]["parameters"]
    assert "from" in {p["name"] for p in params}


def test_another_workspaces_token_sees_none_of_ours(client, hello, other_workspace):
    token = create_token(other_workspace)[1]
    response = client.get("/v1/stacks", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 200 and response.json() == []
