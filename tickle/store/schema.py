"""The schema the migrations make, as the statements that make it at once.

A command that only reads, given a book that does not exist yet, works on an empty
book in memory. Running every migration for it would import sqlite-utils (its FTS
step) and replay history; these statements make the same schema directly.
`scripts/empty_schema.py` writes tickle/store/empty_schema.py from the migrations, and
tests/test_migrations.py checks that the two make the same schema.
"""

from __future__ import annotations

import sqlite3

# FTS5 makes these beside each virtual table; SQLite makes sqlite_sequence itself.
_MADE_BY_SQLITE = ("_fts_data", "_fts_idx", "_fts_docsize", "_fts_config")


def statements(conn: sqlite3.Connection) -> list[str]:
    """The CREATE statements of `conn`'s schema, in the order they were made."""
    found = conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY rowid"
    ).fetchall()
    return [
        sql
        for name, sql in found
        if name != "sqlite_sequence" and not name.endswith(_MADE_BY_SQLITE)
    ]


def make_empty(conn: sqlite3.Connection) -> bool:
    """The current schema in an empty database; False when the snapshot is of another
    version than the migrations (then they must be run)."""
    from tickle.store import empty_schema, migrations

    if empty_schema.VERSION != migrations.latest_version():
        return False
    conn.execute("BEGIN")
    for sql in empty_schema.STATEMENTS:
        conn.execute(sql)
    conn.execute(f"PRAGMA application_id = {migrations.APPLICATION_ID}")
    conn.execute(f"PRAGMA user_version = {empty_schema.VERSION}")
    conn.execute("COMMIT")
    return True
