"""Grammar rules of templates and journey code, including the upstream quirks kept on purpose."""

from __future__ import annotations

import datetime as dt

import pytest

from sauti.expressions import ExpressionError, compile_expression, evaluate, evaluate_template, render

UTC = dt.UTC

TEMPLATES = [
    # (template, context, rendered)
    ("Hi @contact.name!", {"contact": {"name": "Ana"}}, "Hi Ana!"),
    ("@a + 1", {"a": 1}, "1 + 1"),  # the short form has no operators
    ("@(a + 1)", {"a": 1}, "2"),
    ("foo @ bar", {}, "foo  bar"),  # V1 drops an @ that starts nothing
    ("trailing @", {}, "trailing "),
    ("@foo.", {"foo": "bar"}, "bar."),
    ("@foo.bar.", {"foo": {"bar": "baz"}}, "baz."),
    ("user@@example.org", {}, "user@example.org"),
    ("info@support.com", {}, "info@support.com"),
    ("info@support.com", {"support": {"com": "X"}}, "infoX"),
    ("hello @missing.x!", {}, "hello @missing.x!"),
    ("hello @(missing)!", {}, "hello @(missing)!"),
    ("@contact.Name", {"CONTACT": {"NAME": "Ana"}}, "Ana"),
    ("@UPPER(contact.name)", {"contact": {"name": "ana"}}, "ANA"),
    ("@has_any_word(\"The Quick Fox\", \"fox\").match", {}, "Fox"),
    ("@list[1]", {"list": ["a", "b"]}, "b"),
    ("@list[i]", {"list": ["a", "b"], "i": 0}, "a"),
    ("@page.body.results[0].id", {"page": {"body": {"results": [{"id": 7}]}}}, "7"),
    ("@foo.bar.123.baz", {"foo": {"bar": {"123": {"baz": "v"}}}}, "v"),
    ("@a-b", {"a-b": "dash"}, "dash"),
    ("@quiz_tag_@quiz_seq", {"quiz_tag": "t", "quiz_seq": 2}, "@quiz_tag_2"),
    ("@upper(x", {"x": "a"}, "@upper(x"),  # unclosed call: the name is read as a variable
    ("@(1 +", {}, "(1 +"),  # a broken @( … ) stays text without its @
    ("@(2020-01-01T00:00:00+02:00)", {}, "(2020-01-01T00:00:00+02:00)"),
    ("@([1, 2, 3])", {}, "123"),
    ("@[]", {}, ""),
    ("email info@one.two.three for more", {}, "email info@one.two.three for more"),
    ("lineamaad@uniandes.edu.co", {}, "lineamaad@uniandes.edu.co"),
    ("@(\"@@IF(x)\")", {}, "@IF(x)"),
    ("@if(c, \"was @confirm\", \"was @deny\")", {"c": True, "confirm": "ok", "deny": "no"}, "was ok"),
    ("@('user' & '@example.org')", {}, "user@example.org"),
    ("@(\n  1 +\n  2\n)", {}, "3"),
    ("@if(x,\n1,\n2)", {"x": False}, "2"),
    ("no at signs at all", {}, "no at signs at all"),
    ("", {}, ""),
]


@pytest.mark.parametrize(("template", "context", "expected"), TEMPLATES, ids=[t[0] for t in TEMPLATES])
def test_render(template, context, expected):
    assert render(template, context) == expected


CODE = [
    # (expression, context, value)
    ("1 + 2 * 3", {}, 7),
    ("(1 + 2) * 3", {}, 9),
    ("1 + 1 > 1", {}, True),
    ("2 ^ 3 ^ 2", {}, 64.0),
    ("6 / 2 + 1", {}, 4.0),
    ("7 - 2 - 1", {}, 4),
    ("1 & 2", {}, "12"),
    ("\"a\" & 1.5 & true", {}, "a1.5true"),
    ("1 = 1", {}, True),
    ("1 == 1.0", {}, True),
    ("1 <> 2", {}, True),
    ("1 != 1", {}, False),
    ("'a' = 'A'", {}, False),
    ("18 == \"yes\"", {}, False),
    ("true == 1", {}, False),
    ("tRuE", {}, True),
    ("FaLsE", {}, False),
    ("nil", {}, None),
    ("-1.23", {}, -1.23),
    ("-0.00002", {}, -2e-05),
    ("123_456", {}, 123456),
    ("1_000", {}, 10),  # upstream reads each underscore group on its own
    ("-x", {"x": 3}, -3),
    ("5 - -1", {}, 6),
    ("\"string with quotes \\\" inside\"", {}, "string with quotes \" inside"),
    ("'it\\'s'", {}, "it's"),
    ("\"^\\d+$\"", {}, "^\\d+$"),  # other backslashes stay as written
    ("[1, \"a\", x]", {"x": None}, [1, "a", None]),
    ("{\"Name\": \"Ana\", age: 3}", {}, {"name": "Ana", "age": 3}),
    ("{\"Name\": \"Ana\"}.name", {}, "Ana"),
    ("1..3", {}, [1, 2, 3]),
    ("1..10//4", {}, [1, 5, 9]),
    ("3..1", {}, [3, 2, 1]),
    ("xs[-1]", {"xs": [1, 2, 3]}, 3),
    ("xs[5]", {"xs": [1, 2, 3]}, None),
    ("xs[1..2]", {"xs": [1, 2, 3, 4]}, [2, 3]),
    ("m[\"k\"]", {"m": {"k": 1}}, 1),
    ("m[key]", {"m": {"k": 1}, "key": "k"}, 1),
    ("s[1]", {"s": "not a list"}, None),
    ("s.attr", {"s": "text"}, None),
    ("missing", {}, None),
    ("missing.deeper", {}, None),
    ("2022-05-24", {}, dt.date(2022, 5, 24)),
    ("2022/05/24", {}, dt.date(2022, 5, 24)),
    ("24-05-2022", {}, dt.date(2022, 5, 24)),
    ("10:30", {}, dt.time(10, 30)),
    ("10:30:15", {}, dt.time(10, 30, 15)),
    ("2022-05-24T10:00:00Z", {}, dt.datetime(2022, 5, 24, 10, tzinfo=UTC)),
    ("13-12-2020 23:35:55", {}, dt.datetime(2020, 12, 13, 23, 35, 55, tzinfo=UTC)),
    ("map(1..3, &(&1 * &1))", {}, [1, 4, 9]),
    ("map(choices, &([&1, 'Button ' & &1]))", {"choices": ["one"]}, [["one", "Button one"]]),
    ("map(xs, & &1.title)", {"xs": [{"title": "A"}]}, ["A"]),
    ("map(xs, &[&1.title, &1.title])", {"xs": [{"title": "A"}]}, [["A", "A"]]),
    ("filter(xs, &has_text(&1))", {"xs": ["a", " ", "b"]}, ["a", "b"]),
    ("reduce([1, 2, 3], 0, &(&1 + &2))", {}, 6),
    ("map([[1, 2]], &map(&1, &(&1 * 10)))", {}, [[10, 20]]),
    ("ref_Buttons_7bef16 == 2", {"ref_Buttons_7bef16": {"__value__": "2", "index": 1}}, True),
]


@pytest.mark.parametrize(("source", "context", "expected"), CODE, ids=[c[0] for c in CODE])
def test_code(source, context, expected):
    value = evaluate(source, context)
    assert value == expected
    assert type(value) is type(expected) or isinstance(value, type(expected))


# Snippets from real Turn journeys (conformance corpus), with contexts chosen here.
JOURNEY_CODE = [
    ("@contact.data_preference == \"text only\"", {"contact": {"data_preference": "text only"}}, True),
    ("@event.message.type == \"audio\"", {"event": {"message": {"type": "audio"}}}, True),
    ("isstring(@q1)", {"q1": "hi"}, True),
    ("has_all_members(keywords, [@question_response]) == true",
     {"keywords": ["skip", "stop"], "question_response": "skip"}, True),
    ("lower(@question_response) == \"skip\"", {"question_response": "SKIP"}, True),
    ("not has_pattern(\"@edd_day\", \"^\\d+$\")", {"edd_day": "12"}, False),
    ("not isnumber(question_response) or question_response > 150", {"question_response": "200"}, True),
    ("age >= 15 and age <= 18", {"age": "16"}, True),
    ("contact.checkpoint == \"intro_welcome\" or is_nil_or_empty(contact.checkpoint)",
     {"contact": {"checkpoint": ""}}, True),
    ("count(question.answers) > 0 and\n  not has_member(map(question.answers, & &1.answer), question_response)",
     {"question": {"answers": [{"answer": "Yes"}]}, "question_response": "Maybe"}, True),
    ("isnumber(question_response) and question_response > 0 and\n  question_response <= 10",
     {"question_response": "7"}, True),
    ("contact.pregnancy_information == nil or contact.pregnancy_information == false",
     {"contact": {}}, True),
    ("if is_nil_or_empty(\"@contact.gender\"), do: \"\", else: \"@contact.gender\"",
     {"contact": {"gender": "female"}}, "female"),
    ("if(is_nil_or_empty(contact.name), do: \"there\", else: contact.name)", {"contact": {"name": None}}, "there"),
    ("if has_member(long_months, edd_date_month), do: 31, else: max_date",
     {"long_months": [1, 3], "edd_date_month": "3", "max_date": 30}, 31),
    ("if month(now()) > edd_date_month, do: year(now()) + 1, else: year(now())",
     {"edd_date_month": 1, "__now__": "2024-05-01T00:00:00Z"}, 2025),
    ("if is_nil_or_empty(multiselect_answer) do\n  \"@semantic_id\"\nelse\n"
     "  concatenate(multiselect_answer, \",\", \"@semantic_id\")\nend",
     {"multiselect_answer": "a", "semantic_id": "b"}, "a,b"),
    ("if pregnancy_in_weeks > 12 and pregnancy_in_weeks < 27 do\n  2\nelse\n  trimester\nend",
     {"pregnancy_in_weeks": "20", "trimester": 0}, 2),
    ("filter(indexes_data.body.results, &(&1.title == selected_index_name))[0].id",
     {"indexes_data": {"body": {"results": [{"title": "A", "id": 1}, {"title": "B", "id": 2}]}},
      "selected_index_name": "B"}, 2),
    ("find(relationship_mapping, &(&1[0] == contact.relationship_status))[1]",
     {"relationship_mapping": [["single", "s"], ["married", "m"]], "contact": {"relationship_status": "married"}},
     "m"),
    ("filter(age_mapping, &(age >= &1[0][0] and age <= &1[0][1]))",
     {"age": 16, "age_mapping": [[[15, 18], "15-18"], [[19, 24], "19-24"]]}, [[[15, 18], "15-18"]]),
    ("reduce(scores, scores[0], &max(&1, &2))", {"scores": [3, 9, 4]}, 9),
    ("reduce(selected_topics, \"\", &concatenate(&2, &1, \"@unichar(10)\"))", {"selected_topics": ["a", "b"]},
     "a\nb\n"),
    ("reduce(\n  with_index(question.answers),\n  \"\",\n"
     "  &\"@concatenate(&2, &1[1] + 1, \\\". \\\", &1[0].answer, unichar(10))\"\n)",
     {"question": {"answers": [{"answer": "Yes"}, {"answer": "No"}]}}, "1. Yes\n2. No\n"),
    ("split(\"@pregnancy_in_weeks\", \".\")[0]", {"pregnancy_in_weeks": 12.5}, "12"),
    ("map(answer_score, &right(&1, len(&1) - 6))", {"answer_score": ["score_12"]}, ["12"]),
    ("find(page.tags, &has_beginning(&1, \"pass_percentage_\"))",
     {"page": {"tags": ["x", "pass_percentage_80"]}}, "pass_percentage_80"),
    ("if(page.before_or_after == \"before\", page.time * -1, page.time * 1)",
     {"page": {"before_or_after": "before", "time": "5"}}, -5),
    ("has_any_exact_phrase(event.message.text.body, [\"0\", \"hi\"])",
     {"event": {"message": {"text": {"body": "Hi"}}}}, True),
    ("has_member(map(question.answers, &lower(&1.answer)), \"never\") and\n"
     "  lower(\"@question_response\") == \"never\"",
     {"question": {"answers": [{"answer": "Never"}]}, "question_response": "NEVER"}, True),
    ("substitute(message_body, \"{score}\", \"@round(score)\")", {"message_body": "You got {score}", "score": 66.7},
     "You got 67"),
    ("datetime_next(tomorrow_day, \"13:00\")", {"tomorrow_day": "tuesday", "__now__": "2024-01-15T09:30:00Z"},
     dt.datetime(2024, 1, 16, 13, tzinfo=UTC)),
]


@pytest.mark.parametrize(("source", "context", "expected"), JOURNEY_CODE, ids=[c[0][:60] for c in JOURNEY_CODE])
def test_journey_code(source, context, expected):
    assert evaluate(source, context) == expected


PARTIAL = [
    # (source, the expression part)
    ("contact.age > 18, then: Adult do", "contact.age > 18"),
    ("has_phrase(x, \"a\") do\n  text(\"hi\")\nend", "has_phrase(x, \"a\")"),
    ("ans == \"A\")", "ans == \"A\""),
    ("a + 1\nb = 2", "a + 1"),
    ("a + 1 # comment\nb = 2", "a + 1"),
    ("count(x) > 0 and\n  not has_member(y, z),\n  then: Q do", "count(x) > 0 and\n  not has_member(y, z)"),
    ("if c, do: 1, else: 2\nnext = 1", "if c, do: 1, else: 2"),
    ("if c do\n  1\nelse\n  2\nend\nnext = 1", "if c do\n  1\nelse\n  2\nend"),
    ("reduce(\n  xs,\n  0,\n  &(&1 + &2)\n)\nnext", "reduce(\n  xs,\n  0,\n  &(&1 + &2)\n)"),
    ("map(xs, & &1.title)\n", "map(xs, & &1.title)"),
    ("\"\"\"\n  {\"q\": \"@question\"}\n  \"\"\", headers: []", "\"\"\"\n  {\"q\": \"@question\"}\n  \"\"\""),
]


@pytest.mark.parametrize(("source", "expected"), PARTIAL, ids=[p[0][:40] for p in PARTIAL])
def test_partial_parse_stops_where_the_expression_ends(source, expected):
    expr, end = compile_expression(source, mode="code", partial=True)
    assert source[:end] == expected
    assert expr.source == expected


def test_partial_parse_skips_leading_newlines():
    expr, end = compile_expression("\n    if x do\n      1\n    else\n      2\n    end\nrest", partial=True)
    assert expr.evaluate({"x": True}) == 1


def test_triple_quoted_text_drops_the_closing_indentation():
    source = '"""\n      *How can I help?*\n      Hi @name\n      """'
    assert evaluate(source, {"name": "Ana"}) == "*How can I help?*\nHi Ana\n"


def test_triple_quoted_text_inline():
    assert evaluate('"""{"q": "@q"}"""', {"q": "x"}) == '{"q": "x"}'


def test_evaluate_template_returns_the_single_value_or_text():
    assert evaluate_template("@(1.23)") == 1.23
    assert evaluate_template("@append(a, b)", {"a": ["A"], "b": "C"}) == ["A", "C"]
    assert evaluate_template("next year you are @(age + 1)", {"age": 40}) == "next year you are 41"
    assert evaluate_template("@missing") is None
    assert evaluate_template(1) == "1"
    assert render(1.5) == "1.5"


def test_rich_values_keep_their_extras_and_print_their_value():
    value = evaluate("has_any_word(\"The Quick Brown Fox\", \"fox quick\")")
    assert value == {"__value__": True, "match": "Quick Fox"}
    assert render("@has_any_word(\"The Quick Brown Fox\", \"fox quick\")") == "true"
    assert evaluate_template("@map", {"map": {"__value__": "foo", "bar": "bar"}}) == {"__value__": "foo",
                                                                                      "bar": "bar"}
    assert render("@map", {"map": {"__value__": "foo", "bar": "bar"}}) == "foo"


def test_unknown_function_or_wrong_arity_gives_an_error_text():
    assert evaluate("foo(1)") == 'ERROR: "foo is not implemented."'
    assert evaluate("upper(1, 2)") == 'ERROR: "upper is not implemented."'
    with pytest.raises(ExpressionError):
        evaluate("foo(1 / 0)")  # its arguments are still evaluated


def test_lambda_argument_outside_a_lambda_is_a_syntax_error():
    with pytest.raises(ExpressionError, match="inside a function written with &"):
        compile_expression("&1 + 1")


def test_newlines_inside_brackets_are_whitespace_in_code():
    assert evaluate("max(\n 1,\n 2\n)") == 2
    assert evaluate("[\n 1,\n 2\n]") == [1, 2]
