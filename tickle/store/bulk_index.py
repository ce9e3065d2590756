"""Many new rows added to the search index at once, after they are written."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def indexed_in_one_go(conn: sqlite3.Connection, table: str) -> Iterator[None]:
    """New rows of `table` added to its search index in one statement after they are all
    written, instead of by its insert trigger a row at a time: FTS5 takes 1.7 s for
    100,000 customers through the trigger, 0.16 s in one INSERT ... SELECT.

    The trigger is dropped and made again inside the command's transaction, so no other
    connection ever sees the table without it."""
    from tickle.store.migrations import SEARCHED_COLUMNS

    trigger = conn.execute(
        "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?", (f"{table}_ai",)
    ).fetchone()
    if trigger is None:
        yield
        return
    last = "SELECT coalesce((SELECT seq FROM sqlite_sequence WHERE name = ?), 0)"
    before = conn.execute(last, (table,)).fetchone()[0]
    conn.execute(f"DROP TRIGGER {table}_ai")
    try:
        yield
    finally:
        conn.execute(trigger[0])
    columns = ", ".join(SEARCHED_COLUMNS[table])
    conn.execute(
        f"INSERT INTO {table}_fts (rowid, {columns}) SELECT rowid, {columns} FROM {table} "
        "WHERE rowid > ?",
        (before,),
    )
