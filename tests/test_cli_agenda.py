"""`tickle agenda`: sections, order, formats, --check, and `tickle demo`."""

import csv
import io


def test_empty_agenda_says_so_in_one_line(book):
    assert book.ok("agenda") == (
        "Nothing overdue and nothing due in the next 7 days. Enjoy the quiet.\n"
    )


def test_agenda_on_a_missing_database_creates_nothing(tickle):
    assert "Nothing overdue" in tickle.ok("agenda")
    assert not tickle.db.exists()


def test_agenda_sections_and_order(book):
    book.late("add", "bob", "2026-11-20", "oldest overdue")
    book.late("promise", "bob", "overdue promise", "--by", "yesterday")
    book.late("add", "bob", "today 9am", "timed today, past")
    book.ok("add", "bob", "today", "all day today")
    book.ok("add", "bob", "today 3pm", "later today")
    book.ok("add", "bob", "thu", "upcoming")
    book.ok("add", "bob", "2026-12-05", "beyond the window")
    rows = book.json("agenda")
    assert [(r["title"], r["section"]) for r in rows] == [
        ("oldest overdue", "overdue"),
        ("overdue promise", "overdue"),
        ("timed today, past", "overdue"),
        ("all day today", "today"),
        ("later today", "today"),
        ("upcoming", "upcoming"),
    ]
    assert [r["days_overdue"] for r in rows[:3]] == [3, 1, 0]


def test_all_day_item_is_not_overdue_until_its_day_ends(book):
    book.ok("add", "bob", "today", "call")
    late_evening = book.json("agenda", env={"TICKLE_NOW": "2026-11-23T23:59:59"})
    assert late_evening[0]["section"] == "today"
    next_morning = book.json("agenda", env={"TICKLE_NOW": "2026-11-24T00:00:01"})
    assert next_morning[0]["section"] == "overdue"


def test_agenda_json_rows_carry_the_contract_keys(book):
    book.ok("promise", "ana silva", "pricing sheet", "--by", "today 4pm")
    [row] = book.json("agenda")
    assert {
        "id",
        "kind",
        "section",
        "due",
        "title",
        "customer",
        "status",
        "attempts",
        "days_overdue",
        "recurrence",
    } <= set(row)
    assert row["customer"] == {
        "id": 1,
        "name": "Ana Silva",
        "company": "Acme",
        "email": "ana@acme.example",
        "phone": "+1 415 555 0142",
        "phone_e164": "+14155550142",
        "tz": "America/Los_Angeles",
        "channel": "phone",
    }
    assert row["due"] == "2026-11-23T16:00:00-05:00"
    assert row["kind"] == "promise"


def test_plain_agenda_shows_how_to_reach_and_marks_promises(book):
    book.ok("add", "ana silva", "today", "call back")
    book.late("promise", "bob", "pricing sheet", "--by", "2026-11-20")
    out = book.ok("agenda")
    assert "\x1b" not in out
    assert "Overdue (1)" in out and "Today, Mon 23 Nov (1)" in out
    assert "phone +1 415 555 0142 (mornings)" in out
    assert "email bob@hooli.example" in out
    promise_line = next(line for line in out.splitlines() if "pricing sheet" in line)
    assert "PROMISE" in promise_line and "3 days late" in promise_line


def test_agenda_csv_is_flat_and_safe(book):
    book.ok("add", "ana silva", "today", '=HYPERLINK("x")')
    out = book.ok("agenda", "--format", "csv")
    [row] = list(csv.DictReader(io.StringIO(out)))
    assert row["customer_name"] == "Ana Silva"
    assert row["title"].startswith("'=")
    assert row["customer_phone"] == "'+1 415 555 0142"


def test_agenda_days_and_on(book):
    book.ok("add", "bob", "tomorrow", "a")
    book.ok("add", "bob", "in 10 days", "b")
    assert [r["title"] for r in book.json("agenda", "--days", "0")] == []
    assert [r["title"] for r in book.json("agenda", "--days", "10")] == ["a", "b"]
    tomorrow = book.json("agenda", "--on", "tomorrow", "--days", "0")
    assert [(r["title"], r["section"]) for r in tomorrow] == [("a", "today")]


def test_agenda_for_one_customer(book):
    book.ok("add", "bob", "today", "bob's")
    book.ok("add", "ana silva", "today", "ana's")
    assert [r["title"] for r in book.json("agenda", "--customer", "bob")] == ["bob's"]


def test_agenda_check_exits_1_when_overdue(book):
    book.ok("add", "bob", "today", "call")
    assert book("agenda", "--check").code == 0
    book.late("add", "bob", "yesterday", "late call")
    result = book("agenda", "--check")
    assert result.code == 1
    assert "late call" in result.out


def test_agenda_caps_human_output_and_says_how_many_more(book):
    for n in range(105):
        book.ok("add", "bob", "today", f"call {n}")
    out = book.ok("agenda")
    assert "5 more: use --all to see them." in out
    assert "call 104" not in out
    assert "call 104" in book.ok("agenda", "--all")
    assert len(book.json("agenda")) == 105


def test_reading_commands_never_write(book):
    book.late("add", "bob", "yesterday", "call")
    book.ok("promise", "bob", "x", "--by", "fri")
    before = book.snapshot()
    for args in (
        ["agenda"],
        ["agenda", "--format", "json"],
        ["list"],
        ["history", "bob"],
        ["customer", "list"],
        ["customer", "show", "bob"],
        ["agenda", "--check"],
    ):
        book(*args)
    assert book.snapshot() == before


def test_demo_fills_an_empty_database_and_prints_its_agenda(tickle):
    out = tickle.ok("demo")
    assert "Added a sample of 12 follow-ups and promises" in out
    assert "Overdue (3)" in out
    assert "PROMISE" in out
    assert tickle.rows("SELECT count(*) FROM customers") == [(12,)]


def test_demo_refuses_a_database_with_data(book):
    before = book.snapshot()
    result = book("demo")
    assert result.code == 2
    assert "already has data" in result.err
    assert book.snapshot() == before
