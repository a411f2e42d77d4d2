"""What WhatsApp would refuse is a warning with its position; unreachable variants too."""

from __future__ import annotations

from sauti.journeys import compile_journey


def warnings(src: str) -> list[tuple[int, int, str, str]]:
    return [(w.line, w.column, w.code, w.message) for w in compile_journey(src).warnings]


CARDS = "".join(f"card C{i} do\nend\n" for i in range(12))


def test_more_than_three_buttons() -> None:
    src = "card A do\n  buttons([C0, C1, C2, C3]) do\n    text(\"?\")\n  end\nend\n" + CARDS
    assert warnings(src) == [(2, 3, "too-many-buttons", "buttons(...) has 4 options; WhatsApp shows at most 3 "
                              "reply buttons (use list(...) for more)")]


def test_static_button_label_over_twenty_characters() -> None:
    src = ('card A do\n  buttons(C0: "A label that is far too long", C1: "@dynamic_label_that_is_long_too") do\n'
           '    text("?")\n  end\nend\n' + CARDS)
    assert warnings(src) == [(2, 11, "label-too-long",
                              'button label "A label that is far too long" is 28 characters; WhatsApp allows 20')]


def test_card_display_labels_are_checked_where_they_are_used() -> None:
    src = 'card A do\n  buttons([Long]) do\n    text("?")\n  end\nend\ncard Long, "Twenty-one characters" do\nend\n'
    assert [w[2] for w in warnings(src)] == ["label-too-long"]


def test_lists_over_ten_rows_and_long_rows() -> None:
    rows = ", ".join(f"C{i}" for i in range(11))
    src = (f'card A do\n  list("Pick", [{rows}]) do\n    text("?")\n  end\nend\n' + CARDS
           + 'card B do\n  list("Pick one of these please", ["A row title of 25 letters"]) do\n    text("?")\n'
           "  end\nend\n")
    assert [(w[0], w[2]) for w in warnings(src)] == [(2, "too-many-rows"), (31, "label-too-long"),
                                                     (31, "label-too-long")]


def test_string_list_positions_point_at_the_label() -> None:
    src = 'card A do\n  x = buttons(["ok", "this one is too long!!"]) do\n    text("?")\n  end\nend\n'
    assert warnings(src)[0][:3] == (2, 22, "label-too-long")


def test_a_variant_after_the_default_can_never_run() -> None:
    src = "card A do\nend\ncard A when x > 1 do\nend\n"
    assert warnings(src) == [(3, 1, "unreachable", "card A can never run: the variant at line 1 has no when "
                              "condition and is tried first")]


def test_warnings_do_not_stop_compilation() -> None:
    src = "card A do\n  buttons([C0, C1, C2, C3]) do\n    text(\"?\")\n  end\nend\n" + CARDS
    assert compile_journey(src).start == "A"
