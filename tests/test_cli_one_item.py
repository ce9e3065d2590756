"""Items as a rep names them (`#12`), one at a time (`show`, `edit`), and contacts that
say what happened, when, and how."""

from __future__ import annotations

import pytest


def at(day: str, time: str = "09:00:00") -> dict:
    return {"TICKLE_NOW": f"2026-{day}T{time}"}


# -- ids ------------------------------------------------------------------------------


@pytest.mark.parametrize("command", [["done"], ["snooze", "~", "fri"], ["show"], ["cancel"]])
def test_an_id_with_a_hash_is_the_same_item(busy, command):
    args = [arg if arg != "~" else "#1" for arg in command]
    if "#1" not in args:
        args.append("#1")
    busy.ok(*args)


@pytest.mark.parametrize("number", ["99", "#99", "99999999999999999999", "0"])
def test_a_number_that_is_no_item_is_no_item(busy, number):
    before = busy.snapshot()
    result = busy("done", number)
    assert result.code == 2
    shown = number.lstrip("#")
    assert result.err.startswith(f"tickle: no item #{int(shown)}:")
    assert busy.snapshot() == before


def test_a_case_command_takes_a_hash_too(book):
    book.ok("case", "open", "bob", "printer jams")
    assert "Noted on case #1." in book.ok("case", "note", "#1", "engineer booked")


def test_an_id_that_is_not_a_number_is_a_usage_error(busy):
    result = busy("done", "one")
    assert result.code == 2
    assert "'one' is not an item number: give it as 12 or #12" in result.err


# -- show and edit ----------------------------------------------------------------------


def test_show_is_one_item_with_its_customer_and_history(busy):
    out = busy.ok("show", "1")
    assert out.startswith("#1 follow-up: call back about pricing\n")
    assert "  customer:  #1 Ana Silva (Acme)\n" in out
    # Ana's zone is inferred from her +1 415 number: 10:00 here is 07:00 in California.
    assert "  reach:     phone +1 415 555 0142 (mornings) — their night\n" in out
    assert "  due:       tomorrow 10:00 · 07:00 for Ana\n" in out
    assert "  attempts:  1\n" in out
    assert "voicemail on #1 call back about pricing; next try" in out
    assert "Bob" not in out


def test_show_as_json(busy):
    shown = busy.json("show", "2")
    assert shown["kind"] == "promise"
    assert shown["customer"]["name"] == "Bob Stone"
    assert shown["reach"] == "email bob@hooli.example"
    assert [event["type"] for event in shown["history"]] == ["created"]


def test_show_says_the_rule_of_a_recurring_follow_up(book):
    book.ok("add", "bob", "mon 9am", "check-in", "--every", "week")
    assert "  repeats:   every week" in book.ok("show", "1")


def test_edit_retitles_changes_the_channel_and_notes_and_undoes(busy):
    out = busy.ok("edit", "#1", "--title", "pricing call", "--channel", "Email", "--note", "PDF")
    assert out == "Updated #1: pricing call.\n"
    shown = busy.json("show", "1")
    assert (shown["title"], shown["channel"]) == ("pricing call", "email")
    assert [e["type"] for e in shown["history"]][-2:] == ["edited", "note"]
    assert shown["history"][-1]["note"] == "PDF"
    assert shown["due"] == busy.json("show", "1")["due"]  # the date is not edited
    busy.ok("undo")
    shown = busy.json("show", "1")
    assert (shown["title"], shown["channel"]) == ("call back about pricing", None)


def test_edit_with_nothing_to_change_is_refused(busy):
    before = busy.snapshot()
    assert busy("edit", "1").code == 2
    result = busy("edit", "1", "--title", "call back about pricing")
    assert result.code == 2
    assert "nothing to change" in result.err
    assert busy.snapshot() == before


def test_edit_has_no_due_date_option(busy):
    result = busy("edit", "2", "--due", "fri")
    assert result.code == 2
    assert "--due" in result.err


# -- the next follow-up ------------------------------------------------------------------


def test_chained_next_follow_ups_do_not_pile_up_their_titles(book):
    book.ok("add", "bob", "today", "pricing call")
    book.ok("done", "1", "-o", "reached", "--next", "tomorrow")
    book.ok("done", "2", "-o", "reached", "--next", "fri", env=at("11-24"))
    titles = [item["title"] for item in book.json("list", "--status", "all")]
    assert titles == ["pricing call", "follow-up to: pricing call", "follow-up to: pricing call"]


def test_the_next_follow_up_can_have_its_own_title(book):
    book.ok("add", "bob", "today", "pricing call")
    out = book.ok("done", "1", "-o", "reached", "--next", "fri", "--title", "send the contract")
    assert "Next follow-up #2" in out
    book.ok("log", "bob", "-o", "reached", "--next", "mon", "--title", "renewal")
    titles = [item["title"] for item in book.json("list")]
    assert titles == ["send the contract", "renewal"]


def test_a_title_without_next_is_refused(busy):
    result = busy("done", "1", "--title", "x")
    assert result.code == 2
    assert "--next WHEN" in result.err


# -- choices ----------------------------------------------------------------------------


def test_choices_are_case_insensitive_and_take_the_words_the_tables_show(busy):
    assert "Done #1" in busy.ok("done", "1", "--outcome", "Reached")
    busy.ok("log", "bob", "-o", "EMAILED", "--channel", "Email")
    kinds = {item["kind"] for item in busy.json("list", "--kind", "follow-up", "--status", "ALL")}
    assert kinds == {"followup"}
    assert busy.json("list", "--kind", "Promise")[0]["kind"] == "promise"


# -- outcome and channel --------------------------------------------------------------


def test_an_outcome_says_its_channel_in_the_log_and_the_history(book):
    assert book.ok("log", "ana silva", "-o", "emailed") == (
        "Logged contact with Ana Silva (Acme): emailed.\n"
    )
    book.ok("add", "bob", "today", "call")  # Bob prefers email
    book.ok("done", "1", "-o", "voicemail")
    history = book.ok("history", "bob")
    assert "voicemail on #1 call" in history
    assert "by email" not in history
    [attempt] = [e for e in book.json("history", "bob") if e["type"] == "attempt"]
    assert attempt["channel"] == "phone"


def test_a_channel_the_outcome_contradicts_is_refused(book):
    before = book.snapshot()
    result = book("log", "bob", "-o", "voicemail", "--channel", "email")
    assert result.code == 2
    assert result.err == (
        "tickle: 'voicemail' happens by phone, not by email: drop --channel or give another "
        "outcome\n"
    )
    assert book("log", "bob", "-o", "met", "--channel", "phone").code == 2
    assert book.snapshot() == before


def test_an_outcome_that_says_no_channel_keeps_the_one_given(book):
    out = book.ok("log", "bob", "-o", "reached", "--channel", "sms")
    assert out == "Logged contact with Bob Stone (Hooli): reached by sms.\n"


# -- when it happened -----------------------------------------------------------------


def test_done_at_an_earlier_time_is_recorded_then_and_ordered_by_it(book):
    book.ok("add", "bob", "today 9am", "morning call", env=at("11-23", "08:00:00"))
    book.ok("log", "bob", "-o", "reached", "--note", "inbound", env=at("11-23", "11:00:00"))
    book.ok("done", "1", "-o", "reached", "--at", "9:30am", env=at("11-23", "12:00:00"))
    events = book.json("history", "bob")
    assert [(e["type"], e["at"]) for e in events] == [
        ("created", "2026-11-23T08:00:00-05:00"),
        ("done", "2026-11-23T09:30:00-05:00"),
        ("contact", "2026-11-23T11:00:00-05:00"),
    ]


def test_a_promise_kept_at_an_earlier_day_counts_as_kept_then(book):
    book.ok("promise", "bob", "quote", "--by", "2026-11-20", env=at("11-16"))
    out = book.ok("done", "1", "--at", "2026-11-20 4pm", env=at("11-23"))
    assert "Kept promise #1 on time" in out


def test_log_at_a_past_day(book):
    book.ok("log", "bob", "-o", "reached", "--at", "yesterday")
    [event] = book.json("history", "bob")
    assert event["at"] == "2026-11-22T12:00:00-05:00"


def test_a_contact_in_the_future_is_refused(busy):
    before = busy.snapshot()
    result = busy("done", "1", "-o", "reached", "--at", "tomorrow 9am")
    assert result.code == 2
    assert "--at is later than now" in result.err
    assert busy.snapshot() == before
