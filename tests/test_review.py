"""`tickle review` for real, through a pseudo-terminal."""

import os
import signal
import subprocess
import sys

import pexpect
import pytest

from tests.conftest import NOW, ZONE

OUTCOME = r"Outcome \[.*q=quit\]: "


@pytest.fixture
def day(book):
    """Two overdue items and one due today (review order: #2, #1, #3)."""
    book.ok("add", "bob", "today", "call back about pricing")
    book.late("add", "ana silva", "yesterday", "check the replacement")
    book.ok("add", "anabel", "today", "demo follow-up")
    book.ok("promise", "bob", "pricing sheet", "--by", "fri")
    book.ok("log", "bob", "--outcome", "reached", "--note", "asked for a quote")
    return book


def spawn(tickle, rows=40, columns=100, **extra):
    env = dict(os.environ, TICKLE_NOW=NOW, TZ=ZONE, NO_COLOR="1", COLUMNS=str(columns), **extra)
    return pexpect.spawn(
        sys.executable,
        ["-m", "tickle", "--db", str(tickle.db), "review"],
        env=env,
        encoding="utf-8",
        timeout=20,
        dimensions=(rows, columns),
    )


def finish(child):
    child.expect(pexpect.EOF)
    child.close()
    return child.exitstatus


def test_review_records_an_outcome_and_skips(day):
    child = spawn(day)
    child.expect("Ana Silva")
    child.expect("check the replacement")
    child.expect(OUTCOME)
    child.sendline("r")
    child.expect("Note")
    child.sendline("all working now")
    child.expect("Next date")
    child.sendline("in 2 weeks")
    child.expect("Done #2: check the replacement \\(reached\\).")
    child.expect("Next follow-up #5 due Mon 7 Dec.")
    child.expect("Bob Stone")
    child.expect("asked for a quote")  # the last contact
    child.expect("#4 pricing sheet by Fri 27 Nov")  # the open promise
    child.expect(OUTCOME)
    child.sendline("s")
    child.expect("Anabel Cruz")
    child.expect(OUTCOME)
    child.sendline("v")
    child.expect("Note")
    child.sendline("")
    child.expect("Next date")
    child.sendline("")
    child.expect("#3 voicemail: attempt 1, next try tomorrow.")
    child.expect("Reviewed 3: 1 done, 1 rescheduled, 1 skipped.")
    assert finish(child) == 0
    assert day.rows("SELECT id, status, outcome, attempts, due FROM items WHERE id <= 3") == [
        (1, "open", None, 0, "2026-11-23"),
        (2, "done", "reached", 0 + 1, "2026-11-22"),
        (3, "open", "voicemail", 1, "2026-11-24"),
    ]
    assert day.rows("SELECT note FROM events WHERE item_id = 2 AND type = 'done'") == [
        ("all working now",)
    ]


def test_review_snoozes_to_tomorrow(day):
    child = spawn(day)
    child.expect(OUTCOME)
    child.sendline("z")
    child.expect("Snoozed #2 to tomorrow.")
    child.expect(OUTCOME)
    child.sendline("q")
    child.expect("Reviewed 1: 0 done, 1 rescheduled, 0 skipped.")
    assert finish(child) == 0
    assert day.rows("SELECT due FROM items WHERE id = 2") == [("2026-11-24",)]


def test_review_asks_again_for_a_next_date_in_the_past(day):
    child = spawn(day)
    child.expect(OUTCOME)
    child.sendline("r")
    child.expect("Note")
    child.sendline("")
    child.expect("Next date")
    child.sendline("yesterday")
    child.expect("that is in the past \\(yesterday\\): did you mean tomorrow\\?")
    child.expect("Next date")
    child.sendline("tomorrow 3")
    child.expect("Next follow-up #5 due tomorrow 15:00.")
    child.expect(OUTCOME)
    child.sendline("q")
    assert finish(child) == 0
    assert day.rows("SELECT due FROM items WHERE id = 5") == [("2026-11-24T15:00:00",)]


def test_review_asks_again_after_a_bad_date_and_a_bad_key(day):
    child = spawn(day)
    child.expect(OUTCOME)
    child.sendline("x")
    child.expect("Unknown choice 'x'")
    child.expect(OUTCOME)
    child.sendline("reached")
    child.expect("Note")
    child.sendline("")
    child.expect("Next date")
    child.sendline("fridya")
    child.expect("not a date: 'fridya'")
    child.expect("Next date")
    child.sendline("fri")
    child.expect("Next follow-up #5 due Fri 27 Nov.")
    child.expect(OUTCOME)
    child.sendline("q")
    child.expect("Reviewed 1: 1 done, 0 rescheduled, 0 skipped.")
    assert finish(child) == 0


def test_quit_keeps_what_was_recorded(day):
    child = spawn(day)
    child.expect(OUTCOME)
    child.sendline("m")
    child.expect("Note")
    child.sendline("")
    child.expect("Next date")
    child.sendline("")
    child.expect(OUTCOME)
    child.sendline("q")
    child.expect("Reviewed 1: 1 done, 0 rescheduled, 0 skipped.")
    assert finish(child) == 0
    assert day.rows("SELECT status, outcome FROM items WHERE id IN (1, 2, 3) ORDER BY id") == [
        ("open", None),
        ("done", "met"),
        ("open", None),
    ]


def test_ctrl_c_quits_cleanly_keeping_what_was_recorded(day):
    child = spawn(day)
    child.expect(OUTCOME)
    child.sendline("e")
    child.expect("Note")
    child.sendline("sent the guide")
    child.expect("Next date")
    child.sendline("")
    child.expect(OUTCOME)
    child.sendline("r")
    child.expect("Note")
    child.kill(signal.SIGINT)
    child.expect("Saved #1 as reached before stopping.")
    child.expect("Reviewed 2: 2 done, 0 rescheduled, 0 skipped.")
    child.expect("tickle: interrupted: what was recorded before is kept")
    assert finish(child) == 130
    assert "Traceback" not in (child.before or "")
    assert day.rows("SELECT id, status, outcome FROM items WHERE id IN (1, 2)") == [
        (1, "done", "reached"),
        (2, "done", "emailed"),
    ]


def test_review_a_recurring_item_schedules_its_next_occurrence(book):
    book.ok("add", "bob", "today", "satisfaction call", "--every", "3 months")
    child = spawn(book)
    child.expect("satisfaction call \\(every 3 months on the 23rd\\)")
    child.expect(OUTCOME)
    child.sendline("r")
    child.expect("Note")
    child.sendline("")
    child.expect("Next date")
    child.sendline("")
    child.expect("Next occurrence #2 due Tue 23 Feb 2027")
    child.expect("Reviewed 1: 1 done")
    assert finish(child) == 0


def test_review_with_nothing_due_says_so(book):
    child = spawn(book)
    child.expect("Nothing overdue and nothing due today. Enjoy the quiet.")
    assert finish(child) == 0


def test_review_refuses_when_not_on_a_terminal(day):
    before = day.snapshot()
    done = subprocess.run(
        [sys.executable, "-m", "tickle", "--db", str(day.db), "review"],
        env=dict(os.environ, TICKLE_NOW=NOW, TZ=ZONE),
        input="r\n",
        check=False,
        capture_output=True,
        text=True,
        timeout=20,
    )
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr == (
        "tickle: tickle review needs a terminal: in scripts use 'tickle agenda' and 'tickle done'\n"
    )
    assert day.snapshot() == before


def test_review_refuses_when_output_is_piped(day):
    result = day("review")  # the in-process runner is not a terminal either
    assert result.code == 2
    assert "needs a terminal" in result.err


def test_ctrl_d_at_the_next_date_still_saves_the_outcome(day):
    child = spawn(day)
    child.expect(OUTCOME)
    child.sendline("v")
    child.expect("Note")
    child.sendline("left a message")
    child.expect("Next date")
    child.sendeof()
    child.expect("Saved #2 as voicemail before stopping.")
    child.expect("#2 voicemail: attempt 1, next try tomorrow.")
    child.expect("Reviewed 1: 0 done, 1 rescheduled, 0 skipped.")
    assert finish(child) == 0
    assert day.rows("SELECT status, attempts FROM items WHERE id = 2") == [("open", 1)]
    assert day.rows("SELECT note FROM events WHERE item_id = 2 AND type = 'attempt'") == [
        ("left a message",)
    ]


@pytest.fixture
def promises(book):
    """Three promises due today, late by two days, and today (review order: #2, #1, #3)."""
    book.ok("promise", "ana silva", "send the pricing sheet", "--by", "today")
    book.late("promise", "bob", "send the contract", "--by", "2026-11-21")
    book.ok("promise", "anabel", "call with the engineer", "--by", "today 4pm")
    book.ok("case", "open", "bob", "invoice shows the wrong VAT number")
    return book


PROMISE_MENU = r"Outcome \[k=kept m=move c=cancel s=skip q=quit\]: "


def test_a_promise_card_keeps_moves_and_cancels(promises):
    child = spawn(promises)
    child.expect("send the contract")
    child.expect("open cases:")
    child.expect(r"#4 invoice shows the wrong VAT number \(open today\)")
    child.expect(PROMISE_MENU)
    child.sendline("k")
    child.expect("Note")
    child.sendline("")
    child.expect("Next date")
    child.sendline("")
    child.expect("Kept promise #2 2 days late: send the contract.")
    child.expect("send the pricing sheet")
    child.expect(PROMISE_MENU)
    child.sendline("m")
    child.expect("Move to")
    child.sendline("thu")
    child.expect("Why it moves")
    child.sendline("")
    child.expect("say why")
    child.expect("Why it moves")
    child.sendline("customer asked for Thursday")
    child.expect("Moved #1 from today to Thu 26 Nov.")
    child.expect("call with the engineer")
    child.expect(PROMISE_MENU)
    child.sendline("c")
    child.expect("Why it is cancelled")
    child.sendline("engineer left")
    child.expect("Cancelled #3: call with the engineer.")
    child.expect("Reviewed 3: 0 done, 1 kept, 1 moved, 1 cancelled, 0 rescheduled, 0 skipped.")
    assert finish(child) == 0
    assert promises.rows("SELECT id, status, kept, due FROM items WHERE id <= 3") == [
        (1, "open", None, "2026-11-26"),
        (2, "done", "late", "2026-11-21"),
        (3, "cancelled", None, "2026-11-23T16:00:00"),
    ]
    assert promises.rows(
        "SELECT type, note FROM events WHERE type IN ('moved', 'cancelled') ORDER BY id"
    ) == [
        ("moved", "customer asked for Thursday"),
        ("cancelled", "engineer left"),
    ]


def test_a_promise_kept_on_time_says_so(promises):
    child = spawn(promises)
    child.expect(PROMISE_MENU)
    child.sendline("s")
    child.expect(PROMISE_MENU)
    child.sendline("kept")
    child.expect("Note")
    child.sendline("sent as PDF")
    child.expect("Next date")
    child.sendline("")
    child.expect("Kept promise #1 on time: send the pricing sheet.")
    child.expect(PROMISE_MENU)
    child.sendline("q")
    child.expect("Reviewed 2: 0 done, 1 kept, 0 rescheduled, 1 skipped.")
    assert finish(child) == 0


def test_at_the_attempts_limit_the_card_says_try_another_channel(book):
    book.ok("add", "ana silva", "today", "call back about pricing")
    book.ok("done", "1", "--outcome", "voicemail", "--next", "today 4pm")
    child = spawn(book, TICKLE_MAX_ATTEMPTS="1")
    child.expect("tries so far: 1: no answer so far, try another channel")
    child.expect(OUTCOME)
    child.sendline("q")
    assert finish(child) == 0
