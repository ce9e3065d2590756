"""Agenda items (follow-ups, promises, cases share one id space) and their history."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Sequence

from tickle.dates import When
from tickle.domain.models import CONTACT_EVENTS, Customer, Event, Item
from tickle.store import rows
from tickle.store.rows import ITEM_WITH_CUSTOMER, to_column, utc_stamp


class Items:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def insert(self, fields: dict, at: dt.datetime) -> int:
        row = dated_row(fields, fields.get("tz"))
        row["created_at"] = utc_stamp(at)
        columns = ", ".join(row)
        placeholders = ", ".join("?" for _ in row)
        cursor = self.conn.execute(
            f"INSERT INTO items ({columns}) VALUES ({placeholders})", list(row.values())
        )
        return cursor.lastrowid

    def update(self, item_id: int, fields: dict) -> None:
        row = dated_row(fields, self.zone_of(item_id) if has_dates(fields) else None)
        assignments = ", ".join(f"{c} = ?" for c in row)
        self.conn.execute(f"UPDATE items SET {assignments} WHERE id = ?", [*row.values(), item_id])

    def zone_of(self, item_id: int) -> str | None:
        """The zone an item's wall times are kept in (the one it was made in)."""
        row = self.conn.execute("SELECT tz FROM items WHERE id = ?", (item_id,)).fetchone()
        return row[0] if row else None

    def get(self, item_id: int) -> Item | None:
        row = self.conn.execute("SELECT * FROM items WHERE id = ?", (item_id,)).fetchone()
        return rows.item(row) if row else None

    def list(
        self,
        *,
        kind: str | None = None,
        customer_id: int | Sequence[int] | None = None,
        status: str | None = "open",
        limit: int | None = None,
    ) -> list[tuple[Item, Customer]]:
        clauses, params = [], {}
        if kind:
            clauses.append("i.kind = :kind")
            params["kind"] = kind
        if customer_id is not None:
            clauses.append(customer_clause("i.customer_id", customer_id, params))
        if status:
            clauses.append("i.status = :status")
            params["status"] = status
        where = ("WHERE " + " AND ".join(clauses)) if clauses else ""
        order = "i.due IS NULL, i.due, i.id" if status == "open" else "i.id"
        sql = f"{ITEM_WITH_CUSTOMER} {where} ORDER BY {order}"
        if limit is not None:
            sql += " LIMIT :limit"
            params["limit"] = limit
        return [rows.item_with_customer(row) for row in self.conn.execute(sql, params)]

    def open_due_before(
        self,
        end: str,
        *,
        customer_id: int | Sequence[int] | None = None,
        limit: int | None = None,
    ) -> list[tuple[Item, Customer]]:
        """Open items due before `end` (a When.iso() bound), oldest first, using the
        (status, due) index so that only the rows shown are read."""
        return open_items(
            self.conn,
            "i.due < :end",
            "i.due, i.id",
            {"end": end},
            customer_id=customer_id,
            limit=limit,
        )

    def count_open_due_before(
        self, end: str, *, customer_id: int | Sequence[int] | None = None
    ) -> int:
        return count_open(self.conn, "due < :end", {"end": end}, customer_id=customer_id)

    def open_promises(self, customer_id: int) -> list[Item]:
        found = self.conn.execute(
            "SELECT * FROM items WHERE customer_id = ? AND kind = 'promise' AND status = 'open' "
            "ORDER BY due",
            (customer_id,),
        )
        return [rows.item(row) for row in found]

    # Recurring follow-ups (tickle add --every / --rrule)

    def series_start(self, series_id: int) -> When | None:
        """The date the first occurrence of a series was created with (later
        snoozes do not move the rule's anchor)."""
        row = self.conn.execute(
            "SELECT e.new_due, i.tz FROM events e JOIN items i ON i.id = e.item_id "
            "WHERE e.item_id = ? AND e.type = 'created' ORDER BY e.id LIMIT 1",
            (series_id,),
        ).fetchone()
        return rows.when(row[0], row[1]) if row else None

    def open_in_series(self, series_id: int) -> Item | None:
        row = self.conn.execute(
            "SELECT * FROM items WHERE series_id = ? AND status = 'open' ORDER BY id LIMIT 1",
            (series_id,),
        ).fetchone()
        return rows.item(row) if row else None


class Events:
    """The history: every contact, change of date and closing, with its customer."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def insert(self, fields: dict, at: dt.datetime) -> int:
        zone = None
        if fields.get("item_id") is not None and has_dates(fields):
            zone = Items(self.conn).zone_of(fields["item_id"])
        row = dated_row(fields, zone)
        row["at"] = utc_stamp(at)
        columns = ", ".join(row)
        placeholders = ", ".join("?" for _ in row)
        cursor = self.conn.execute(
            f"INSERT INTO events ({columns}) VALUES ({placeholders})", list(row.values())
        )
        if row.get("type") in CONTACT_EVENTS:
            self.conn.execute(
                "UPDATE customers SET last_contact_at = :at WHERE id = :customer_id "
                "AND (last_contact_at IS NULL OR last_contact_at < :at)",
                row,
            )
        return cursor.lastrowid

    def for_customer(
        self,
        customer_id: int | Sequence[int],
        *,
        types: Sequence[str] | None = None,
        newest: int | None = None,
    ) -> list[Event]:
        """A customer's (or several customers') timeline, in the order things happened;
        `newest` keeps only the last N events."""
        params: dict = {}
        where = "WHERE " + customer_clause("e.customer_id", customer_id, params)
        if types:
            where += f" AND e.type IN ({', '.join(f':t{n}' for n in range(len(types)))})"
            params.update({f"t{n}": kind for n, kind in enumerate(types)})
        sql = (
            "SELECT e.*, i.title AS item_title, i.kind AS item_kind, i.tz AS item_tz FROM events e "
            f"LEFT JOIN items i ON i.id = e.item_id {where} ORDER BY e.at DESC, e.id DESC"
        )
        if newest is not None:
            sql += " LIMIT :newest"
            params["newest"] = newest
        found = self.conn.execute(sql, params).fetchall()
        return [rows.event(row) for row in reversed(found)]

    def for_item(self, item_id: int) -> list[Event]:
        found = self.conn.execute(
            "SELECT e.*, i.title AS item_title, i.kind AS item_kind, i.tz AS item_tz FROM events e "
            "LEFT JOIN items i ON i.id = e.item_id WHERE e.item_id = ? ORDER BY e.at, e.id",
            (item_id,),
        )
        return [rows.event(row) for row in found]


def has_dates(fields: dict) -> bool:
    return any(isinstance(value, When) for value in fields.values())


def dated_row(fields: dict, zone: str | None) -> dict:
    """Column values, an item's dates as wall times of the zone it keeps them in."""
    return {
        key: rows.stored_when(value, zone) if isinstance(value, When) else to_column(value)
        for key, value in fields.items()
    }


def customer_clause(column: str, customer_id: int | Sequence[int], params: dict) -> str:
    """`column` is the customer, or one of the customers (everyone at a company)."""
    if isinstance(customer_id, int):
        params["customer"] = customer_id
        return f"{column} = :customer"
    params["customers"] = json.dumps(list(customer_id))
    return f"{column} IN (SELECT value FROM json_each(:customers))"


def open_items(
    conn: sqlite3.Connection,
    condition: str,
    order: str,
    params: dict,
    *,
    customer_id: int | Sequence[int] | None,
    limit: int | None,
) -> list[tuple[Item, Customer]]:
    """Open items meeting `condition`, in `order`, with their customers."""
    where = f"WHERE i.status = 'open' AND {condition}"
    if customer_id is not None:
        params = dict(params)
        where += " AND " + customer_clause("i.customer_id", customer_id, params)
    sql = f"{ITEM_WITH_CUSTOMER} {where} ORDER BY {order}"
    if limit is not None:
        sql += " LIMIT :limit"
        params = dict(params, limit=limit)
    return [rows.item_with_customer(row) for row in conn.execute(sql, params)]


def count_open(
    conn: sqlite3.Connection,
    condition: str,
    params: dict,
    *,
    customer_id: int | Sequence[int] | None,
) -> int:
    """An index-only count of open items (the agenda's "N more" line)."""
    where = f"status = 'open' AND {condition}"
    if customer_id is not None:
        params = dict(params)
        where = customer_clause("customer_id", customer_id, params) + f" AND {where}"
    return conn.execute(f"SELECT count(*) FROM items WHERE {where}", params).fetchone()[0]
