"""The agenda, a history and a review as they look in a real 80x24 terminal.

Each runs in a pseudo-terminal of 80 columns and 24 rows, in colour as a rep sees it;
what it prints is played into a terminal emulator (pyte) and the screen is read back.
"""

from __future__ import annotations

import os
import sys

import pexpect
import pyte
import pytest

from tests.conftest import NOW, ZONE

ROWS, COLUMNS = 24, 80
TRIES = 2  # the attempts limit, so that the history of tries fits on the screen
TITLE = "confirm the clamps are NOT to be returned, credit note instead"
NOTE = (
    "asked whether the missing clamps can be credited rather than sent back, since the "
    "scaffolding is already up on the site in Valencia"
)


@pytest.fixture
def site(tickle):
    tickle.ok(
        "customer", "add", "José Martínez", "--company", "Martínez-López Construcciones",
        "--phone", "+34 612 345 678", "--email", "jose@martinez-lopez.example",
        "--best-time", "mornings before 11", "--channel", "phone",
    )  # fmt: skip
    tickle.ok("add", "josé", "today", TITLE)
    tickle.ok("promise", "josé", "send the credit note for the clamps", "--by", "today 4pm")
    tickle.ok("case", "open", "josé", "scaffolding delivered with missing clamps")
    tickle.ok("log", "josé", "--outcome", "reached", "--note", NOTE)
    for _ in range(TRIES):
        tickle.ok("done", "1", "--outcome", "no-answer", "--next", "today 5pm")
    return tickle


def spawn(tickle, *args: str) -> pexpect.spawn:
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "COLUMNS", "LINES")}
    env.update(TICKLE_NOW=NOW, TZ=ZONE, TERM="xterm-256color", TICKLE_MAX_ATTEMPTS=str(TRIES))
    return pexpect.spawn(
        sys.executable,
        ["-m", "tickle", "--db", str(tickle.db), *args],
        env=env,
        encoding="utf-8",
        timeout=20,
        dimensions=(ROWS, COLUMNS),
    )


def screen_of(output: str) -> list[str]:
    screen = pyte.Screen(COLUMNS, ROWS)
    stream = pyte.Stream(screen)
    stream.feed(output.replace("\n", "\r\n") if "\r\n" not in output else output)
    return [line.rstrip() for line in screen.display]


def run(tickle, *args: str) -> list[str]:
    child = spawn(tickle, *args)
    output = child.read()
    child.close()
    assert child.exitstatus == 0, output
    return screen_of(output)


def one_line_with(screen: list[str], text: str) -> str:
    found = [line for line in screen if text in line]
    assert found, f"{text!r} is not whole on any line of:\n" + "\n".join(screen)
    return found[0]


def words_on(screen: list[str]) -> list[str]:
    return " ".join(screen).split()


def in_order(words: list[str], shown: list[str]) -> bool:
    """`words` among the screen's words in order (a column beside may come between)."""
    rest = iter(shown)
    return all(word in rest for word in words)


def test_the_agenda_at_80_columns_shows_every_word_a_rep_acts_on(site):
    screen = run(site, "agenda")
    one_line_with(screen, "José Martínez (Martínez-López Construcciones)")
    one_line_with(screen, TITLE)
    one_line_with(screen, "phone +34 612 345 678 (mornings before 11)")
    one_line_with(screen, "2 tries — try another channel")
    assert "PROMISE" in one_line_with(screen, "today 16:00")
    one_line_with(screen, "send the credit note for the clamps")
    one_line_with(screen, "scaffolding delivered with missing clamps")
    assert all(len(line) <= COLUMNS for line in screen)


def test_the_history_at_80_columns_shows_the_notes_in_full(site):
    screen = run(site, "history", "josé", "--last", "3")
    shown = words_on(screen)
    assert in_order(NOTE.split(), shown), screen
    one_line_with(screen, "contact: reached by phone")
    for line in screen:
        if line[:4].isdigit():  # each event starts with its date and time, whole
            assert line[:16].count(" ") == 1 and line[10] == " ", line


def test_review_at_80_columns_never_breaks_a_word(site):
    child = spawn(site, "review")
    child.expect(r"q=quit\]: ")
    shown = child.before + child.after
    screen = screen_of(shown)
    one_line_with(screen, "PROMISE: send the credit note for the clamps")
    one_line_with(screen, "  2026-11-23 no-answer on #1 confirm the clamps")
    child.sendline("s")  # the promise due at 16:00; then the follow-up due at 17:00
    child.expect(r"q=quit\]: ")
    screen = screen_of(shown + child.before + child.after)
    one_line_with(screen, "reach: phone +34 612 345 678 (mornings before 11)")
    one_line_with(screen, "tries so far: 2 without an answer: try another channel")
    one_line_with(screen, "#3 scaffolding delivered with missing clamps (open today)")
    one_line_with(screen, "#2 send the credit note for the clamps by today 16:00")
    menu = " ".join(line for line in screen if "=" in line)
    for choice in ("r=reached", "w=wrong-number", "d=declined", "z=snooze to tomorrow", "q=quit"):
        assert choice in menu, screen
    assert all(len(line) <= COLUMNS for line in screen)
    child.sendline("q")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0


def never_broken(words: list[str], screen: list[str]) -> None:
    """Each word whole on a line of the screen (the terminal broke none at its edge)."""
    on_screen = {word for line in screen for word in line.split()}
    broken = [word for word in words if word not in on_screen]
    assert not broken, "\n".join(screen)


def test_confirmations_at_80_columns_never_break_a_word(site):
    title = "send the revised pricing sheet with the scaffolding rental rates for the spring"
    screen = run(site, "add", "josé", "tomorrow 10am", title)
    never_broken(f"Added follow-up #4 with José Martínez (Martínez-López Construcciones): {title}, due tomorrow 10:00.".split(), screen)  # fmt: skip
    assert screen[1].startswith("    ")  # continued, indented
    screen = run(site, "done", "4", "--note", NOTE)
    never_broken(f"Done #4: {title}.".split(), screen)
    assert all(len(line) <= COLUMNS for line in screen)
