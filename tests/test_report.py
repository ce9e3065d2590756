"""`tickle report`: promises, follow-ups, cases and quiet customers over a period."""

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tickle.dates import When
from tickle.domain.report import build_report
from tickle.store import Store


def at(day: str, time: str = "09:00:00") -> dict:
    return {"TICKLE_NOW": f"2026-{day}T{time}"}


@pytest.fixture
def promises(book):
    book.ok("promise", "bob", "on time", "--by", "2026-11-10", env=at("11-02"))
    book.ok("promise", "bob", "late", "--by", "2026-11-10", env=at("11-02"))
    book.ok("promise", "bob", "broken", "--by", "2026-11-15", env=at("11-02"))
    book.ok("promise", "bob", "overdue", "--by", "2026-11-20", env=at("11-02"))
    book.ok("promise", "bob", "open", "--by", "2026-11-30", env=at("11-02"))
    book.ok("done", "1", env=at("11-09"))
    book.ok("done", "2", env=at("11-12"))
    book.ok("move", "3", "2026-11-20", "--reason", "asked", env=at("11-14"))
    book.ok("move", "3", "2026-11-30", "--reason", "asked again", env=at("11-19"))
    book.ok("cancel", "3", "--reason", "deal lost", env=at("11-21"))
    return book


@pytest.fixture
def followups(book):
    book.ok("add", "bob", "2026-11-16", "one", env=at("11-10"))
    book.ok("add", "bob", "2026-11-17", "two", env=at("11-10"))
    book.ok("add", "bob", "2026-11-18", "three", env=at("11-10"))
    book.ok("add", "bob", "2026-11-20", "four", env=at("11-10"))
    book.ok("done", "1", "--outcome", "reached", env=at("11-18"))
    book.ok("done", "2", "--outcome", "emailed", env=at("11-17"))
    book.ok("done", "3", "--outcome", "voicemail", env=at("11-18"))
    book.ok("done", "3", "--outcome", "reached")
    book.ok("log", "ana silva", "--outcome", "met", env=at("11-21"))
    return book


@pytest.fixture
def cases(book):
    book.ok("case", "open", "bob", "wrong invoice", "--category", "billing", env=at("10-01"))
    book.ok("case", "resolve", "1", "--resolution", "credit", env=at("10-11"))
    book.ok("done", "2", "--outcome", "reached", env=at("10-25"))
    book.ok("case", "lesson", "1", "check VAT", env=at("10-25"))
    book.ok("case", "letter", "1", env=at("10-26"))
    book.ok("case", "open", "ana silva", "charged twice", "--category", "billing", env=at("11-01"))
    book.ok("case", "resolve", "3", "--resolution", "refund", env=at("11-05"))
    book.ok("done", "4", "--outcome", "reached", env=at("11-19"))
    book.ok("case", "reopen", "3", env=at("11-19"))
    book.ok("case", "open", "bob", "printer jams", "--category", "hardware", env=at("11-10"))
    book.ok("case", "open", "bob", "rude driver", env=at("11-11"))
    return book


def test_empty_report_has_every_figure_at_zero(tickle):
    report = tickle.json("report")
    assert report["since"] == "2026-08-25"
    assert report["until"] == "2026-11-23"
    assert report["promises"] == {
        "made": 0,
        "kept_on_time": 0,
        "kept_late": 0,
        "moved": 0,
        "moves": 0,
        "broken": 0,
        "open": 0,
        "overdue": 0,
        "on_time_rate": None,
    }
    assert report["followups"]["done"] == 0
    assert report["followups"]["median_days_late"] is None
    assert report["followups"]["outcomes"] == []
    assert len(report["followups"]["weeks"]) == 14
    assert report["cases"]["categories"] == []
    assert report["quiet"] == {"days": 60, "total": 0, "customers": []}
    assert not tickle.db.exists()


def test_promises_kept_late_moved_broken_and_overdue(promises):
    assert promises.json("report")["promises"] == {
        "made": 5,
        "kept_on_time": 1,
        "kept_late": 1,
        "moved": 1,
        "moves": 2,
        "broken": 1,
        "open": 2,
        "overdue": 1,
        "on_time_rate": 0.333,
    }


def test_the_period_counts_what_happened_since(promises):
    figures = promises.json("report", "--since", "2026-11-10")["promises"]
    assert (figures["made"], figures["kept_on_time"], figures["kept_late"]) == (0, 0, 1)
    assert (figures["moves"], figures["broken"], figures["open"]) == (2, 1, 2)


def test_follow_ups_done_overdue_lateness_attempts_and_outcome_mix(followups):
    figures = followups.json("report")["followups"]
    assert (figures["done"], figures["overdue"], figures["attempts"]) == (3, 1, 1)
    # one, two and three were done 2, 0 and 4 days after they were due.
    assert figures["median_days_late"] == 2.0
    assert figures["outcomes"] == [
        {"outcome": "reached", "count": 2},
        {"outcome": "emailed", "count": 1},
        {"outcome": "met", "count": 1},
        {"outcome": "voicemail", "count": 1},
    ]


def test_follow_ups_week_by_week(followups):
    weeks = followups.json("report")["followups"]["weeks"]
    assert weeks[-2:] == [
        {"week": "2026-11-16", "due": 4, "done": 2},
        {"week": "2026-11-23", "due": 0, "done": 1},
    ]
    assert weeks[0] == {"week": "2026-08-24", "due": 0, "done": 0}


def test_cases_resolved_time_check_ins_and_repeat_categories(cases):
    assert cases.json("report")["cases"] == {
        "opened": 4,
        "resolved": 1,
        "open": 3,
        "reopened": 1,
        "median_days_to_resolve": 10.0,
        "check_ins_done": 2,
        "check_ins_held": 1,
        "lessons": 1,
        "letters": 1,
        "uncategorised": 1,
        "categories": [
            {"category": "billing", "count": 2},
            {"category": "hardware", "count": 1},
        ],
    }


def test_customers_gone_quiet_oldest_first(tickle):
    tickle.ok("customer", "add", "Never Called", env=at("08-01"))
    tickle.ok("customer", "add", "Once Called", env=at("08-01"))
    tickle.ok("customer", "add", "Recently Called", env=at("08-01"))
    tickle.ok("customer", "add", "Brand New")
    tickle.ok("log", "once", "--outcome", "reached", env=at("09-01"))
    tickle.ok("log", "recently", "--outcome", "reached", env=at("11-01"))
    quiet = tickle.json("report")["quiet"]
    assert quiet["total"] == 2
    assert quiet["customers"] == [
        {
            "id": 1,
            "name": "Never Called",
            "company": None,
            "last_contact": None,
            "days_quiet": 114,
        },
        {
            "id": 2,
            "name": "Once Called",
            "company": None,
            "last_contact": "2026-09-01",
            "days_quiet": 83,
        },
    ]
    longer = tickle.json("report", "--quiet-days", "100")["quiet"]["customers"]
    assert [c["name"] for c in longer] == ["Never Called"]
    out = tickle.ok("report", "--format", "plain")
    assert "Customers gone quiet: no contact in 60 days (2)\n" in out
    assert "never contacted (added 114 days ago)" in out
    assert "last contact 2026-09-01 (83 days ago)" in out


def test_since_takes_a_past_date(tickle):
    assert tickle.json("report", "--since", "sep 1")["since"] == "2026-09-01"
    assert tickle.json("report", "--since", "fri")["since"] == "2026-11-20"


def test_since_refuses_the_future_and_garbage(tickle):
    result = tickle("report", "--since", "2026-12-01")
    assert result.code == 2
    assert result.err == "tickle: --since 2026-12-01 is in the future: the report looks back\n"
    result = tickle("report", "--since", "whenever")
    assert result.code == 2
    assert result.err.startswith("tickle: not a date: 'whenever'")


def test_undoing_a_contact_makes_the_customer_quiet_again(tickle):
    tickle.ok("customer", "add", "Once Called", env=at("08-01"))
    tickle.ok("log", "once", "--outcome", "reached", env=at("09-01"))
    tickle.ok("log", "once", "--outcome", "reached")
    assert tickle.json("report")["quiet"]["total"] == 0
    tickle.ok("undo")
    quiet = tickle.json("report")["quiet"]
    assert [(c["name"], c["last_contact"]) for c in quiet["customers"]] == [
        ("Once Called", "2026-09-01")
    ]


def test_an_archived_customer_is_never_listed_as_quiet(tickle):
    tickle.ok("customer", "add", "Gone", env=at("08-01"))
    tickle.ok("customer", "archive", "gone")
    assert tickle.json("report")["quiet"]["total"] == 0


def test_quiet_days_must_be_positive(tickle):
    assert tickle("report", "--quiet-days", "0").code == 2


def test_report_only_reads(promises):
    before = promises.snapshot()
    promises.ok("report")
    promises.ok("report", "--format", "json")
    assert promises.snapshot() == before


def test_plain_report_is_aligned_text(promises):
    out = promises.ok("report", "--format", "plain")
    assert out.startswith("Report from Tue 25 Aug 2026 to today (90 days)\n\nPromises\n")
    assert "  kept on time              1\n" in out
    assert "  moved                     1 (2 times)\n" in out
    assert "  kept on time, of settled  33%\n" in out
    assert "\x1b" not in out and "█" not in out


def test_table_report_draws_charts(cases):
    out = cases.ok("report", "--format", "table")
    assert "Outcome mix" in out
    assert "  reached ██████████████████████████████ 2" in out
    assert "Categories, most frequent first" in out
    assert "billing  ██████████████████████████████ 2" in out
    assert "Follow-ups by week" in out
    [due] = [line for line in out.splitlines() if line.startswith("  due ")]
    assert due.rstrip().endswith("█▁")


def test_domain_report_from_a_store(cases):
    store = Store.open(cases.db, write=False)
    try:
        now = dt.datetime(2026, 11, 23, 10, 0).astimezone()
        report = build_report(store, now, since=When(dt.date(2026, 11, 1)), quiet_days=30)
    finally:
        store.close()
    assert report.since == dt.date(2026, 11, 1)
    assert (report.cases.opened, report.cases.check_ins_done) == (3, 1)
    assert report.cases.categories == [("billing", 1), ("hardware", 1)]
    assert report.as_dict()["cases"]["categories"][0] == {"category": "billing", "count": 1}


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(st.none(), st.integers(-50, 50), st.floats(-1e6, 1e6))))
def test_the_median_agrees_with_the_statistics_module(values):
    import json
    import statistics

    store = Store._empty()
    found = store.report.median(
        "SELECT value FROM json_each(:values)", {"values": json.dumps(values)}
    )
    present = [v for v in values if v is not None]
    if not present:
        assert found is None
    else:
        assert found == pytest.approx(statistics.median(present))
