"""What each setting changes: business days and holidays, retries, limits, the agenda's
window, the words of a WHEN, the date order, the default channel, gone-quiet days."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from tickle.domain.business_days import BusinessDays, is_workweek_rule

THANKSGIVING_EVE = "2026-11-25T10:07:33"  # a Wednesday; Thursday 26 is Thanksgiving (US)


@pytest.fixture
def config(tmp_path, monkeypatch, book):
    path = tmp_path / "config.toml"
    monkeypatch.setenv("TICKLE_CONFIG", str(path))

    def write(text: str) -> Path:
        path.write_text(text)
        return path

    return write


def due(book, item: int) -> str:
    [(found,)] = book.rows("SELECT due FROM items WHERE id = ?", (item,))
    return found


def test_voicemail_is_retried_on_the_next_business_day_skipping_a_holiday(book, config):
    book.ok("add", "ana silva", "today 3pm", "call back", env={"TICKLE_NOW": THANKSGIVING_EVE})
    config('[calendar]\nholidays = "US"\n')
    out = book.ok("done", "1", "--outcome", "voicemail", env={"TICKLE_NOW": THANKSGIVING_EVE})
    assert due(book, 1) == "2026-11-27T15:00:00"
    assert "Fri 27 Nov" in out


def test_without_holidays_thanksgiving_is_a_business_day(book):
    book.ok("add", "ana silva", "today 3pm", "call back", env={"TICKLE_NOW": THANKSGIVING_EVE})
    book.ok("done", "1", "--outcome", "voicemail", env={"TICKLE_NOW": THANKSGIVING_EVE})
    assert due(book, 1) == "2026-11-26T15:00:00"


def test_a_regions_own_holiday_is_skipped(book, config):
    # 2026-11-27, the day after Thanksgiving, is a state holiday in California only.
    config('[calendar]\nholidays = "US"\nregion = "CA"\n')
    book.ok("add", "ana silva", "today", "call back", env={"TICKLE_NOW": THANKSGIVING_EVE})
    book.ok("done", "1", "--outcome", "voicemail", env={"TICKLE_NOW": THANKSGIVING_EVE})
    assert due(book, 1) == "2026-11-30"


def test_work_days_decide_the_next_business_day(book, config):
    config('[calendar]\nwork_days = ["mon", "tue", "wed", "thu"]\n')
    thursday = "2026-11-26T10:00:00"
    book.ok("add", "ana silva", "today", "call back", env={"TICKLE_NOW": thursday})
    book.ok("done", "1", "--outcome", "no-answer", env={"TICKLE_NOW": thursday})
    assert due(book, 1) == "2026-11-30"


def test_a_weekday_series_skips_a_holiday(book, config):
    config('[calendar]\nholidays = "US"\n')
    book.ok("add", "ana silva", "today 11am", "standup call", "--every", "weekday",
            env={"TICKLE_NOW": THANKSGIVING_EVE})  # fmt: skip
    rows = book.json("agenda", env={"TICKLE_NOW": THANKSGIVING_EVE})
    projected = [row["due"][:10] for row in rows if row.get("projected")]
    assert "2026-11-26" not in projected and projected[0] == "2026-11-27"
    book.ok("done", "1", env={"TICKLE_NOW": THANKSGIVING_EVE})
    assert due(book, 2) == "2026-11-27T11:00:00"


def test_a_weekly_series_is_not_moved_by_a_holiday(book, config):
    config('[calendar]\nholidays = "US"\n')
    book.ok("add", "ana silva", "today", "check-in", "--every", "thursday",
            env={"TICKLE_NOW": "2026-11-19T10:00:00"})  # fmt: skip
    book.ok("done", "1", env={"TICKLE_NOW": "2026-11-19T10:00:00"})
    assert due(book, 2) == "2026-11-26"


def test_each_unreached_outcome_has_its_own_retry(book, config):
    config('[retry]\nno-answer = "in 2 hours"\nvoicemail = "tomorrow 4pm"\n')
    book.ok("add", "ana silva", "today 11am", "call back")
    book.ok("add", "bob", "today 11am", "call back")
    book.ok("done", "1", "--outcome", "no-answer")
    book.ok("done", "2", "--outcome", "voicemail")
    assert due(book, 1) == "2026-11-23T12:07:00"
    assert due(book, 2) == "2026-11-24T16:00:00"


def test_next_still_wins_over_the_retry_setting(book, config):
    config('[retry]\nno-answer = "in 2 hours"\n')
    book.ok("add", "ana silva", "today 11am", "call back")
    book.ok("done", "1", "--outcome", "no-answer", "--next", "fri 9am")
    assert due(book, 1) == "2026-11-27T09:00:00"


def test_the_attempts_limit_comes_from_the_file(book, config):
    config("[followups]\nmax_attempts = 1\n")
    book.ok("add", "bob", "today", "call")
    book.ok("done", "1", "--outcome", "voicemail")
    [row] = book.json("agenda")
    assert row["switch_channel"] is True


def test_the_case_check_in_delay_comes_from_the_file(book, config):
    config('[cases]\ncheck_in = "in 10 days"\n')
    book.ok("case", "open", "ana silva", "printer jams")
    book.ok("case", "resolve", "1", "--resolution", "new roller")
    assert due(book, 2) == "2026-12-03"


def test_no_check_in_by_default_when_the_file_says_none(book, config):
    config('[cases]\ncheck_in = "none"\n')
    book.ok("case", "open", "ana silva", "printer jams")
    book.ok("case", "resolve", "1", "--resolution", "new roller")
    assert book.rows("SELECT count(*) FROM items") == [(1,)]


def test_the_agenda_window_comes_from_the_file(book, config):
    book.ok("add", "ana silva", "in 5 days", "call back")
    assert len(book.json("agenda")) == 1
    config("[agenda]\ndays = 3\n")
    assert book.json("agenda") == []
    assert "in the next 3 days" in book.ok("agenda", "--format", "plain")
    assert len(book.json("agenda", "--days", "6")) == 1


def test_the_hours_of_the_day_come_from_the_file(book, config):
    config('[hours]\nmorning = "08:30"\neod = "17:30"\n')
    book.ok("add", "ana silva", "tomorrow morning", "call back")
    book.ok("add", "ana silva", "eod", "send notes")
    assert due(book, 1) == "2026-11-24T08:30:00"
    assert due(book, 2) == "2026-11-23T17:30:00"


def test_the_date_order_comes_from_the_file_and_the_environment_wins(book, config):
    config('[dates]\norder = "dmy"\n')
    book.ok("add", "bob", "03/04/2027", "call")
    assert due(book, 1) == "2027-04-03"
    book.ok("add", "bob", "03/04/2027", "call", env={"TICKLE_DATE_ORDER": "mdy"})
    assert due(book, 2) == "2027-03-04"


def test_a_new_customer_gets_the_default_channel(book, config):
    config('[customers]\nchannel = "email"\n')
    book.ok("customer", "add", "Cleo Park", "--email", "cleo@example.com")
    book.ok("customer", "add", "Dev Rao", "--phone", "+44 20 7946 0000", "--channel", "phone")
    assert book.rows("SELECT channel FROM customers WHERE name IN ('Cleo Park', 'Dev Rao')"
                     " ORDER BY name") == [("email",), ("phone",)]  # fmt: skip


def test_gone_quiet_days_come_from_the_file(book, config):
    later = {"TICKLE_NOW": "2026-12-13T10:00:00"}  # 20 days after the customers were added
    assert book.json("report", env=later)["quiet"]["total"] == 0
    config("[report]\nquiet_days = 10\n")
    quiet = book.json("report", env=later)["quiet"]
    assert (quiet["days"], quiet["total"]) == (10, 3)
    assert book.json("report", "--quiet-days", "30", env=later)["quiet"]["total"] == 0


def test_an_unknown_holiday_country_is_refused_when_used(book, config):
    path = config('[calendar]\nholidays = "XX"\n')
    book.ok("add", "ana silva", "today", "call back")
    before = book.snapshot()
    result = book("done", "1", "--outcome", "voicemail")
    assert result.code == 78
    assert result.err == (
        f"tickle: {path}: calendar.holidays: the holidays package knows no country 'XX'\n"
    )
    assert book.snapshot() == before


def test_config_set_checks_the_country_and_region_with_the_holidays_package(tickle, config):
    result = tickle("config", "set", "calendar.holidays", "XX")
    assert (result.code, result.err) == (
        2,
        "tickle: calendar.holidays: the holidays package knows no country 'XX'\n",
    )
    tickle.ok("config", "set", "calendar.holidays", "us")
    assert tickle.ok("config", "get", "calendar.holidays") == "US\n"
    result = tickle("config", "set", "calendar.region", "ZZ")
    assert result.code == 2 and "US has no region 'ZZ' (it has AK, AL," in result.err
    tickle.ok("config", "set", "calendar.region", "CA")


def test_business_days_directly(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    days = BusinessDays((0, 1, 2, 3, 4), "GB", "")
    christmas = dt.date(2026, 12, 24)
    assert days.holiday(dt.date(2026, 12, 25)) == "Christmas Day"
    assert days.next_after(christmas) == dt.date(2026, 12, 29)  # Boxing Day is Monday 28
    again = BusinessDays((0, 1, 2, 3, 4), "GB", "")  # from the cache file this time
    assert again.next_after(christmas) == dt.date(2026, 12, 29)
    assert list((tmp_path / "cache" / "tickle" / "holidays").iterdir())


def test_which_rules_are_weekday_series():
    assert is_workweek_rule("FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR")
    assert is_workweek_rule("FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR;COUNT=10")
    assert not is_workweek_rule("FREQ=WEEKLY;BYDAY=MO,TH")
    assert not is_workweek_rule("FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TU,WE,TH,FR")
    assert not is_workweek_rule(None)
