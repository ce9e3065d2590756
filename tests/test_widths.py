"""Every listing at 60 to 200 columns: every word shown, in order, and nothing wider than
the screen; phone numbers, emails and dates never broken across lines.

The data is generated: names, companies, titles, notes and phones with long words,
accents (composed and combining), CJK, emoji and apostrophes.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from tickle.layout import cell_len

WIDTHS = (60, 80, 100, 120, 200)
LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
ODD = ["é", "ü", "ñ", "ø", "ß", "Å", "ç", "e\u0301", "o\u0308", "日", "本", "語", "李", "龙"]
ODD += ["😀", "🎉", "👍🏽", "'", "’"]

letter = st.sampled_from(list(LETTERS))
odd = st.sampled_from(ODD)
word = st.lists(st.one_of(letter, letter, letter, odd), min_size=1, max_size=18).map("".join)
# A word must start with a letter: a leading apostrophe is fine, but a lone "'" is not a word.
word = word.filter(lambda w: w[0].isalpha())


def phrase(least: int, most: int):
    return st.lists(word, min_size=least, max_size=most).map(" ".join)


def phone():
    """Numbers that can be real (tickle warns about others), written as people do."""
    return st.one_of(
        st.integers(0, 99).map(lambda n: f"+1 415 555 01{n:02d}"),
        st.integers(0, 999).map(lambda n: f"+44 20 7946 0{n:03d}"),
        st.integers(0, 9999).map(lambda n: f"+81 3 1234 {n:04d}"),
        st.integers(0, 999).map(lambda n: f"+34 612 345 {n:03d}"),
    )


customer = st.fixed_dictionaries(
    {
        "name": phrase(1, 4),
        "company": phrase(1, 5),
        "phone": phone(),
        "email": st.tuples(
            st.text(alphabet="abcdefghij.", min_size=1, max_size=14).filter(
                lambda s: s[0] != "." and s[-1] != "." and ".." not in s
            ),
            st.sampled_from(["acme.example", "martinez-lopez-construcciones.example"]),
        ).map("@".join),
        "best": phrase(1, 3),
        "title": phrase(1, 12),
        "promise": phrase(1, 8),
        "problem": phrase(1, 8),
        "note": phrase(1, 25),
    }
)

# Each example renders every listing at every width (about 5 s): the suite runs a few;
# TICKLE_WIDTH_EXAMPLES=200 runs a thorough search by hand.
WIDE = settings(
    max_examples=int(os.environ.get("TICKLE_WIDTH_EXAMPLES", "5")),
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    phases=[Phase.explicit, Phase.reuse, Phase.generate],  # a failure prints as found
)


def listings(person: int) -> list[tuple[str, ...]]:
    return [
        ("agenda",),
        ("list", "--status", "all"),
        ("history", str(person)),
        ("customer", "list"),
        ("customer", "show", str(person)),
        ("case", "list"),
        ("case", "show", "3"),
        ("show", "1"),
        ("report", "--quiet-days", "1"),
    ]


def fill(tickle, people: list[dict]) -> None:
    env = {"TICKLE_MAX_ATTEMPTS": "1"}
    for n, p in enumerate(people):
        p["email"] = f"p{n}.{p['email']}"  # an email is one customer's
        added = tickle(
            "customer", "add", p["name"], "--company", p["company"], "--phone", p["phone"],
            "--email", p["email"], "--best-time", p["best"], "--channel", "phone", "--duplicate",
        )  # fmt: skip
        # A generated number may be one that cannot exist: it is kept, with a warning.
        warning = f"tickle: warning: {p['phone']!r} cannot be a valid phone number; kept as typed\n"
        assert added.code == 0 and added.err in ("", warning)
        who = str(n + 1)
        tickle.ok("add", who, "fri", f"about {p['title']}")
        tickle.ok("promise", who, p["promise"], "--by", "tomorrow 10am")
        tickle.ok("case", "open", who, p["problem"], "--category", "delivery")
        tickle.ok("log", who, "--outcome", "reached", f"--note={p['note']}")
    tickle.ok("done", "1", "--outcome", "voicemail", "--next", "fri", env=env)


def words_in_order(text: str, shown: list[str]) -> bool:
    """The words of `text` appear among the screen's words in order (others between;
    a word may carry punctuation of the layout, as in "(Acme)")."""
    position = 0
    for word_ in text.split():
        while position < len(shown) and word_ not in shown[position]:
            position += 1
        if position == len(shown):
            return False
        position += 1
    return True


SHOWN = {
    "agenda": {"name", "company", "title", "promise", "problem", "best"},
    "list": {"name", "company", "title", "promise", "problem"},
    "history": {"title", "promise", "problem", "note"},
    "customer list": {"name", "company", "best"},
    "customer show": {"name", "company", "title", "promise", "problem", "note", "best"},
    "case list": {"name", "company", "problem"},
    "case show": {"problem"},
    "show": {"name", "company", "title", "best"},
    "report": {"name", "company"},
}


def shown_keys(command: tuple[str, ...]) -> set[str]:
    name = " ".join(command[:2]) if command[0] in ("customer", "case") else command[0]
    return SHOWN[name]


@WIDE
@given(people=st.lists(customer, min_size=2, max_size=2))
def test_every_listing_shows_every_word_within_the_width(tickle, people):
    folder = Path(tempfile.mkdtemp(prefix="tickle-widths-"))
    try:
        book = type(tickle)(folder / "tickle.db")
        fill(book, people)
        for command in listings(1):
            keys = shown_keys(command)
            for width in WIDTHS:
                later = {"TICKLE_NOW": "2027-03-01T10:00:00"} if command[0] == "report" else None
                out = book.ok(*command, "--width", str(width), env=later)
                _check(out, width, people, command, keys)
        for width in WIDTHS:
            out = book.ok("agenda", "--format", "table", "--width", str(width))
            _check(out, width, people, ("agenda", "table"), shown_keys(("agenda",)))
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _check(out, width, people, command, keys) -> None:
    lines = out.splitlines()
    for line in lines:
        assert cell_len(line) <= width, f"{command} at {width}: {line!r} is wider"
    shown = out.split()
    # `show`, `case show`, `customer show` and `history` are about the first customer.
    about_one = command[0] in ("show", "history") or command[1:2] == ("show",)
    for n, p in enumerate(people):
        for key in keys:
            if about_one and n:
                continue
            assert words_in_order(p[key], shown), f"{command} at {width}: {key} {p[key]!r}\n{out}"
        reaches = command[0] in ("agenda", "show") or command[0] == "customer"
        if reaches and not (about_one and n):
            assert any(p["phone"] in line for line in lines), f"{command} at {width}: phone\n{out}"
    flat = re.sub(r"\s+", " ", out)
    for date in ("Fri 27 Nov", "tomorrow 10:00", "2026-11-23 10:07"):
        if date.replace(" ", "") in flat.replace(" ", ""):
            assert any(date in line for line in lines), f"{command} at {width}: {date} split"


def test_the_agenda_says_try_another_channel_in_words_on_a_card(book):
    book.ok("add", "ana silva", "today", "call back about pricing")
    book.ok("done", "1", "--outcome", "voicemail", "--next", "today 4pm")
    out = book.ok("agenda", "--width", "80", env={"TICKLE_MAX_ATTEMPTS": "1"})
    assert "1 try — try another channel" in out


def test_doctor_config_and_categories_fit_the_width_too(book):
    book.ok("case", "open", "ana silva", "printer jams", "--category", "hardware")
    for command in (("doctor",), ("config",), ("case", "list", "--categories")):
        for width in WIDTHS:
            out = book.ok(*command, "--width", str(width))
            assert all(cell_len(line) <= width for line in out.splitlines()), (command, out)
    out = book.ok("doctor", "--width", "120")
    assert any(str(book.db) in line for line in out.splitlines())  # a path is one word


def test_width_zero_keeps_one_line_per_record(book):
    long_title = "confirm the clamps are NOT to be returned, credit note instead " * 3
    book.ok("add", "ana silva", "tomorrow", long_title.strip())
    out = book.ok("agenda", "--width", "0")
    [line] = [line for line in out.splitlines() if "#1" in line]
    assert long_title.strip() in line and "+1 415 555 0142" in line


def test_a_secondary_column_is_cut_with_an_ellipsis_and_whole_in_show(tickle):
    tags = ["key-account", "renewal-2027", "emea-north", "reference-customer"]
    args = [arg for tag in tags for arg in ("--tag", tag)]
    tickle.ok("customer", "add", "Ana Silva", "--company", "Acme Logistics", "--phone", "+1 415 555 0142", *args)  # fmt: skip
    listed = tickle.ok("customer", "list", "--width", "60")
    assert "…" in listed and "+1 415 555 0142" in listed
    shown = " ".join(tickle.ok("customer", "show", "1", "--width", "60").split())
    assert ", ".join(tags) in shown
