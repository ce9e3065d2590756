"""The customer's clock: zones given or inferred from the phone, WHEN read on their clock,
both clocks shown, their night and best time; phone numbers read with phonenumbers."""

from __future__ import annotations

import datetime as dt

import pytest

from tickle.dates import When
from tickle.domain import their_clock
from tickle.domain.models import Customer
from tickle.domain.phones import read_phone


def customer(book, name: str) -> dict:
    return book.json("customer", "show", name)


def due(book, item: int) -> str:
    """The moment it is due, on our clock (New York)."""
    return book.json("show", str(item))["due"]


def kept(book, item: int) -> tuple[str, str]:
    """What the file holds: the wall time and the zone it is kept in."""
    [found] = book.rows("SELECT due, tz FROM items WHERE id = ?", (item,))
    return found


def test_a_zone_is_inferred_from_a_phone_with_exactly_one(tickle):
    out = tickle.ok("customer", "add", "Kenji Sato", "--phone", "+81 3 1234 5678")
    assert "Time zone Asia/Tokyo, from the phone number" in out
    shown = customer(tickle, "kenji")
    assert (shown["tz"], shown["tz_inferred"]) == ("Asia/Tokyo", True)
    assert "  time zone:   Asia/Tokyo (inferred from the phone)\n" in tickle.ok(
        "customer", "show", "kenji"
    )


def test_no_zone_from_a_number_of_many_zones_or_a_given_one(tickle):
    tickle.ok("customer", "add", "Tollfree Co", "--phone", "+1 800 555 0100")
    assert customer(tickle, "tollfree")["tz"] is None
    tickle.ok("customer", "add", "Dora Lind", "--phone", "+44 20 7946 0000", "--tz", "Europe/Paris")
    shown = customer(tickle, "dora")
    assert (shown["tz"], shown["tz_inferred"]) == ("Europe/Paris", False)
    tickle.ok("customer", "edit", "dora", "--phone", "+81 3 1234 5678")
    assert customer(tickle, "dora")["tz"] == "Europe/Paris"  # a given zone stays


def test_a_new_phone_infers_again_an_inferred_zone(tickle):
    tickle.ok("customer", "add", "Kenji Sato", "--phone", "+81 3 1234 5678")
    tickle.ok("customer", "edit", "kenji", "--phone", "+44 20 7946 0000")
    assert customer(tickle, "kenji")["tz"] == "Europe/London"
    tickle.ok("customer", "edit", "kenji", "--tz", "Asia/Seoul")
    shown = customer(tickle, "kenji")
    assert (shown["tz"], shown["tz_inferred"]) == ("Asia/Seoul", False)


def test_phones_are_kept_as_typed_with_e164_beside_them(tickle):
    tickle.ok("customer", "add", "Ana Silva", "--phone", "+1 (415) 555-0142")
    shown = customer(tickle, "ana")
    assert shown["phone"] == "+1 (415) 555-0142"
    assert (shown["phone_e164"], shown["tel"]) == ("+14155550142", "tel:+14155550142")
    assert "  phone:       +1 (415) 555-0142 (+14155550142)\n" in tickle.ok(
        "customer", "show", "ana"
    )


def test_the_phone_region_reads_a_number_without_its_country(tickle, tmp_path, monkeypatch):
    config = tmp_path / "config.toml"
    config.write_text('[phones]\nregion = "GB"\n')
    monkeypatch.setenv("TICKLE_CONFIG", str(config))
    tickle.ok("customer", "add", "Dev Rao", "--phone", "020 7946 0000")
    shown = customer(tickle, "dev")
    assert (shown["phone_e164"], shown["tz"]) == ("+442079460000", "Europe/London")


def test_the_same_number_written_otherwise_is_a_duplicate(book):
    result = book("customer", "add", "Ann Silver", "--phone", "+1 (415) 555-0142")
    assert result.code == 2
    assert result.err == (
        "tickle: #1 Ana Silva (Acme) has the same phone: add --duplicate to add another "
        "customer anyway\n"
    )


def test_a_number_that_cannot_be_valid_gets_a_warning(tickle):
    result = tickle("customer", "add", "Zed", "--phone", "+1 555 0101")
    assert result.code == 0
    assert result.err == (
        "tickle: warning: '+1 555 0101' cannot be a valid phone number; kept as typed\n"
    )
    assert customer(tickle, "zed")["phone"] == "+1 555 0101"
    assert tickle("customer", "add", "Yan", "--phone", "555 0199").err == ""  # cannot tell
    # 00 dials abroad from most countries but not all (011 from the US): with no
    # phones.region, a number written so cannot be told either.
    assert tickle("customer", "add", "Dirk", "--phone", "0049 30 7725 118").err == ""


def test_their_time_reads_when_on_their_clock(tickle):
    tickle.ok("customer", "add", "Ana Silva", "--phone", "+1 415 555 0142")
    out = tickle.ok("add", "ana", "tue 9am", "call back", "--their-time")
    assert due(tickle, 1) == "2026-11-24T12:00:00-05:00"  # 9:00 in California, 12:00 here
    assert kept(tickle, 1) == ("2026-11-24T09:00:00", "America/Los_Angeles")
    assert out == (
        "Added follow-up #1 with Ana Silva: call back, due tomorrow 12:00 · 09:00 for Ana.\n"
    )


def test_their_time_across_a_dst_change_on_their_side_only(tickle):
    """London leaves summer time on 25 October 2026, New York on 1 November."""
    tickle.ok("customer", "add", "Dora Lind", "--tz", "Europe/London")
    before = {"TICKLE_NOW": "2026-10-20T09:00:00"}
    tickle.ok("add", "dora", "oct 22 10am", "before both", "--their-time", env=before)
    tickle.ok("add", "dora", "oct 27 10am", "between", "--their-time", env=before)
    tickle.ok("add", "dora", "nov 3 10am", "after both", "--their-time", env=before)
    assert [due(tickle, n) for n in (1, 2, 3)] == [
        "2026-10-22T05:00:00-04:00",  # BST and EDT: 5 hours apart
        "2026-10-27T06:00:00-04:00",  # GMT and still EDT: 4 hours
        "2026-11-03T05:00:00-05:00",  # GMT and EST: 5 hours again
    ]
    rows = tickle.json("agenda", "--days", "10", env=before)
    assert [row["due"] for row in rows] == [
        "2026-10-22T05:00:00-04:00",
        "2026-10-27T06:00:00-04:00",
    ]
    plain = tickle.ok("agenda", "--days", "8", "--format", "plain", env=before)
    assert "Tue 27 Oct 06:00 · 10:00 for Dora" in plain


def test_their_time_reads_their_day_too(tickle):
    tickle.ok("customer", "add", "Kenji Sato", "--tz", "Asia/Tokyo")
    # Monday 10:07 in New York is already Tuesday 00:07 in Tokyo: their tomorrow is Wednesday.
    tickle.ok("add", "kenji", "tomorrow 9am", "call", "--their-time")
    assert due(tickle, 1) == "2026-11-24T19:00:00-05:00"
    assert kept(tickle, 1) == ("2026-11-25T09:00:00", "Asia/Tokyo")


def test_a_series_on_their_clock_repeats_their_wall_time_and_weekday(tickle):
    """Their 10:00 on Thursdays, from London, whose clocks change a week before ours."""
    tickle.ok("customer", "add", "Dora Lind", "--tz", "Europe/London")
    before = {"TICKLE_NOW": "2026-10-20T09:00:00"}
    out = tickle.ok(
        "add", "dora", "thu 10am", "weekly", "--every", "week", "--their-time", env=before
    )
    assert "every week on Thursday" in out
    rows = tickle.json("agenda", "--days", "20", env=before)
    assert [row["due"] for row in rows] == [
        "2026-10-22T05:00:00-04:00",
        "2026-10-29T06:00:00-04:00",  # 10:00 GMT while New York keeps summer time
        "2026-11-05T05:00:00-05:00",
    ]
    # Tokyo's Wednesday 9:00 is our Tuesday evening: the rule is on their Wednesdays
    tickle.ok("customer", "add", "Kenji Sato", "--tz", "Asia/Tokyo")
    out = tickle.ok("add", "kenji", "wed 9am", "standup", "--every", "week", "--their-time")
    assert "due tomorrow 19:00 · Wed 09:00 for Kenji, every week on Wednesday." in out


def test_their_time_needs_their_zone(book):
    before = book.snapshot()
    result = book("add", "bob", "tomorrow 9am", "call", "--their-time")
    assert result.code == 2
    assert result.err == (
        "tickle: #2 Bob Stone (Hooli) has no time zone: 'tickle customer edit 2 --tz ZONE' "
        "first (e.g. Europe/Paris)\n"
    )
    assert book.snapshot() == before


def test_the_agenda_and_the_review_card_show_both_clocks_and_their_night(book):
    book.ok("add", "ana silva", "today 3pm", "afternoon call")
    book.ok("add", "ana silva", "today 11pm", "late call")
    plain = book.ok("agenda", "--format", "plain")
    assert "today 15:00 · 12:00 for Ana" in plain
    assert "today 23:00 · 20:00 for Ana" in plain
    line = next(line for line in plain.splitlines() if "afternoon call" in line)
    assert "outside their best time (mornings)" in line
    from test_review import finish, spawn

    child = spawn(book)
    child.expect("reach: phone \\+1 415 555 0142 \\(mornings\\) — outside their best time")
    child.expect("due today 15:00 · 12:00 for Ana")
    child.sendline("q")
    assert finish(child) == 0


def test_both_clocks_and_reach_directly():
    tokyo = Customer(1, "Kenji Sato", tz="Asia/Tokyo", best_time="mornings", phone="+81 3")
    here = Customer(2, "Bob Stone")
    late = When(dt.date(2026, 11, 24), dt.time(16))  # 06:00 on Wednesday in Tokyo (from New York)
    assert their_clock.both_clocks(late, tokyo, "16:00") == "16:00 · Wed 06:00 for Kenji"
    assert their_clock.both_clocks(late, here, "16:00") == "16:00"
    assert their_clock.reach_warning(late, tokyo) == "their night"
    morning = When(dt.date(2026, 11, 23), dt.time(20))  # Tuesday 10:00 in Tokyo
    assert their_clock.reach_warning(morning, tokyo) is None
    assert their_clock.reach_warning(When(dt.date(2026, 11, 23)), tokyo) is None


@pytest.mark.parametrize(
    ("typed", "region", "e164", "valid", "zone"),
    [
        ("+1 415 555 0142", None, "+14155550142", True, "America/Los_Angeles"),
        ("020 7946 0000", "GB", "+442079460000", True, "Europe/London"),
        ("+1 800 555 0100", None, "+18005550100", True, None),
        ("555 0101", None, None, False, None),
        ("12", None, None, False, None),
    ],
)
def test_read_phone(typed, region, e164, valid, zone):
    facts = read_phone(typed, region)
    assert (facts.e164, facts.valid, facts.zone) == (e164, valid, zone)
