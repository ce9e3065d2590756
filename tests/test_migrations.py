"""Every schema a tickle has written upgrades to the latest, after a private backup."""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
import stat

import pytest

from tickle.store import Store, migrations


def _database_at(path, version: int) -> None:
    """A database as a tickle of schema `version` left it, with some of everything."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    for step in migrations.MIGRATIONS[:version]:
        conn.execute("BEGIN")
        step(conn)
        conn.execute("COMMIT")
    conn.execute(f"PRAGMA application_id = {migrations.APPLICATION_ID}")
    conn.execute(f"PRAGMA user_version = {version}")
    stamp = "2026-11-20T15:00:00Z"
    conn.execute(
        "INSERT INTO customers (name, email, channel, created_at, updated_at) "
        "VALUES ('Bob Stone', 'bob@stone.example', 'phone', ?, ?)",
        (stamp, stamp),
    )
    conn.execute(
        "INSERT INTO items (kind, customer_id, title, due, created_at) "
        "VALUES ('promise', 1, 'pricing sheet', '2026-11-27', ?)",
        (stamp,),
    )
    conn.executemany(
        "INSERT INTO events (customer_id, item_id, at, type) VALUES (1, 1, ?, ?)",
        [(stamp, "created"), ("2026-11-21T16:00:00Z", "attempt"), (stamp, "contact")],
    )
    conn.close()
    path.chmod(0o600)


OLDER = range(1, migrations.latest_version())


@pytest.mark.parametrize("version", OLDER)
def test_every_older_schema_upgrades_with_a_private_backup(tmp_path, version):
    from conftest import Tickle

    book = Tickle(tmp_path / "tickle.db")
    _database_at(book.db, version)

    book.ok("add", "bob", "tomorrow", "call back")

    backup = tmp_path / f"tickle.db.schema{version}.bak"
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600
    conn = sqlite3.connect(backup)
    assert conn.execute("PRAGMA user_version").fetchone() == (version,)
    assert conn.execute("SELECT title FROM items").fetchall() == [("pricing sheet",)]
    conn.close()
    assert book.rows("PRAGMA user_version") == [(migrations.latest_version(),)]
    assert book.rows("PRAGMA integrity_check") == [("ok",)]
    assert book.rows("SELECT kind, title FROM items ORDER BY id") == [
        ("promise", "pricing sheet"),
        ("followup", "call back"),
    ]
    assert book.rows("SELECT count(*) FROM events") == [(4,)]
    # m007 recomputes every last contact from the history the test wrote behind its back.
    last_contact = "2026-11-21T16:00:00Z" if version < 7 else None
    assert book.rows("SELECT last_contact_at FROM customers") == [(last_contact,)]
    assert book.rows("SELECT count(*) FROM sync_items") == [(0,)]
    shown = book.json("customer", "show", "bob")
    assert (shown["email"], shown["emails"]) == (
        "bob@stone.example",
        [{"value": "bob@stone.example"}],
    )
    # m009: what was there before the upgrade is searchable, and what came after it
    assert [hit["item_id"] for hit in book.json("search", "pricing")] == [1]
    assert [hit["item_id"] for hit in book.json("search", "call", "back")] == [2]
    assert [hit["kind"] for hit in book.json("search", "stone")] == ["customer"]


def test_the_rewritten_checks_refuse_what_the_old_ones_refused(tickle):
    tickle.ok("customer", "add", "Ana")
    tickle.ok("add", "ana", "tomorrow", "call")
    conn = sqlite3.connect(tickle.db)
    stamp = "2026-11-20T15:00:00Z"
    bad_rows = [
        ("UPDATE customers SET channel = 'fax'", ()),
        ("INSERT INTO items (kind, customer_id, title, created_at) VALUES ('memo', 1, 'x', ?)",
         (stamp,)),
        ("UPDATE items SET status = 'lost'", ()),
        ("INSERT INTO undo_log (change_id, tbl, row_id, op) VALUES (1, 'items', 1, 'merge')", ()),
    ]  # fmt: skip
    for sql, params in bad_rows:
        with pytest.raises(sqlite3.IntegrityError, match="CHECK constraint failed"):
            conn.execute(sql, params)
    conn.execute("UPDATE customers SET channel = NULL")
    conn.execute("UPDATE customers SET channel = 'chat'")
    tables = conn.execute("SELECT sql FROM sqlite_schema WHERE sql IS NOT NULL")
    schema = " ".join(row[0] for row in tables)
    assert " IN (" not in schema
    conn.close()


def test_the_contact_index_condition_names_every_contact_event():
    from tickle.domain.models import CONTACT_EVENTS

    named = set(re.findall(r"type = '(\w+)'", migrations.CONTACT_TYPES))
    assert named == set(CONTACT_EVENTS)


def test_the_report_reads_a_period_through_indexes(tickle):
    tickle.ok("customer", "add", "Ana")
    store = Store.open(tickle.db, write=False)
    traced: list[str] = []
    store.conn.set_trace_callback(traced.append)
    from tickle.domain.report import build_report

    build_report(store, dt.datetime(2026, 11, 23, 10, tzinfo=dt.UTC))
    store.conn.set_trace_callback(None)
    plans = [
        row[3]
        for sql in traced
        if sql.lstrip().upper().startswith(("SELECT", "WITH"))
        for row in store.conn.execute("EXPLAIN QUERY PLAN " + sql)
    ]
    store.close()
    whole_tables = [
        plan
        for plan in plans
        if re.fullmatch(r"SCAN (items|events|[ief])", plan)
        or re.search(r"INDEX \w+ \((kind|type)=\?\)$", plan)  # every item of a kind
    ]
    assert plans and not whole_tables


def test_the_empty_books_schema_is_the_one_the_migrations_make():
    """A read on a book not made yet uses tickle/store/empty_schema.py: it must be what
    the migrations make (after a new migration: python scripts/empty_schema.py)."""
    import sqlite3

    from tickle.store import empty_schema, migrations, schema

    def made(build) -> list[tuple]:
        conn = sqlite3.connect(":memory:", isolation_level=None)
        build(conn)
        found = conn.execute(
            "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY name"
        ).fetchall()
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        conn.close()
        return [*found, version]

    def migrated(conn):
        for step in migrations.MIGRATIONS:
            step(conn)
        conn.execute(f"PRAGMA user_version = {migrations.latest_version()}")

    assert empty_schema.VERSION == migrations.latest_version(), "run scripts/empty_schema.py"
    assert made(lambda conn: schema.make_empty(conn)) == made(migrated)


def test_every_number_of_a_list_gets_its_e164_when_the_file_is_upgraded(tmp_path):
    """m011: the numbers a customer had before each carried its E.164 form (and an
    imported preferred number, which had none in its column)."""
    from conftest import Tickle

    book = Tickle(tmp_path / "tickle.db")
    _database_at(book.db, 10)
    conn = sqlite3.connect(book.db)
    phones = '[{"value": "+1 415 555 0100", "kind": "work"}, {"value": "+44 20 7946 0000"}]'
    conn.execute("UPDATE customers SET phone = '+1 415 555 0100', phones = ?", (phones,))
    conn.commit()
    conn.close()
    shown = book.json("customer", "show", "bob")
    assert shown["phones"] == [
        {"value": "+1 415 555 0100", "kind": "work", "e164": "+14155550100"},
        {"value": "+44 20 7946 0000", "e164": "+442079460000"},
    ]
    assert shown["phone_e164"] == "+14155550100"
    result = book("customer", "add", "Dora Lind", "--phone", "+44 (0)20 7946 0000")
    assert (result.code, "has the same phone" in result.err) == (2, True)
