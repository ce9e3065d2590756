"""Looking after the file: online backups and the health checks of `tickle doctor`
(what the file says it is, integrity, broken references, orphaned rows)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from tickle.errors import StorageError
from tickle.store.files import backup, translate_error


class Maintenance:
    def __init__(self, conn: sqlite3.Connection, path: Path | None) -> None:
        self.conn = conn
        self.path = path

    def backup(self, target: Path) -> int:
        """A copy of the database (see files.backup) with every failure as one line naming `target`; the copy's size."""
        try:
            backup(self.conn, target)
        except StorageError as error:  # the temporary file next to `target` was refused
            reason = error.message.rpartition(": ")[2]
            raise StorageError(f"cannot write {target}: {reason}") from None
        except sqlite3.Error as error:
            if ((getattr(error, "sqlite_errorcode", 0) or 0) & 0xFF) in (5, 6, 11, 26):
                raise translate_error(error, self.path or ":memory:") from None
            raise StorageError(f"cannot write {target}: {error}") from None
        except OSError as error:
            raise StorageError(f"cannot write {target}: {error.strerror or error}") from None
        return target.stat().st_size

    def header(self) -> dict:
        """What the file says it is: application_id, user_version and its number of tables."""
        try:
            return {
                "application_id": self.conn.execute("PRAGMA application_id").fetchone()[0],
                "user_version": self.conn.execute("PRAGMA user_version").fetchone()[0],
                "tables": self.conn.execute(
                    "SELECT count(*) FROM sqlite_master WHERE type = 'table'"
                ).fetchone()[0],
            }
        except sqlite3.Error as error:
            raise translate_error(error, self.path or ":memory:") from None

    def integrity_errors(self, limit: int = 10) -> list[str]:
        """What `PRAGMA integrity_check` finds wrong (nothing when it says ok)."""
        try:
            rows = self.conn.execute(f"PRAGMA integrity_check({int(limit)})").fetchall()
        except sqlite3.DatabaseError as error:
            # Damage in the pages the check itself walks first stops it with an error.
            if getattr(error, "sqlite_errorcode", None) == 11 or "malformed" in str(error):
                return [str(error)]
            raise translate_error(error, self.path or ":memory:") from None
        return [row[0] for row in rows if row[0] != "ok"]

    def foreign_key_violations(self) -> dict[str, int]:
        """Rows whose reference points at nothing, counted by table."""
        found: dict[str, int] = {}
        try:
            for row in self.conn.execute("PRAGMA foreign_key_check"):
                found[row[0]] = found.get(row[0], 0) + 1
        except sqlite3.Error as error:
            raise translate_error(error, self.path or ":memory:") from None
        return found

    # Each kind of orphan, and the rows it is: (kind, "FROM ... WHERE ...").
    ORPHANS = (
        ("items", "FROM items WHERE customer_id NOT IN (SELECT id FROM customers)"),
        (
            "events",
            (
                "FROM events WHERE customer_id NOT IN (SELECT id FROM customers) "
                "OR (item_id IS NOT NULL AND item_id NOT IN (SELECT id FROM items))"
            ),
        ),
        (
            "check-ins",
            "FROM items WHERE parent_id IS NOT NULL AND parent_id NOT IN (SELECT id FROM items)",
        ),
        ("undo entries", "FROM undo_log WHERE change_id NOT IN (SELECT id FROM changes)"),
    )

    def orphans(self) -> dict[str, int]:
        """Rows left behind by their owner: {kind: count}, for each kind in ORPHANS."""
        try:
            return {
                kind: self.conn.execute(f"SELECT count(*) {rows}").fetchone()[0]
                for kind, rows in self.ORPHANS
            }
        except sqlite3.Error as error:
            raise translate_error(error, self.path or ":memory:") from None

    @staticmethod
    def orphan_cleanup(kind: str) -> str:
        """The statement that removes (or, for check-ins, unlinks) orphans of `kind`."""
        rows = dict(Maintenance.ORPHANS)[kind]
        if kind == "check-ins":
            return "UPDATE items SET parent_id = NULL " + rows.removeprefix("FROM items ")
        return "DELETE " + rows
