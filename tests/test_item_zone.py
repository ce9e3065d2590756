"""A timed item keeps the wall time of the zone it was made in: seen from another zone,
every output shows the same moment (agenda, show, JSON, history, report, ICS), and a
series repeats that zone's wall time."""

from __future__ import annotations

import datetime as dt
import sqlite3

import pytest

from tickle.dates import When, from_zone, to_zone

LONDON = {"TZ": "Europe/London", "TICKLE_NOW": "2026-03-03T14:00:00+00:00"}
NEW_YORK = {"TZ": "America/New_York", "TICKLE_NOW": "2026-03-03T14:00:00+00:00"}
TOKYO = {"TZ": "Asia/Tokyo", "TICKLE_NOW": "2026-03-03T14:00:00+00:00"}


@pytest.fixture
def priya(tickle):
    tickle.ok("customer", "add", "Priya Raman", env=LONDON)
    return tickle


def moment(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).astimezone(dt.UTC)


def test_made_in_london_seen_from_new_york_is_the_same_moment(priya):
    priya.ok("add", "priya", "tomorrow 11am", "call", "back", env=LONDON)
    [row] = priya.json("agenda", env=NEW_YORK)
    assert row["due"] == "2026-03-04T06:00:00-05:00"  # 11:00 in London
    assert row["zone"] == "Europe/London"
    assert moment(row["due"]) == dt.datetime(2026, 3, 4, 11, tzinfo=dt.UTC)
    assert "due:       tomorrow 06:00 · 11:00 London\n" in priya.ok("show", "1", env=NEW_YORK)
    # seen from where it was made, nothing is added
    assert "due:       tomorrow 11:00\n" in priya.ok("show", "1", env=LONDON)
    [created] = priya.json("history", "priya", env=NEW_YORK)
    assert moment(created["new_due"]) == moment(row["due"])
    ics = priya.ok("export", "items", "--format", "ics", env=NEW_YORK)
    assert "DUE;TZID=Europe/London:20260304T110000" in ics


def test_a_date_typed_in_another_zone_is_kept_in_the_items_zone(priya):
    priya.ok("add", "priya", "tomorrow 11am", "call", env=LONDON)
    priya.ok("snooze", "1", "thu 9am", env=NEW_YORK)  # 9:00 in New York is 14:00 in London
    [row] = priya.json("agenda", env=LONDON)
    assert row["due"] == "2026-03-05T14:00:00+00:00"
    [(stored, zone)] = priya.rows("SELECT due, tz FROM items WHERE id = 1")
    assert (stored, zone) == ("2026-03-05T14:00:00", "Europe/London")


def test_overdue_on_the_moment_whatever_the_zone(priya):
    # 20:00 in Tokyo is 11:00 in London: past at 14:00 London, though "20:00" > "14:00"
    priya.late("add", "priya", "today 8pm", "call", env=TOKYO)
    [row] = priya.json("agenda", env=LONDON)
    assert (row["section"], row["due"]) == ("overdue", "2026-03-03T11:00:00+00:00")
    assert priya("agenda", "--check", env=LONDON).code == 1
    report = priya.json("report", env=LONDON)
    assert report["followups"]["overdue"] == 1


def test_the_window_is_cut_on_our_clock(priya):
    # Tue 10 Mar 23:00 in London is Wed 11 Mar 08:00 in Tokyo: inside a 7-day window
    # seen from London (up to Tue 10), though its Tokyo date is past it
    priya.ok("add", "priya", "2026-03-11 8am", "late", "in", "tokyo", env=TOKYO)
    # and Wed 11 Mar 01:00 in London is Tue 10 Mar 20:00 in New York: outside from London
    priya.ok("add", "priya", "2026-03-10 8pm", "early", "in", "new", "york", env=NEW_YORK)
    shown = [row["title"] for row in priya.json("agenda", env=LONDON)]
    assert shown == ["late in tokyo"]


def test_a_series_repeats_the_wall_time_of_its_zone(priya):
    # America moves its clocks on 8 March, Britain on 29 March: 9:00 in London is 4:00
    # in New York before the 8th, 5:00 after it, 5:00 again after the 29th (BST)
    priya.ok("add", "priya", "tue 9am", "weekly", "--every", "week", env=LONDON)
    late = {"TZ": "America/New_York", "TICKLE_NOW": "2026-03-10T12:00:00+00:00"}
    priya.ok("done", "1", env=late)
    item = priya.json("show", "2", env=late)
    assert item["zone"] == "Europe/London"
    assert moment(item["due"]) == dt.datetime(2026, 3, 17, 9, tzinfo=dt.UTC)
    rows = priya.json("agenda", "--days", "28", env=late)
    assert [moment(row["due"]) for row in rows] == [
        dt.datetime(2026, 3, 17, 9, tzinfo=dt.UTC),
        dt.datetime(2026, 3, 24, 9, tzinfo=dt.UTC),
        dt.datetime(2026, 3, 31, 8, tzinfo=dt.UTC),  # 9:00 BST
        dt.datetime(2026, 4, 7, 8, tzinfo=dt.UTC),
    ]


def test_zone_conversions_are_inverse(monkeypatch):
    monkeypatch.setenv("TZ", "America/New_York")
    here = When(dt.date(2026, 3, 4), dt.time(6))
    assert to_zone(here, "Europe/London") == When(dt.date(2026, 3, 4), dt.time(11))
    assert from_zone(When(dt.date(2026, 3, 4), dt.time(11)), "Europe/London") == here
    assert to_zone(here, "America/New_York") == here
    assert from_zone(here, None) == here
    day = When(dt.date(2026, 3, 4))
    assert to_zone(day, "Asia/Tokyo") == day  # a calendar day is one wherever one is


def test_exported_items_say_the_moment_with_their_zone(priya):
    priya.ok("add", "priya", "tomorrow 11am", "call", env=LONDON)
    priya.ok("add", "priya", "fri", "all day", env=LONDON)
    timed, all_day = priya.json("export", "items", env=NEW_YORK)
    assert (timed["due"], timed["tz"]) == ("2026-03-04T11:00:00+00:00", "Europe/London")
    assert all_day["due"] == "2026-03-06"
    [row, _] = priya.json("agenda", env=NEW_YORK)
    assert moment(row["due"]) == moment(timed["due"])
    csv_text = priya.ok("export", "items", "--format", "csv", "--raw", env=NEW_YORK)
    assert "2026-03-04T11:00:00+00:00" in csv_text


def test_lists_show_the_items_own_clock_too(priya):
    priya.ok("add", "priya", "tomorrow 11am", "call", "back", env=LONDON)
    assert "tomorrow 06:00 · 11:00 London" in priya.ok("list", env=NEW_YORK)
    assert "tomorrow 06:00 · 11:00 London" in priya.ok("customer", "show", "priya", env=NEW_YORK)
    assert "London" not in priya.ok("list", env=LONDON)


def test_the_report_counts_cases_made_in_another_zone(priya):
    priya.ok("case", "open", "priya", "the clamps are missing", env=LONDON)
    priya.ok("add", "priya", "tomorrow 11am", "call", env=LONDON)
    report = priya.json("report", env=NEW_YORK)
    assert report["cases"]["open"] == 1
    # a case with a date (a backup of another tool's, say) is counted the same
    conn = sqlite3.connect(priya.db)
    with conn:
        conn.execute("UPDATE items SET due = '2026-03-02T10:00:00' WHERE kind = 'case'")
    conn.close()
    report = priya.json("report", env=NEW_YORK)
    assert report["cases"]["open"] == 1
    assert report["followups"]["overdue"] == 0
