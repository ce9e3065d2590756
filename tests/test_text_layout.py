"""The layout core: display widths, wrapping at spaces, cutting with "…", fitting columns
and choosing the width."""

from __future__ import annotations

import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tickle import layout
from tickle.layout import cell_len, cut, fit_columns, screen_width, wrap


def test_wide_and_combining_characters_count_as_a_terminal_shows_them():
    assert cell_len("José") == 4
    assert cell_len("Jose\u0301") == 4  # e + combining acute
    assert cell_len("李小龙") == 6
    assert cell_len("ok 👍") == 5


def test_wrapping_breaks_at_spaces_and_indents_what_follows():
    text = "confirm the clamps are NOT to be returned, credit note instead"
    assert wrap(text, 30, 4) == [
        "confirm the clamps are NOT to",
        "    be returned, credit note",
        "    instead",
    ]


def test_phone_numbers_dates_and_times_are_never_broken():
    text = "call Ana on +1 415 555 0142 before Fri 27 Nov 2027 10:00 or 2026-11-23 17:00"
    lines = wrap(text, 24)
    for whole in ("+1 415 555 0142", "Fri 27 Nov 2027 10:00", "2026-11-23 17:00"):
        assert any(whole in line for line in lines), lines
    assert all(cell_len(line) <= 24 for line in lines)


def test_a_date_wider_than_the_line_breaks_at_its_spaces_not_inside_a_number():
    assert wrap("on Fri 27 Nov 2027 10:00", 12) == ["on Fri 27", "Nov 2027", "10:00"]


def test_a_word_wider_than_the_whole_line_is_the_only_thing_broken():
    assert wrap("a " + "x" * 25, 10) == ["a", "xxxxxxxxxx", "xxxxxxxxxx", "xxxxx"]


def test_a_cut_cell_says_so_with_an_ellipsis():
    assert cut("key-account, renewal, emea", 12) == "key-account…"
    assert cut("vip", 12) == "vip"
    assert cell_len(cut("李小龙李小龙", 7)) <= 7


def test_columns_get_their_natural_width_when_they_fit():
    assert fit_columns([3, 10, 20], [3, 10, 8], 80, 2) == [3, 10, 20]
    assert fit_columns([3, 10, 20], [3, 10, 8], None, 2) == [3, 10, 20]


def test_flexible_columns_share_what_is_left_and_never_go_below_their_floor():
    widths = fit_columns([3, 40, 60], [3, 20, 20], 80, 2)
    assert widths is not None and sum(widths) + 4 == 80
    assert widths[0] == 3 and widths[1] >= 20 and widths[2] >= 20


def test_columns_that_cannot_fit_ask_for_a_stacked_layout():
    assert fit_columns([3, 40, 60], [3, 40, 40], 80, 2) is None


class Pipe(io.StringIO):
    def isatty(self) -> bool:
        return False


@pytest.mark.parametrize(
    ("requested", "columns", "expected"),
    [(100, "120", 100), (0, "120", None), (None, "120", 120), (None, "", 80), (None, "x", 80)],
)
def test_the_width_is_asked_for_else_columns_else_80(monkeypatch, requested, columns, expected):
    monkeypatch.setenv("COLUMNS", columns)
    assert screen_width(requested, Pipe()) == expected


words = st.lists(
    st.text(alphabet=st.sampled_from(list("abcdé李😀'")), min_size=1, max_size=9),
    min_size=1,
    max_size=30,
)


@settings(max_examples=200, derandomize=True)
@given(words=words, width=st.integers(20, 120), indent=st.integers(0, 8))
def test_wrapped_text_keeps_every_word_in_order_within_the_width(words, width, indent):
    lines = wrap(" ".join(words), width, indent)
    assert " ".join(lines).split() == words
    assert all(cell_len(line) <= width for line in lines)
    assert all(line.startswith(" " * indent) for line in lines[1:])


def test_glue_joins_only_what_must_stay_together():
    assert layout.glue("call 5 tries later") == "call 5\u00a0tries later"
    assert layout.glue("no digits here") == "no digits here"
