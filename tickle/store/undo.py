"""The undo log: what each write command changed, so that `tickle undo` can revert it.

A write command is one row of `changes`; every row it touches in a tracked table
leaves its before-image in `undo_log`, recorded by TEMP triggers (this connection
only, so other programs writing the file are not affected).
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Iterable, Sequence

from tickle.store.rows import utc_stamp

UNDO_DEPTH = 20
TRACKED_TABLES = ("customers", "items", "events")


class UndoLog:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self._insert_triggers: dict[str, str] = {}  # table -> its insert trigger, once installed

    def install_triggers(self) -> None:
        """Record the before-image of every row this connection's commands touch."""
        for table in TRACKED_TABLES:
            columns = [row[1] for row in self.conn.execute(f"PRAGMA table_info({table})")]
            old_row = "json_object(" + ", ".join(f"'{c}', OLD.{c}" for c in columns) + ")"
            self._insert_triggers[table] = trigger = _trigger(table, "insert", "NEW.id", "NULL")
            self.conn.execute(trigger)
            self.conn.execute(_trigger(table, "update", "OLD.id", old_row))
            self.conn.execute(_trigger(table, "delete", "OLD.id", old_row))

    def begin_change(self, command: str, at: dt.datetime) -> None:
        self.conn.execute(
            "INSERT INTO changes (command, at) VALUES (?, ?)", (command, utc_stamp(at))
        )

    def keep_recent(self) -> None:
        """Forget all but the last UNDO_DEPTH changes."""
        self.conn.execute(
            "DELETE FROM changes WHERE id <= (SELECT max(id) FROM changes) - ?", (UNDO_DEPTH,)
        )

    def insert_many(self, table: str, sql: str, rows: Iterable[Sequence]) -> int:
        """Insert many new rows in one statement; returns the first id they took.

        Under the write lock, AUTOINCREMENT gives them consecutive ids, so undo records
        them as one range instead of a before-image per row (a third of a big import)."""
        assert table in TRACKED_TABLES
        first = self._last_id(table) + 1
        trigger = self._insert_triggers.get(table)
        if trigger:
            self.conn.execute(f"DROP TRIGGER temp.undo_{table}_insert")
        try:
            self.conn.executemany(sql, rows)
        finally:
            if trigger:
                self.conn.execute(trigger)
        last = self._last_id(table)
        if trigger and last >= first:
            self.conn.execute(
                "INSERT INTO undo_log (change_id, tbl, row_id, op, old) "
                "VALUES ((SELECT max(id) FROM changes), ?, ?, 'insert', ?)",
                (table, first, str(last)),
            )
        return first

    def _last_id(self, table: str) -> int:
        row = self.conn.execute("SELECT seq FROM sqlite_sequence WHERE name = ?", (table,))
        found = row.fetchone()
        return found[0] if found else 0

    def revert_last(self) -> str | None:
        """Revert the newest recorded change (inside the caller's transaction); returns
        its command, or None if none is left."""
        change = self.conn.execute(
            "SELECT id, command FROM changes ORDER BY id DESC LIMIT 1"
        ).fetchone()
        if change is None:
            return None
        self.conn.execute("PRAGMA defer_foreign_keys = ON")
        entries = self.conn.execute(
            "SELECT tbl, row_id, op, old FROM undo_log WHERE change_id = ? ORDER BY seq DESC",
            (change["id"],),
        ).fetchall()
        for entry in entries:
            self._revert(entry["tbl"], entry["row_id"], entry["op"], entry["old"])
        self.conn.execute("DELETE FROM changes WHERE id = ?", (change["id"],))
        return change["command"]

    def _revert(self, table: str, row_id: int, op: str, old: str | None) -> None:
        assert table in TRACKED_TABLES
        if op == "insert":
            # `old` is NULL for one row, or the last id of a range (`insert_many`).
            last = row_id if old is None else int(old)
            self.conn.execute(f"DELETE FROM {table} WHERE id BETWEEN ? AND ?", (row_id, last))
            return
        values = json.loads(old or "{}")
        columns = list(values)
        if op == "update":
            assignments = ", ".join(f"{c} = ?" for c in columns)
            self.conn.execute(
                f"UPDATE {table} SET {assignments} WHERE id = ?",
                [values[c] for c in columns] + [row_id],
            )
        else:
            placeholders = ", ".join("?" for _ in columns)
            self.conn.execute(
                f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({placeholders})",
                [values[c] for c in columns],
            )

    def forget(self) -> None:
        self.conn.execute("DELETE FROM changes")


def _trigger(table: str, op: str, row_id: str, old: str) -> str:
    return (
        f"CREATE TEMP TRIGGER undo_{table}_{op} AFTER {op.upper()} ON main.{table} BEGIN "
        "INSERT INTO undo_log (change_id, tbl, row_id, op, old) VALUES "
        f"((SELECT max(id) FROM changes), '{table}', {row_id}, '{op}', {old}); END"
    )
