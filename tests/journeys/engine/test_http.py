"""HTTP is a round trip through the session state: HttpRequest out, HttpResponse back in."""

from __future__ import annotations

import json

from sauti.journeys.engine import State
from sauti.journeys.engine.events import HttpResponse, Start

from .helpers import bodies, conversation, of_type, run

GET = """card A do
  page = get("https://cms.example.org/api/pages/",
             query: [["slug", "@contact.slug"], ["locale", "en"]],
             headers: [["Authorization", "Token @global.config.token"]],
             timeout: 50_000, cache_ttl: 0)
  text("@page.body.title (@page.status) @webhook.status")
end
"""


def test_request_effect_and_waiting_state() -> None:
    state, effects = run(GET, Start(contact={"slug": "a b"}, globals={"config": {"token": "T"}}))
    (req,) = of_type(effects, "http_request")
    assert (req.method, req.url) == ("GET", "https://cms.example.org/api/pages/?slug=a+b&locale=en")
    assert req.headers == (("Authorization", "Token T"),)
    assert (req.timeout_ms, req.cache_ttl_ms, req.mode, req.body) == (20000, 0, "sync", None)
    assert state.waiting == {"kind": "http", "request_id": req.request_id, "target": "page", "url": req.url,
                             "query": [["slug", "a b"], ["locale", "en"]], "mode": "sync"}


def test_response_resumes_the_session_after_a_json_round_trip() -> None:
    from sauti.journeys import compile_journey
    from sauti.journeys.engine import step

    from .helpers import NOW

    program = compile_journey(GET)
    state, effects = step(program, State(), Start(contact={"slug": "x"}), NOW)
    req = of_type(effects, "http_request")[0]
    state = State.from_dict(json.loads(json.dumps(state.to_dict())))
    state, effects = step(program, state, HttpResponse(request_id=req.request_id, status=200,
                                                      body={"title": "Hello"}), NOW)
    assert of_type(effects, "send_message")[0].message["text"]["body"] == "Hello (200) 200"
    assert state.ended


def test_a_response_nobody_waits_for_is_ignored() -> None:
    state, effects = run(GET, Start(), HttpResponse(request_id="999", status=200, body={}))
    assert state.status == "waiting"
    assert effects[-1].type == "log" and "not awaited" in effects[-1].message


def test_harness_canned_responses_and_callables() -> None:
    conv = conversation(GET, contact={"slug": "x"}, globals={"config": {"token": "T"}}, http=[
        {"method": "GET", "url": "https://cms.example.org/api/pages/", "status": 200,
         "body": {"title": "Canned"}}])
    assert bodies(conv.start()) == ["Canned (200) 200"]
    calls = []

    def http(method, url, headers, body):
        calls.append((method, url, headers, body))
        return 201, {"title": "Called"}

    src = ('card A do\n  r = post("https://x.org/hook", body: """{"name": "@contact.name"}""",\n'
           '    headers: [["content-type", "application/json"]])\n  text("@r.body.title @r.status")\nend\n')
    conv = conversation(src, contact={"name": "Ana"}, http=http)
    assert bodies(conv.start()) == ["Called 201"]
    assert calls == [("POST", "https://x.org/hook", [["content-type", "application/json"]], '{"name": "Ana"}')]


def test_failed_calls_and_form_bodies() -> None:
    conv = conversation('card A do\n  r = put("https://x.org/f", body: [["a", "1"], ["b", "x y"]])\n'
                        '  text("@r.status|@r.body")\nend\n', http=[])
    out = conv.start()
    assert conv.http_calls[0]["body"] == "a=1&b=x+y"
    assert ["content-type", "application/x-www-form-urlencoded"] in conv.http_calls[0]["headers"]
    assert bodies(out) == ["|ERROR: no canned response for PUT https://x.org/f"]


def test_async_mode_does_not_wait() -> None:
    state, effects = run('card A do\n  r = webhook("https://x.org/h", body: "x", mode: "async")\n'
                         '  text("@r.mode")\nend\n', Start())
    assert of_type(effects, "http_request")[0].method == "POST"
    assert of_type(effects, "send_message")[0].message["text"]["body"] == "async"
    assert state.ended


def test_json_text_bodies_are_decoded_by_content_type() -> None:
    from sauti.journeys.engine.events import HttpResponse

    state, effects = run(GET, Start(), HttpResponse(request_id="1", status=200, body='{"title": "T"}',
                                                   headers=[["Content-Type", "application/json"]]))
    assert of_type(effects, "send_message")[0].message["text"]["body"] == "T (200) 200"
    state, effects = run(GET, Start(), HttpResponse(request_id="1", status=200, body="not json {",
                                                   headers={"content-type": "application/json"}))
    assert state.ended
