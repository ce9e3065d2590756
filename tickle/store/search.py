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


# What each index's rows are, and where their customer is (`{fts}` is the index).
_PARTS = {
    "customer": (
        "customers",
        "'customer', c.id, c.name, c.company, NULL, coalesce(c.last_contact_at, c.created_at)",
        "JOIN customers c ON c.id = {fts}.rowid",
        "SELECT id FROM customers WHERE id = :customer",
    ),
    "item": (
        "items",
        "i.kind, c.id, c.name, c.company, i.id, coalesce(i.due, i.created_at)",
        "JOIN items i ON i.id = {fts}.rowid JOIN customers c ON c.id = i.customer_id",
        "SELECT id FROM items WHERE customer_id = :customer",
    ),
    "note": (
        "events",
        "'note', c.id, c.name, c.company, e.item_id, e.at",
        "JOIN events e ON e.id = {fts}.rowid JOIN customers c ON c.id = e.customer_id",
        "SELECT id FROM events WHERE customer_id = :customer",
    ),
}
ITEM_KINDS = ("followup", "promise", "case")
# The most matching rows of one index that are ranked, newest first. bm25 reads every
# ranked row's sizes: a word in 200,000 titles would take half a second to rank whole.
RANKED_WINDOW = 5000
KIND_WINDOW = 20000  # with --kind, the newest matches of any kind that are looked at
MAX_NARROWED = 900  # a customer's rows given to FTS5 one by one (SQLite's parameter limit)
# A customer's matching rows ranked one lookup each, as many rankings of the whole word;
# more are ranked in one pass over their range of rowids, which costs about four.
FEW_SCORED = 4


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
        """The best `limit` hits of an FTS5 `query`, best first.

        Two steps: each index ranks its newest RANKED_WINDOW matches (in rowid order,
        which FTS5 reads without sorting) and keeps its best `limit`; then only the rows
        kept get their snippet, which costs as much again as the ranking."""
        item_kind = kind if kind in ITEM_KINDS else None
        parts = ["item"] if item_kind else [kind] if kind else list(_PARTS)
        params = {"query": query, "customer": customer_id, "kind": item_kind}
        try:
            best = sorted(
                (score, name, rowid)
                for name in parts
                for rowid, score in self._ranked(name, params, customer_id is not None, limit)
            )[:limit]
            hits = []
            for name in parts:
                chosen = {rowid: score for score, part, rowid in best if part == name}
                hits.extend(self._details(name, query, chosen))
        except sqlite3.OperationalError as error:
            if "fts5" in str(error) or "syntax error" in str(error):
                raise InputError(f"cannot search for {query}: {error}") from None
            raise
        return sorted(hits, key=lambda hit: (hit.rank, hit.customer_id, hit.item_id or 0))

    def _ranked(self, name: str, params: dict, narrow: bool, limit: int) -> list[tuple]:
        table, _, _, of_customer = _PARTS[name]
        fts = f"{table}_fts"
        where, values = f"{fts} MATCH ?", [params["query"]]
        window = RANKED_WINDOW
        if narrow:
            ids = [row[0] for row in self.conn.execute(of_customer, params)][:MAX_NARROWED]
            prefix = "*" in params["query"]  # a lookup merges every word it starts: 4 ms
            if ids and not prefix:
                ids = self._matching(fts, params["query"], ids)
            if not ids:
                return []
            if len(ids) <= FEW_SCORED and not prefix:
                where += f" AND {fts}.rowid IN ({', '.join('?' for _ in ids)})"
            else:  # one pass over their range: bm25 reads the whole word's rows once
                where += f" AND {fts}.rowid BETWEEN ? AND ? AND +{fts}.rowid IN "
                where += f"({', '.join('?' for _ in ids)})"
                values += [min(ids), max(ids)]
            values += ids
        ranked = (
            f"SELECT {fts}.rowid AS id, bm25({fts}) AS score FROM {fts} WHERE {where} "
            f"ORDER BY {fts}.rowid DESC LIMIT {window}"
        )
        if params["kind"] is not None:  # only items have kinds
            # Of the newest KIND_WINDOW matches, those of the kind: the oldest of the
            # window first, so that bm25 is computed for the rows of the kind only.
            oldest = (
                f"SELECT min(id) FROM (SELECT {fts}.rowid AS id FROM {fts} WHERE {where} "
                f"ORDER BY {fts}.rowid DESC LIMIT {KIND_WINDOW})"
            )
            ranked = (
                f"SELECT {fts}.rowid AS id, bm25({fts}) AS score FROM {fts} WHERE {where} "
                f"AND {fts}.rowid >= ({oldest}) "
                f"AND (SELECT kind FROM items WHERE id = {fts}.rowid) = ? "
                f"ORDER BY {fts}.rowid DESC"
            )
            values = [*values, *values, params["kind"]]
        # Equal scores (titles alike) are many: the newest of them first.
        sql = f"SELECT id, score FROM ({ranked}) ORDER BY score, id DESC LIMIT {int(limit)}"
        return self.conn.execute(sql, values).fetchall()

    def _matching(self, fts: str, query: str, ids: list[int]) -> list[int]:
        """Which of a customer's rows match. They are few: handed to FTS5 as values, each
        is one lookup; without bm25, which counts every row that has the words again on
        each lookup (a word in 200,000 titles: 7 ms a row)."""
        found = self.conn.execute(
            f"SELECT rowid FROM {fts} WHERE {fts} MATCH ? "
            f"AND rowid IN ({', '.join('?' for _ in ids)})",
            [query, *ids],
        )
        return [row[0] for row in found]

    def _details(self, name: str, query: str, chosen: dict[int, float]) -> list[Hit]:
        if not chosen:
            return []
        table, columns, joins, _ = _PARTS[name]
        fts = f"{table}_fts"
        marks = ", ".join("?" for _ in chosen)
        # FTS5 reads the range of rowids in one pass; the `+` keeps SQLite from handing it
        # the list instead, which would be one lookup per row (for a prefix, a merge of
        # every word it starts, each time: 10 ms a row).
        sql = (
            f"SELECT {columns}, {_snippet(table)}, {fts}.rowid FROM {fts} "
            f"{joins.format(fts=fts)} WHERE {fts} MATCH ? AND {fts}.rowid BETWEEN ? AND ? "
            f"AND +{fts}.rowid IN ({marks})"
        )
        found = self.conn.execute(sql, [query, min(chosen), max(chosen), *chosen]).fetchall()
        return [Hit(*row[:7], chosen[row[7]]) for row in found]

    def forget_erased(self) -> None:
        """After a purge: merge each index into one segment, so that the words of what
        was erased are gone from it too (FTS5 only marks them deleted until a merge)."""
        for table in ("customers", "items", "events"):
            self.conn.execute(f"INSERT INTO {table}_fts ({table}_fts) VALUES ('optimize')")
