"""`tickle export`: a JSON backup that restores exactly, safe CSV, and iCalendar to-dos."""

from __future__ import annotations

import csv
import io
import json
import os
import stat
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tickle.cli import app  # noqa: F401 - the commands must be registered
from tickle.io import ics

FIXTURES = Path(__file__).parent / "fixtures"
HUBSPOT = str(FIXTURES / "hubspot_contacts.csv")


@pytest.fixture
def varied(book):
    """The book with items in every state, history, and a formula-looking note."""
    book.ok("customer", "edit", "bob", "--note", '=HYPERLINK("http://x.example")')
    book.ok("add", "ana silva", "tomorrow 10am", "call back about pricing")
    book.ok("promise", "bob", "pricing sheet", "--by", "fri")
    book.ok("add", "anabel", "in 2 weeks", "check the loaner; works?")
    book.ok("done", "1", "--outcome", "voicemail")
    book.ok("move", "2", "dec 4", "--reason", "customer asked for more time")
    book.late("add", "bob", "yesterday", "old call")
    book.ok("done", "4", "--outcome", "reached", "--note", "all good")
    book.ok("cancel", "3", "--reason", "not needed")
    return book


def test_export_all_is_a_complete_backup(varied):
    data = json.loads(varied.ok("export", "all"))
    assert list(data) == ["tickle_export", "customers", "items", "events"]
    assert data["tickle_export"] == 1
    assert len(data["customers"]) == 3
    assert set(data["items"][0]) >= {"id", "due", "attempts", "outcome", "rrule", "promised_due"}
    assert [e["type"] for e in data["events"] if e["item_id"] == 2][-1] == "moved"


def test_export_all_then_import_all_into_an_empty_database_is_identical(varied, tmp_path):
    first = varied.ok("export", "all")
    path = tmp_path / "backup.json"
    path.write_text(first, encoding="utf-8")
    fresh = type(varied)(tmp_path / "fresh.db")
    out = fresh.ok("import", "all", str(path))
    assert out == f"Restored 3 customers, 4 items, 8 events from {path}.\n"
    assert fresh.ok("export", "all") == first
    assert fresh.json("agenda") == varied.json("agenda")


def test_jsonl_backup_restores_too(varied, tmp_path):
    lines = varied.ok("export", "all", "--format", "jsonl")
    assert json.loads(lines.splitlines()[0]) == {"tickle_export": 1}
    fresh = type(varied)(tmp_path / "fresh.db")
    fresh.ok("import", "all", "-", input=lines)
    assert fresh.ok("export", "all") == varied.ok("export", "all")


@pytest.mark.parametrize("separator", ["\u2028", "\u2029"])
def test_a_line_separator_in_a_value_stays_inside_its_line(tickle, tmp_path, separator):
    """U+2028 and U+2029 end a line for Python's splitlines and older JavaScript: JSON
    output escapes them, so a JSON Lines export is still one record a line."""
    note = f"first{separator}second"
    tickle.ok("customer", "add", "Ana", "--note", note)
    for what in ("customers", "all"):
        exported = tickle.ok("export", what, "--format", "jsonl")
        assert separator not in exported
        assert len(exported.splitlines()) == exported.count("\n")
    fresh = type(tickle)(tmp_path / "fresh.db")
    customers = tickle.ok("export", "customers", "--format", "jsonl")
    fresh.ok("import", "customers", "-", "--format", "jsonl", input=customers)
    assert fresh.json("export", "customers")[0]["note"] == note
    restored = type(tickle)(tmp_path / "restored.db")
    restored.ok("import", "all", "-", input=tickle.ok("export", "all", "--format", "jsonl"))
    assert restored.ok("export", "all") == tickle.ok("export", "all")


def test_import_all_refuses_a_database_with_data(varied):
    backup = varied.ok("export", "all")
    before = varied.snapshot()
    result = varied("import", "all", "-", input=backup)
    assert result.code == 2
    assert "empty database" in result.err
    assert varied.snapshot() == before


def test_import_all_refuses_a_file_that_is_not_a_backup(tickle):
    result = tickle("import", "all", "-", input='[{"name": "Ana"}]')
    assert result.code == 2
    assert "not a tickle backup" in result.err


def test_export_customers_json(book):
    [ana, *_] = book.json("export", "customers")
    assert ana["name"] == "Ana Silva"
    assert ana["tags"] == []


def test_csv_neutralises_formulas(varied):
    text = varied.ok("export", "customers", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows[0]["phone"] == "'+1 415 555 0142"
    assert rows[1]["note"] == '\'=HYPERLINK("http://x.example")'
    assert not any(
        cell.startswith(("=", "+", "-", "@", "\t", "\r")) for row in rows for cell in row.values()
    )


def test_raw_csv_is_for_scripts_with_every_cell_as_stored(varied):
    text = varied.ok("export", "customers", "--format", "csv", "--raw")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows[0]["phone"] == "+1 415 555 0142"
    assert rows[1]["note"] == '=HYPERLINK("http://x.example")'


def test_raw_is_only_for_csv(varied):
    result = varied("export", "customers", "--format", "json", "--raw")
    assert (result.code, result.err) == (
        2,
        "tickle: --raw is for CSV: other formats are never neutralised\n",
    )


def test_csv_round_trips_through_import(varied, tmp_path):
    path = tmp_path / "customers.csv"
    varied.ok("export", "customers", "--format", "csv", "-o", str(path))
    fresh = type(varied)(tmp_path / "fresh.db")
    out = fresh.ok("import", "customers", str(path))
    assert "3 created" in out
    assert fresh.rows("SELECT name, phone, note FROM customers ORDER BY id") == varied.rows(
        "SELECT name, phone, note FROM customers ORDER BY id"
    )
    assert "3 unchanged" in varied.ok("import", "customers", str(path))


def test_items_csv_carries_the_customer(varied):
    text = varied.ok("export", "items", "--format", "csv")
    [first, *_] = csv.DictReader(io.StringIO(text))
    assert (first["customer_name"], first["title"]) == ("Ana Silva", "call back about pricing")


def test_csv_of_all_is_refused(book):
    result = book("export", "all", "--format", "csv")
    assert result.code == 2
    assert "CSV holds one table" in result.err


# -- iCalendar -----------------------------------------------------------------------------


def test_ics_parses_back_with_one_todo_per_open_item(varied):
    from icalendar import Calendar

    text = varied.ok("export", "items", "--format", "ics")
    cal = Calendar.from_ical(text)
    todos = {str(t["uid"]): t for t in cal.walk("VTODO")}
    assert sorted(todos) == ["item-1@tickle", "item-2@tickle"]
    call = todos["item-1@tickle"]
    assert str(call["summary"]) == "Follow up with Ana Silva (Acme): call back about pricing"
    assert str(call["description"]) == "Ana Silva (Acme): phone +1 415 555 0142 (mornings)"
    due = call.decoded("due")
    assert (due.isoformat(), str(due.tzinfo)) == ("2026-11-24T10:00:00-05:00", "America/New_York")
    assert call["due"].params["TZID"] == "America/New_York"
    promise = todos["item-2@tickle"]
    assert promise.decoded("due").isoformat() == "2026-12-04"
    assert str(promise["summary"]).startswith("Promise to Bob Stone (Hooli)")


def test_ics_follows_rfc5545_basics(varied, tmp_path):
    path = tmp_path / "items.ics"
    varied.ok("export", "items", "--format", "ics", "-o", str(path))
    raw = path.read_bytes()
    lines = raw.split(b"\r\n")
    assert lines[0] == b"BEGIN:VCALENDAR"
    assert lines[-2:] == [b"END:VCALENDAR", b""]
    assert b"\n" not in raw.replace(b"\r\n", b"")
    assert all(len(line) <= 75 for line in lines)
    assert b"VERSION:2.0" in lines
    assert any(line.startswith(b"PRODID:-//tickle//") for line in lines)


def test_ics_escapes_text(varied):
    text = varied.ok("export", "items", "--format", "ics")
    assert "check the loaner" not in text  # a cancelled item is not a to-do
    varied.ok("add", "anabel", "fri", "price; terms, and more")
    text = varied.ok("export", "items", "--format", "ics")
    assert "SUMMARY:Follow up with Anabel Cruz (Globex): price\\; terms\\, and more" in text


def test_ics_carries_the_rrule(varied):
    from icalendar import Calendar

    from tickle.dates import When
    from tickle.domain.models import Customer, Item

    item = Item(
        7, "followup", 1, "check-in", When.from_iso("2026-12-01"), rrule="FREQ=WEEKLY;INTERVAL=2"
    )
    todo = Calendar.from_ical(ics.calendar([(item, Customer(1, "Ana"))], _now())).walk("VTODO")[0]
    assert todo["rrule"].to_ical() == b"FREQ=WEEKLY;INTERVAL=2"
    assert str(todo["uid"]) == "item-7@tickle"


def _now():
    import datetime as dt

    return dt.datetime(2026, 11, 23, 15, 7, 33, tzinfo=dt.UTC)


# -- files ---------------------------------------------------------------------------------


def test_output_file_is_private_and_the_command_says_so(varied, tmp_path):
    path = tmp_path / "backup.json"
    out = varied.ok("export", "all", "-o", str(path))
    assert out == f"Exported 3 customers, 4 items to {path}.\n"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert json.loads(path.read_text())["tickle_export"] == 1
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_an_unwritable_path_is_one_line_and_keeps_the_old_file(varied, tmp_path):
    folder = tmp_path / "locked"
    folder.mkdir()
    old = folder / "backup.json"
    old.write_text("previous")
    folder.chmod(0o500)
    try:
        result = varied("export", "all", "-o", str(old))
    finally:
        folder.chmod(0o700)
    if result.code == 0:
        pytest.skip("running as a user who can write anywhere")
    assert result.code == 74
    assert result.err == f"tickle: cannot write {old}: Permission denied\n"
    assert old.read_text() == "previous"


def test_a_missing_folder_is_one_line(varied, tmp_path):
    result = varied("export", "all", "-o", str(tmp_path / "nope" / "x.json"))
    assert result.code == 74
    assert result.err.count("\n") == 1


def test_export_to_dev_full_is_one_line_and_leaves_the_device(varied):
    result = varied("export", "all", "-o", "/dev/full")
    assert result.code == 74
    assert result.err == "tickle: cannot write /dev/full: No space left on device\n"
    assert stat.S_ISCHR(os.stat("/dev/full").st_mode)


def test_export_to_a_device_or_pipe_writes_into_it(varied):
    out = varied.ok("export", "all", "-o", "/dev/null")
    assert out == "Exported 3 customers, 4 items to /dev/null.\n"
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=5), children, max_size=3)
    ),
    max_leaves=8,
)
rows = st.lists(st.dictionaries(st.text(max_size=5), json_values, max_size=4), max_size=4)


@settings(max_examples=100, deadline=None)
@given(customers=rows, items=rows, events=rows)
def test_the_streamed_backup_is_the_json_of_its_rows_one_a_line(customers, items, events):
    from tickle.io import export

    data = {"tickle_export": 1, "customers": customers, "items": items, "events": events}
    streamed = io.StringIO()
    export.write_backup(
        {k: iter(v) if isinstance(v, list) else v for k, v in data.items()}, streamed
    )
    assert json.loads(streamed.getvalue()) == data
    lines = streamed.getvalue().splitlines()
    assert len(lines) == 6 + sum(
        len(rows) + (1 if rows else 0) for rows in (customers, items, events)
    )


def test_a_backup_from_before_last_contacts_were_kept_restores_them(varied, tmp_path):
    varied.ok("log", "bob", "--outcome", "reached")
    data = varied.json("export", "all")
    for customer in data["customers"]:
        del customer["last_contact_at"]
    path = tmp_path / "old.json"
    path.write_text(json.dumps(data))
    from conftest import Tickle

    fresh = Tickle(tmp_path / "fresh.db")
    fresh.ok("import", "all", str(path))
    assert fresh.rows("SELECT id, last_contact_at FROM customers ORDER BY id") == varied.rows(
        "SELECT id, last_contact_at FROM customers ORDER BY id"
    )
