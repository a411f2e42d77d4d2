"""Contact updates, results, labels, logs, dictionaries and accepted no-op functions."""

from __future__ import annotations

from sauti.journeys.engine.events import Start

from .helpers import bodies, conversation, of_type, run


def test_update_contact_is_an_effect_and_is_seen_by_later_cards() -> None:
    conv = conversation('card A, then: B do\n  update_contact(language: "por", visits: 3)\nend\n'
                        'card B when contact.language == "por" do\n  text("Olá @contact.visits")\nend\n')
    assert bodies(conv.start()) == ["Olá 3"]
    assert conv.contact == {"language": "por", "visits": 3}
    assert conv.effects[0].type == "update_contact" and conv.effects[0].fields == {"language": "por",
                                                                                   "visits": 3}


def test_write_result_keeps_value_types_and_the_raw_label() -> None:
    conv = conversation('card A do\n  n = 3\n  write_result("count", n + 1, label: "@tag")\n'
                        '  write_result("name", "@contact.name")\n  text("@results.count")\nend\n',
                        contact={"name": "Ana"})
    assert bodies(conv.start()) == ["4"]
    assert conv.results == [{"name": "count", "value": 4, "label": "@tag"},
                            {"name": "name", "value": "Ana", "label": "name"}]


def test_button_answers_are_stored_as_their_plain_value() -> None:
    conv = conversation('card A do\n  r = buttons(["Yes"]) do\n    text("?")\n  end\n'
                        '  write_result("r", r)\n  update_contact(r: r)\nend\n')
    conv.start()
    conv.send_button("Yes")
    assert conv.results[0]["value"] == "Yes" and conv.contact["r"] == "Yes"


def test_logs_labels_assignment_and_handover() -> None:
    _, effects = run('card A do\n  log("hello @contact.name")\n  add_label("Urgent")\n'
                     '  assign_chat_to("agent@example.org")\n  route_to_operator()\nend\n',
                     Start(contact={"name": "Ana"}, message={"id": "wamid.9", "type": "text"}))
    assert [(e.level, e.message) for e in of_type(effects, "log")] == [("info", "hello Ana")]
    assert of_type(effects, "add_label")[0].labels == ("Urgent",)
    assert of_type(effects, "add_label")[0].message_id == "wamid.9"
    assert of_type(effects, "assign_chat")[0].assignee == "agent@example.org"
    assert of_type(effects, "handover")[0].reason == "route_to_operator"


DICT_SRC = ('<!--\n dictionary: "config"\n-->\n\n| Key | Value |\n| --- | --- |\n| greeting | Hello |\n\n'
            '```stack\ncard A do\n  text("@config.items.greeting @global.settings.name")\n'
            '  update_dictionary(config, "greeting", "Hi")\n  text("@config.items.greeting")\nend\n```\n')


def test_journey_and_global_dictionaries() -> None:
    conv = conversation(DICT_SRC, globals={"settings": {"name": "Sauti"}})
    assert bodies(conv.start()) == ["Hello Sauti", "Hi"]
    assert conv.effects[1].type == "update_dictionary"
    overridden = conversation(DICT_SRC, globals={"settings": {"name": "S"}},
                              dictionaries={"config": {"greeting": "Howzit"}})
    assert bodies(overridden.start())[0] == "Howzit S"


def test_accepted_functions_only_log() -> None:
    conv = conversation('card A do\n  cull_data()\n  ai_auto_memory(false)\n  text("ok")\nend\n')
    assert bodies(conv.start()) == ["ok"]
    assert sum("accepted and does nothing" in line for line in conv.logs) == 2


def test_chat_is_in_the_context() -> None:
    conv = conversation('card A when is_nil_or_empty(chat.assigned_to) do\n  text("bot")\nend\n'
                        'card A do\n  text("person")\nend\n', chat={"assigned_to": None})
    assert bodies(conv.start()) == ["bot"]


def test_a_contact_update_is_seen_by_the_very_next_statement() -> None:
    conv = conversation('card A do\n  text("@contact.a")\n  update_contact(a: "2")\n  text("@contact.a")\nend\n',
                        contact={"a": "1"})
    assert bodies(conv.start()) == ["1", "2"]
