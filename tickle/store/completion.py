"""Lookups for shell completion, which must answer fast and never fail or write."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from tickle.store.files import default_path
from tickle.store.rows import escape_like


def _read_for_completion(path: Path | str | None, sql: str, params: tuple) -> list[tuple]:
    """Rows for shell completion: the file opened read-only (never created, migrated or
    tightened), and nothing at all rather than an error when it cannot be read."""
    path = Path(path) if path else default_path()
    if not path.is_file():
        return []
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=0.5)
        try:
            return conn.execute(sql, params).fetchall()
        finally:
            conn.close()
    except sqlite3.Error:
        return []


def read_case_categories(path: Path | str | None, prefix: str = "") -> list[str]:
    """Case categories starting with `prefix`, most used first."""
    rows = _read_for_completion(
        path,
        "SELECT category FROM items WHERE category LIKE ? ESCAPE '\\' "
        "GROUP BY category ORDER BY count(*) DESC, category LIMIT 50",
        (escape_like(prefix) + "%",),
    )
    return [row[0] for row in rows]


def read_customer_names(path: Path | str | None, prefix: str = "") -> list[tuple[str, str]]:
    """Names (and companies) of active customers that `prefix` finds by the rule people are
    matched (tickle.domain.names): `sofia`, `SOFÍA` and `hernan` all offer Sofía Hernández."""
    from tickle.domain.names import terms

    words = terms(prefix)
    where = "".join(" AND instr(match_key, ?) > 0" for _ in words)
    rows = _read_for_completion(
        path,
        "SELECT name, coalesce(company, '') FROM customers INDEXED BY customers_match "
        "WHERE archived_at IS NULL"
        f"{where} ORDER BY name COLLATE NOCASE, id LIMIT 50",
        tuple(f" {word}" for word in words),
    )
    return [(row[0], row[1]) for row in rows]
