"""Meta's template rules as authors meet them, and the parameters a send of a template needs."""

from __future__ import annotations

import pytest

from sauti.content.templates import (
    TemplateParamsInvalid,
    check_template,
    placeholders,
    rendered_text,
    send_components,
    template_parameters,
)

pytestmark = pytest.mark.pure


def body(text: str, *examples: str) -> dict:
    item: dict = {"type": "BODY", "text": text}
    if examples:
        item["example"] = {"body_text": [list(examples)]}
    return item


def template(*components: dict, name: str = "clinic_reminder", language: str = "en",
             category: str = "UTILITY") -> dict:
    return {"name": name, "language": language, "category": category, "components": list(components)}


def fields(data: dict, **kw) -> list[str]:
    return [p.field for p in check_template(data, **kw)]


def no_media(kind, value):
    return {}


REMINDER = template(
    {"type": "HEADER", "format": "TEXT", "text": "Visit on {{1}}", "example": {"header_text": ["Monday"]}},
    body("Hello {{1}}, your visit at {{2}} is confirmed.", "Ana", "Khayelitsha clinic"),
    {"type": "FOOTER", "text": "Reply STOP to stop"},
    {"type": "BUTTONS", "buttons": [
        {"type": "QUICK_REPLY", "text": "Confirm"}, {"type": "QUICK_REPLY", "text": "Change"},
        {"type": "URL", "text": "Directions", "url": "https://maps.example.org/{{1}}", "example": ["clinic-7"]},
        {"type": "PHONE_NUMBER", "text": "Call us", "phone_number": "+27215550123"}]},
)


def test_a_complete_template_passes() -> None:
    assert check_template(REMINDER) == []


@pytest.mark.parametrize(("name", "ok"), [("clinic_reminder_2", True), ("Clinic", False), ("clinic reminder", False),
                                          ("clinic-reminder", False), ("", False), ("a" * 512, True),
                                          ("a" * 513, False)])
def test_names_are_lower_case_letters_digits_and_underscores(name: str, ok: bool) -> None:
    assert ("name" not in fields(template(body("Hi"), name=name))) is ok


def test_language_and_category_must_be_metas() -> None:
    assert fields(template(body("Hi"), language="klingon", category="PROMO")) == ["language", "category"]


@pytest.mark.parametrize(("text", "problem"), [
    ("Hello {{1}} and {{3}}.", "body.text"),  # not in sequence
    ("Hello {{name}}.", "body.text"),  # named variables are not positional
    ("Hi {{1}}{{2}} there", "body.text"),  # side by side
    ("{{1}} is your code", "body.text"),  # starts with a variable
    ("x" * 1025, "body.text"),
])
def test_body_rules(text: str, problem: str) -> None:
    assert problem in fields(template(body(text, "a", "b", "c")))


def test_every_variable_needs_an_example() -> None:
    assert fields(template(body("Hello {{1}}, see you at {{2}}.", "Ana"))) == ["body.example.2"]
    assert fields(template(body("Hello {{1}}, see you at {{2}}."))) == ["body.example.1", "body.example.2"]


def test_header_footer_and_button_limits() -> None:
    data = template(
        {"type": "HEADER", "format": "TEXT", "text": "A {{1}} and {{2}} header"},
        body("Hi"),
        {"type": "FOOTER", "text": "f" * 61},
        {"type": "BUTTONS", "buttons": [{"type": "QUICK_REPLY", "text": "b" * 26},
                                        {"type": "URL", "text": "Site", "url": "https://x.org/{{1}}"},
                                        {"type": "PHONE_NUMBER", "text": "Call", "phone_number": "call me"}]})
    assert fields(data) == ["header.text", "footer.text", "buttons.0.text", "buttons.1.example.1",
                            "buttons.2.phone_number"]


def test_at_most_ten_buttons_and_quick_replies_together() -> None:
    many = [{"type": "QUICK_REPLY", "text": f"Option {i}"} for i in range(11)]
    assert fields(template(body("Hi"), {"type": "BUTTONS", "buttons": many})) == ["buttons"]
    split = [{"type": "QUICK_REPLY", "text": "Yes"}, {"type": "URL", "text": "Site", "url": "https://x.org"},
             {"type": "QUICK_REPLY", "text": "No"}]
    assert fields(template(body("Hi"), {"type": "BUTTONS", "buttons": split})) == ["buttons"]


def test_a_media_header_needs_a_sample() -> None:
    header = {"type": "HEADER", "format": "IMAGE"}
    assert fields(template(header, body("Hi"))) == ["header.media"]
    assert fields(template(header, body("Hi")), header_media_given=True) == []


def test_template_parameters_lists_what_a_send_must_give() -> None:
    assert [(p["component"], p["index"], p["example"]) for p in template_parameters(REMINDER)] == [
        ("header", 1, "Monday"), ("body", 1, "Ana"), ("body", 2, "Khayelitsha clinic"), ("button", 2, "clinic-7")]
    image = template({"type": "HEADER", "format": "IMAGE"}, body("Hi"))
    assert template_parameters(image)[0] | {"label": ""} == {"component": "header", "index": 0, "example": "",
                                                            "kind": "image", "label": ""}


def test_send_components_fill_every_component_in_metas_shape() -> None:
    params = {"header": ["Tuesday"], "body": ["Ana", "Site B"], "buttons": {0: "CONFIRM_42", 2: "clinic-9"}}
    assert send_components(REMINDER, params, resolve_media=no_media) == [
        {"type": "header", "parameters": [{"type": "text", "text": "Tuesday"}]},
        {"type": "body", "parameters": [{"type": "text", "text": "Ana"}, {"type": "text", "text": "Site B"}]},
        {"type": "button", "sub_type": "quick_reply", "index": "0",
         "parameters": [{"type": "payload", "payload": "CONFIRM_42"}]},
        {"type": "button", "sub_type": "url", "index": "2", "parameters": [{"type": "text", "text": "clinic-9"}]},
    ]


@pytest.mark.parametrize(("params", "field"), [
    ({"header": ["Tue"], "body": ["Ana"], "buttons": ["", "", "x"]}, "body"),  # one body value short
    ({"header": ["Tue"], "body": ["Ana", "B", "C"], "buttons": ["", "", "x"]}, "body"),
    ({"header": [], "body": ["Ana", "B"], "buttons": ["", "", "x"]}, "header"),
    ({"header": ["Tue"], "body": ["Ana", "B"]}, "buttons.2"),  # the link's ending is missing
    ({"header": ["Tue"], "body": ["Ana", ""], "buttons": ["", "", "x"]}, "body.2"),
    ({"header": ["Tue"], "body": ["Ana", "line\nbreak"], "buttons": ["", "", "x"]}, "body.2"),
    ({"header": ["Tue"], "body": ["Ana", "B"], "buttons": ["", "", "x", "call?"]}, "buttons.3"),
    ({"header": ["A much longer day name than Meta lets a header hold, really"], "body": ["Ana", "B"],
      "buttons": ["", "", "x"]}, "header.1"),
    ({"body": ["Ana", "B"], "extra": []}, "params"),
])
def test_parameters_that_do_not_fit_are_refused_at_their_field(params: dict, field: str) -> None:
    with pytest.raises(TemplateParamsInvalid) as caught:
        send_components(REMINDER, params, resolve_media=no_media)
    assert caught.value.field == field


def test_a_media_header_takes_what_the_resolver_gives() -> None:
    image = template({"type": "HEADER", "format": "IMAGE"}, body("Hi"))
    with pytest.raises(TemplateParamsInvalid) as caught:
        send_components(image, {}, resolve_media=no_media)
    assert caught.value.field == "header"
    out = send_components(image, {"header": ["123"]}, resolve_media=lambda kind, value: {"id": value})
    assert out == [{"type": "header", "parameters": [{"type": "image", "image": {"id": "123"}}]}]


def test_rendered_text_is_what_the_person_reads() -> None:
    components = send_components(REMINDER, {"header": ["Tue"], "body": ["Ana", "Site B"], "buttons": {2: "x"}},
                                 resolve_media=no_media)
    assert rendered_text(REMINDER, components) == (
        "Visit on Tue\nHello Ana, your visit at Site B is confirmed.\nReply STOP to stop")
    assert rendered_text(REMINDER).startswith("Visit on Monday\nHello Ana, your visit at Khayelitsha clinic")


def test_placeholders_are_distinct_and_sorted() -> None:
    assert placeholders("{{2}} {{1}} {{ 2 }}") == [1, 2]


def test_authentication_templates_take_metas_passcode_forms() -> None:
    data = template({"type": "BODY", "add_security_recommendation": True},
                    {"type": "FOOTER", "code_expiration_minutes": 10},
                    {"type": "BUTTONS", "buttons": [{"type": "OTP", "otp_type": "COPY_CODE"}]},
                    category="AUTHENTICATION")
    assert check_template(data) == []
    data["category"] = "UTILITY"
    assert "buttons.0.type" in fields(data)
