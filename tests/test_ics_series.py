"""The iCalendar export of recurring follow-ups, expanded as a calendar would (dateutil),
falls on exactly the dates `tickle agenda` projects: across a daylight-saving change, for
a snoozed occurrence, a rule with UNTIL and a series repeating from completion."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from zoneinfo import ZoneInfo

import pytest
from dateutil.rrule import rruleset, rrulestr
from icalendar import Calendar

# Five weeks before New York leaves daylight-saving time (Sun 1 Nov 2026), a Monday.
NOW = "2026-10-19T09:30:00"
TODAY = dt.date(2026, 10, 19)
DAYS = 60
ZONE = ZoneInfo("America/New_York")


@pytest.fixture
def series(tickle, monkeypatch):
    monkeypatch.setenv("TICKLE_NOW", NOW)
    tickle.ok("customer", "add", "Ana Silva", "--phone", "+1 415 555 0142")
    tickle.ok("customer", "add", "Bo Chen", "--email", "bo@hooli.example")
    tickle.ok("add", "ana", "thu 9am", "weekly call", "--every", "week")  # #1, Thursdays
    tickle.ok("add", "bo", "fri", "fortnightly report", "--every", "2 weeks")  # #2, all day
    tickle.ok(
        "add", "ana", "nov 2 8am", "monthly review",
        "--rrule", "FREQ=MONTHLY;BYMONTHDAY=2;UNTIL=20261202T080000",
    )  # fmt: skip
    tickle.ok("add", "bo", "tomorrow 4pm", "still happy?", "--every", "month", "--after-done")
    return tickle


def _agenda_dates(tickle) -> dict[str, list[str]]:
    found = defaultdict(list)
    for row in tickle.json("agenda", "--days", str(DAYS)):
        found[row["title"]].append(row["due"])
    return dict(found)


def _calendar_dates(tickle) -> dict[str, list[str]]:
    cal = Calendar.from_ical(tickle.ok("export", "items", "--format", "ics"))
    first = dt.datetime.combine(TODAY, dt.time.min, tzinfo=ZONE)
    last = dt.datetime.combine(TODAY + dt.timedelta(days=DAYS), dt.time.max, tzinfo=ZONE)
    found = {}
    for todo in cal.walk("VTODO"):
        title = str(todo["summary"]).split(": ", 1)[1]
        due = todo.decoded("due")
        if "rrule" not in todo:
            found[title] = [_iso(due)]
            continue
        start = todo.decoded("dtstart")
        all_day = not isinstance(start, dt.datetime)
        anchor = dt.datetime.combine(start, dt.time.min, tzinfo=ZONE) if all_day else start
        dates = rruleset()
        dates.rrule(rrulestr(todo["rrule"].to_ical().decode(), dtstart=anchor))
        for name, method in (("exdate", dates.exdate), ("rdate", dates.rdate)):
            for listed in _listed(todo.get(name)):
                for moment in listed.dts:
                    value = moment.dt
                    if not isinstance(value, dt.datetime):
                        value = dt.datetime.combine(value, dt.time.min, tzinfo=ZONE)
                    method(value)
        moments = dates.between(first, last, inc=True)
        found[title] = [_iso(m.date() if all_day else m) for m in moments]
    return found


def _listed(value):
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _iso(value: dt.date | dt.datetime) -> str:
    return value.isoformat()


def test_the_exported_rules_fall_on_the_agendas_dates(series):
    agenda = _agenda_dates(series)
    assert agenda["weekly call"][:3] == [
        "2026-10-22T09:00:00-04:00",
        "2026-10-29T09:00:00-04:00",
        "2026-11-05T09:00:00-05:00",  # 9:00 still, after the change
    ]
    assert agenda["monthly review"] == ["2026-11-02T08:00:00-05:00", "2026-12-02T08:00:00-05:00"]
    assert agenda["still happy?"] == ["2026-10-20T16:00:00-04:00"]
    assert _calendar_dates(series) == agenda


def test_a_snoozed_occurrence_is_an_exception_of_the_same_rule(series):
    series.ok("snooze", "1", "oct 27")  # Thursday 22 to Tuesday 27, at 9:00 still
    agenda = _agenda_dates(series)
    assert agenda["weekly call"][:3] == [
        "2026-10-27T09:00:00-04:00",
        "2026-10-29T09:00:00-04:00",
        "2026-11-05T09:00:00-05:00",
    ]
    assert _calendar_dates(series) == agenda
    text = series.ok("export", "items", "--format", "ics")
    todo = next(t for t in Calendar.from_ical(text).walk("VTODO") if "weekly" in t["summary"])
    assert todo["rrule"].to_ical() == b"FREQ=WEEKLY"
    assert todo.decoded("dtstart") == dt.datetime(2026, 10, 22, 9, 0, tzinfo=ZONE)
    assert todo.decoded("due") == dt.datetime(2026, 10, 27, 9, 0, tzinfo=ZONE)
    listed = series.ok("list")
    assert "every week on Thursday" in listed
    assert "Tuesday" not in listed


def test_snoozed_past_several_dates_of_the_rule(series):
    series.ok("snooze", "1", "in 2 weeks")  # Mon 2 Nov: Thursdays 22 and 29 passed over
    agenda = _agenda_dates(series)
    assert agenda["weekly call"][:2] == ["2026-11-02T09:00:00-05:00", "2026-11-05T09:00:00-05:00"]
    assert _calendar_dates(series) == agenda


def test_an_occurrence_done_gives_the_next_on_the_series_dates(series):
    series.ok("done", "1", "--outcome", "reached")
    series.ok("done", "2", "--outcome", "reached")
    agenda = _agenda_dates(series)
    assert agenda["weekly call"][0] == "2026-10-29T09:00:00-04:00"
    assert _calendar_dates(series) == agenda


def test_until_is_utc_when_the_start_has_a_zone_and_after_done_has_no_rule(series):
    text = series.ok("export", "items", "--format", "ics")
    todos = {str(t["summary"]).split(": ", 1)[1]: t for t in Calendar.from_ical(text).walk("VTODO")}
    monthly = todos["monthly review"]
    assert monthly["rrule"]["UNTIL"] == [dt.datetime(2026, 12, 2, 13, 0, tzinfo=dt.UTC)]
    assert monthly["dtstart"].params["TZID"] == "America/New_York"
    assert "rrule" not in todos["still happy?"]
    assert "DTSTART;VALUE=DATE:20261023" in text.replace("\r\n ", "")
    assert "rrule" in todos["weekly call"] and "dtstart" in todos["weekly call"]


def test_a_count_is_what_is_left_of_it(series):
    series.ok("add", "ana", "wed", "three calls", "--rrule", "FREQ=WEEKLY;COUNT=3")  # #5
    series.ok("done", "5", "--outcome", "reached")
    agenda = _agenda_dates(series)
    assert agenda["three calls"] == ["2026-10-28", "2026-11-04"]
    assert _calendar_dates(series) == agenda


def test_a_series_made_in_another_zone_repeats_its_wall_time(tickle, monkeypatch):
    # Made in London, seen from New York: Britain leaves summer time on 25 October,
    # America on 1 November, so for a week 14:00 in London is 10:00, not 9:00, in New York.
    monkeypatch.setenv("TICKLE_NOW", NOW)
    tickle.ok("customer", "add", "Priya Raman")
    london = {"TZ": "Europe/London"}
    tickle.ok("add", "priya", "thu 2pm", "london call", "--every", "week", env=london)
    tickle.ok("snooze", "1", "oct 23 9am")  # on New York's clock: Fri 23 Oct 14:00 in London
    agenda = _agenda_dates(tickle)
    assert agenda["london call"][:4] == [
        "2026-10-23T09:00:00-04:00",
        "2026-10-29T10:00:00-04:00",  # 14:00 GMT: New York is still on summer time
        "2026-11-05T09:00:00-05:00",
        "2026-11-12T09:00:00-05:00",
    ]
    utc = {
        title: [dt.datetime.fromisoformat(d).astimezone(dt.UTC) for d in found]
        for title, found in _calendar_dates(tickle).items()
    }
    assert utc["london call"] == [
        dt.datetime.fromisoformat(d).astimezone(dt.UTC) for d in agenda["london call"]
    ]


def test_the_holidays_a_weekday_series_skips_are_exceptions(tickle, monkeypatch, tmp_path):
    config = tmp_path / "config.toml"
    config.write_text('[calendar]\nholidays = "US"\n')
    monkeypatch.setenv("TICKLE_CONFIG", str(config))
    monkeypatch.setenv("TICKLE_NOW", NOW)
    tickle.ok("customer", "add", "Ana Silva")
    tickle.ok("add", "ana", "tomorrow 8am", "standup", "--every", "weekday")
    agenda = _agenda_dates(tickle)
    days = [due[:10] for due in agenda["standup"]]
    assert "2026-11-25" in days and "2026-11-26" not in days  # Thanksgiving
    assert "2026-11-11" not in days  # Veterans Day
    assert _calendar_dates(tickle) == agenda
    cal = Calendar.from_ical(tickle.ok("export", "items", "--format", "ics"))
    [todo] = cal.walk("VTODO")
    skipped = {moment.dt.date() for listed in _listed(todo.get("exdate")) for moment in listed.dts}
    assert dt.date(2026, 12, 25) in skipped and dt.date(2027, 7, 5) in skipped  # a year ahead
