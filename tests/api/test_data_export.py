"""The data export cursor API (messages, contacts, statuses, with scrubbing) and FLOIP Flow Results."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from sauti.api.scrubbing import digest
from sauti.contacts.models import Contact
from sauti.journeys.models import JourneyResult
from sauti.journeys.services import create_journey
from sauti.messaging.models import Chat, Message
from tests.conftest import APP_SECRET, PHONE_NUMBER_ID
from tests.support import drain_tasks, post_webhook, text_webhook

pytestmark = pytest.mark.django_db
WA = "27820000001"
NOW = int(timezone.now().timestamp())


def say(client, body: str, n: int, wa_id: str = WA) -> None:
    payload = text_webhook(PHONE_NUMBER_ID, wa_id, body, wamid=f"wamid.in{n}", timestamp=NOW - 100 + n)
    assert post_webhook(client, payload, APP_SECRET).status_code == 200
    drain_tasks()


def window(hours: int = 1) -> dict[str, str]:
    now = timezone.now()
    return {"from": (now - dt.timedelta(hours=hours)).isoformat(), "until": (now + dt.timedelta(minutes=5)).isoformat()}


def pages(api, data_set: str, body: dict) -> list[list[dict]]:
    opened = api.post(f"/v1/data/{data_set}/cursor", body)
    assert opened.status_code == 200, opened.content
    assert opened.json()["expires_at"].endswith("Z")
    cursor, out = opened.json()["cursor"], []
    while cursor:
        page = api.get(f"/v1/data/{data_set}/cursor/{cursor}")
        assert page.status_code == 200, page.content
        out.append(page.json()["data"])
        cursor = (page.json()["paging"] or {}).get("next")
    return out


def test_messages_page_through_a_range_in_order_with_scrubbing(client, api, workspace):
    for n, text in enumerate(["hello world", "my id is 12345", "bye world"], start=1):
        say(client, text, n)
    Chat.objects.update(window_expires_at=timezone.now() + dt.timedelta(hours=1))
    api.post("/v1/messages", {"to": WA, "text": {"body": "hello back, world"}})
    rules = {"inbound": {"messages.text.body": {"type": "regex", "search": "world", "replace": "XXXX"},
                         "messages.from": {"type": "hash"}, "contacts.profile.name": {"type": "hash"}},
             "outbound": {"text.body": {"type": "regex", "search": r"\bworld\b", "replace": "*"},
                          "to": {"type": "hash"}}}
    got = pages(api, "messages", {**window(), "page_size": 2, "scrubbing_rules": rules})
    assert [len(p) for p in got] == [2, 2]
    items = [item for page in got for item in page]
    inbound = [i["messages"][0] for i in items[:3]]
    assert [m["text"]["body"] for m in inbound] == ["hello XXXX", "my id is 12345", "bye XXXX"]
    assert {m["from"] for m in inbound} == {digest(str(workspace.uuid), WA)}
    assert items[0]["contacts"][0]["profile"]["name"] == digest(str(workspace.uuid), "Ana")
    outbound = items[3]
    assert outbound["text"]["body"] == "hello back, *" and outbound["to"] == digest(str(workspace.uuid), WA)
    assert outbound["_vnd"]["v1"]["direction"] == "outbound"
    newest_first = pages(api, "messages", {**window(), "ordering": "desc", "page_size": 10})
    assert [i.get("text", {}).get("body") or i["messages"][0]["text"]["body"] for i in newest_first[0]] == \
        ["hello back, world", "bye world", "my id is 12345", "hello world"]


def test_a_range_outside_the_messages_is_empty(client, api):
    say(client, "hello", 1)
    past = {"from": "2001-01-01T00:00:00Z", "until": "2001-02-01T00:00:00Z"}
    assert pages(api, "messages", past) == [[]]


def test_contacts_export_with_hashed_numbers(client, api, workspace):
    Contact.objects.create(workspace=workspace, wa_id="27820000001", name="Ana")
    Contact.objects.create(workspace=workspace, wa_id="27820000002", name="Ben")
    got = pages(api, "contacts", {**window(), "page_size": 1, "scrubbing_rules": {"wa_id": {"type": "hash"},
                                                                                   "profile.name": {"type": "hash"}}})
    items = [i for page in got for i in page]
    assert len(items) == 2 and [len(p) for p in got] == [1, 1]
    assert items[0]["wa_id"] == digest(str(workspace.uuid), "27820000001")
    assert items[1]["profile"]["name"] == digest(str(workspace.uuid), "Ben")
    assert items[0]["profile"]["whatsapp_id"] == "27820000001"  # only the fields named are scrubbed


def test_statuses_export_each_status_change_in_the_range(client, api, workspace):
    say(client, "hi", 1)
    Chat.objects.update(window_expires_at=timezone.now() + dt.timedelta(hours=1))
    sent = api.post("/v1/messages", {"to": WA, "text": {"body": "hey"}}).json()["messages"][0]["id"]
    now = timezone.now()
    Message.objects.filter(uuid=sent).update(provider_id="wamid.out1", statuses=[
        {"status": s, "timestamp": (now - dt.timedelta(seconds=30 - i)).isoformat()}
        for i, s in enumerate(["sent", "delivered", "read"])])
    got = pages(api, "statuses", {**window(), "page_size": 2})
    items = [i for page in got for i in page]
    assert [i["status"] for i in items] == ["sent", "delivered", "read"] and [len(p) for p in got] == [2, 1]
    assert all(i["id"] == "wamid.out1" and i["recipient_id"] == WA and i["_vnd"]["v1"]["uuid"] == sent
               for i in items)


@pytest.mark.parametrize(("body", "field"), [
    ({"from": "2024-01-02T00:00:00Z", "until": "2024-01-01T00:00:00Z"}, "until"),
    ({"from": "2020-01-01T00:00:00Z", "until": "2024-01-01T00:00:00Z"}, "until"),
    ({"from": "yesterday", "until": "2024-01-01T00:00:00Z"}, "from"),
    ({"from": "2024-01-01T00:00:00Z", "until": "2024-01-02T00:00:00Z", "page_size": 0}, "page_size"),
    ({"from": "2024-01-01T00:00:00Z", "until": "2024-01-02T00:00:00Z",
      "scrubbing_rules": {"inbound": {"messages.text.body": {"type": "regex", "search": "("}}}},
     "scrubbing_rules/inbound/messages/text/body/search"),
    ({"from": "2024-01-01T00:00:00Z", "until": "2024-01-02T00:00:00Z",
      "scrubbing_rules": {"inbound": {"x": {"type": "encrypt"}}}}, "scrubbing_rules/inbound/x"),
])
def test_bad_cursor_requests_name_the_field(api, body, field):
    response = api.post("/v1/data/messages/cursor", body)
    assert response.status_code == 400
    assert response.json()["errors"][0]["source"]["pointer"] == f"/{field}"


def test_a_cursor_is_the_workspaces_own_and_cannot_be_forged(client, api, workspace):
    from sauti.accounts.services import create_workspace
    from sauti.api.services import create_token

    cursor = api.post("/v1/data/messages/cursor", window()).json()["cursor"]
    other = create_token(create_workspace(name="Other", phone_number_id="555"))[1]
    assert client.get(f"/v1/data/messages/cursor/{cursor}", HTTP_AUTHORIZATION=f"Bearer {other}").status_code == 404
    assert api.get(f"/v1/data/messages/cursor/{cursor[:-2]}xx").status_code == 404
    assert api.get(f"/v1/data/contacts/cursor/{cursor}").status_code == 404  # another data set's cursor


# ------------------------------------------------------------------------- Flow Results
QUIZ = ('trigger(on: "MESSAGE RECEIVED")\n'
        'card Quiz do\n  write_result("age", 31)\n  write_result("district", "Lusaka", label: "place")\n'
        '  text("Thanks")\nend\n')


def test_flow_results_packages_descriptor_and_responses(client, api, workspace):
    journey = create_journey(workspace, name="Intake Quiz", source=QUIZ)
    say(client, "hi", 1)
    say(client, "hi", 2, wa_id="27820000002")
    listing = api.get("/v1/flow-results/packages").json()
    assert listing["links"]["self"].endswith("/v1/flow-results/packages")
    (package,) = listing["data"]
    assert package["type"] == "packages" and package["id"] == str(journey.uuid)
    assert package["attributes"]["title"] == "Intake Quiz" and package["attributes"]["name"] == "intake-quiz"
    assert api.get(f"/v1/flow-results/packages?stack_uuid={journey.uuid}").json()["data"] == [package]
    descriptor = api.get(f"/v1/flow-results/packages/{journey.uuid}").json()["data"]["attributes"]
    assert descriptor["profile"] == "flow-results-package" and descriptor["flow-results-specification"] == "1.0.0"
    (resource,) = descriptor["resources"]
    assert resource["api-data-url"].endswith(f"/v1/flow-results/packages/{journey.uuid}/responses")
    assert resource["schema"]["questions"] == {
        "age": {"type": "numeric", "label": "age", "type_options": {}},
        "district": {"type": "text", "label": "district", "type_options": {}}}
    first = api.get(f"/v1/flow-results/packages/{journey.uuid}/responses?page[size]=3").json()
    rows = first["data"]["attributes"]["responses"]
    assert len(rows) == 3 and first["data"]["type"] == "flow-results-data"
    timestamp, row_id, contact_id, session_id, question, response, meta = rows[1]
    assert question == "district" and response == "Lusaka" and meta == {"label": "place", "card": "Quiz"}
    assert contact_id == str(Contact.objects.get(wa_id=WA).uuid) and session_id and "+00:00" in timestamp
    rest = api.get(first["links"]["next"].split("testserver", 1)[-1]).json()
    assert len(rest["data"]["attributes"]["responses"]) == 1 and rest["links"]["next"] is None
    assert JourneyResult.objects.count() == 4


def test_flow_results_filters_and_bad_input(client, api, workspace):
    journey = create_journey(workspace, name="Quiz", source=QUIZ)
    say(client, "hi", 1)
    later = (timezone.now() + dt.timedelta(minutes=1)).isoformat().replace("+00:00", "Z")
    empty = api.get(f"/v1/flow-results/packages/{journey.uuid}/responses", data={"filter[start-timestamp]": later})
    assert empty.json()["data"]["attributes"]["responses"] == []
    bad = api.get(f"/v1/flow-results/packages/{journey.uuid}/responses", data={"page[afterCursor]": "nope"})
    assert bad.status_code == 400 and bad.json()["errors"][0]["source"]["pointer"] == "/page[afterCursor]"
    assert api.get("/v1/flow-results/packages/not-a-uuid").status_code == 404
    assert api.get("/v1/flow-results/packages?stack_uuid=nope").status_code == 400
