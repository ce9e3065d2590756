"""Customers: saving them, finding them by id, email or a fragment of name."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3

from tickle.domain.models import Customer
from tickle.domain.names import match_key, matches, terms
from tickle.errors import InputError
from tickle.store import rows
from tickle.store.rows import escape_like, import_column, utc_stamp


class Customers:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def insert(self, fields: dict, at: dt.datetime) -> int:
        stamp = utc_stamp(at)
        row = {k: import_column(k, v) for k, v in fields.items()}
        row.update(created_at=stamp, updated_at=stamp, tags=json.dumps(fields.get("tags") or []))
        row["match_key"] = match_key(fields["name"], fields.get("company"))
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
        current = self.get(customer_id)
        if current:
            fields = _with_lists(current, fields)
        row = {k: import_column(k, v) for k, v in fields.items()}
        row["updated_at"] = utc_stamp(at)
        if ("name" in fields or "company" in fields) and current:
            row["match_key"] = match_key(
                fields.get("name", current.name), fields.get("company", current.company)
            )
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
        """The customer with this address, preferred or not (case aside)."""
        row = self.conn.execute(
            "SELECT * FROM customers WHERE email = ? COLLATE NOCASE", (email,)
        ).fetchone()
        if row is None and "@" in email:  # the few customers with more than one address
            row = self.conn.execute(
                "SELECT * FROM customers WHERE emails IS NOT NULL AND EXISTS (SELECT 1 FROM "
                "json_each(customers.emails) WHERE json_extract(value, '$.value') = ? "
                "COLLATE NOCASE) ORDER BY id LIMIT 1",
                (email,),
            ).fetchone()
        return rows.customer(row) if row else None

    def by_phone_e164(self, e164: str) -> Customer | None:
        """The customer (active first) with this number, preferred or another of theirs."""
        row = self.conn.execute(
            "SELECT * FROM customers WHERE phone_e164 = ? ORDER BY archived_at IS NOT NULL, id",
            (e164,),
        ).fetchone()
        if row is None:  # the few customers with more than one number
            row = self.conn.execute(
                "SELECT * FROM customers WHERE phones IS NOT NULL AND EXISTS (SELECT 1 FROM "
                "json_each(customers.phones) WHERE json_extract(value, '$.e164') = ?) "
                "ORDER BY archived_at IS NOT NULL, id LIMIT 1",
                (e164,),
            ).fetchone()
        return rows.customer(row) if row else None

    def by_phone_digits(self, digits: str) -> Customer | None:
        """A customer whose phone has these digits, ignoring spaces and punctuation; a
        number with its country code is the same as one without (the last 7 digits or more)."""
        if len(digits) < 4:
            return None
        tail = digits[-7:]
        found = self.conn.execute(
            "SELECT * FROM customers WHERE phone IS NOT NULL AND "
            "instr(replace(replace(replace(replace(replace(replace(phone, ' ', ''), '-', ''), "
            "'.', ''), '(', ''), ')', ''), '+', ''), ?) > 0 ORDER BY id",
            (tail,),
        ).fetchall()
        for row in found:
            theirs = "".join(ch for ch in row["phone"] if ch.isdigit())
            shorter, longer = sorted((theirs, digits), key=len)
            shorter = shorter if shorter == longer else shorter.lstrip("0")  # a trunk 0
            if longer.endswith(shorter) and (len(shorter) >= 7 or shorter == longer):
                return rows.customer(row)
        return None

    def matching(
        self, terms: list[str], *, archived: bool = False, limit: int = 20
    ) -> list[Customer]:
        """Customers (active, or with `archived` the archived ones) a word of whose name or
        company each of the folded `terms` starts (tickle.domain.names)."""
        if not terms:
            return []
        where = " AND ".join("instr(match_key, ?) > 0" for _ in terms)
        # Named, or SQLite walks the other partial index (customers_quiet) and every row.
        state = (
            "customers WHERE archived_at IS NOT NULL"
            if archived
            else "customers INDEXED BY customers_match WHERE archived_at IS NULL"
        )
        # The ids first, from the narrow match index alone: reading whole rows for a scan
        # of 100k customers would take three times as long.
        # A row written by another program has no key: it is matched the long way.
        found = self.conn.execute(
            f"SELECT * FROM customers WHERE id IN (SELECT id FROM {state} "
            f"AND (({where}) OR match_key IS NULL) LIMIT ?)",
            [*(f" {term}" for term in terms), limit],
        ).fetchall()
        customers = [
            rows.customer(row)
            for row in found
            if row["match_key"] is not None
            or matches(match_key(row["name"], row["company"]), terms)
        ]
        return sorted(customers, key=lambda c: (c.name.casefold(), c.id))

    def at_company(self, terms: list[str], *, limit: int = 500) -> list[Customer]:
        """Active customers whose company each of the folded `terms` starts a word of."""
        candidates = self.matching(terms, limit=100_000) if terms else []
        found = [c for c in candidates if c.company and matches(match_key(c.company), terms)]
        return found[:limit]

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
            words = terms(search)
            named = " AND ".join(f"instr(match_key, :w{n}) > 0" for n in range(len(words)))
            params.update({f"w{n}": f" {word}" for n, word in enumerate(words)})
            clauses.append(
                f"(({named or '0'}) OR email LIKE :s ESCAPE '\\' OR phone LIKE :s ESCAPE '\\' "
                "OR note LIKE :s ESCAPE '\\')"
            )
            params["s"] = f"%{escape_like(search.strip())}%"
        where = ("WHERE " + " AND ".join(clauses)) if clauses else ""
        found = self.conn.execute(
            f"SELECT * FROM customers {where} ORDER BY name COLLATE NOCASE, id", params
        )
        return [rows.customer(row) for row in found]


def _with_lists(current: Customer, fields: dict) -> dict:
    """An edit of the preferred email or phone changes it in the customer's list too."""
    from tickle.domain.addresses import with_preferred

    fields = dict(fields)
    for single, field, before, old in (
        ("email", "emails", current.emails, current.email),
        ("phone", "phones", current.phones, current.phone),
    ):
        if single in fields and field not in fields and fields[single] != old:
            e164 = fields.get("phone_e164") if field == "phones" else None
            fields[field] = with_preferred(field, before, fields[single], replacing=old, e164=e164)
    return fields
