"""The import floors: start Python, read the CSV, one executemany in one transaction.

    python bench/floor_import.py bare CUSTOMERS.csv DB       # a table with no index
    python bench/floor_import.py customers CUSTOMERS.csv DB  # into tickle's customers
    python bench/floor_import.py followups FOLLOWUPS.csv DB  # into tickle's items + events

`bare` is the cheapest insert there is. The other two write the same rows `tickle import`
writes into a tickle database (its constraints and the indexes the agenda and the
report need) and nothing else: no matching, no validation, no undo, no checks.
"""

from __future__ import annotations

import csv
import sqlite3
import sys

STAMP = "2026-01-01T09:00:00Z"


def rows_of(path: str) -> list[list[str]]:
    with open(path, newline="", encoding="utf-8") as source:
        return list(csv.reader(source))[1:]


def bare(conn: sqlite3.Connection, path: str) -> None:
    conn.execute("CREATE TABLE IF NOT EXISTS c (name TEXT, email TEXT, phone TEXT, company TEXT)")
    rows = [(r[0] + " " + r[1], r[2], r[3], r[4]) for r in rows_of(path)]
    conn.execute("BEGIN IMMEDIATE")
    conn.executemany("INSERT INTO c VALUES (?, ?, ?, ?)", rows)
    conn.execute("COMMIT")


def customers(conn: sqlite3.Connection, path: str) -> None:
    rows = [(r[0] + " " + r[1], r[2], r[3], r[4]) for r in rows_of(path)]
    conn.execute("BEGIN IMMEDIATE")
    conn.executemany(
        "INSERT INTO customers (name, email, phone, company, created_at, updated_at) "
        f"VALUES (?, ?, ?, ?, '{STAMP}', '{STAMP}')",
        rows,
    )
    conn.execute("COMMIT")


def followups(conn: sqlite3.Connection, path: str) -> None:
    ids = dict(conn.execute("SELECT lower(email), id FROM customers"))
    items = [
        ("followup", ids[r[2].lower()], r[0], r[1], "UTC", "open", STAMP) for r in rows_of(path)
    ]
    conn.execute("BEGIN IMMEDIATE")
    (before,) = conn.execute("SELECT coalesce(max(id), 0) FROM items").fetchone()
    conn.executemany(
        "INSERT INTO items (kind, customer_id, title, due, tz, status, created_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        items,
    )
    conn.executemany(
        "INSERT INTO events (customer_id, item_id, at, type, new_due) "
        f"VALUES (?, ?, '{STAMP}', 'created', ?)",
        ((item[1], before + n, item[3]) for n, item in enumerate(items, start=1)),
    )
    conn.execute("COMMIT")


if __name__ == "__main__":
    mode, source, target = sys.argv[1:]
    connection = sqlite3.connect(target, isolation_level=None)
    if mode != "bare":
        connection.execute("PRAGMA foreign_keys = ON")  # as tickle checks them
    {"bare": bare, "customers": customers, "followups": followups}[mode](connection, source)
    connection.close()
