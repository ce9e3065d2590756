"""`tickle doctor`: one line per check, a fitting exit code, and the file never touched."""

from __future__ import annotations

import json
import shutil
import sqlite3
import stat
from pathlib import Path

import pytest

from tickle.domain import doctor as checks
from tickle.domain.backup import size_text
from tickle.store.migrations import latest_version

HEALTHY = {
    "file": "ok",
    "file permissions": "ok",
    "folder permissions": "ok",
    "WAL": "ok",
    "migration backups": "ok",
    "format": "ok",
    "schema": "ok",
    "integrity": "ok",
    "foreign keys": "ok",
    "orphaned items": "ok",
    "orphaned events": "ok",
    "orphaned check-ins": "ok",
    "orphaned undo entries": "ok",
}


def files_of(db: Path) -> dict[str, bytes]:
    """The database and its WAL, byte for byte (an empty WAL counts as none: a read-only
    SQLite connection may create one)."""
    found = {"db": db.read_bytes() if db.exists() else None}
    wal = Path(f"{db}-wal")
    found["wal"] = wal.read_bytes() if wal.exists() else b""
    return found


def doctor(tickle) -> tuple[int, list[dict]]:
    """Runs `tickle doctor --format json`, and proves it changed nothing."""
    before = files_of(tickle.db)
    result = tickle("doctor", "--format", "json")
    assert result.err == ""
    assert files_of(tickle.db) == before
    return result.code, json.loads(result.out)


def statuses(found: list[dict]) -> dict[str, str]:
    return {check["check"]: check["status"] for check in found}


def only(found: list[dict], name: str) -> dict:
    [check] = [c for c in found if c["check"] == name]
    return check


def raw(db: Path, *statements: str) -> None:
    """SQL run as another program would: foreign keys off, straight into the file."""
    conn = sqlite3.connect(db, isolation_level=None)
    try:
        for statement in statements:
            conn.execute(statement)
    finally:
        conn.close()


def test_a_healthy_database_is_all_ok(busy):
    code, found = doctor(busy)
    assert code == 0
    assert statuses(found) == HEALTHY
    assert set(found[0]) == {"check", "status", "detail", "advice"}
    assert only(found, "schema")["detail"] == f"version {latest_version()} (current)"
    assert only(found, "integrity")["detail"] == "PRAGMA integrity_check: ok"


def test_plain_output_is_one_line_per_check(busy):
    out = busy.ok("doctor", "--format", "plain")
    lines = out.splitlines()
    assert lines[0].split() == ["STATUS", "CHECK", "DETAIL", "ADVICE"]
    assert len(lines) == 1 + len(HEALTHY)
    assert (
        lines[1]
        == f"ok      file                   {busy.db} ({size_text(busy.db.stat().st_size)})"
    )
    assert all(line.startswith("ok ") for line in lines[1:])


def test_loose_permissions_are_reported_not_fixed(busy):
    busy.db.chmod(0o644)
    busy.db.parent.chmod(0o755)
    try:
        code, found = doctor(busy)
        assert stat.S_IMODE(busy.db.stat().st_mode) == 0o644
        assert stat.S_IMODE(busy.db.parent.stat().st_mode) == 0o755
    finally:
        busy.db.parent.chmod(0o700)
    assert code == 1
    files = only(found, "file permissions")
    assert files["status"] == "problem"
    assert files["detail"] == f"readable or writable by others: {busy.db} (644)"
    assert files["advice"] == f"they hold personal data; run: chmod 600 {busy.db}"
    folder = only(found, "folder permissions")
    assert folder["status"] == "warning"
    assert folder["advice"].endswith(f"run: chmod 700 {busy.db.parent}")


def test_a_loose_backup_is_reported_too(busy):
    busy.ok("backup")
    [copy] = (busy.db.parent / "backups").iterdir()
    copy.chmod(0o640)
    code, found = doctor(busy)
    assert code == 1
    assert only(found, "file permissions")["detail"].endswith(f"{copy} (640)")


def test_orphaned_rows_are_each_reported_with_a_fix(busy):
    raw(
        busy.db,
        "PRAGMA foreign_keys = OFF",
        "DELETE FROM customers WHERE id = 2",  # Bob: his promise and its history stay behind
        "INSERT INTO items (kind, customer_id, title, created_at, parent_id) "
        "VALUES ('followup', 1, 'did the fix hold?', '2026-11-20T15:00:00Z', 999)",
        "INSERT INTO undo_log (change_id, tbl, row_id, op) VALUES (999, 'items', 1, 'insert')",
    )
    code, found = doctor(busy)
    assert code == 1
    assert statuses(found) == HEALTHY | {
        "foreign keys": "problem",
        "orphaned items": "problem",
        "orphaned events": "problem",
        "orphaned check-ins": "problem",
        "orphaned undo entries": "warning",
    }
    assert only(found, "foreign keys")["detail"] == (
        "4 rows point at rows that are gone (events 1, items 2, undo_log 1)"
    )
    items = only(found, "orphaned items")
    assert items["detail"] == "1 follow-ups, promises or cases whose customer is gone"
    assert (
        "DELETE FROM items WHERE customer_id NOT IN (SELECT id FROM customers)" in (items["advice"])
    )
    assert only(found, "orphaned events")["detail"].startswith("1 history entries")
    assert only(found, "orphaned check-ins")["detail"] == "1 check-ins whose case is gone"
    assert only(found, "orphaned undo entries")["detail"] == "1 undo entries without their change"


def test_the_advised_cleanup_clears_the_orphans(busy):
    raw(busy.db, "PRAGMA foreign_keys = OFF", "DELETE FROM customers WHERE id = 2")
    _, found = doctor(busy)
    advice = only(found, "orphaned items")["advice"]
    statement = advice.split(f"sqlite3 {busy.db} ", 1)[1].strip("'")
    raw(busy.db, statement)
    _, found = doctor(busy)
    assert only(found, "orphaned items")["status"] == "ok"


@pytest.fixture
def corrupt(busy, tmp_path) -> Path:
    """A copy of a real database of many pages, with garbage over a page in its middle."""
    raw(
        busy.db,
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000) "
        "INSERT INTO customers (name, note, created_at, updated_at) "
        "SELECT 'Customer ' || i, printf('%.200c', 'x'), '2026-11-01T00:00:00Z', "
        "'2026-11-01T00:00:00Z' FROM n",
    )
    copy = tmp_path / "copy" / "tickle.db"
    copy.parent.mkdir(mode=0o700)
    shutil.copyfile(busy.db, copy)
    copy.chmod(0o600)
    page_size = 4096
    pages = copy.stat().st_size // page_size
    assert pages > 50
    with copy.open("r+b") as f:
        f.seek((pages // 2) * page_size)
        f.write(b"\xa5" * 512)
    return copy


def test_a_corrupt_file_is_a_problem_exit_74(corrupt, tickle):
    sick = type(tickle)(corrupt)
    code, found = doctor(sick)
    assert code == 74
    integrity = only(found, "integrity")
    assert integrity["status"] == "problem"
    assert integrity["detail"].startswith("the database is corrupt: ")
    assert "restore your latest 'tickle backup'" in integrity["advice"]
    assert "orphaned items" not in statuses(found)  # rows of a damaged file prove nothing


def test_a_newer_schema_is_a_problem_exit_78(busy):
    raw(busy.db, f"PRAGMA user_version = {latest_version() + 1}")
    code, found = doctor(busy)
    assert code == 78
    schema = only(found, "schema")
    assert schema["status"] == "problem"
    assert schema["detail"] == (
        f"version {latest_version() + 1}, newer than this tickle knows ({latest_version()})"
    )
    assert schema["advice"].startswith("upgrade tickle")


def test_an_older_schema_is_a_warning_and_is_not_migrated(busy):
    raw(busy.db, "PRAGMA user_version = 1")
    code, found = doctor(busy)
    assert code == 0
    schema = only(found, "schema")
    assert schema["status"] == "warning"
    assert schema["advice"] == (
        f"the next write command upgrades it, after copying it to {busy.db}.schema1.bak"
    )
    assert busy.rows("PRAGMA user_version") == [(1,)]
    assert not Path(f"{busy.db}.schema1.bak").exists()


def test_leftover_migration_backups_are_mentioned_with_their_size(busy):
    leftover = Path(f"{busy.db}.schema1.bak")
    leftover.write_bytes(b"\0" * 5000)
    leftover.chmod(0o600)
    code, found = doctor(busy)
    assert code == 0
    check = only(found, "migration backups")
    assert check["status"] == "warning"
    assert check["detail"] == "1 left from schema upgrades (5 KB): tickle.db.schema1.bak (5 KB)"
    assert check["advice"].endswith(f"rm {leftover}")


def test_a_copy_cut_short_before_an_upgrade_is_mentioned_too(busy):
    """kill -9 during the copy made before an upgrade leaves its temporary file."""
    partial = Path(busy.db.parent, f".{busy.db.name}.schema1.bak.4242.tmp")
    partial.write_bytes(b"\0" * 2000)
    partial.chmod(0o600)
    code, found = doctor(busy)
    assert code == 0
    check = only(found, "migration backups")
    assert check["status"] == "warning"
    assert check["detail"] == (
        "1 left from schema upgrades (2 KB): .tickle.db.schema1.bak.4242.tmp (2 KB)"
    )
    assert check["advice"].endswith(f"rm {partial}")


def test_another_programs_database_is_a_problem_exit_78(tickle):
    raw(tickle.db, "CREATE TABLE photos (id INTEGER PRIMARY KEY, path TEXT)")
    tickle.db.chmod(0o600)
    code, found = doctor(tickle)
    assert code == 78
    check = only(found, "format")
    assert (
        check["detail"] == "an SQLite database of another program (1 tables), not a tickle database"
    )
    assert check["advice"] == "use --db to choose your tickle database"


def test_a_file_that_is_not_sqlite_is_a_problem_exit_78(tickle):
    tickle.db.write_text("name,email\nAna,ana@acme.example\n" * 200)
    tickle.db.chmod(0o600)
    code, found = doctor(tickle)
    assert code == 78
    assert only(found, "format")["detail"] == f"{tickle.db} is not a tickle database"


def test_a_missing_file_is_a_problem_and_nothing_is_created(tickle):
    code, found = doctor(tickle)
    assert code == 1
    assert found == [
        {
            "check": "file",
            "status": "problem",
            "detail": f"there is no database at {tickle.db}",
            "advice": "check --db and $TICKLE_DB; tickle creates the file on the first write "
            "command",
        }
    ]
    assert list(tickle.db.parent.iterdir()) == []


def test_a_large_wal_is_a_warning(busy, monkeypatch):
    monkeypatch.setattr(checks, "LARGE_WAL", 1000)
    reader = sqlite3.connect(busy.db, isolation_level=None)  # keeps the WAL from going away
    try:
        reader.execute("INSERT INTO changes (command, at) VALUES ('x', '2026-11-23T15:00:00Z')")
        code, found = doctor(busy)
    finally:
        reader.close()
    assert code == 0
    wal = only(found, "WAL")
    assert wal["status"] == "warning"
    assert "Never delete or move the -wal file" in wal["advice"]


def test_help_documents_the_exit_codes(tickle):
    out = tickle.ok("doctor", "--help")
    assert "74" in out and "78" in out and "1: a problem" in out


@pytest.mark.parametrize(
    ("codes", "expected"), [((), 0), ((1, 78), 78), ((78, 74, 1), 74), ((1,), 1)]
)
def test_the_gravest_problem_decides_the_exit_code(codes, expected):
    found = [checks.ok("a", "fine")] + [checks.problem("b", "bad", "fix", c) for c in codes]
    assert checks.exit_code(found) == expected


def test_a_folder_instead_of_a_file_is_a_problem(tickle):
    from tickle.cli import app

    tickle.db.mkdir()  # --db refuses a folder itself: it can only come from $TICKLE_DB
    result = tickle.runner.invoke(
        app, ["doctor", "--format", "json"], env={"TICKLE_DB": str(tickle.db)}
    )
    assert result.exit_code == 74
    assert json.loads(result.stdout)[0]["detail"] == f"{tickle.db} is not a file"
    assert list(tickle.db.iterdir()) == []
