"""Imports in bulk: what the book already has, and many rows written at once.

Bulk reads are one query; writes are executemany inside the command's one
transaction (sqlite-utils' insert_all would commit every batch), and new rows are
recorded for undo as one range per table.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import sqlite3
from collections.abc import Iterable, Sequence

from tickle.domain.addresses import entries
from tickle.domain.names import match_key
from tickle.errors import InputError
from tickle.store.bulk_index import indexed_in_one_go
from tickle.store.rows import addresses, import_column, to_column, utc_stamp
from tickle.store.undo import UndoLog

IMPORTED_CUSTOMER_COLUMNS = (
    "name", "company", "email", "phone", "channel", "best_time", "tz", "tags", "note",
    "external_id", "emails", "phones", "phone_e164",
)  # fmt: skip


class Imports:
    def __init__(self, conn: sqlite3.Connection, undo: UndoLog) -> None:
        self.conn = conn
        self.undo = undo

    def customers(self) -> list[dict]:
        """Every customer as {"id": ..., field: value} of the fields an import sets; tags
        as a list."""
        cursor = self.conn.cursor()
        cursor.row_factory = None
        columns = ("id", *IMPORTED_CUSTOMER_COLUMNS)
        cursor.execute(f"SELECT {', '.join(columns)} FROM customers")
        rows = [dict(zip(columns, row, strict=True)) for row in cursor]
        for row in rows:
            row["tags"] = [] if row["tags"] in (None, "[]") else json.loads(row["tags"])
            row["emails"] = entries(addresses(row["emails"]), row["email"])
            row["phones"] = entries(addresses(row["phones"]), row["phone"], row["phone_e164"])
        return rows

    def customer_references(self) -> list[tuple[int, str, str | None, str | None]]:
        """(id, name, email, external id) of every customer: what an import row may name."""
        cursor = self.conn.cursor()
        cursor.row_factory = None
        return cursor.execute("SELECT id, name, email, external_id FROM customers").fetchall()

    def customer_keys(self) -> list[tuple[int, str]]:
        """(id, match key) of every customer, for lookups by name (tickle.domain.names)."""
        found = self.conn.execute("SELECT id, match_key, name, company FROM customers")
        return [(cid, key or match_key(name, company)) for cid, key, name, company in found]

    def insert_customers(
        self, fields: Sequence[str], rows: Sequence[Sequence], at: dt.datetime
    ) -> None:
        """New customers, each a row of `fields` (plain text, tags a list): only the
        columns an import fills, since binding a dozen NULLs per row is a third of the time."""
        if not rows:
            return
        assert set(fields) <= set(IMPORTED_CUSTOMER_COLUMNS)
        stamp = utc_stamp(at)
        sql = (
            f"INSERT INTO customers ({', '.join(fields)}, match_key, created_at, updated_at) "
            f"VALUES ({', '.join('?' for _ in fields)}, ?, '{stamp}', '{stamp}')"
        )
        if "tags" in fields:
            where = fields.index("tags")
            rows = ((*row[:where], json.dumps(row[where] or []), *row[where + 1 :]) for row in rows)
        lists = [(fields.index(f), f) for f in ("emails", "phones") if f in fields]
        if lists:
            rows = (_with_lists_as_text(row, lists) for row in rows)
        name = fields.index("name")
        company = fields.index("company") if "company" in fields else None
        rows = (
            (*row, match_key(row[name], None if company is None else row[company])) for row in rows
        )
        try:
            with indexed_in_one_go(self.conn, "customers"):
                self.undo.insert_many("customers", sql, rows)
        except sqlite3.IntegrityError as error:
            raise InputError(f"cannot save the customers: {error}") from None

    def update_customers(self, changes: Sequence[tuple[int, dict]], at: dt.datetime) -> None:
        """Each (id, {column: value}); one executemany per set of changed columns."""
        groups: dict[tuple[str, ...], list[list]] = {}
        for customer_id, fields in changes:
            if "name" in fields or "company" in fields:
                fields = dict(fields, match_key=self._match_key(customer_id, fields))
            columns = tuple(sorted(fields))
            groups.setdefault(columns, []).append(
                [*(import_column(c, fields[c]) for c in columns), utc_stamp(at), customer_id]
            )
        for columns, values in groups.items():
            assignments = ", ".join(f"{c} = ?" for c in columns)
            try:
                self.conn.executemany(
                    f"UPDATE customers SET {assignments}, updated_at = ? WHERE id = ?", values
                )
            except sqlite3.IntegrityError as error:
                raise InputError(f"cannot save the customers: {error}") from None

    def _match_key(self, customer_id: int, fields: dict) -> str:
        name, company = self.conn.execute(
            "SELECT name, company FROM customers WHERE id = ?", (customer_id,)
        ).fetchone()
        return match_key(fields.get("name", name), fields.get("company", company))

    def existing_item_keys(
        self, kind: str, keys: Iterable[tuple[int, str, str]]
    ) -> set[tuple[int, str, str]]:
        """Which (customer id, title, due) keys an item of `kind` already has: what an
        import must not repeat. Only the matches come back, whatever the book's size."""
        if not self.conn.execute("SELECT 1 FROM items WHERE kind = ? LIMIT 1", (kind,)).fetchone():
            return set()  # a book's first import of this kind: nothing to look up
        found = self.conn.execute(
            "SELECT k.value FROM json_each(?) AS k WHERE EXISTS (SELECT 1 FROM items AS i "
            "WHERE i.customer_id = json_extract(k.value, '$[0]') "
            "AND i.title = json_extract(k.value, '$[1]') "
            "AND i.due IS json_extract(k.value, '$[2]') "
            "AND +i.kind = ?)",  # the + keeps SQLite on items_customer, not a scan by kind
            (json.dumps(list(keys)), kind),
        )
        return {tuple(json.loads(row[0])) for row in found}

    def insert_items(self, items: Sequence[dict], at: dt.datetime) -> None:
        """New items, each with its 'created' event (which carries the item's `note`)."""
        stamp = utc_stamp(at)
        item_sql = (
            "INSERT INTO items (kind, customer_id, title, due, tz, channel, status, "
            "promised_due, created_at, closed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
        )
        event_sql = (
            "INSERT INTO events (customer_id, item_id, at, type, note, new_due) "
            "VALUES (?, ?, ?, 'created', ?, ?)"
        )
        rows = []
        for item in items:
            due = to_column(item.get("due"))
            status = item.get("status", "open")
            rows.append(
                (
                    item["kind"],
                    item["customer_id"],
                    item["title"],
                    due,
                    item.get("tz"),
                    item.get("channel"),
                    status,
                    due if item["kind"] == "promise" else None,
                    stamp,
                    stamp if status != "open" else None,
                )
            )
        with indexed_in_one_go(self.conn, "items"):
            first = self.undo.insert_many("items", item_sql, rows)
        with indexed_in_one_go(self.conn, "events"):
            self.undo.insert_many(
                "events",
                event_sql,
                (
                    (row[1], item_id, stamp, item.get("note"), row[3])
                    for item_id, row, item in zip(itertools.count(first), rows, items, strict=False)
                ),
            )


def _with_lists_as_text(row: Sequence, lists: list[tuple[int, str]]) -> tuple:
    cells = list(row)
    for index, field in lists:
        cells[index] = import_column(field, cells[index])
    return tuple(cells)
