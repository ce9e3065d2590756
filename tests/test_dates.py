"""Tests for tickle.dates: the WHEN grammar, its canonical text, and the clock."""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import sys
import time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from tickle import dates
from tickle.dates import (
    ACCEPTED_FORMS,
    When,
    days_overdue,
    describe,
    format_when,
    is_overdue,
    local_zone,
    local_zone_name,
    next_business_day,
    parse_when,
)
from tickle.errors import DateError, InputError

NEW_YORK = ZoneInfo("America/New_York")
# Monday 23 November 2026, 10:07:33 in New York (the zone every test runs in by default).
NOW = dt.datetime(2026, 11, 23, 10, 7, 33, tzinfo=NEW_YORK)
TODAY = NOW.date()

PROPERTY = settings(
    max_examples=300,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)


def _set_tz(value: str | None) -> None:
    if value is None:
        os.environ.pop("TZ", None)
    else:
        os.environ["TZ"] = value
    time.tzset()


@pytest.fixture(autouse=True)
def hermetic_clock():
    """Every test runs in America/New_York with no pinned clock; both restored afterwards."""
    saved = {name: os.environ.get(name) for name in ("TZ", "TICKLE_NOW")}
    os.environ.pop("TICKLE_NOW", None)
    _set_tz("America/New_York")
    try:
        yield
    finally:
        if saved["TICKLE_NOW"] is None:
            os.environ.pop("TICKLE_NOW", None)
        else:
            os.environ["TICKLE_NOW"] = saved["TICKLE_NOW"]
        _set_tz(saved["TZ"])


@pytest.fixture
def use_tz(monkeypatch):
    """Switch the local zone for one test (monkeypatch and the autouse fixture restore it)."""

    def switch(name: str) -> None:
        monkeypatch.setenv("TZ", name)
        time.tzset()

    yield switch
    time.tzset()


def D(y: int, m: int, d: int) -> When:  # short: reads like a literal in the tables
    return When(dt.date(y, m, d))


def T(y: int, m: int, d: int, hh: int, mm: int, ss: int = 0) -> When:
    return When(dt.date(y, m, d), dt.time(hh, mm, ss))


def at(y: int, m: int, d: int, hh: int = 0, mm: int = 0, ss: int = 0) -> dt.datetime:
    return dt.datetime(y, m, d, hh, mm, ss, tzinfo=NEW_YORK)


# --------------------------------------------------------------------------
# The grammar, relative to NOW (Monday 2026-11-23 10:07:33)

ACCEPTED = [
    # plain days
    ("today", D(2026, 11, 23)),
    ("Today", D(2026, 11, 23)),
    ("  tomorrow  ", D(2026, 11, 24)),
    ("TOMORROW", D(2026, 11, 24)),
    ("yesterday", D(2026, 11, 22)),
    ("on tomorrow", D(2026, 11, 24)),
    ("now", T(2026, 11, 23, 10, 7)),
    # weekdays: strictly after today; today's own weekday is a week away
    ("mon", D(2026, 11, 30)),
    ("monday", D(2026, 11, 30)),
    ("tue", D(2026, 11, 24)),
    ("tues", D(2026, 11, 24)),
    ("tuesday", D(2026, 11, 24)),
    ("wed", D(2026, 11, 25)),
    ("wednesday", D(2026, 11, 25)),
    ("thu", D(2026, 11, 26)),
    ("thur", D(2026, 11, 26)),
    ("thurs", D(2026, 11, 26)),
    ("thursday", D(2026, 11, 26)),
    ("fri", D(2026, 11, 27)),
    ("Friday", D(2026, 11, 27)),
    ("sat", D(2026, 11, 28)),
    ("saturday", D(2026, 11, 28)),
    ("sun", D(2026, 11, 29)),
    ("sunday", D(2026, 11, 29)),
    ("next fri", D(2026, 11, 27)),
    ("next friday", D(2026, 11, 27)),
    ("next mon", D(2026, 11, 30)),
    ("last fri", D(2026, 11, 20)),
    ("last monday", D(2026, 11, 16)),
    ("on fri", D(2026, 11, 27)),
    # next week / month / year
    ("next week", D(2026, 11, 30)),
    ("next month", D(2026, 12, 1)),
    ("next year", D(2027, 1, 1)),
    # offsets
    ("in 3 days", D(2026, 11, 26)),
    ("in 1 day", D(2026, 11, 24)),
    ("in a day", D(2026, 11, 24)),
    ("in 2 weeks", D(2026, 12, 7)),
    ("in 1 month", D(2026, 12, 23)),
    ("in 2 months", D(2027, 1, 23)),
    ("in 1 year", D(2027, 11, 23)),
    ("in 2 hours", T(2026, 11, 23, 12, 7)),
    ("in an hour", T(2026, 11, 23, 11, 7)),
    ("in 30 minutes", T(2026, 11, 23, 10, 37)),
    ("in 0 days", D(2026, 11, 23)),
    ("0d", D(2026, 11, 23)),
    ("3d", D(2026, 11, 26)),
    ("2w", D(2026, 12, 7)),
    ("1m", D(2026, 12, 23)),
    ("1y", D(2027, 11, 23)),
    ("+10d", D(2026, 12, 3)),
    ("+2w", D(2026, 12, 7)),
    ("-3d", D(2026, 11, 20)),
    ("3 days ago", D(2026, 11, 20)),
    ("2 weeks ago", D(2026, 11, 9)),
    ("1 month ago", D(2026, 10, 23)),
    ("2 hours ago", T(2026, 11, 23, 8, 7)),
    # ends of periods
    ("eow", D(2026, 11, 27)),
    ("end of week", D(2026, 11, 27)),
    ("eom", D(2026, 11, 30)),
    ("end of month", D(2026, 11, 30)),
    ("eoy", D(2026, 12, 31)),
    ("end of year", D(2026, 12, 31)),
    # ISO
    ("2026-12-01", D(2026, 12, 1)),
    ("2026-12-01T09:15", T(2026, 12, 1, 9, 15)),
    ("2026-12-01t09:15", T(2026, 12, 1, 9, 15)),
    ("2026-12-01 09:15", T(2026, 12, 1, 9, 15)),
    ("2026-12-01 9:15", T(2026, 12, 1, 9, 15)),
    ("2026-12-01T09:15:30", T(2026, 12, 1, 9, 15, 30)),
    ("2026-12-01 09:15:30", T(2026, 12, 1, 9, 15, 30)),
    ("2026-12-01T09:15:00+01:00", T(2026, 12, 1, 3, 15)),
    ("2026-12-01T14:15:00Z", T(2026, 12, 1, 9, 15)),
    ("2026-12-01T14:15:00z", T(2026, 12, 1, 9, 15)),
    ("2026-12-01 09:15:00-05:00", T(2026, 12, 1, 9, 15)),
    ("2026-12-01T03:00:00+05:30", T(2026, 11, 30, 16, 30)),
    ("tue 2026-12-01", D(2026, 12, 1)),
    # month names; without a year: the nearest one today or later
    ("dec 5", D(2026, 12, 5)),
    ("december 5", D(2026, 12, 5)),
    ("Dec 5th", D(2026, 12, 5)),
    ("5 dec", D(2026, 12, 5)),
    ("5th december", D(2026, 12, 5)),
    ("1st dec", D(2026, 12, 1)),
    ("dec 2nd", D(2026, 12, 2)),
    ("dec 3rd", D(2026, 12, 3)),
    ("dec 5 2026", D(2026, 12, 5)),
    ("dec 5, 2026", D(2026, 12, 5)),
    ("5 dec 2026", D(2026, 12, 5)),
    ("5 december, 2027", D(2027, 12, 5)),
    ("jan 10", D(2027, 1, 10)),
    ("sept 9", D(2027, 9, 9)),
    ("sep 30", D(2027, 9, 30)),
    ("nov 23", D(2026, 11, 23)),
    ("nov 22", D(2027, 11, 22)),
    ("feb 29", D(2028, 2, 29)),
    ("may 1", D(2027, 5, 1)),
    ("sat 5 dec", D(2026, 12, 5)),
    ("Fri 20 Nov", D(2026, 11, 20)),  # the weekday picks last week's over next year's
    ("Sat 5 Dec 2026", D(2026, 12, 5)),
    # with a time, before or after the date part
    ("tomorrow 10am", T(2026, 11, 24, 10, 0)),
    ("10am tomorrow", T(2026, 11, 24, 10, 0)),
    ("tomorrow at 10am", T(2026, 11, 24, 10, 0)),
    ("at 10am tomorrow", T(2026, 11, 24, 10, 0)),
    ("fri 14:30", T(2026, 11, 27, 14, 30)),
    ("fri at 2:30pm", T(2026, 11, 27, 14, 30)),
    ("fri, 2:30 pm", T(2026, 11, 27, 14, 30)),
    ("on fri at 10am", T(2026, 11, 27, 10, 0)),
    ("10am on fri", T(2026, 11, 27, 10, 0)),
    ("  On   FRI   at  2:30PM ", T(2026, 11, 27, 14, 30)),
    ("dec 5 10:30am", T(2026, 12, 5, 10, 30)),
    ("dec 5, 2026 at 9:15", T(2026, 12, 5, 9, 15)),
    ("2026-12-01 at 9am", T(2026, 12, 1, 9, 0)),
    ("next week 9:00", T(2026, 11, 30, 9, 0)),
    ("in 3 days 8am", T(2026, 11, 26, 8, 0)),
    ("eom 17:00", T(2026, 11, 30, 17, 0)),
    ("yesterday noon", T(2026, 11, 22, 12, 0)),
    # a bare time is today; a time without minutes is on the hour, never now's minutes
    ("10am", T(2026, 11, 23, 10, 0, 0)),
    ("10 am", T(2026, 11, 23, 10, 0)),
    ("10AM", T(2026, 11, 23, 10, 0)),
    ("10 a.m.", T(2026, 11, 23, 10, 0)),
    ("10:30am", T(2026, 11, 23, 10, 30)),
    ("10:30 pm", T(2026, 11, 23, 22, 30)),
    ("14:30", T(2026, 11, 23, 14, 30)),
    ("9:15", T(2026, 11, 23, 9, 15)),
    ("09:15", T(2026, 11, 23, 9, 15)),
    ("14:30:15", T(2026, 11, 23, 14, 30, 15)),
    ("noon", T(2026, 11, 23, 12, 0)),
    ("12am", T(2026, 11, 23, 0, 0)),
    ("12:30am", T(2026, 11, 23, 0, 30)),
    ("12pm", T(2026, 11, 23, 12, 0)),
    ("1pm", T(2026, 11, 23, 13, 0)),
    ("at 5pm", T(2026, 11, 23, 17, 0)),
    ("0:00", T(2026, 11, 23, 0, 0)),
    ("23:59:59", T(2026, 11, 23, 23, 59, 59)),
    # a bare hour after a date, read within business hours (7-12 morning, 1-6 afternoon)
    ("fri 10", T(2026, 11, 27, 10, 0)),
    ("fri at 10", T(2026, 11, 27, 10, 0)),
    ("on fri at 10", T(2026, 11, 27, 10, 0)),
    ("tomorrow 9", T(2026, 11, 24, 9, 0)),
    ("tomorrow 7", T(2026, 11, 24, 7, 0)),
    ("tomorrow 12", T(2026, 11, 24, 12, 0)),
    ("tomorrow 1", T(2026, 11, 24, 13, 0)),
    ("tomorrow 3", T(2026, 11, 24, 15, 0)),
    ("tomorrow 6", T(2026, 11, 24, 18, 0)),
    ("tomorrow 13", T(2026, 11, 24, 13, 0)),
    ("tomorrow 18", T(2026, 11, 24, 18, 0)),
    ("tomorrow 09", T(2026, 11, 24, 9, 0)),
    ("at 10", T(2026, 11, 23, 10, 0)),
    ("at 3", T(2026, 11, 23, 15, 0)),
    ("dec 5 10", T(2026, 12, 5, 10, 0)),
    ("dec 5 2027 10", T(2027, 12, 5, 10, 0)),
    ("5 dec at 2", T(2026, 12, 5, 14, 0)),
    ("in 2 weeks at 10", T(2026, 12, 7, 10, 0)),
    ("2026-12-01 9", T(2026, 12, 1, 9, 0)),
    ("next week 9", T(2026, 11, 30, 9, 0)),
    # 14h, 9h30
    ("14h", T(2026, 11, 23, 14, 0)),
    ("9h", T(2026, 11, 23, 9, 0)),
    ("9h30", T(2026, 11, 23, 9, 30)),
    ("wed 14h", T(2026, 11, 25, 14, 0)),
    ("14h wed", T(2026, 11, 25, 14, 0)),
    ("wed at 14h30", T(2026, 11, 25, 14, 30)),
    ("23h", T(2026, 11, 23, 23, 0)),
    # parts of the day
    ("morning", T(2026, 11, 23, 9, 0)),
    ("afternoon", T(2026, 11, 23, 14, 0)),
    ("evening", T(2026, 11, 23, 18, 0)),
    ("eod", T(2026, 11, 23, 17, 0)),
    ("midday", T(2026, 11, 23, 12, 0)),
    ("end of day", T(2026, 11, 23, 17, 0)),
    ("end of the day", T(2026, 11, 23, 17, 0)),
    ("this morning", T(2026, 11, 23, 9, 0)),
    ("this afternoon", T(2026, 11, 23, 14, 0)),
    ("monday morning", T(2026, 11, 30, 9, 0)),
    ("Monday Morning", T(2026, 11, 30, 9, 0)),
    ("tomorrow afternoon", T(2026, 11, 24, 14, 0)),
    ("tomorrow evening", T(2026, 11, 24, 18, 0)),
    ("fri eod", T(2026, 11, 27, 17, 0)),
    ("fri end of day", T(2026, 11, 27, 17, 0)),
    ("fri noon", T(2026, 11, 27, 12, 0)),
    ("eom eod", T(2026, 11, 30, 17, 0)),
    ("dec 5 morning", T(2026, 12, 5, 9, 0)),
    ("in 3 days afternoon", T(2026, 11, 26, 14, 0)),
    # numeric dates that can only be one day, in either order
    ("14/3", D(2027, 3, 14)),
    ("3/14", D(2027, 3, 14)),
    ("14/03/2026", D(2026, 3, 14)),
    ("03/14/2026", D(2026, 3, 14)),
    ("3/14/2027", D(2027, 3, 14)),
    ("14.03.2026", D(2026, 3, 14)),
    ("14.3", D(2027, 3, 14)),
    ("12/25/2026", D(2026, 12, 25)),
    ("25.12.2026", D(2026, 12, 25)),
    ("5/5/2026", D(2026, 5, 5)),  # the same day either way
    ("12/12", D(2026, 12, 12)),
    ("29/2", D(2028, 2, 29)),
    ("2026/12/01", D(2026, 12, 1)),  # year first is only ever year/month/day
    ("2026.12.01", D(2026, 12, 1)),
    ("14/3 10am", T(2027, 3, 14, 10, 0)),
    ("3/14/2027 14h", T(2027, 3, 14, 14, 0)),
]


@pytest.mark.parametrize(("text", "expected"), ACCEPTED, ids=[t for t, _ in ACCEPTED])
def test_accepted(text, expected):
    got = parse_when(text, NOW)
    assert got == expected
    assert parse_when(format_when(got), NOW) == got


PAST = [
    ("fri", D(2026, 11, 20)),
    ("mon", D(2026, 11, 16)),
    ("sun", D(2026, 11, 22)),
    ("last fri", D(2026, 11, 20)),
    ("next fri", D(2026, 11, 27)),
    ("dec 5", D(2025, 12, 5)),
    ("nov 23", D(2026, 11, 23)),
    ("nov 24", D(2025, 11, 24)),
    ("jan 10", D(2026, 1, 10)),
    ("feb 29", D(2024, 2, 29)),
    ("fri 3pm", T(2026, 11, 20, 15, 0)),
    ("3 days ago", D(2026, 11, 20)),
    ("tomorrow", D(2026, 11, 24)),
    ("2026-12-01", D(2026, 12, 1)),
]


@pytest.mark.parametrize(("text", "expected"), PAST, ids=[t for t, _ in PAST])
def test_prefer_past(text, expected):
    assert parse_when(text, NOW, prefer_past=True) == expected


@pytest.mark.parametrize(
    ("now", "text", "expected"),
    [
        (at(2027, 1, 31, 9), "in 1 month", D(2027, 2, 28)),
        (at(2027, 1, 31, 9), "1m", D(2027, 2, 28)),
        (at(2028, 1, 31, 9), "in 1 month", D(2028, 2, 29)),
        (at(2028, 2, 29, 9), "in 1 year", D(2029, 2, 28)),
        (at(2027, 3, 31, 9), "1 month ago", D(2027, 2, 28)),
        # crossing the year without a year given
        (at(2026, 12, 20, 9), "jan 10", D(2027, 1, 10)),
        (at(2026, 12, 20, 9), "dec 5", D(2027, 12, 5)),
        (at(2026, 12, 20, 9), "dec 20", D(2026, 12, 20)),
        (at(2026, 12, 20, 9), "next month", D(2027, 1, 1)),
        (at(2026, 12, 31, 9), "tomorrow", D(2027, 1, 1)),
        (at(2026, 12, 31, 9), "eoy", D(2026, 12, 31)),
        (at(2027, 2, 10, 9), "eom", D(2027, 2, 28)),
        (at(2028, 2, 10, 9), "eom", D(2028, 2, 29)),
        # end of the working week
        (at(2026, 11, 27, 9), "eow", D(2026, 11, 27)),  # Friday: today
        (at(2026, 11, 28, 9), "eow", D(2026, 12, 4)),  # Saturday: the coming Friday
        (at(2026, 11, 29, 9), "eow", D(2026, 12, 4)),  # Sunday: the coming Friday
        (at(2026, 11, 26, 9), "end of week", D(2026, 11, 27)),
        # next week is the Monday of next week, also from a Sunday
        (at(2026, 11, 29, 9), "next week", D(2026, 11, 30)),
        (at(2026, 11, 27, 9), "next week", D(2026, 11, 30)),
        # "now" and short offsets drop the seconds
        (at(2026, 11, 23, 23, 59, 59), "now", T(2026, 11, 23, 23, 59)),
        (at(2026, 11, 23, 23, 30, 45), "in 45 minutes", T(2026, 11, 24, 0, 15)),
        # "today" is now's local date, whatever zone now is given in
        (dt.datetime(2026, 11, 24, 3, 0, tzinfo=dt.UTC), "today", D(2026, 11, 23)),
        (dt.datetime(2026, 11, 23, 22, 0), "today", D(2026, 11, 23)),  # naive: local wall time
    ],
)
def test_relative_to_other_nows(now, text, expected):
    assert parse_when(text, now) == expected


# --------------------------------------------------------------------------
# Refusals

REFUSED = [
    ("fridya", "not a date: 'fridya'"),
    ("soon", "not a date: 'soon'"),
    ("1A2B", "not a date: '1A2B'"),
    ("", "no date given"),
    ("   ", "no date given"),
    ("12", "bare number"),
    ("99", "bare number"),
    ("+5", "bare number"),
    ("tomorrow tomorrow", "not a date"),
    ("10am 11am", "more than one time"),
    ("10am tomorrow 11am", "more than one time"),
    ("now 10am", "more than one time"),
    ("in 2 hours 10am", "more than one time"),
    ("2026-12-01T09:15 10am", "more than one time"),
    ("01/02/2026", "'01/02/2026' is ambiguous (day/month order): write 2026-02-01 or 1 feb 2026"),
    ("1/2", "is ambiguous (day/month order): write 2027-02-01 or 1 feb"),
    ("03/04/2026", "or set TICKLE_DATE_ORDER=dmy or mdy"),
    ("3/14/26", "write the year with 4 digits"),
    ("14/3/2027/1", "not a date"),
    ("2026/13/01", "there is no month 13"),
    ("31/4", "write dates as YYYY-MM-DD"),
    ("30/2/2026", "write dates as YYYY-MM-DD"),
    ("29/2/2027", "write dates as YYYY-MM-DD"),
    ("01/02/2026 10am", "'01/02/2026' is ambiguous"),
    ("45/67", "write dates as YYYY-MM-DD"),
    ("0/1", "write dates as YYYY-MM-DD"),
    ("0/0/2026", "write dates as YYYY-MM-DD"),
    ("1/0", "write dates as YYYY-MM-DD"),
    ("2026-02-30", "2026-02-30 is not a date: February 2026 has 28 days"),
    ("2028-02-30", "February 2028 has 29 days"),
    ("2026-04-31", "April 2026 has 30 days"),
    ("2026-13-01", "2026-13-01 is not a date: there is no month 13"),
    ("2026-00-10", "there is no month 0"),
    ("2026-12-00", "there is no day 0"),
    ("feb 30", "feb 30 is not a date: February has at most 29 days"),
    ("dec 32", "December has 31 days"),
    ("feb 29 2027", "February 2027 has 28 days"),
    ("25:00", "25:00 is not a time: the hour must be 0..23"),
    ("24:00", "the hour must be 0..23"),
    ("13pm", "13pm is not a time: with am/pm the hour must be 1..12"),
    ("0am", "with am/pm the hour must be 1..12"),
    ("14:30 pm", "with am/pm the hour must be 1..12"),
    ("10:75", "10:75 is not a time: the minutes must be 00..59"),
    ("10:30:61", "the seconds must be 00..59"),
    ("2026-12-01T25:00", "the hour must be 0..23"),
    ("2026-12-01T10:00+25:00", "not a UTC offset"),
    ("1899-12-31", "the year must be 1900..2999"),
    ("3000-01-01", "the year must be 1900..2999"),
    ("dec 5 3000", "the year must be 1900..2999"),
    ("in 2000 years", "the year must be 1900..2999"),
    ("in 9999999 days", "the year must be 1900..2999"),
    ("in 99999 years", "the year must be 1900..2999"),
    ("dec 5 26", "4 digits"),
    ("fri 5 dec 2026", "2026-12-05 is a Saturday"),
    ("mon 2026-12-01", "2026-12-01 is a Tuesday"),
    ("on", "not a date"),
    ("at", "not a date"),
    ("on 10am", "not a date"),
    ("fri at", "not a date"),
    ("fri at 25", "25 is not an hour: 0..23"),
    ("fri 20", "20 is outside business hours (7-18), so write 20:00 or 8pm"),
    ("fri 0", "0 is outside business hours (7-18), so write 00:00 or 12am"),
    ("at 23", "write 23:00 or 11pm"),
    ("fri 10 11am", "more than one time"),
    ("fri 10am 3", "more than one time"),
    ("fri 10 30", "not a date: 'fri 10 30'"),
    ("noon 3", "more than one time"),
    ("wed 14h 3pm", "more than one time"),
    ("25h", "25h is not a time: the hour must be 0..23"),
    ("9h75", "the minutes must be 00..59"),
    ("this", "not a date"),
    ("this fri", "not a date"),
    ("this 10am", "not a date"),
    ("morning evening", "not a date"),
    (",fri", "stray comma"),
    ("fri,", "stray comma"),
    ("fri,,10am", "stray comma"),
    ("next", "not a date"),
    ("last week", "not a date"),
    ("in 3 m", "not a date"),
    ("3 d", "not a date"),
    ("1030", "bare number"),
    ("dec", "not a date"),
    ("5th", "not a date"),
    ("tomorrow\n10am\nfri", "not a date"),
]


@pytest.mark.parametrize(("text", "fragment"), REFUSED, ids=[repr(t) for t, _ in REFUSED])
def test_refused(text, fragment):
    with pytest.raises(DateError) as caught:
        parse_when(text, NOW)
    message = str(caught.value)
    assert fragment in message
    assert "\n" not in message
    assert message.endswith(ACCEPTED_FORMS)
    assert isinstance(caught.value, InputError)


def test_refusal_example_message():
    with pytest.raises(DateError) as caught:
        parse_when("fridya", NOW)
    assert str(caught.value) == (
        "not a date: 'fridya'. Try: today, tomorrow, fri, next fri, in 3 days, 2w, eom, "
        "2026-12-01, dec 5, 14/3; add a time: tomorrow 10am, fri 14:30, fri 10, wed 14h, "
        "monday morning, eod"
    )


def test_refusal_quotes_control_characters_and_long_text():
    with pytest.raises(DateError) as caught:
        parse_when("\x1b[31mred" + "x" * 500, NOW)
    message = str(caught.value)
    assert "\x1b" not in message
    assert len(message) < 250


def test_parse_when_wants_text():
    with pytest.raises(TypeError):
        parse_when(None, NOW)  # type: ignore[arg-type]


# --------------------------------------------------------------------------
# When


def test_when_iso_round_trip_and_storage_form():
    assert D(2026, 12, 1).iso() == "2026-12-01"
    assert T(2026, 12, 1, 9, 15).iso() == "2026-12-01T09:15:00"
    assert When.from_iso("2026-12-01") == D(2026, 12, 1)
    assert When.from_iso("2026-12-01T09:15") == T(2026, 12, 1, 9, 15)
    assert When.from_iso("2026-12-01T09:15:30") == T(2026, 12, 1, 9, 15, 30)


@pytest.mark.parametrize(
    "text", ["", "2026-12-1", "2026-12-01 09:15", "2026-02-30", "2026-12-01T25:00", "dec 5", "x"]
)
def test_from_iso_refuses(text):
    with pytest.raises(DateError):
        When.from_iso(text)


def test_when_all_day_and_ordering():
    all_day, morning, evening = D(2026, 12, 1), T(2026, 12, 1, 0, 0), T(2026, 12, 1, 18, 0)
    assert all_day.all_day and not morning.all_day
    assert all_day < morning < evening < D(2026, 12, 2)
    assert sorted([evening, D(2026, 12, 2), morning, all_day]) == [
        all_day,
        morning,
        evening,
        D(2026, 12, 2),
    ]
    assert all_day != morning
    assert max(all_day, evening) == evening
    assert len({all_day, D(2026, 12, 1), morning}) == 2


def test_when_normalises_to_seconds_and_refuses_wrong_types():
    w = When(dt.date(2026, 12, 1), dt.time(9, 15, 30, 123456, fold=1))
    assert w.time == dt.time(9, 15, 30) and w.time.fold == 0 and w.time.microsecond == 0
    with pytest.raises(TypeError):
        When(dt.datetime(2026, 12, 1, 9, 15))  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        When(dt.date(2026, 12, 1), "09:15")  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        When(dt.date(2026, 12, 1), dt.time(9, 15, tzinfo=dt.UTC))


def test_local_datetime():
    assert D(2026, 12, 1).local_datetime() is None
    moment = T(2026, 12, 1, 9, 15).local_datetime()
    assert moment == dt.datetime(2026, 12, 1, 9, 15, tzinfo=NEW_YORK)
    assert moment.utcoffset() == dt.timedelta(hours=-5)


def test_format_when():
    assert format_when(D(2026, 12, 1)) == "2026-12-01"
    assert format_when(T(2026, 12, 1, 9, 15)) == "2026-12-01 09:15"
    assert format_when(T(2026, 12, 1, 9, 15, 30)) == "2026-12-01 09:15:30"


@pytest.mark.parametrize(
    ("when", "label"),
    [
        (D(2026, 11, 23), "today"),
        (D(2026, 11, 24), "tomorrow"),
        (D(2026, 11, 22), "yesterday"),
        (D(2026, 11, 27), "Fri 27 Nov"),
        (D(2026, 12, 5), "Sat 5 Dec"),
        (D(2027, 11, 26), "Fri 26 Nov 2027"),
        (D(2025, 12, 31), "Wed 31 Dec 2025"),
        (T(2026, 11, 23, 14, 30), "today 14:30"),
        (T(2026, 11, 24, 10, 0), "tomorrow 10:00"),
        (T(2026, 11, 30, 9, 0), "Mon 30 Nov 09:00"),
        (T(2027, 1, 10, 18, 5, 59), "Sun 10 Jan 2027 18:05"),
    ],
)
def test_describe(when, label):
    assert describe(when, NOW) == label
    if when.time is None or when.time.second == 0:
        # Labels of dates near now are read back by the grammar.
        assert parse_when(label, NOW) == when


# --------------------------------------------------------------------------
# Overdue, business days


def test_all_day_item_is_not_overdue_until_its_day_ends():
    due = D(2026, 11, 23)
    assert not is_overdue(due, at(2026, 11, 23, 0, 0))
    assert not is_overdue(due, at(2026, 11, 23, 23, 59, 59))
    assert days_overdue(due, at(2026, 11, 23, 23, 59, 59)) == 0
    assert is_overdue(due, at(2026, 11, 24, 0, 0))
    assert days_overdue(due, at(2026, 11, 24, 0, 0)) == 1
    assert days_overdue(due, at(2026, 11, 26, 12, 0)) == 3
    assert not is_overdue(D(2026, 11, 24), NOW)


def test_timed_item_is_overdue_once_its_moment_passes():
    due = T(2026, 11, 23, 10, 0)
    assert not is_overdue(due, at(2026, 11, 23, 9, 59))
    assert not is_overdue(due, at(2026, 11, 23, 10, 0))
    assert is_overdue(due, at(2026, 11, 23, 10, 1))
    assert is_overdue(due, at(2026, 11, 23, 12, 0))
    assert days_overdue(due, at(2026, 11, 23, 12, 0)) == 0  # late, but not by a day
    assert days_overdue(due, at(2026, 11, 25, 9, 0)) == 2
    assert days_overdue(due, at(2026, 11, 23, 9, 0)) == 0


def test_overdue_compares_moments_across_zones():
    due = T(2026, 11, 23, 10, 0)  # 15:00 UTC
    assert not is_overdue(due, dt.datetime(2026, 11, 23, 14, 59, tzinfo=dt.UTC))
    assert is_overdue(due, dt.datetime(2026, 11, 23, 15, 1, tzinfo=dt.UTC))
    # 03:00 UTC on the 24th is still the 23rd in New York: an all-day item is not late.
    assert not is_overdue(D(2026, 11, 23), dt.datetime(2026, 11, 24, 3, 0, tzinfo=dt.UTC))


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (dt.date(2026, 11, 27), dt.date(2026, 11, 30)),  # Fri -> Mon
        (dt.date(2026, 11, 28), dt.date(2026, 11, 30)),  # Sat -> Mon
        (dt.date(2026, 11, 29), dt.date(2026, 11, 30)),  # Sun -> Mon
        (dt.date(2026, 11, 23), dt.date(2026, 11, 24)),  # Mon -> Tue
        (dt.date(2026, 11, 26), dt.date(2026, 11, 27)),  # Thu -> Fri
        (dt.date(2026, 12, 31), dt.date(2027, 1, 1)),  # Thu -> Fri, across the year
    ],
)
def test_next_business_day(day, expected):
    assert next_business_day(day) == expected


# --------------------------------------------------------------------------
# The clock: TICKLE_NOW


def test_now_without_tickle_now_is_the_real_clock():
    before = dt.datetime.now(dt.UTC)
    got = dates.now()
    after = dt.datetime.now(dt.UTC)
    assert got.tzinfo is not None and got.utcoffset() is not None
    assert before <= got <= after
    assert got.tzinfo == NEW_YORK


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-11-23", at(2026, 11, 23, 0, 0)),
        ("2026-11-23T10:07:33", at(2026, 11, 23, 10, 7, 33)),
        ("2026-11-23 10:07", at(2026, 11, 23, 10, 7)),
        ("2026-11-23T15:07:33Z", at(2026, 11, 23, 10, 7, 33)),
        ("2026-11-23T16:07:33+01:00", at(2026, 11, 23, 10, 7, 33)),
        (" 2026-11-23T10:07:33 ", at(2026, 11, 23, 10, 7, 33)),
    ],
)
def test_now_with_tickle_now(monkeypatch, value, expected):
    monkeypatch.setenv("TICKLE_NOW", value)
    got = dates.now()
    assert got == expected
    assert got.replace(tzinfo=None) == expected.replace(tzinfo=None)  # local wall time
    assert got.tzinfo == NEW_YORK


@pytest.mark.parametrize("value", ["yesterday", "2026-13-01", "23/11/2026", "2026-11-23T25:00"])
def test_now_with_invalid_tickle_now(monkeypatch, value):
    monkeypatch.setenv("TICKLE_NOW", value)
    with pytest.raises(DateError) as caught:
        dates.now()
    assert str(caught.value) == f"TICKLE_NOW='{value}' is not an ISO 8601 date or datetime"


def test_now_reads_tickle_now_on_every_call(monkeypatch):
    monkeypatch.setenv("TICKLE_NOW", "2026-11-23T10:00:00")
    assert dates.now() == at(2026, 11, 23, 10)
    monkeypatch.setenv("TICKLE_NOW", "2027-01-01")
    assert dates.now() == at(2027, 1, 1)
    monkeypatch.delenv("TICKLE_NOW")
    assert dates.now().year >= 2024


# --------------------------------------------------------------------------
# The local zone and DST


def test_local_zone_follows_tz_between_calls(use_tz):
    assert local_zone() == NEW_YORK
    assert local_zone_name() == "America/New_York"
    use_tz("Europe/Berlin")
    assert local_zone() == ZoneInfo("Europe/Berlin")
    assert local_zone_name() == "Europe/Berlin"
    use_tz(":Europe/Paris")
    assert local_zone_name() == "Europe/Paris"
    use_tz("/usr/share/zoneinfo/Asia/Tokyo")
    assert local_zone_name() == "Asia/Tokyo"
    use_tz("Not/AZone")
    assert local_zone() == dt.UTC
    assert local_zone_name() == "UTC"


def test_local_zone_without_tz_comes_from_the_system(monkeypatch):
    monkeypatch.delenv("TZ")
    zone = local_zone()
    assert zone is not None
    assert local_zone_name()
    assert dt.datetime(2026, 6, 1, 12, tzinfo=zone).utcoffset() is not None


def test_now_is_in_the_current_local_zone(use_tz, monkeypatch):
    monkeypatch.setenv("TICKLE_NOW", "2026-11-23T15:00:00Z")
    assert dates.now().hour == 10
    use_tz("Europe/Berlin")
    assert dates.now().hour == 16
    assert dates.now().utcoffset() == dt.timedelta(hours=1)


@pytest.mark.parametrize(
    ("zone", "text", "offset"),
    [
        ("America/New_York", "2027-03-13 12:00", "-05:00"),
        ("America/New_York", "2027-03-14 01:59", "-05:00"),
        ("America/New_York", "2027-03-14 03:00", "-04:00"),
        ("America/New_York", "2027-03-15 12:00", "-04:00"),
        ("America/New_York", "2026-10-31 12:00", "-04:00"),
        ("America/New_York", "2026-11-01 01:30", "-04:00"),  # first of the two 01:30s
        ("America/New_York", "2026-11-01 02:00", "-05:00"),
        ("America/New_York", "2026-11-02 12:00", "-05:00"),
        ("Europe/Berlin", "2027-03-27 12:00", "+01:00"),
        ("Europe/Berlin", "2027-03-28 01:59", "+01:00"),
        ("Europe/Berlin", "2027-03-28 03:00", "+02:00"),
        ("Europe/Berlin", "2027-03-29 12:00", "+02:00"),
        ("Europe/Berlin", "2026-10-24 12:00", "+02:00"),
        ("Europe/Berlin", "2026-10-25 02:30", "+02:00"),  # first of the two 02:30s
        ("Europe/Berlin", "2026-10-25 03:00", "+01:00"),
        ("Europe/Berlin", "2026-10-26 12:00", "+01:00"),
    ],
)
def test_iso_with_offset_across_dst(use_tz, zone, text, offset):
    use_tz(zone)
    when = parse_when(text, NOW)
    assert when.iso_with_offset() == f"{when.day.isoformat()}T{when.time:%H:%M:%S}{offset}"
    assert D(2027, 3, 14).iso_with_offset() == "2027-03-14"


@pytest.mark.parametrize(
    ("zone", "text", "fragment"),
    [
        ("America/New_York", "2027-03-14 2:30", "2027-03-14 02:30 does not exist"),
        ("America/New_York", "2027-03-14T02:00", "America/New_York"),
        ("America/New_York", "mar 14 2027 2:59am", "so use 03:59"),
        ("Europe/Berlin", "2027-03-28 02:30", "does not exist in Europe/Berlin"),
    ],
)
def test_spring_forward_gap_is_refused(use_tz, zone, text, fragment):
    use_tz(zone)
    with pytest.raises(DateError) as caught:
        parse_when(text, NOW)
    message = str(caught.value)
    assert fragment in message
    assert "clocks go forward 1 hour" in message
    assert "\n" not in message


def test_fall_back_takes_the_first_occurrence(use_tz):
    when = parse_when("2026-11-01 1:30", NOW)
    assert when == T(2026, 11, 1, 1, 30)
    assert when.local_datetime().utcoffset() == dt.timedelta(hours=-4)
    use_tz("Europe/Berlin")
    when = parse_when("2026-10-25 02:30", NOW)
    assert when.local_datetime().utcoffset() == dt.timedelta(hours=2)


def test_hours_ahead_are_real_hours_across_a_clock_change():
    before = at(2027, 3, 14, 1, 30)
    assert parse_when("in 2 hours", before) == T(2027, 3, 14, 4, 30)
    assert parse_when("tomorrow", before) == D(2027, 3, 15)


def test_offset_input_is_converted_to_local_wall_time(use_tz):
    use_tz("Europe/Berlin")
    assert parse_when("2027-03-28T00:30:00Z", NOW) == T(2027, 3, 28, 1, 30)
    assert parse_when("2027-03-28T01:30:00Z", NOW) == T(2027, 3, 28, 3, 30)


# --------------------------------------------------------------------------
# Properties

days = st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2999, 12, 31))
times = st.times().map(lambda t: t.replace(microsecond=0))
whens = st.builds(When, days, st.none() | times)


def exists_locally(when: When) -> bool:
    if when.time is None:
        return True
    zone = local_zone()
    wall = dt.datetime.combine(when.day, when.time)
    real = wall.replace(tzinfo=zone).astimezone(dt.UTC).astimezone(zone).replace(tzinfo=None)
    return real == wall


@pytest.mark.parametrize("zone", ["America/New_York", "Europe/Berlin", "UTC"])
@PROPERTY
@given(when=whens)
def test_format_and_iso_round_trip(use_tz, zone, when):
    use_tz(zone)
    assume(exists_locally(when))  # a skipped wall time is refused by the grammar
    assert parse_when(format_when(when), NOW) == when
    assert parse_when(format_when(when), NOW, prefer_past=True) == when
    assert When.from_iso(when.iso()) == when


def _check_any_text(text: str, prefer_past: bool) -> None:
    try:
        got = parse_when(text, NOW, prefer_past=prefer_past)
    except DateError as exc:
        assert "\n" not in str(exc)
        return
    assert isinstance(got, When)
    assert parse_when(format_when(got), NOW) == got
    assert When.from_iso(got.iso()) == got


@PROPERTY
@given(text=st.text(), prefer_past=st.booleans())
def test_any_text_parses_or_is_refused(text, prefer_past):
    _check_any_text(text, prefer_past)


VOCABULARY = [
    "on", "at", "in", "ago", "next", "last", "the", "end", "of", ",",
    "today", "tomorrow", "yesterday", "now", "noon", "eow", "eom", "eoy",
    "mon", "fri", "thurs", "sunday", "week", "month", "year", "day", "days", "hours", "min",
    "dec", "sept", "feb", "5", "5th", "29", "30", "31", "0", "12", "2026", "1899", "3000",
    "10am", "12am", "13pm", "10", "am", "pm", "10:30", "25:00", "9:15:30", "14:30",
    "3d", "-2w", "+1m", "1y", "2026-12-01", "2026-02-29", "2027-03-14t02:30",
    "2026-12-01T09:15:00+01:00", "01/02/2026", "1.2", "99999999",
    "3", "7", "18", "20", "23", "14h", "9h30", "25h", "morning", "afternoon", "evening", "eod",
    "midday", "this", "14/3", "3/14", "03/14/2026", "14.03.2026", "3/14/26", "2026/12/01",
]  # fmt: skip


@PROPERTY
@given(
    words=st.lists(st.sampled_from(VOCABULARY), min_size=1, max_size=5),
    prefer_past=st.booleans(),
)
def test_grammar_words_parse_or_are_refused(words, prefer_past):
    _check_any_text(" ".join(words), prefer_past)


@PROPERTY
@given(a=whens, b=whens)
def test_iso_order_is_when_order(a, b):
    assert (a < b) == (a.iso() < b.iso())
    assert (a == b) == (a.iso() == b.iso())
    assert (a <= b) == (a.iso() <= b.iso())


@PROPERTY
@given(day=days, now_day=st.dates(min_value=dt.date(1901, 1, 1), max_value=dt.date(2998, 12, 31)))
def test_describe_is_short_and_one_line(day, now_day):
    label = describe(When(day, dt.time(9, 0)), at(now_day.year, now_day.month, now_day.day, 12))
    assert "\n" not in label and len(label) <= 22
    assert label.endswith(" 09:00")


# --------------------------------------------------------------------------
# Import cost


def test_import_does_not_load_dateutil():
    code = "import sys, tickle.dates; print('dateutil' in sys.modules)"
    root = Path(dates.__file__).resolve().parents[1]
    env = {**os.environ, "PYTHONPATH": str(root)}
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
        cwd=root,
        env=env,
    )
    assert result.stdout.strip() == "False"


# --- parse_leading_when: the WHEN of `tickle add CUSTOMER WHEN [WHAT...]` ----------


@pytest.mark.parametrize(
    ("words", "expected", "rest"),
    [
        (
            ["tomorrow", "10am", "call", "back"],
            When(dt.date(2026, 11, 24), dt.time(10, 0)),
            ["call", "back"],
        ),
        (
            ["tomorrow 10am", "call back"],
            When(dt.date(2026, 11, 24), dt.time(10, 0)),
            ["call", "back"],
        ),
        (["in", "2", "weeks"], When(dt.date(2026, 12, 7)), []),
        (["dec", "5", "2027", "renewals"], When(dt.date(2027, 12, 5)), ["renewals"]),
        # a bare hour is read within business hours, and the confirmation shows it
        (["fri", "3", "more", "demos"], T(2026, 11, 27, 15, 0), ["more", "demos"]),
        (["fri", "10", "call", "back"], T(2026, 11, 27, 10, 0), ["call", "back"]),
        (["fri", "at", "10", "call"], T(2026, 11, 27, 10, 0), ["call"]),
        (["tomorrow", "afternoon", "demo"], T(2026, 11, 24, 14, 0), ["demo"]),
        (["wed", "14h", "demo"], T(2026, 11, 25, 14, 0), ["demo"]),
        (["fri", "100", "licences"], D(2026, 11, 27), ["100", "licences"]),
        (["fri", "at", "the", "office"], D(2026, 11, 27), ["at", "the", "office"]),
        # one argument of several words is the whole WHEN
        (["fri 10", "call"], T(2026, 11, 27, 10, 0), ["call"]),
        (["monday morning", "call"], T(2026, 11, 30, 9, 0), ["call"]),
        # a quoted title is never taken for the date
        (["fri", "10 units"], D(2026, 11, 27), ["10", "units"]),
        (["fri", "at 10 sharp"], D(2026, 11, 27), ["at", "10", "sharp"]),
    ],
)
def test_parse_leading_when_takes_the_longest_date(words, expected, rest):
    assert dates.parse_leading_when(words, NOW) == (expected, rest)


@pytest.mark.parametrize(
    ("words", "fragment"),
    [
        (["fri", "13pm", "call"], "13pm is not a time"),
        (["2027-03-14", "2:30", "call"], "does not exist"),
        (["fridya", "call"], "not a date: 'fridya'"),
        ([], "no date given"),
        (["fri blah", "call"], "not a date: 'fri blah'"),
        (["fri 10 call"], "not a date: 'fri 10 call'"),
        (["fri", "20", "call"], "20 is outside business hours"),
        (["fri", "10", "30", "call"], "'30' after 'fri 10' (Fri 27 Nov 10:00) looks like a time"),
        (["fri", "10am", "11", "call"], "'11' after 'fri 10am' (Fri 27 Nov 10:00) looks like"),
        (["fri", "10am", "at", "3"], "'at 3' after 'fri 10am'"),
        (["fri 10am", "9:30", "call"], "'9:30' after 'fri 10am'"),
        (["fri 10am", "at", "9:30"], "'at 9:30' after 'fri 10am'"),
        (["fri", "25", "units"], "'25' after 'fri' (Fri 27 Nov) looks like a time"),
        (["in", "2", "weeks", "5pm", "6pm"], "'6pm' after 'in 2 weeks 5pm'"),
        (["2026-12-01", "9", "15h"], "'15h' after '2026-12-01 9'"),
        (["tomorrow", "noon", "noon"], "'noon' after 'tomorrow noon'"),
    ],
)
def test_parse_leading_when_reports_what_looked_like_a_date(words, fragment):
    with pytest.raises(DateError) as caught:
        dates.parse_leading_when(words, NOW)
    assert fragment in caught.value.message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-12-01", "2026-12-01"),
        ("  2028-02-29 ", "2028-02-29"),
        ("2026-02-30", None),
        ("2026-13-01", None),
        ("1899-12-31", None),
        ("２０２６-１２-０１", None),
    ],
)
def test_plain_iso_dates_take_the_short_path_to_the_same_answer(text, expected):
    now = dt.datetime(2026, 11, 23, 10, 7, tzinfo=dt.UTC)
    if expected is None:
        with pytest.raises(DateError):
            parse_when(text, now)
    else:
        assert parse_when(text, now) == When(dt.date.fromisoformat(expected))


# --------------------------------------------------------------------------
# The new forms: bare hours, parts of the day, numeric dates, and the title's first word

# Written out independently of the grammar: what a rep would have meant as a time of day.
TIME_LIKE = re.compile(
    r"[0-5]?[0-9]|[0-9]{1,2}(:[0-9]{2}){1,2}|[0-9]{1,2}(:[0-9]{2})?(am|pm|a\.m\.|p\.m\.)"
    r"|[0-9]{1,2}h([0-9]{2})?|am|pm|a\.m\.|p\.m\.|noon|midday|morning|afternoon|evening|eod",
    re.IGNORECASE,
)
DAY_WORDS = ["today", "tomorrow", "fri", "monday", "next wed", "in 3 days", "2w", "eom",
             "dec 5", "5 dec 2027", "2026-12-01", "14/3", "3/14/2027", "next week"]  # fmt: skip
TITLE_WORDS = ["call", "back", "about", "pricing", "the", "office", "units", "100", "x"]


def _starts_with_a_time(rest: list[str]) -> bool:
    if rest and rest[0].lower() == "at":
        rest = rest[1:]
    return bool(rest) and TIME_LIKE.fullmatch(rest[0]) is not None


@PROPERTY
@given(
    words=st.lists(
        st.sampled_from(VOCABULARY + TITLE_WORDS + ["fri", "tomorrow", "at", "10", "9:30"]),
        min_size=1,
        max_size=8,
    )
)
def test_an_accepted_leading_when_never_leaves_a_time_in_the_title(words):
    try:
        found, rest = dates.parse_leading_when(words, NOW)
    except DateError as exc:
        assert "\n" not in str(exc)
        return
    assert not _starts_with_a_time(rest), (words, found, rest)
    taken = len(words) - len(rest)
    assert 1 <= taken <= dates.MAX_WHEN_WORDS and words[taken:] == rest
    assert parse_when(" ".join(words[:taken]), NOW) == found


@PROPERTY
@given(
    day=st.sampled_from(DAY_WORDS),
    at=st.booleans(),
    title=st.lists(st.sampled_from(TITLE_WORDS), max_size=3),
)
def test_a_date_and_a_bare_hour_is_read_within_business_hours(day, at, title):
    for hour in range(30):
        words = [*day.split(), *(["at"] if at else []), str(hour), *title]
        expected = dates.HOURS.bare(hour)
        try:
            found, rest = dates.parse_leading_when(words, NOW)
        except DateError as exc:
            assert expected is None, (words, exc)
            assert hour in (0, *range(19, 30))
            continue
        assert expected is not None and 7 <= found.time.hour <= 18, words
        assert found == When(parse_when(day, NOW).day, dt.time(expected))
        assert rest == title
        assert (found.time.hour == hour) == (hour >= 7), words  # 1..6 are the afternoon's


@pytest.mark.parametrize(
    "hours",
    [dates.HOURS, dates.Hours(morning=dt.time(8, 30), eod=dt.time(18), opens=8, closes=19)],
    ids=["default", "custom"],
)
@PROPERTY
@given(day=st.sampled_from(DAY_WORDS), part=st.sampled_from(dates.DAY_PARTS), first=st.booleans())
def test_a_part_of_the_day_is_its_hour_on_the_day(hours, day, part, first):
    text = f"{part} {day}" if first else f"{day} {part}"
    found = parse_when(text, NOW, hours=hours)
    assert found == When(parse_when(day, NOW).day, hours.named(part))
    assert parse_when(part, NOW, hours=hours) == When(TODAY, hours.named(part))


def test_custom_business_hours_change_what_a_bare_hour_means():
    hours = dates.Hours(opens=8, closes=19)
    assert parse_when("fri 7", NOW, hours=hours) == T(2026, 11, 27, 19, 0)
    assert parse_when("fri 8", NOW, hours=hours) == T(2026, 11, 27, 8, 0)
    assert parse_when("fri morning", NOW, hours=dates.Hours(morning=dt.time(8, 30))) == T(
        2026, 11, 27, 8, 30
    )
    with pytest.raises(DateError, match="20 is outside business hours \\(8-19\\)"):
        parse_when("fri 20", NOW, hours=hours)
    with pytest.raises(ValueError):
        dates.Hours(opens=6, closes=19)  # 6 would be both 06:00 and 18:00


years = st.integers(min_value=1900, max_value=2999)
numeric_days = st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2999, 12, 31))


@PROPERTY
@given(day=numeric_days, sep=st.sampled_from("/."), pad=st.booleans())
def test_a_numeric_date_reads_as_the_one_day_it_can_be(day, sep, pad):
    d, m = (f"{day.day:02}", f"{day.month:02}") if pad else (str(day.day), str(day.month))
    dmy, mdy = f"{d}{sep}{m}{sep}{day.year}", f"{m}{sep}{d}{sep}{day.year}"
    assert parse_when(dmy, NOW, order="dmy") == When(day)
    assert parse_when(mdy, NOW, order="mdy") == When(day)
    if day.day > 12 or day.day == day.month:  # only one reading: any order, or none
        for text in (dmy, mdy):
            for order in (None, "dmy", "mdy"):
                assert parse_when(text, NOW, order=order) == When(day)
        assert dates.date_orders(dmy) in ({"dmy"}, None)
    else:
        with pytest.raises(DateError, match="ambiguous .*TICKLE_DATE_ORDER=dmy or mdy"):
            parse_when(dmy, NOW)
        assert dates.date_orders(dmy) == {"dmy", "mdy"}


@PROPERTY
@given(day=st.integers(1, 31), month=st.integers(1, 12), past=st.booleans())
def test_a_numeric_day_and_month_is_the_nearest_such_day(day, month, past):
    assume(day <= (29 if month == 2 else dates._DAYS_IN_MONTH[month - 1]))
    assume(day > 12 or day == month)
    expected = parse_when(f"{dates._MONTH_NAMES[month - 1]} {day}", NOW, prefer_past=past)
    assert parse_when(f"{day}/{month}", NOW, prefer_past=past) == expected
    assert parse_when(f"{month}/{day}", NOW, prefer_past=past) == expected


def test_date_order_comes_from_the_environment(monkeypatch):
    assert dates.date_order() is None
    monkeypatch.setenv("TICKLE_DATE_ORDER", " MDY ")
    assert dates.date_order() == "mdy"
    monkeypatch.setenv("TICKLE_DATE_ORDER", "")
    assert dates.date_order() is None
    monkeypatch.setenv("TICKLE_DATE_ORDER", "european")
    with pytest.raises(DateError, match="is not a date order: set it to dmy"):
        dates.date_order()


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("10", True), ("0", True), ("59", True), ("60", False), ("100", False),
        ("9:30", True), ("14h", True), ("9h30", True), ("3pm", True), ("PM", True),
        ("noon", True), ("Morning", True), ("eod", True), ("at", False), ("call", False),
        ("10x", False), ("2026-12-01", False),
    ],
)  # fmt: skip
def test_looks_like_time(word, expected):
    assert dates.looks_like_time(word) is expected
    assert (TIME_LIKE.fullmatch(word) is not None) is expected


# --------------------------------------------------------------------------
# The past


@pytest.mark.parametrize(
    ("when", "past"),
    [
        (D(2026, 11, 22), True),
        (D(2026, 11, 23), False),
        (T(2026, 11, 23, 10, 6), True),
        (T(2026, 11, 23, 10, 7), False),  # "now", which drops the seconds
        (T(2026, 11, 23, 10, 8), False),
        (D(2026, 11, 24), False),
    ],
)
def test_is_past(when, past):
    assert dates.is_past(when, NOW) is past


@pytest.mark.parametrize(
    ("when", "suggestion"),
    [
        (D(2026, 11, 22), "tomorrow"),
        (T(2026, 11, 23, 9, 0), "tomorrow 09:00"),
        (D(2026, 11, 20), "Fri 27 Nov"),
        (T(2026, 11, 16, 15, 0), "today 15:00"),  # a week ago: the same day this week
        (D(2026, 11, 1), "Tue 1 Dec"),
        (D(2026, 10, 31), "Thu 31 Dec"),  # November has no 31st
        (D(2025, 12, 5), "Sat 5 Dec"),
        (D(2024, 2, 29), "Tue 29 Feb 2028"),
    ],
)
def test_refuse_past_suggests_a_likely_future_date(when, suggestion):
    with pytest.raises(DateError) as caught:
        dates.refuse_past(when, NOW)
    message = caught.value.message
    assert message == f"that is in the past ({describe(when, NOW)}): did you mean {suggestion}?"
    assert not dates.is_past(parse_when(suggestion, NOW), NOW)


@PROPERTY
@given(when=whens.filter(lambda w: w.day.year < 2999))
def test_a_suggestion_is_never_in_the_past_and_reads_back(when):
    assume(exists_locally(when))
    try:
        dates.refuse_past(when, NOW)
    except DateError as error:
        suggestion = error.message.rsplit("did you mean ", 1)[1].rstrip("?")
        assert not dates.is_past(parse_when(suggestion, NOW), NOW)
    else:
        assert not dates.is_past(when, NOW)
