"""Dates as a rep types them, through the commands: one WHEN argument parses whole, a time
is never left in a title, numeric dates in either order, and nothing rescheduled into the
past. The clock is Monday 2026-11-23 10:07:33 in New York (see conftest)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from tickle import dates
from tickle.domain import items as domain
from tickle.errors import DateError
from tickle.store import Store

NOW = dt.datetime(2026, 11, 23, 10, 7, 33, tzinfo=ZoneInfo("America/New_York"))


def newest(book) -> dict:
    return max(book.json("list", "--status", "all"), key=lambda item: item["id"])


def refused(book, *args: str, env: dict | None = None) -> str:
    """The one line a refused command prints, after checking it wrote nothing."""
    before = book.snapshot()
    result = book(*args, env=env)
    assert result.code == 2, result
    assert result.err.startswith("tickle: ") and result.err.count("\n") == 1, result.err
    assert "Traceback" not in result.err + result.out
    assert book.snapshot() == before
    return result.err


# -- one WHEN argument is the whole WHEN ------------------------------------------------


@pytest.mark.parametrize(
    ("when", "due", "label"),
    [
        ("fri 10", "2026-11-27T10:00:00-05:00", "Fri 27 Nov 10:00"),
        ("fri at 10", "2026-11-27T10:00:00-05:00", "Fri 27 Nov 10:00"),
        ("tomorrow 9", "2026-11-24T09:00:00-05:00", "tomorrow 09:00"),
        ("tomorrow 3", "2026-11-24T15:00:00-05:00", "tomorrow 15:00"),
        ("wed 14h", "2026-11-25T14:00:00-05:00", "Wed 25 Nov 14:00"),
        ("monday morning", "2026-11-30T09:00:00-05:00", "Mon 30 Nov 09:00"),
        ("tomorrow afternoon", "2026-11-24T14:00:00-05:00", "tomorrow 14:00"),
        ("tomorrow evening", "2026-11-24T18:00:00-05:00", "tomorrow 18:00"),
        ("fri eod", "2026-11-27T17:00:00-05:00", "Fri 27 Nov 17:00"),
        ("fri noon", "2026-11-27T12:00:00-05:00", "Fri 27 Nov 12:00"),
    ],
)
def test_a_quoted_when_with_a_time_is_all_the_when(book, when, due, label):
    # Bob has no phone, so no clock of his own: only the local time is confirmed.
    out = book.ok("add", "bob", when, "call")
    assert out == f"Added follow-up #1 with Bob Stone (Hooli): call, due {label}.\n"
    item = newest(book)
    assert (item["due"], item["title"]) == (due, "call")


@pytest.mark.parametrize("when", ["fri blah", "fri 10 call", "tomorrow 10am x", "next 10"])
def test_a_quoted_when_that_does_not_parse_whole_is_refused(book, when):
    err = refused(book, "add", "1", when, "call")
    assert err.startswith(f"tickle: not a date: '{when}'")
    assert "Try: today, tomorrow" in err


def test_a_quoted_when_is_refused_for_promise_snooze_and_next_too(busy):
    assert "not a date: 'fri blah'" in refused(busy, "promise", "bob", "x", "--by", "fri blah")
    assert "not a date: 'fri blah'" in refused(busy, "snooze", "1", "fri blah")
    assert "not a date: 'fri blah'" in refused(busy, "done", "1", "--next", "fri blah")


# -- unquoted: the leading words that parse, but never a time left in the title ---------


@pytest.mark.parametrize(
    ("words", "label", "title"),
    [
        (["fri", "10", "call", "back"], "Fri 27 Nov 10:00", "call back"),
        (["fri", "at", "10", "call", "back"], "Fri 27 Nov 10:00", "call back"),
        (["tomorrow", "3", "demo"], "tomorrow 15:00", "demo"),
        (["wed", "14h", "demo"], "Wed 25 Nov 14:00", "demo"),
        (["tomorrow", "afternoon", "demo"], "tomorrow 14:00", "demo"),
        (["fri", "100", "licences"], "Fri 27 Nov", "100 licences"),
        (["fri", "25 units"], "Fri 27 Nov", "25 units"),  # a quoted title is the title
    ],
)
def test_unquoted_words_the_date_first_then_the_title(book, words, label, title):
    out = book.ok("add", "bob stone", *words)
    assert out == f"Added follow-up #1 with Bob Stone (Hooli): {title}, due {label}.\n"


@pytest.mark.parametrize(
    ("words", "shown"),
    [
        (["fri", "10am", "30", "call"], "'30' after 'fri 10am'"),
        (["fri", "10", "30", "call"], "'30' after 'fri 10'"),
        (["fri", "10am", "at", "3", "call"], "'at 3' after 'fri 10am'"),
        (["fri 10am", "9:30", "call"], "'9:30' after 'fri 10am'"),
        (["tomorrow", "noon", "14h", "call"], "'14h' after 'tomorrow noon'"),
        (["fri", "25", "units"], "'25' after 'fri'"),
    ],
)
def test_a_time_left_after_the_date_is_an_error_not_a_title(book, words, shown):
    err = refused(book, "add", "ana silva", *words)
    assert shown in err
    assert "looks like a time: write the date and time as one quoted WHEN" in err


def test_an_hour_outside_business_hours_is_refused_with_what_to_write(book):
    err = refused(book, "add", "bob stone", "fri", "20", "call")
    assert "20 is outside business hours (7-18), so write 20:00 or 8pm" in err
    assert book.ok("add", "bob stone", "fri 20:00", "call").endswith("Fri 27 Nov 20:00.\n")


@pytest.mark.parametrize(
    ("word", "label"),
    [
        ("noon", "today 12:00"),
        ("afternoon", "today 14:00"),
        ("evening", "today 18:00"),
        ("eod", "today 17:00"),
        ("14h", "today 14:00"),
    ],
)
def test_a_part_of_the_day_alone_is_today(book, word, label):
    assert book.ok("add", "bob", word, "report").endswith(f"report, due {label}.\n")


def test_morning_alone_is_today_and_already_overdue_at_ten(book):
    result = book("add", "bob", "morning", "report")
    assert result.code == 0
    assert result.out.endswith("report, due today 09:00.\n")
    assert result.err == "tickle: warning: #1 is already overdue: it was due today 09:00\n"


# -- numeric dates -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("when", "due"),
    [
        ("14/3", "2027-03-14"),
        ("3/14", "2027-03-14"),
        ("03/14/2027", "2027-03-14"),
        ("14.03.2027", "2027-03-14"),
        ("12/25/2026", "2026-12-25"),
        ("2026/12/01", "2026-12-01"),
    ],
)
def test_a_numeric_date_that_can_only_be_one_day(book, when, due):
    book.ok("promise", "bob", "quote", "--by", when)
    assert newest(book)["due"] == due


def test_an_ambiguous_numeric_date_is_refused_with_the_setting_to_use(book):
    err = refused(book, "promise", "bob", "quote", "--by", "03/04/2027")
    assert err.startswith(
        "tickle: '03/04/2027' is ambiguous (day/month order): write 2027-04-03 or 3 apr 2027, "
        "or set TICKLE_DATE_ORDER=dmy or mdy."
    )


@pytest.mark.parametrize(("order", "due"), [("dmy", "2027-04-03"), ("mdy", "2027-03-04")])
def test_tickle_date_order_reads_an_ambiguous_date(book, order, due):
    book.ok("promise", "bob", "quote", "--by", "03/04/2027", env={"TICKLE_DATE_ORDER": order})
    book.ok("add", "bob", "03/04/2027", "10am", "call", env={"TICKLE_DATE_ORDER": order.upper()})
    assert [item["due"][:10] for item in book.json("list")] == [due, due]


def test_tickle_date_order_does_not_change_a_date_that_can_only_be_one_day(book):
    book.ok("promise", "bob", "quote", "--by", "14/3", env={"TICKLE_DATE_ORDER": "mdy"})
    assert newest(book)["due"] == "2027-03-14"


def test_a_bad_tickle_date_order_is_refused(book):
    err = refused(book, "add", "bob", "fri", "call", env={"TICKLE_DATE_ORDER": "ymd"})
    assert err == (
        "tickle: TICKLE_DATE_ORDER='ymd' is not a date order: set it to dmy (03/04 is 3 April) "
        "or mdy (03/04 is 4 March)\n"
    )


# -- never into the past -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["snooze", "1", "yesterday"], "past (yesterday 10:00): did you mean tomorrow 10:00?"),
        (["snooze", "1", "9am"], "(today 09:00): did you mean tomorrow 09:00?"),
        (["snooze", "1", "last fri"], "(Fri 20 Nov 10:00): did you mean Fri 27 Nov 10:00?"),
        (["snooze", "1", "2026-11-01"], "(Sun 1 Nov 10:00): did you mean Tue 1 Dec 10:00?"),
        (["snooze", "1", "2025-12-05"], "(Fri 5 Dec 2025 10:00): did you mean Sat 5 Dec 10:00?"),
        (["move", "2", "yesterday", "--reason", "asked"], "did you mean tomorrow?"),
        (["done", "1", "--next", "yesterday"], "that is in the past (yesterday)"),
        (["done", "1", "-o", "no-answer", "--next", "8am"], "did you mean tomorrow 08:00?"),
        (["done", "2", "--next", "3 days ago"], "(Fri 20 Nov): did you mean Fri 27 Nov?"),
        (["log", "bob", "-o", "reached", "--next", "yesterday"], "did you mean tomorrow?"),
    ],
)
def test_snooze_move_and_next_into_the_past_are_refused(busy, args, message):
    err = refused(busy, *args)
    assert err.startswith("tickle: that is in the past (")
    assert message in err


def test_the_suggestion_is_accepted_as_it_is_written(busy):
    err = refused(busy, "snooze", "1", "last fri")
    suggestion = err.rsplit("did you mean ", 1)[1].rstrip("?\n")
    # the 10:00 call keeps its time of day
    assert busy.ok("snooze", "1", suggestion) == "Snoozed #1 to Fri 27 Nov 10:00.\n"


def test_now_today_and_later_today_are_not_the_past(busy):
    busy.ok("snooze", "1", "today")
    busy.ok("snooze", "1", "now")
    busy.ok("snooze", "1", "in 5 minutes")
    busy.ok("done", "1", "--next", "today")


@pytest.mark.parametrize(
    ("args", "label"),
    [
        (["add", "bob", "yesterday", "call"], "yesterday"),
        (["add", "bob", "today 9am", "call"], "today 09:00"),
        (["add", "bob", "2026-11-20", "call"], "Fri 20 Nov"),
        (["promise", "bob", "quote", "--by", "yesterday"], "yesterday"),
    ],
)
def test_add_or_promise_in_the_past_is_kept_with_a_warning(book, args, label):
    result = book(*args)
    assert result.code == 0
    assert result.out.count("\n") == 1
    assert result.err == f"tickle: warning: #1 is already overdue: it was due {label}\n"
    assert book.json("agenda")[0]["section"] == "overdue"


@pytest.mark.parametrize("when", ["today", "today 3pm", "in 5 minutes", "tomorrow"])
def test_add_today_or_later_has_no_warning(book, when):
    book.ok("add", "bob", when, "call")


def test_looking_at_the_past_is_still_allowed(busy):
    busy.ok("agenda", "--on", "yesterday")
    busy.ok("report", "--since", "last mon")


# -- the domain, without the command line ------------------------------------------------


def test_the_domain_refuses_to_reschedule_into_the_past(busy):
    store = Store.open(busy.db, write=True)
    try:
        item = domain.get_item(store, 1)
        yesterday = dates.When(dt.date(2026, 11, 22))
        with pytest.raises(DateError, match="did you mean tomorrow"):
            domain.snooze(store, item, yesterday, NOW, reason=None)
        with pytest.raises(DateError, match="that is in the past"):
            domain.move(store, item, yesterday, NOW, reason="asked")
        with pytest.raises(DateError, match="that is in the past"):
            domain.complete(store, item, NOW, outcome="reached", next_when=yesterday)
        customer = store.customers.get(item.customer_id)
        with pytest.raises(DateError, match="that is in the past"):
            domain.log_contact(store, customer, NOW, outcome="reached", next_when=yesterday)
    finally:
        store.close()
    assert busy.rows("SELECT count(*) FROM events WHERE type IN ('snoozed', 'moved')") == [(0,)]
