"""Customers: saving them, finding them by id, email or a fragment of name."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3

from tickle.domain.models import Customer
from tickle.errors import InputError
from tickle.store import rows
from tickle.store.rows import escape_like, to_column, utc_stamp


class Customers:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def insert(self, fields: dict, at: dt.datetime) -> int:
        stamp = utc_stamp(at)
        row = {k: to_column(v) for k, v in fields.items()}
        row.update(created_at=stamp, updated_at=stamp, tags=json.dumps(fields.get("tags") or []))
        columns = ", ".join(row)
        placeholders = ", ".join("?" for _ in row)
        try:
            cursor = self.conn.execute(
                f"INSERT INTO customers ({columns}) VALUES ({placeholders})", list(row.values())
            )
        except sqlite3.IntegrityError as error:
            raise self._conflict(error, fields) from None
        return cursor.lastrowid

    def update(self, customer_id: int, fields: dict, at: dt.datetime) -> None:
        row = {k: to_column(v) for k, v in fields.items()}
        row["updated_at"] = utc_stamp(at)
        if "tags" in row:
            row["tags"] = json.dumps(fields["tags"] or [])
        assignments = ", ".join(f"{c} = ?" for c in row)
        try:
            self.conn.execute(
                f"UPDATE customers SET {assignments} WHERE id = ?", [*row.values(), customer_id]
            )
        except sqlite3.IntegrityError as error:
            raise self._conflict(error, fields) from None

    def _conflict(self, error: sqlite3.IntegrityError, fields: dict) -> InputError:
        if "email" in str(error) or "customers_email" in str(error):
            other = self.by_email(fields.get("email") or "")
            who = f" #{other.id} {other.name}" if other else " another customer"
            return InputError(f"the email {fields.get('email')} already belongs to{who}")
        return InputError(f"cannot save the customer: {error}")

    def delete(self, customer_id: int) -> None:
        self.conn.execute("DELETE FROM customers WHERE id = ?", (customer_id,))

    def get(self, customer_id: int) -> Customer | None:
        row = self.conn.execute("SELECT * FROM customers WHERE id = ?", (customer_id,)).fetchone()
        return rows.customer(row) if row else None

    def by_email(self, email: str) -> Customer | None:
        row = self.conn.execute(
            "SELECT * FROM customers WHERE email = ? COLLATE NOCASE", (email,)
        ).fetchone()
        return rows.customer(row) if row else None

    def matching(self, fragment: str, limit: int = 20) -> list[Customer]:
        """Active customers whose name or company contains `fragment`."""
        pattern = f"%{escape_like(fragment)}%"
        found = self.conn.execute(
            "SELECT * FROM customers WHERE archived_at IS NULL AND "
            "(name LIKE :p ESCAPE '\\' OR company LIKE :p ESCAPE '\\') "
            "ORDER BY name COLLATE NOCASE, id LIMIT :limit",
            {"p": pattern, "limit": limit},
        ).fetchall()
        return [rows.customer(row) for row in found]

    def names(self) -> list[tuple[int, str, str | None]]:
        """(id, name, company) of every active customer."""
        return [
            (row[0], row[1], row[2])
            for row in self.conn.execute(
                "SELECT id, name, company FROM customers WHERE archived_at IS NULL"
            )
        ]

    def list(
        self, *, tag: str | None, search: str | None, include_archived: bool
    ) -> list[Customer]:
        clauses, params = [], {}
        if not include_archived:
            clauses.append("archived_at IS NULL")
        if tag:
            clauses.append(
                "EXISTS (SELECT 1 FROM json_each(customers.tags) WHERE value = :tag COLLATE NOCASE)"
            )
            params["tag"] = tag
        if search:
            clauses.append(
                "(name LIKE :s OR company LIKE :s OR email LIKE :s OR phone LIKE :s OR note LIKE :s)"
            )
            params["s"] = f"%{search}%"
        where = ("WHERE " + " AND ".join(clauses)) if clauses else ""
        found = self.conn.execute(
            f"SELECT * FROM customers {where} ORDER BY name COLLATE NOCASE, id", params
        )
        return [rows.customer(row) for row in found]
