"""Full-text search over customers, items (follow-ups, promises, cases) and history notes.

The indexes are FTS5 tables built by migration m009. The query is written here rather
than through sqlite-utils' `Table.search()`: that searches one table at a time, with no
snippet, and importing sqlite-utils costs about 100 ms, half of what a search may take.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from tickle.errors import InputError

# Around each matching word in a snippet; never typed by a user, never in stored text
# that reaches the screen raw (the renderer turns them into a highlight).
MARK_START = "\x02"
MARK_END = "\x03"
SNIPPET_WORDS = 12

KINDS = ("customer", "followup", "promise", "case", "note")


@dataclass(frozen=True)
class Hit:
    kind: str  # one of KINDS
    customer_id: int
    customer_name: str
    company: str | None
    item_id: int | None
    at: str | None  # a date: the item's due (or when it was made), the note's moment
    snippet: str  # with MARK_START/MARK_END around the words that matched
    rank: float  # bm25: lower is better


def _snippet(table: str) -> str:
    return f"snippet({table}_fts, -1, '{MARK_START}', '{MARK_END}', '…', {SNIPPET_WORDS})"


# What each index's rows are, and where their customer is.
_PARTS = {
    "customer": (
        "customers",
        "'customer', c.id, c.name, c.company, NULL, coalesce(c.last_contact_at, c.created_at)",
        "JOIN customers c ON c.id = f.rowid",
        "SELECT id FROM customers WHERE id = :customer",
    ),
    "item": (
        "items",
        "i.kind, c.id, c.name, c.company, i.id, coalesce(i.due, i.created_at)",
        "JOIN items i ON i.id = f.rowid JOIN customers c ON c.id = i.customer_id",
        "SELECT id FROM items WHERE customer_id = :customer",
    ),
    "note": (
        "events",
        "'note', c.id, c.name, c.company, e.item_id, e.at",
        "JOIN events e ON e.id = f.rowid JOIN customers c ON c.id = e.customer_id",
        "SELECT id FROM events WHERE customer_id = :customer",
    ),
}
ITEM_KINDS = ("followup", "promise", "case")


def _part(name: str, *, customer: bool, item_kind: bool) -> str:
    """One index's best rows: ranked inside the index, then joined to their customer.

    Each index is asked for its best `:limit` rows before the join, so that a word in
    half the book is one ranked pass per index; a customer is narrowed inside the index
    (their rows are few), a kind of item after it (it is most of them)."""
    table, columns, joins, of_customer = _PARTS[name]
    narrow = f" AND rowid IN ({of_customer})" if customer else ""
    limit = "" if item_kind else " ORDER BY rank LIMIT :limit"
    kind = " WHERE i.kind = :kind" if item_kind else ""
    return (
        f"SELECT {columns}, f.snip, f.rank FROM ("
        f"SELECT rowid, {_snippet(table)} AS snip, bm25({table}_fts) AS rank "
        f"FROM {table}_fts WHERE {table}_fts MATCH :query{narrow}{limit}) f {joins}{kind}"
    )


class Search:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def find(
        self,
        query: str,
        *,
        customer_id: int | None = None,
        kind: str | None = None,
        limit: int = 50,
    ) -> list[Hit]:
        """The best `limit` hits of an FTS5 `query`, best first."""
        item_kind = kind if kind in ITEM_KINDS else None
        wanted = ["item"] if item_kind else [kind] if kind else list(_PARTS)
        customer = customer_id is not None
        parts = [_part(name, customer=customer, item_kind=item_kind is not None) for name in wanted]
        sql = " UNION ALL ".join(parts) + " ORDER BY rank, 2, 5 LIMIT :limit"
        params = {"query": query, "limit": limit, "customer": customer_id, "kind": item_kind}
        try:
            return [Hit(*row) for row in self.conn.execute(sql, params)]
        except sqlite3.OperationalError as error:
            if "fts5" in str(error) or "syntax error" in str(error):
                raise InputError(f"cannot search for {query}: {error}") from None
            raise

    def forget_erased(self) -> None:
        """After a purge: merge each index into one segment, so that the words of what
        was erased are gone from it too (FTS5 only marks them deleted until a merge)."""
        for table in ("customers", "items", "events"):
            self.conn.execute(f"INSERT INTO {table}_fts ({table}_fts) VALUES ('optimize')")
