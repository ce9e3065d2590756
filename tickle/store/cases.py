"""Complaint cases: open ones for the agenda, listings, categories and check-ins."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence

from tickle.domain.models import Customer, Item
from tickle.store import rows
from tickle.store.items import count_open, open_items
from tickle.store.rows import ITEM_WITH_CUSTOMER


class Cases:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def open(
        self, *, customer_id: int | Sequence[int] | None = None, limit: int | None = None
    ) -> list[tuple[Item, Customer]]:
        """Open cases, oldest first, found by the (kind, status, due) index. The `+`
        keeps SQLite from walking every case in creation order instead, which it would
        choose on a database without ANALYZE statistics (that is, any user's)."""
        return open_items(
            self.conn,
            "i.due IS NULL AND i.kind = 'case'",
            "+i.created_at, i.id",
            {},
            customer_id=customer_id,
            limit=limit,
        )

    def count_open(self, *, customer_id: int | Sequence[int] | None = None) -> int:
        return count_open(self.conn, "due IS NULL AND kind = 'case'", {}, customer_id=customer_id)

    def list(
        self,
        *,
        status: str | None = "open",
        category: str | None = None,
        customer_id: int | None = None,
    ) -> list[tuple[Item, Customer]]:
        clauses, params = ["i.kind = 'case'"], {}
        if status:
            clauses.append("i.status = :status")
            params["status"] = status
        if category:
            clauses.append("i.category = :category")
            params["category"] = category
        if customer_id is not None:
            clauses.append("i.customer_id = :customer")
            params["customer"] = customer_id
        sql = f"{ITEM_WITH_CUSTOMER} WHERE {' AND '.join(clauses)} ORDER BY i.created_at, i.id"
        return [rows.item_with_customer(row) for row in self.conn.execute(sql, params)]

    def categories(self) -> list[tuple[str, int, int]]:
        """(category, cases, open cases), the most frequent first."""
        found = self.conn.execute(
            "SELECT category, count(*) AS total, "
            "count(*) FILTER (WHERE status = 'open') AS open FROM items "
            "WHERE category IS NOT NULL AND kind = 'case' "
            "GROUP BY category ORDER BY total DESC, category"
        )
        return [(row["category"], row["total"], row["open"]) for row in found]

    def check_ins(self, case_ids: Sequence[int]) -> dict[int, list[Item]]:
        """The follow-ups scheduled from each case, oldest first."""
        found: dict[int, list[Item]] = {case_id: [] for case_id in case_ids}
        if not case_ids:
            return found
        marks = ", ".join("?" for _ in case_ids)
        for row in self.conn.execute(
            f"SELECT * FROM items WHERE parent_id IN ({marks}) AND kind = 'followup' ORDER BY id",
            list(case_ids),
        ):
            found[row["parent_id"]].append(rows.item(row))
        return found
