"""Recurring follow-ups: the rule words, the series, DST, and reads that never write."""

import datetime as dt
import os
import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tickle.dates import When
from tickle.domain import recurrence
from tickle.errors import InputError


def items(tickle, *args):
    return tickle.json("list", "--status", "all", *args)


def open_items(tickle):
    return [i for i in items(tickle) if i["status"] == "open"]


@pytest.fixture
def zone(monkeypatch):
    """Switch the local zone for one test (the session's zone comes back after)."""

    def use(name):
        monkeypatch.setenv("TZ", name)
        time.tzset()

    yield use
    monkeypatch.undo()
    time.tzset()
    assert os.environ["TZ"] == "America/New_York"


# -- the words ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("words", "rule"),
    [
        ("day", "FREQ=DAILY"),
        ("weekday", "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"),
        ("week", "FREQ=WEEKLY"),
        ("2 weeks", "FREQ=WEEKLY;INTERVAL=2"),
        ("month", "FREQ=MONTHLY"),
        ("3 months", "FREQ=MONTHLY;INTERVAL=3"),
        ("year", "FREQ=YEARLY"),
        ("monday,thursday", "FREQ=WEEKLY;BYDAY=MO,TH"),
        ("Thu, mon", "FREQ=WEEKLY;BYDAY=MO,TH"),
        ("every 2 weeks on monday", "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO"),
    ],
)
def test_every_words_become_an_rrule(words, rule):
    assert recurrence.parse_every(words) == rule


@pytest.mark.parametrize("words", ["fortnightish", "0 days", "2 weekdays", "month on monday", ""])
def test_every_refuses_what_it_does_not_understand(words):
    with pytest.raises(InputError, match="not a repeat rule"):
        recurrence.parse_every(words)


@pytest.mark.parametrize(
    "rule",
    [
        "FREQ=SOMETIMES",
        "FREQ=HOURLY",
        "FREQ=DAILY;INTERVAL=0",
        "FREQ=WEEKLY;BYDAY=MO,XX",
        "INTERVAL=2",
        "FREQ=DAILY;FOO=1",
        "FREQ=DAILY;UNTIL=20271231T000000Z",
        "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30",
    ],
)
def test_bad_rrules_are_refused(rule):
    with pytest.raises(InputError, match="not a valid RRULE"):
        recurrence.validate_rrule(rule, When(dt.date(2026, 11, 23)))


def test_an_rrule_is_tidied():
    assert recurrence.validate_rrule("rrule:freq=monthly; bymonthday=-1") == (
        "FREQ=MONTHLY;BYMONTHDAY=-1"
    )


@pytest.mark.parametrize(
    ("rule", "start", "words"),
    [
        ("FREQ=WEEKLY;INTERVAL=2", When(dt.date(2026, 11, 23)), "every 2 weeks on Monday"),
        ("FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR", None, "every weekday"),
        ("FREQ=WEEKLY;BYDAY=MO,TH", None, "every week on Monday and Thursday"),
        ("FREQ=MONTHLY", When(dt.date(2026, 11, 25)), "every month on the 25th"),
        ("FREQ=MONTHLY;BYMONTHDAY=31", None, "every month on the 31st"),
        ("FREQ=DAILY;COUNT=3", None, "every day, 3 times"),
        ("FREQ=YEARLY;UNTIL=20301231", None, "every year, until 2030-12-31"),
        ("FREQ=MONTHLY;BYDAY=1MO", None, "by the rule FREQ=MONTHLY;BYDAY=1MO"),
    ],
)
def test_rules_are_said_in_words(rule, start, words):
    assert recurrence.describe_rule(rule, start=start) == words


def test_monthly_on_the_31st_skips_short_months():
    jan = When(dt.date(2027, 1, 31), dt.time(9))
    found = recurrence.occurrences_between("FREQ=MONTHLY", jan, dt.date(2027, 8, 31))
    assert [w.day.isoformat() for w in found] == [
        "2027-03-31",
        "2027-05-31",
        "2027-07-31",
        "2027-08-31",
    ]


every_words = st.one_of(
    st.builds(
        lambda n, unit: f"{n} {unit}s" if n > 1 else unit,
        st.integers(1, 60),
        st.sampled_from(["day", "week", "month", "year"]),
    ),
    st.just("weekday"),
    st.lists(
        st.sampled_from(["mon", "tuesday", "wed", "thu", "friday", "sat", "sunday"]),
        min_size=1,
        max_size=7,
    ).map(",".join),
    st.builds(
        lambda n, day: f"{n} weeks on {day}",
        st.integers(2, 8),
        st.sampled_from(["monday", "fri"]),
    ),
)
moments = st.builds(
    When,
    st.dates(dt.date(2000, 1, 1), dt.date(2100, 12, 31)),
    st.one_of(st.none(), st.times().map(lambda t: t.replace(microsecond=0))),
)


@given(every_words, moments)
def test_any_every_rule_moves_strictly_forward_and_round_trips(words, after):
    rule = recurrence.parse_every(words)
    assert recurrence.validate_rrule(rule, after) == rule
    assert recurrence.parse_every(recurrence.describe_rule(rule)) == rule
    following = recurrence.next_occurrence(rule, after)
    assert following is not None
    assert following > after
    assert following.time == after.time


# -- daylight saving ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "before", "after", "offsets"),
    [
        ("America/New_York", "2026-03-02", "2026-03-09", ("-05:00", "-04:00")),  # spring
        ("America/New_York", "2026-10-26", "2026-11-02", ("-04:00", "-05:00")),  # autumn
        ("Europe/Berlin", "2026-03-23", "2026-03-30", ("+01:00", "+02:00")),
        ("Europe/Berlin", "2026-10-19", "2026-10-26", ("+02:00", "+01:00")),
    ],
)
def test_a_weekly_9am_call_stays_at_9am_across_dst(zone, name, before, after, offsets):
    zone(name)
    monday = When(dt.date.fromisoformat(before), dt.time(9))
    following = recurrence.next_occurrence("FREQ=WEEKLY", monday)
    assert following == When(dt.date.fromisoformat(after), dt.time(9))
    assert monday.iso_with_offset() == f"{before}T09:00:00{offsets[0]}"
    assert following.iso_with_offset() == f"{after}T09:00:00{offsets[1]}"


@pytest.mark.parametrize(
    ("name", "first", "done_at", "expected"),
    [
        ("America/New_York", "2026-03-02 9am", "2026-03-02T09:30", "2026-03-09T09:00:00-04:00"),
        ("America/New_York", "2026-10-26 9am", "2026-10-26T09:30", "2026-11-02T09:00:00-05:00"),
        ("Europe/Berlin", "2026-03-23 9am", "2026-03-23T09:30", "2026-03-30T09:00:00+02:00"),
        ("Europe/Berlin", "2026-10-19 9am", "2026-10-19T09:30", "2026-10-26T09:00:00+01:00"),
    ],
)
def test_the_next_weekly_occurrence_keeps_its_wall_time(book, zone, name, first, done_at, expected):
    zone(name)
    book.late("add", "bob", first, "weekly call", "--every", "week")
    book.ok("done", "1", "--outcome", "reached", env={"TICKLE_NOW": done_at})
    [following] = open_items(book)
    assert following["due"] == expected


# -- adding ---------------------------------------------------------------------------


def test_add_every_week_says_the_rule_and_starts_a_series(book):
    out = book.ok("add", "bob", "mon", "9am", "check in", "--every", "week")
    assert out == (
        "Added follow-up #1 with Bob Stone (Hooli): check in, due Mon 30 Nov 09:00, "
        "every week on Monday.\n"
    )
    assert book.rows("SELECT id, rrule, after_done, series_id FROM items") == [
        (1, "FREQ=WEEKLY", 0, 1)
    ]


def test_add_rrule_is_stored_tidy(book):
    book.ok("add", "bob", "dec 1", "--rrule", "freq=monthly;bymonthday=1")
    [item] = items(book)
    assert item["recurrence"] == "FREQ=MONTHLY;BYMONTHDAY=1"


@pytest.mark.parametrize(
    "options",
    [
        ["--every", "fortnightish"],
        ["--rrule", "FREQ=SOMETIMES"],
        ["--every", "0 days"],
        ["--every", "week", "--rrule", "FREQ=DAILY"],
        ["--after-done"],
        ["--every", "day", "--rrule", ""],
        ["--rrule", "FREQ=WEEKLY;COUNT=3", "--after-done"],
    ],
)
def test_a_bad_rule_is_refused_and_nothing_written(book, options):
    before = book.snapshot()
    result = book("add", "bob", "tomorrow", "call", *options)
    assert result.code == 2
    assert result.err.startswith("tickle: ")
    assert result.err.count("\n") == 1
    assert book.snapshot() == before


def test_list_and_customer_show_say_the_rule_in_words(book):
    book.ok("add", "bob", "mon", "call", "--every", "2 weeks")
    assert "call (every 2 weeks on Monday)" in book.ok("list")
    assert "call (every 2 weeks on Monday)" in book.ok("customer", "show", "bob")


# -- the series -----------------------------------------------------------------------


def test_done_makes_the_next_occurrence_in_the_same_series(book):
    book.ok("add", "bob", "today", "call", "--every", "week")
    out = book.ok("done", "1", "--outcome", "reached")
    assert out == (
        "Done #1: call (reached).\nNext occurrence #2 due Mon 30 Nov (every week on Monday).\n"
    )
    assert book.rows("SELECT id, status, due, series_id FROM items") == [
        (1, "done", "2026-11-23", 1),
        (2, "open", "2026-11-30", 1),
    ]


def test_done_late_on_friday_keeps_the_monday_rhythm(book):
    book.ok("add", "bob", "today", "call", "--every", "week")
    book.ok("done", "1", env={"TICKLE_NOW": "2026-11-27T16:00"})
    [following] = open_items(book)
    assert following["due"] == "2026-11-30"


def test_missed_weeks_are_not_piled_up(book):
    book.ok("add", "bob", "today", "call", "--every", "week")
    book.ok("done", "1", env={"TICKLE_NOW": "2026-12-16T16:00"})  # three weeks late
    assert [i["due"] for i in open_items(book)] == ["2026-12-21"]


def test_after_done_counts_from_the_day_it_was_done(book):
    book.ok("add", "bob", "today", "satisfaction", "--every", "month", "--after-done")
    book.ok("done", "1", "-o", "reached", env={"TICKLE_NOW": "2026-11-25T11:00"})
    [following] = open_items(book)
    assert following["due"] == "2026-12-25"
    assert following["after_done"] is True


def test_an_unreached_outcome_does_not_advance_the_series(book):
    book.ok("add", "bob", "today", "call", "--every", "week")
    book.ok("done", "1", "--outcome", "voicemail")
    assert book.rows("SELECT id, status, due, attempts FROM items") == [
        (1, "open", "2026-11-24", 1)
    ]


def test_done_next_on_a_recurring_item_adds_both(book):
    book.ok("add", "bob", "today", "pricing questions", "--every", "month")
    out = book.ok("done", "1", "-o", "reached", "--next", "fri")
    assert "Next follow-up #2 due Fri 27 Nov." in out
    assert "Next occurrence #3 due Wed 23 Dec (every month on the 23rd)." in out
    rows = book.rows("SELECT id, title, due, rrule, series_id, parent_id FROM items WHERE id > 1")
    assert rows == [
        (2, "follow-up to: pricing questions", "2026-11-27", None, None, 1),
        (3, "pricing questions", "2026-12-23", "FREQ=MONTHLY", 1, None),
    ]


def test_monthly_on_the_31st_follows_rfc_5545(book):
    book.ok("add", "bob", "2027-01-31", "month end", "--every", "month")
    book.ok("done", "1", env={"TICKLE_NOW": "2027-01-31T10:00"})
    assert [i["due"] for i in open_items(book)] == ["2027-03-31"]


def test_a_series_ends_when_its_rule_does(book):
    book.ok("add", "bob", "today", "call", "--rrule", "FREQ=WEEKLY;COUNT=2")
    book.ok("done", "1")
    out = book.ok("done", "2", env={"TICKLE_NOW": "2026-11-30T10:00"})
    assert out == "Done #2: call.\nThe series has ended: its rule gives no later date.\n"
    assert open_items(book) == []


def test_skip_passes_over_one_occurrence(book):
    book.ok("add", "bob", "today", "call", "--every", "weekday")
    out = book.ok("skip", "1")
    assert out == ("Skipped #1: call.\nNext occurrence #2 due tomorrow (every weekday).\n")
    assert book.rows("SELECT status FROM items WHERE id = 1") == [("cancelled",)]
    assert book.rows("SELECT type FROM events WHERE item_id = 1") == [("created",), ("skipped",)]


def test_skip_refuses_a_one_off_follow_up(book):
    book.ok("add", "bob", "today", "call")
    before = book.snapshot()
    result = book("skip", "1")
    assert result.code == 2
    assert "does not repeat" in result.err
    assert book.snapshot() == before


def test_cancel_moves_on_to_the_next_occurrence(book):
    book.ok("add", "bob", "today", "call", "--every", "week")
    out = book.ok("cancel", "1", "--reason", "on holiday")
    assert out == (
        "Cancelled #1: call.\nNext occurrence #2 due Mon 30 Nov (every week on Monday).\n"
    )


def test_cancel_end_series_stops_it(book):
    book.ok("add", "bob", "today", "call", "--every", "week")
    out = book.ok("cancel", "1", "--end-series")
    assert out == "Cancelled #1: call.\nEnded the series.\n"
    assert open_items(book) == []


def test_end_series_on_a_one_off_is_refused(book):
    book.ok("add", "bob", "today", "call")
    result = book("cancel", "1", "--end-series")
    assert result.code == 2
    assert "does not repeat" in result.err


def test_undo_of_done_removes_the_next_occurrence_too(book):
    book.ok("add", "bob", "today", "call", "--every", "week")
    book.ok("done", "1")
    book.ok("undo")
    assert book.rows("SELECT id, status FROM items") == [(1, "open")]


# -- the agenda reads, never writes ---------------------------------------------------


def test_agenda_never_creates_occurrences(book):
    book.late("add", "bob", "2026-11-02", "weekly", "--every", "week")
    book.late("add", "ana silva", "today 9am", "daily", "--every", "day")
    before = book.snapshot()
    for _ in range(3):
        book.ok("agenda")
        book.ok("agenda", "--on", "2027-02-01", "--days", "30")
        book.ok("agenda", "--format", "json", env={"TICKLE_NOW": "2027-06-01T08:00"})
        book.ok("list", "--status", "all")
    assert book.snapshot() == before
    assert book.rows("SELECT count(*) FROM items") == [(2,)]


def test_agenda_shows_later_occurrences_computed(book):
    book.ok("add", "bob", "today", "check in", "--every", "monday,thursday")
    rows = book.json("agenda")
    assert [(r["id"], r["due"], r["section"], r["projected"]) for r in rows] == [
        (1, "2026-11-23", "today", False),
        (None, "2026-11-26", "upcoming", True),
        (None, "2026-11-30", "upcoming", True),
    ]
    assert all(r["kind"] == "followup" and r["recurrence"] for r in rows)
    out = book.ok("agenda")
    assert "repeat" in out
    assert book.rows("SELECT count(*) FROM items") == [(1,)]


def test_agenda_projects_nothing_for_after_done_series(book):
    book.ok("add", "bob", "today", "call", "--every", "day", "--after-done")
    assert [r["id"] for r in book.json("agenda")] == [1]


# -- repeated attempts ----------------------------------------------------------------


def test_after_five_tries_the_agenda_says_switch_channel(book):
    book.ok("add", "bob", "today", "call")
    for _ in range(5):
        out = book.ok("done", "1", "--outcome", "no-answer")
    assert out.endswith("5 tries without reaching them: try another channel.\n")
    [row] = book.json("agenda")
    assert row["switch_channel"] is True
    assert "5 — try another channel" in book.ok("agenda")


def test_max_attempts_comes_from_the_environment(book):
    book.ok("add", "bob", "today", "call")
    book.ok("done", "1", "--outcome", "voicemail")
    [row] = book.json("agenda", env={"TICKLE_MAX_ATTEMPTS": "1"})
    assert row["switch_channel"] is True
    [row] = book.json("agenda")
    assert row["switch_channel"] is False


def test_a_bad_max_attempts_is_refused_as_a_configuration_error(book):
    result = book("agenda", env={"TICKLE_MAX_ATTEMPTS": "lots"})
    assert result.code == 78
    assert "TICKLE_MAX_ATTEMPTS" in result.err
