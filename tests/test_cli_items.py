"""Follow-ups and promises through the CLI: add, done, snooze, move, cancel, log, undo."""

import pytest


def items(tickle, *args):
    return tickle.json("list", "--status", "all", *args)


def test_add_takes_when_and_what_as_words(book):
    out = book.ok("add", "bob", "tomorrow", "10am", "call", "back", "about", "pricing")
    assert (
        out
        == "Added follow-up #1 with Bob Stone (Hooli): call back about pricing, due tomorrow 10:00.\n"
    )
    [item] = items(book)
    assert item["due"] == "2026-11-24T10:00:00-05:00"
    assert item["kind"] == "followup"


def test_add_with_quoted_when(book):
    book.ok("add", "bob", "fri 14:30", "demo")
    assert items(book)[0]["due"] == "2026-11-27T14:30:00-05:00"


def test_add_without_what_is_a_plain_follow_up(book):
    book.ok("add", "bob", "in 2 weeks")
    [item] = items(book)
    assert item["title"] == "follow up"
    assert item["due"] == "2026-12-07"


def test_add_refuses_a_bad_date_and_writes_nothing(book):
    before = book.snapshot()
    result = book("add", "bob", "fridya", "call")
    assert result.code == 2
    assert result.err.startswith("tickle: not a date: 'fridya'")
    assert result.err.count("\n") == 1
    assert book.snapshot() == before


def test_add_refuses_an_ambiguous_numeric_date(book):
    result = book("add", "bob", "01/02/2026")
    assert result.code == 2
    assert "ambiguous" in result.err


def test_add_refuses_an_impossible_date(book):
    result = book("add", "bob", "2026-02-30")
    assert result.code == 2
    assert "2026-02-30" in result.err


def test_ids_are_shared_by_follow_ups_and_promises(book):
    book.ok("add", "bob", "tomorrow")
    book.ok("promise", "bob", "pricing sheet", "--by", "fri")
    book.ok("add", "ana silva", "tomorrow")
    assert [i["id"] for i in items(book)] == [1, 2, 3]


def test_promise_records_the_commitment(book):
    out = book.ok("promise", "bob", "pricing", "sheet", "--by", "fri")
    assert out == "Promised #1 to Bob Stone (Hooli): pricing sheet, by Fri 27 Nov.\n"
    [item] = items(book, "--kind", "promise")
    assert item["promised_due"] == "2026-11-27"


def test_promise_needs_by(book):
    result = book("promise", "bob", "pricing sheet")
    assert result.code == 2
    assert "--by" in result.err


def test_done_closes_a_follow_up_with_its_outcome(book):
    book.ok("add", "bob", "today", "call")
    out = book.ok("done", "1", "--outcome", "reached", "--note", "all good")
    assert out == "Done #1: call (reached).\n"
    [item] = items(book)
    assert item["status"] == "done"
    assert item["outcome"] == "reached"
    history = book.json("history", "bob")
    assert history[-1]["type"] == "done"
    assert history[-1]["note"] == "all good"


@pytest.mark.parametrize("outcome", ["voicemail", "no-answer"])
def test_unreached_outcome_keeps_it_open_and_moves_to_next_business_day(book, outcome):
    book.late("add", "bob", "2026-11-20 9:00", "call")  # a Friday, now overdue
    out = book.ok("done", "1", "-o", outcome)
    assert out == f"#1 {outcome}: attempt 1, next try tomorrow 09:00.\n"
    [item] = items(book)
    assert item["status"] == "open"
    assert item["attempts"] == 1
    assert item["due"] == "2026-11-24T09:00:00-05:00"


def test_unreached_on_friday_moves_to_monday(book):
    book.ok("add", "bob", "today", "call")
    book.ok("done", "1", "-o", "voicemail", env={"TICKLE_NOW": "2026-11-27T11:00"})
    assert items(book)[0]["due"] == "2026-11-30"


def test_unreached_with_next_moves_to_that_date(book):
    book.ok("add", "bob", "today", "call")
    book.ok("done", "1", "-o", "no-answer", "--next", "thu 4pm")
    [item] = items(book)
    assert item["due"] == "2026-11-26T16:00:00-05:00"
    assert item["attempts"] == 1


def test_attempts_accumulate_and_stay_in_history(book):
    book.ok("add", "bob", "today", "call")
    book.ok("done", "1", "-o", "voicemail")
    book.ok("done", "1", "-o", "no-answer")
    book.ok("done", "1", "-o", "reached")
    [item] = items(book)
    assert item["attempts"] == 3
    assert item["status"] == "done"
    outcomes = [e["outcome"] for e in book.json("history", "bob") if e["outcome"]]
    assert outcomes == ["voicemail", "no-answer", "reached"]


def test_done_with_next_schedules_the_next_follow_up(book):
    book.ok("add", "bob", "today", "pricing questions")
    out = book.ok("done", "1", "-o", "reached", "--next", "in 2 weeks")
    assert "Next follow-up #2 due Mon 7 Dec." in out
    new = items(book)[1]
    assert new["title"] == "follow-up to: pricing questions"
    assert new["parent_id"] == 1


def test_promise_kept_on_time(book):
    book.ok("promise", "bob", "pricing sheet", "--by", "fri")
    out = book.ok("done", "1")
    assert out == "Kept promise #1 on time: pricing sheet.\n"
    assert items(book)[0]["kept"] == "on_time"


def test_promise_done_on_its_day_is_on_time(book):
    book.ok("promise", "bob", "pricing sheet", "--by", "today")
    book.ok("done", "1", env={"TICKLE_NOW": "2026-11-23T23:59"})
    assert items(book)[0]["kept"] == "on_time"


def test_promise_kept_late(book):
    book.late("promise", "bob", "pricing sheet", "--by", "2026-11-20")
    out = book.ok("done", "1")
    assert out == "Kept promise #1 3 days late: pricing sheet.\n"
    assert items(book)[0]["kept"] == "late"


def test_done_twice_is_refused(book):
    book.ok("add", "bob", "today")
    book.ok("done", "1")
    result = book("done", "1")
    assert result.code == 2
    assert "already done" in result.err


def test_done_unknown_item(book):
    result = book("done", "99")
    assert result.code == 2
    assert result.err == "tickle: no item #99: 'tickle list --status all' shows them\n"


def test_done_refuses_an_unknown_outcome(book):
    book.ok("add", "bob", "today")
    result = book("done", "1", "--outcome", "maybe")
    assert result.code == 2
    assert "maybe" in result.err
    assert items(book)[0]["status"] == "open"


def test_snooze_moves_a_follow_up(book):
    book.ok("add", "bob", "today", "call")
    assert book.ok("snooze", "1", "wed") == "Snoozed #1 to Wed 25 Nov.\n"
    assert items(book)[0]["due"] == "2026-11-25"


def test_snooze_refuses_a_promise(book):
    book.ok("promise", "bob", "pricing", "--by", "today")
    result = book("snooze", "1", "wed")
    assert result.code == 2
    assert "tickle move 1" in result.err
    assert items(book)[0]["due"] == "2026-11-23"


def test_move_keeps_the_old_date_in_history(book):
    book.ok("promise", "bob", "pricing", "--by", "fri")
    out = book.ok("move", "1", "dec 4", "--reason", "customer asked for more time")
    assert out == "Moved #1 from Fri 27 Nov to Fri 4 Dec.\n"
    [item] = items(book)
    assert item["due"] == "2026-12-04"
    assert item["promised_due"] == "2026-11-27"
    moved = [e for e in book.json("history", "bob") if e["type"] == "moved"]
    assert moved[0]["old_due"] == "2026-11-27"
    assert moved[0]["note"] == "customer asked for more time"


def test_move_needs_a_reason(book):
    book.ok("promise", "bob", "pricing", "--by", "fri")
    result = book("move", "1", "dec 4")
    assert result.code == 2
    assert "--reason" in result.err


def test_cancel_a_promise_needs_a_reason(book):
    book.ok("promise", "bob", "pricing", "--by", "fri")
    result = book("cancel", "1")
    assert result.code == 2
    book.ok("cancel", "1", "--reason", "deal lost")
    assert items(book)[0]["status"] == "cancelled"


def test_log_records_an_unplanned_contact_and_next(book):
    out = book.ok(
        "log",
        "bob",
        "--outcome",
        "reached",
        "--channel",
        "phone",
        "--note",
        "inbound: asked about invoices",
        "--next",
        "fri",
    )
    assert "Logged contact with Bob Stone (Hooli): reached by phone." in out
    assert "Next follow-up #1 due Fri 27 Nov." in out
    [event] = [e for e in book.json("history", "bob") if e["type"] == "contact"]
    assert event["channel"] == "phone"
    assert items(book)[0]["title"] == "follow-up to: inbound: asked about invoices"


def test_list_filters_kind_customer_and_status(book):
    book.ok("add", "bob", "today", "a")
    book.ok("promise", "ana silva", "b", "--by", "fri")
    book.ok("add", "ana silva", "fri", "c")
    book.ok("done", "3")
    assert [i["title"] for i in book.json("list")] == ["a", "b"]
    assert [i["title"] for i in book.json("list", "--kind", "promise")] == ["b"]
    assert [
        i["title"] for i in book.json("list", "--customer", "ana silva", "--status", "all")
    ] == ["b", "c"]
    assert [i["title"] for i in book.json("list", "--status", "done")] == ["c"]


def test_history_is_the_customer_timeline(book):
    book.ok("add", "bob", "today", "call")
    book.ok("done", "1", "-o", "voicemail")
    out = book.ok("history", "bob")
    assert "follow-up #1 call due 2026-11-23" in out
    assert "voicemail on #1 call; next try 2026-11-24" in out


def test_undo_reverts_the_last_change(book):
    book.ok("add", "bob", "today", "call")
    book.ok("done", "1", "-o", "reached")
    assert book.ok("undo") == f"Undid: tickle --db {book.db} done 1 -o reached\n"
    [item] = items(book)
    assert item["status"] == "open"
    assert book.rows("SELECT count(*) FROM events WHERE type = 'done'") == [(0,)]
    book.ok("undo")
    assert items(book) == []
    book.ok("undo")  # the customer added last by the fixture
    assert book.rows("SELECT count(*) FROM customers") == [(2,)]


def test_undo_never_reuses_an_id(book):
    book.ok("add", "bob", "today")
    book.ok("undo")
    book.ok("add", "bob", "today")
    assert [i["id"] for i in items(book)] == [2]


def test_undo_with_nothing_to_undo(tickle):
    result = tickle("undo")
    assert result.code == 2
    assert result.err == "tickle: nothing to undo\n"
