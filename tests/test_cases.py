"""Complaint cases: open, note, resolve with a check-in, reopen, lesson, letter, list."""

import sqlite3

from tickle.cli.cases import complete_category
from tickle.store import Store, migrations

LATER = "2026-12-03T09:00:00"  # ten days after the fixture's clock


def case(tickle, case_id):
    [found] = [c for c in tickle.json("case", "list", "--all") if c["id"] == case_id]
    return found


def test_open_says_what_it_did_and_stores_the_category_in_lower_case(book):
    out = book.ok("case", "open", "bob", "invoice", "is", "wrong", "--category", "  Billing ")
    assert out == "Opened case #1 for Bob Stone (Hooli): invoice is wrong [billing].\n"
    assert book.rows("SELECT kind, title, category, due, status FROM items") == [
        ("case", "invoice is wrong", "billing", None, "open")
    ]


def test_open_without_a_category(book):
    assert book.ok("case", "open", "bob", "late delivery") == (
        "Opened case #1 for Bob Stone (Hooli): late delivery.\n"
    )


def test_open_refuses_an_empty_problem_and_writes_nothing(book):
    before = book.snapshot()
    result = book("case", "open", "bob", "  ")
    assert result.code == 2
    assert result.err == "tickle: say what the problem is: tickle case open CUSTOMER PROBLEM...\n"
    assert book.snapshot() == before


def test_cases_share_ids_with_follow_ups_and_promises(book):
    book.ok("add", "bob", "tomorrow")
    book.ok("case", "open", "bob", "broken part")
    book.ok("promise", "bob", "refund", "--by", "fri")
    assert [i["id"] for i in book.json("list", "--status", "all")] == [1, 2, 3]
    assert [i["kind"] for i in book.json("list", "--kind", "case")] == ["case"]


def test_open_case_shows_on_the_agenda_with_its_age(book):
    book.ok("case", "open", "ana silva", "printer jams", "--category", "hardware")
    book.ok("add", "bob", "tomorrow", "call")
    out = book.ok("agenda", env={"TICKLE_NOW": LATER})
    assert "Open cases (1)" in out
    [line] = [line for line in out.splitlines() if line.startswith("#1")]
    assert "open 10 days" in line and "printer jams" in line and "case" in line


def test_agenda_json_puts_cases_in_their_own_section(book):
    book.ok("add", "bob", "today", "call")
    book.ok("case", "open", "ana silva", "printer jams")
    rows = book.json("agenda", env={"TICKLE_NOW": LATER})
    assert [(r["id"], r["section"], r["age_days"]) for r in rows] == [
        (1, "overdue", None),
        (2, "open_case", 10),
    ]
    assert rows[1]["due"] is None
    assert rows[1]["customer"]["name"] == "Ana Silva"


def test_an_open_case_alone_is_not_overdue_for_check(book):
    book.ok("case", "open", "bob", "late delivery")
    assert book("agenda", "--check").code == 0


def test_agenda_of_one_customer_shows_only_their_cases(book):
    book.ok("case", "open", "bob", "late delivery")
    book.ok("case", "open", "ana silva", "printer jams")
    assert [r["id"] for r in book.json("agenda", "--customer", "bob")] == [1]


def test_agenda_cases_are_bounded_on_screen(book):
    for n in range(3):
        book.ok("case", "open", "bob", f"problem {n}")
    from tickle.cli import agenda as agenda_cli

    original = agenda_cli.SCREEN_ROWS
    agenda_cli.SCREEN_ROWS = 2
    try:
        out = book.ok("agenda")
    finally:
        agenda_cli.SCREEN_ROWS = original
    assert "Open cases (2)" in out
    assert "1 more: use --all to see them." in out


def test_open_cases_are_found_through_an_index(book):
    from tickle.store import Store

    store = Store.open(book.db, write=False)
    traced: list[str] = []
    store.conn.set_trace_callback(traced.append)
    store.cases.open(limit=5)
    store.conn.set_trace_callback(None)
    details = [row[3] for row in store.conn.execute("EXPLAIN QUERY PLAN " + traced[-1])]
    store.close()
    # By kind, status and due; not every case in creation order (what SQLite picks
    # without ANALYZE statistics unless told otherwise).
    assert "SEARCH i USING INDEX items_kind (kind=? AND status=? AND due=?)" in details


def test_note_is_kept_in_the_history(book):
    book.ok("case", "open", "bob", "invoice wrong")
    assert book.ok("case", "note", "1", "called", "accounting") == "Noted on case #1.\n"
    history = book.json("history", "bob")
    assert [(e["type"], e["note"]) for e in history] == [
        ("opened", None),
        ("noted", "called accounting"),
    ]
    assert "note on case #1 invoice wrong" in book.ok("history", "bob")


def test_resolve_closes_the_case_and_schedules_the_check_in_in_two_weeks(book):
    book.ok("case", "open", "bob", "invoice wrong")
    out = book.ok("case", "resolve", "1", "--resolution", "credit note sent")
    assert out == (
        "Resolved case #1: credit note sent.\nCheck-in #2 due Mon 7 Dec: did the fix hold?\n"
    )
    assert book.rows("SELECT status, resolution, resolved_at FROM items WHERE id = 1") == [
        ("done", "credit note sent", "2026-11-23T15:07:33Z")
    ]
    assert book.rows("SELECT kind, customer_id, due, parent_id FROM items WHERE id = 2") == [
        ("followup", 2, "2026-12-07", 1)
    ]
    assert [r["id"] for r in book.json("agenda", "--days", "30")] == [2]


def test_resolve_with_a_chosen_check_in(book):
    book.ok("case", "open", "bob", "invoice wrong")
    book.ok("case", "resolve", "1", "--resolution", "fixed", "--check-in", "in 3 weeks")
    assert book.rows("SELECT due FROM items WHERE id = 2") == [("2026-12-14",)]


def test_resolve_without_a_check_in(book):
    book.ok("case", "open", "bob", "invoice wrong")
    out = book.ok("case", "resolve", "1", "--resolution", "fixed", "--check-in", "none")
    assert out == "Resolved case #1: fixed.\n"
    assert book.rows("SELECT count(*) FROM items") == [(1,)]


def test_resolve_refuses_a_bad_check_in_date_and_writes_nothing(book):
    book.ok("case", "open", "bob", "invoice wrong")
    before = book.snapshot()
    result = book("case", "resolve", "1", "--resolution", "fixed", "--check-in", "someday")
    assert result.code == 2
    assert result.err.startswith("tickle: not a date: 'someday'")
    assert book.snapshot() == before


def test_resolve_refuses_a_check_in_in_the_past(book):
    book.ok("case", "open", "bob", "invoice wrong")
    result = book("case", "resolve", "1", "--resolution", "fixed", "--check-in", "2026-11-01")
    assert result.code == 2
    assert "in the past" in result.err


def test_resolve_needs_a_resolution(book):
    book.ok("case", "open", "bob", "invoice wrong")
    result = book("case", "resolve", "1")
    assert result.code == 2
    assert "--resolution" in result.err
    assert book("case", "resolve", "1", "--resolution", " ").code == 2
    assert book.rows("SELECT status FROM items") == [("open",)]


def test_resolve_twice_is_refused(book):
    book.ok("case", "open", "bob", "invoice wrong")
    book.ok("case", "resolve", "1", "--resolution", "fixed")
    result = book("case", "resolve", "1", "--resolution", "again")
    assert result.code == 2
    assert result.err == "tickle: case #1 is already resolved: nothing to resolve\n"


def test_case_commands_refuse_an_item_that_is_not_a_case(book):
    book.ok("add", "bob", "tomorrow", "call")
    result = book("case", "note", "1", "hello")
    assert result.code == 2
    assert result.err == "tickle: #1 is a follow-up, not a case: 'tickle case list' shows them\n"
    assert book("case", "resolve", "9", "--resolution", "x").code == 2


def test_done_and_snooze_point_a_case_to_its_own_commands(book):
    book.ok("case", "open", "bob", "invoice wrong")
    result = book("done", "1")
    assert result.code == 2
    assert "tickle case resolve 1 --resolution TEXT" in result.err
    assert book("snooze", "1", "fri").code == 2
    assert book.rows("SELECT status, due FROM items") == [("open", None)]


def test_check_in_outcome_shows_on_the_case(book):
    book.ok("case", "open", "bob", "invoice wrong")
    book.ok("case", "resolve", "1", "--resolution", "credit note")
    assert case(book, 1)["check_ins"][0]["status"] == "open"
    book.ok("done", "2", "--outcome", "reached", "--note", "all good now")
    found = case(book, 1)
    assert found["state"] == "resolved"
    assert [(c["id"], c["outcome"]) for c in found["check_ins"]] == [(2, "reached")]
    line = book.ok("case", "list", "--all").splitlines()[1]
    assert "#2 held (reached)" in line


def test_reopen_when_the_fix_did_not_hold_cancels_the_pending_check_in(book):
    book.ok("case", "open", "bob", "invoice wrong")
    book.ok("case", "resolve", "1", "--resolution", "credit note")
    out = book.ok("case", "reopen", "1", "--reason", "billed twice again")
    assert out == "Reopened case #1: invoice wrong.\nCancelled check-in #2.\n"
    assert book.rows("SELECT id, status, resolution, closed_at FROM items ORDER BY id") == [
        (1, "open", None, None),
        (2, "cancelled", None, "2026-11-23T15:07:33Z"),
    ]
    assert [r["id"] for r in book.json("agenda")] == [1]


def test_reopen_an_open_case_is_refused(book):
    book.ok("case", "open", "bob", "invoice wrong")
    result = book("case", "reopen", "1")
    assert result.code == 2
    assert "still open" in result.err


def test_lesson_is_recorded_on_the_case_and_in_history(book):
    book.ok("case", "open", "bob", "invoice wrong")
    out = book.ok("case", "lesson", "1", "check", "the", "VAT", "field")
    assert out == "Lesson recorded on case #1.\n"
    assert case(book, 1)["lesson"] == "check the VAT field"
    assert "lesson from case #1 invoice wrong" in book.ok("history", "bob")


def test_letter_records_that_the_customer_is_satisfied(book):
    book.ok("case", "open", "bob", "invoice wrong")
    book.ok("case", "resolve", "1", "--resolution", "credit note")
    out = book.ok("case", "letter", "1", "--quote", "Thanks for sorting it out!")
    assert out == "Letter of thanks recorded on case #1.\n"
    found = case(book, 1)
    assert found["letter_quote"] == "Thanks for sorting it out!"
    assert found["letter_at"] == "2026-11-23T15:07:33Z"
    assert '"Thanks for sorting it out!"' in book.ok("case", "show", "1")


def test_letter_on_an_open_case_is_refused(book):
    book.ok("case", "open", "bob", "invoice wrong")
    result = book("case", "letter", "1")
    assert result.code == 2
    assert "still open" in result.err


def test_list_shows_open_cases_by_default_and_all_on_request(book):
    book.ok("case", "open", "bob", "invoice wrong", "--category", "billing")
    book.ok("case", "open", "ana silva", "printer jams", "--category", "hardware")
    book.ok("case", "resolve", "2", "--resolution", "new roller", "--check-in", "none")
    assert [c["id"] for c in book.json("case", "list")] == [1]
    assert [c["id"] for c in book.json("case", "list", "--open")] == [1]
    assert [c["id"] for c in book.json("case", "list", "--all")] == [1, 2]
    assert [c["id"] for c in book.json("case", "list", "--all", "--category", "Hardware")] == [2]
    out = book.ok("case", "list", "--all")
    assert out.splitlines()[0].split() == [
        "ID",
        "AGE",
        "CUSTOMER",
        "PROBLEM",
        "CATEGORY",
        "STATE",
        "CHECK-IN",
    ]
    assert "resolved" in out and "took 0 days" in out


def test_list_refuses_open_and_all_together(book):
    result = book("case", "list", "--open", "--all")
    assert result.code == 2
    assert "just one of" in result.err


def test_list_without_cases_says_so(book):
    assert book.ok("case", "list") == "No open cases.\n"


def test_categories_are_listed_with_their_counts_most_frequent_first(book):
    book.ok("case", "open", "bob", "invoice wrong", "--category", "billing")
    book.ok("case", "open", "ana silva", "printer jams", "--category", "hardware")
    book.ok("case", "open", "anabel", "charged twice", "--category", "BILLING")
    book.ok("case", "resolve", "1", "--resolution", "credit", "--check-in", "none")
    assert book.json("case", "list", "--categories") == [
        {"category": "billing", "cases": 2, "open": 1},
        {"category": "hardware", "cases": 1, "open": 1},
    ]
    assert book.ok("case", "list", "--categories", "--format", "plain") == (
        "CATEGORY  CASES  OPEN\nbilling       2     1\nhardware      1     1\n"
    )


def test_category_completion_reads_the_database_without_writing(book):
    book.ok("case", "open", "bob", "invoice wrong", "--category", "billing")
    book.ok("case", "open", "bob", "bad battery", "--category", "battery")
    book.ok("case", "open", "bob", "charged twice", "--category", "billing")
    book.ok("case", "open", "bob", "slow", "--category", "performance")
    before = book.snapshot()

    class Ctx:
        def __init__(self, db):
            self.params = {"db": db}

        def find_root(self):
            return self

    assert complete_category(Ctx(book.db), "b") == ["billing", "battery"]
    assert complete_category(Ctx(book.db), "") == ["billing", "battery", "performance"]
    assert book.snapshot() == before
    assert complete_category(Ctx(book.db.with_name("missing.db")), "") == []
    assert not book.db.with_name("missing.db").exists()


def test_cases_show_in_customer_show_and_history(book):
    book.ok("case", "open", "bob", "invoice wrong", "--category", "billing")
    book.ok("case", "resolve", "1", "--resolution", "credit note")
    out = book.ok("customer", "show", "bob")
    assert "check-in: did the fix hold? (case #1: invoice wrong)" in out
    history = book.ok("history", "bob")
    assert "opened case #1 invoice wrong" in history
    assert "resolved case #1 invoice wrong" in history
    profile = book.json("customer", "show", "bob")
    assert [i["kind"] for i in profile["open_items"]] == ["followup"]


def test_case_show_tells_the_whole_story(book):
    book.ok("case", "open", "bob", "invoice wrong", "--category", "billing")
    book.ok("case", "note", "1", "asked accounting")
    book.ok("case", "resolve", "1", "--resolution", "credit note", env={"TICKLE_NOW": LATER})
    out = book.ok("case", "show", "1", env={"TICKLE_NOW": LATER})
    assert out.startswith("Case #1 with Bob Stone (Hooli): invoice wrong\n")
    assert "  state:      resolved (took 10 days)\n" in out
    assert "  category:   billing\n" in out
    assert "  resolution: credit note\n" in out
    assert "  check-in:   #2 due Thu 17 Dec\n" in out
    assert "asked accounting" in out
    shown = book.json("case", "show", "1")
    assert [e["type"] for e in shown["history"]] == ["opened", "noted", "resolved"]


def test_undo_reverts_a_resolution_and_its_check_in(book):
    book.ok("case", "open", "bob", "invoice wrong")
    book.ok("case", "resolve", "1", "--resolution", "credit note")
    book.ok("undo")
    assert book.rows("SELECT id, status, resolution FROM items") == [(1, "open", None)]


def test_a_schema_1_database_is_upgraded_with_a_backup_and_keeps_its_data(tmp_path, monkeypatch):
    from conftest import Tickle

    old = Tickle(tmp_path / "old.db")
    # Only the first step applied: the schema of a database written before cases.
    monkeypatch.setattr(migrations, "MIGRATIONS", migrations.MIGRATIONS[:1])
    Store.open(old.db, write=True).close()  # the file at schema 1 (a refused command
    # such as an undo with nothing to undo leaves no file behind)
    assert "nothing to undo" in old("undo").err
    monkeypatch.undo()
    conn = sqlite3.connect(old.db)
    conn.execute(
        "INSERT INTO customers (name, created_at, updated_at) "
        "VALUES ('Bob Stone', '2026-11-23T15:07:33Z', '2026-11-23T15:07:33Z')"
    )
    conn.execute(
        "INSERT INTO items (kind, customer_id, title, due, created_at) "
        "VALUES ('followup', 1, 'call', '2026-11-24', '2026-11-23T15:07:33Z')"
    )
    conn.commit()
    conn.close()
    assert old.rows("PRAGMA user_version") == [(1,)]

    assert old.ok("case", "open", "bob", "invoice wrong", "--category", "billing")
    backup = tmp_path / "old.db.schema1.bak"
    assert backup.exists()
    conn = sqlite3.connect(backup)
    assert conn.execute("SELECT title FROM items").fetchall() == [("call",)]
    assert conn.execute("PRAGMA user_version").fetchone() == (1,)
    conn.close()
    assert old.rows("PRAGMA user_version") == [(migrations.latest_version(),)]
    assert old.rows("SELECT id, kind, title, category FROM items ORDER BY id") == [
        (1, "followup", "call", None),
        (2, "case", "invoice wrong", "billing"),
    ]
    indexes = {row[0] for row in old.rows("SELECT name FROM sqlite_master WHERE type='index'")}
    assert {"items_category", "events_type_at"} <= indexes


def test_category_is_completed_by_the_shell(book):
    from tickle.cli import app

    book.ok("case", "open", "bob", "invoice wrong", "--category", "billing")
    book.ok("case", "open", "bob", "printer jams", "--category", "hardware")
    words = f"tickle --db {book.db} case open bob x --category b"
    result = book.runner.invoke(
        app, [], env={"_TICKLE_COMPLETE": "complete_bash", "COMP_WORDS": words, "COMP_CWORD": "8"}
    )
    assert result.exit_code == 0
    assert result.stdout.split() == ["billing"]
