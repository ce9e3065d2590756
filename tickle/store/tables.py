"""Whole tables, row by row: what `tickle export` streams out and `tickle import all`
restores, ids included."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence

from tickle.domain.models import CONTACT_EVENTS
from tickle.errors import InputError
from tickle.store.bulk_index import indexed_in_one_go
from tickle.store.undo import TRACKED_TABLES


class Tables:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def rows(self, table: str) -> Iterator[dict]:
        """Every column of every row, in id order, one at a time: the backup's raw material."""
        assert table in TRACKED_TABLES
        cursor = self.conn.cursor()
        cursor.row_factory = None  # plain tuples: a third faster than sqlite3.Row
        cursor.execute(f"SELECT * FROM {table} ORDER BY id")
        columns = [d[0] for d in cursor.description]
        for row in cursor:
            yield dict(zip(columns, row, strict=True))

    def count(self, table: str) -> int:
        assert table in TRACKED_TABLES
        return self.conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]

    def columns(self, table: str) -> list[str]:
        assert table in TRACKED_TABLES
        return [row[1] for row in self.conn.execute(f"PRAGMA table_info({table})")]

    def restore(self, table: str, columns: Sequence[str], rows: Sequence[Sequence]) -> None:
        """Rows restored as they were, ids included (`tickle import all`)."""
        assert table in TRACKED_TABLES
        known = set(self.columns(table))
        unknown = [c for c in columns if c not in known]
        if unknown:
            raise InputError(f"{table}: unknown column '{unknown[0]}' in the backup")
        self.conn.execute("PRAGMA defer_foreign_keys = ON")
        sql = (
            f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' for _ in columns)})"
        )
        try:
            with indexed_in_one_go(self.conn, table):
                self.conn.executemany(sql, rows)
        except sqlite3.IntegrityError as error:
            raise InputError(f"the backup's {table} cannot be restored: {error}") from None

    def refresh_last_contacts(self) -> None:
        """Each customer's last contact, from the history."""
        kinds = ", ".join(f"'{kind}'" for kind in CONTACT_EVENTS)
        self.conn.execute(
            "UPDATE customers SET last_contact_at = (SELECT max(at) FROM events "
            f"WHERE customer_id = customers.id AND type IN ({kinds}))"
        )

    def refresh_match_keys(self) -> None:
        """Each customer's match key, from the name and company (a backup from before they
        were kept has none)."""
        from tickle.domain.names import match_key

        found = self.conn.execute("SELECT id, name, company FROM customers").fetchall()
        self.conn.executemany(
            "UPDATE customers SET match_key = ? WHERE id = ? AND match_key IS NOT ?",
            [(key, cid, key) for cid, name, company in found for key in [match_key(name, company)]],
        )

    def items_for_export(self) -> Iterator[dict]:
        rows = self.conn.execute(
            "SELECT i.*, c.name AS customer_name, c.email AS customer_email "
            "FROM items i JOIN customers c ON c.id = i.customer_id ORDER BY i.id"
        )
        for row in rows:
            yield dict(row)
