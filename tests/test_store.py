"""Storage: where the file lives, who can read it, transactions, versions and locks."""

import os
import sqlite3
import stat

import pytest

from tickle.store import Store, migrations


def mode(path):
    return stat.S_IMODE(path.stat().st_mode)


def test_default_location_is_xdg_data_home(tickle, tmp_path):
    result = tickle.runner.invoke(
        __import__("tickle.cli", fromlist=["app"]).app, ["customer", "add", "Ana"]
    )
    assert result.exit_code == 0, result.stderr
    db = tmp_path / "xdg" / "tickle" / "tickle.db"
    assert db.exists()
    assert mode(db.parent) == 0o700
    assert mode(db) == 0o600


def test_tickle_db_variable_chooses_the_file(tickle, tmp_path, monkeypatch):
    from tickle.cli import app

    monkeypatch.setenv("TICKLE_DB", str(tmp_path / "elsewhere.db"))
    assert tickle.runner.invoke(app, ["customer", "add", "Ana"]).exit_code == 0
    assert (tmp_path / "elsewhere.db").exists()


def test_new_database_is_private_under_a_loose_umask(tickle):
    old = os.umask(0o022)
    try:
        tickle.ok("customer", "add", "Ana")
    finally:
        os.umask(old)
    assert mode(tickle.db) == 0o600
    for suffix in ("-wal", "-shm"):
        side = tickle.db.with_name(tickle.db.name + suffix)
        if side.exists():
            assert mode(side) == 0o600


def test_loose_permissions_are_tightened_with_a_warning(book):
    book.db.chmod(0o644)
    result = book("customer", "list")
    assert result.code == 0
    assert "tightened to 600" in result.err
    assert mode(book.db) == 0o600


def test_database_is_wal_and_marked_as_ours(book):
    assert book.rows("PRAGMA journal_mode") == [("wal",)]
    assert book.rows("PRAGMA application_id") == [(migrations.APPLICATION_ID,)]
    assert book.rows("PRAGMA user_version") == [(migrations.latest_version(),)]


def test_newer_schema_is_refused_untouched(book):
    conn = sqlite3.connect(book.db)
    conn.execute(f"PRAGMA user_version = {migrations.latest_version() + 1}")
    conn.close()
    before = book.snapshot()
    result = book("agenda")
    assert result.code == 78
    assert "newer tickle" in result.err
    assert result.err.count("\n") == 1
    assert book("add", "bob", "today").code == 78
    assert book.snapshot() == before


def test_another_programs_database_is_refused(tickle):
    conn = sqlite3.connect(tickle.db)
    conn.execute("CREATE TABLE photos (id INTEGER)")
    conn.close()
    result = tickle("customer", "add", "Ana")
    assert result.code == 78
    assert "not a tickle database" in result.err


def test_a_file_that_is_not_sqlite_is_refused(tickle):
    tickle.db.write_bytes(b"hello, this is not a database at all" * 100)
    result = tickle("agenda")
    assert result.code == 78
    assert "not a tickle database" in result.err
    assert "Traceback" not in result.err


def test_migration_makes_a_private_backup_first(book, monkeypatch):
    calls = []

    def m_probe(conn):
        calls.append(conn.execute("SELECT count(*) FROM customers").fetchone()[0])
        conn.execute("ALTER TABLE customers ADD COLUMN probe TEXT")

    latest = migrations.latest_version()
    monkeypatch.setattr(migrations, "MIGRATIONS", [*migrations.MIGRATIONS, m_probe])
    book.ok("customer", "list")
    backup = book.db.with_name(f"tickle.db.schema{latest}.bak")
    assert backup.exists()
    assert mode(backup) == 0o600
    conn = sqlite3.connect(backup)
    assert conn.execute("SELECT count(*) FROM customers").fetchone() == (3,)
    assert conn.execute("PRAGMA user_version").fetchone() == (latest,)
    conn.close()
    assert calls == [3]
    assert book.rows("PRAGMA user_version") == [(latest + 1,)]


def test_failed_migration_leaves_the_old_schema_and_data(book, monkeypatch):
    def m_broken(conn):
        conn.execute("ALTER TABLE customers ADD COLUMN half_done TEXT")
        raise sqlite3.OperationalError("disk I/O error")

    latest = migrations.latest_version()
    monkeypatch.setattr(migrations, "MIGRATIONS", [*migrations.MIGRATIONS, m_broken])
    result = book("customer", "list")
    assert result.code == 74
    columns = [row[1] for row in book.rows("PRAGMA table_info(customers)")]
    assert "half_done" not in columns
    assert book.rows("PRAGMA user_version") == [(latest,)]
    assert book.rows("SELECT count(*) FROM customers") == [(3,)]


def test_busy_database_fails_with_exit_75_and_writes_nothing(book):
    holder = sqlite3.connect(book.db, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        result = book("add", "bob", "today", env={"TICKLE_BUSY_TIMEOUT": "0.2"})
        assert result.code == 75
        assert "busy" in result.err
        assert result.err.count("\n") == 1
        assert "Traceback" not in result.err
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert book.rows("SELECT count(*) FROM items") == [(0,)]
    book.ok("add", "bob", "today")


def test_reader_is_not_blocked_by_a_writer(book):
    holder = sqlite3.connect(book.db, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    holder.execute("UPDATE customers SET note = 'x'")
    try:
        assert "Bob Stone" in book.ok("customer", "list", env={"TICKLE_BUSY_TIMEOUT": "0.2"})
    finally:
        holder.execute("ROLLBACK")
        holder.close()


def test_a_failing_command_rolls_back_everything(tmp_path):
    import datetime as dt

    from tickle.dates import When
    from tickle.domain import customers, items

    now = dt.datetime(2026, 11, 23, 10, 0).astimezone()
    store = Store.open(tmp_path / "t.db", write=True)
    with pytest.raises(RuntimeError), store.transaction("test", now):
        ana = customers.add_customer(store, now, name="Ana")
        items.add_followup(store, ana, When(now.date()), now)
        raise RuntimeError("crash half-way")
    assert store.conn.execute("SELECT count(*) FROM customers").fetchone()[0] == 0
    assert store.conn.execute("SELECT count(*) FROM items").fetchone()[0] == 0
    assert store.conn.execute("SELECT count(*) FROM changes").fetchone()[0] == 0
    store.close()


def test_undo_history_is_bounded(book):
    for n in range(30):
        book.ok("add", "bob", "today", f"call {n}")
    assert book.rows("SELECT count(*) FROM changes") == [(20,)]
