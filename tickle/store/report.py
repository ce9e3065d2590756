"""The report's queries: promises kept and broken, follow-ups done, the outcome mix,
weeks, cases and who has gone quiet, each one indexed read of a period."""

from __future__ import annotations

import sqlite3

from tickle.store import migrations
from tickle.store.rows import OVERDUE, kept_wall, overdue_params


class Report:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        conn.create_function("kept_wall", 2, kept_wall, deterministic=True)

    # The report's figures are computed by SQLite. `since` and `cutoff` are UTC stamps
    # (as created_at, closed_at and events.at); `since_day`, `today` and `now_local` are
    # local wall times (as due). A closed_at is turned into a local day with SQLite's
    # 'localtime', which follows TZ as the rest of tickle does.

    def promises(self, since: str, today: str, now_local: str) -> dict:
        params = {"kind": "promise", "since": since, "today": today, "now_local": now_local}
        closed = self.conn.execute(
            "SELECT "
            "count(*) FILTER (WHERE kept = 'on_time') AS kept_on_time, "
            "count(*) FILTER (WHERE kept = 'late') AS kept_late, "
            "count(*) FILTER (WHERE status = 'cancelled') AS broken "
            "FROM items WHERE kind = :kind AND closed_at >= :since",
            params,
        ).fetchone()
        moves = self.conn.execute(
            "SELECT count(*) AS moves, count(DISTINCT e.item_id) AS moved FROM events e "
            "CROSS JOIN items i ON i.id = e.item_id "  # CROSS: events of the period first
            "WHERE e.type = 'moved' AND e.at >= ? AND i.kind = 'promise'",
            (since,),
        ).fetchone()
        return (
            {"made": self._count_created(params)}
            | dict(closed)
            | self._count_open_by_kind(params)
            | dict(moves)
        )

    def followups(self, since: str, today: str, now_local: str) -> dict:
        params = {"kind": "followup", "since": since, "today": today, "now_local": now_local}
        done = self.conn.execute(
            "SELECT count(*) FROM items "
            "WHERE kind = :kind AND closed_at >= :since AND status = 'done'",
            params,
        ).fetchone()[0]
        attempts = self.conn.execute(
            "SELECT count(*) FROM events WHERE type = 'attempt' AND at >= ?", (since,)
        ).fetchone()[0]
        median_late = self.median(
            "SELECT max(0, julianday(date(closed_at, 'localtime')) - julianday(substr(due, 1, 10)))"
            " FROM items WHERE kind = :kind AND closed_at >= :since AND status = 'done'"
            " AND due IS NOT NULL",
            params,
        )
        open_items = self._count_open_by_kind(params)
        return {
            "done": done,
            "overdue": open_items["overdue"],
            "attempts": attempts,
            "median_days_late": median_late,
        }

    def _count_created(self, params: dict) -> int:
        return self.conn.execute(
            "SELECT count(*) FROM items WHERE kind = :kind AND created_at >= :since", params
        ).fetchone()[0]

    def _count_open_by_kind(self, params: dict) -> dict:
        """{"open": n, "overdue": n} for items of :kind (overdue at :today, :now_local)."""
        row = self.conn.execute(
            f"SELECT count(*) AS open, count(*) FILTER (WHERE {OVERDUE}) AS overdue "
            "FROM items WHERE status = 'open' AND kind = :kind",
            params | overdue_params(params["today"], params["now_local"]),
        ).fetchone()
        return dict(row)

    def outcomes(self, since: str) -> list[tuple[str, int]]:
        rows = self.conn.execute(
            "SELECT outcome, count(*) AS n FROM events "
            "WHERE type IN ('contact', 'attempt', 'done') AND at >= ? AND outcome IS NOT NULL "
            "GROUP BY outcome ORDER BY n DESC, outcome",
            (since,),
        )
        return [(row["outcome"], row["n"]) for row in rows]

    def weeks(self, since: str, since_day: str, end_day: str) -> dict[str, tuple[int, int]]:
        """Follow-ups due and done, by the Monday of their week: {monday: (due, done)}."""
        rows = self.conn.execute(
            "WITH due AS ("
            "  SELECT date(substr(due, 1, 10), 'weekday 0', '-6 days') AS week, count(*) AS n"
            "  FROM items WHERE kind = 'followup' AND status IN ('open', 'done')"
            "  AND due >= :since_day AND due < :end_day GROUP BY week),"
            " done AS ("
            "  SELECT date(closed_at, 'localtime', 'weekday 0', '-6 days') AS week, count(*) AS n"
            "  FROM items WHERE kind = 'followup' AND closed_at >= :since AND status = 'done'"
            "  GROUP BY week),"
            " weeks AS (SELECT week FROM due UNION SELECT week FROM done)"
            " SELECT weeks.week, coalesce(due.n, 0) AS due, coalesce(done.n, 0) AS done"
            " FROM weeks LEFT JOIN due USING (week) LEFT JOIN done USING (week) ORDER BY week",
            {"since": since, "since_day": since_day, "end_day": end_day},
        )
        return {row["week"]: (row["due"], row["done"]) for row in rows}

    def cases(self, since: str) -> dict:
        # A case is resolved and closed in the same moment: closed_at finds them by index.
        params = {"kind": "case", "since": since}
        created = self.conn.execute(
            "SELECT count(*) AS opened, count(*) FILTER (WHERE category IS NULL) AS uncategorised "
            "FROM items WHERE kind = :kind AND created_at >= :since",
            params,
        ).fetchone()
        resolved = self.conn.execute(
            "SELECT count(*) FROM items WHERE kind = :kind AND closed_at >= :since "
            "AND status = 'done' AND resolved_at >= :since",
            params,
        ).fetchone()[0]
        row = {
            "opened": created["opened"],
            "resolved": resolved,
            "open": self.conn.execute(
                "SELECT count(*) FROM items WHERE status = 'open' AND kind = :kind", params
            ).fetchone()[0],
            "uncategorised": created["uncategorised"],
        }
        counts = dict.fromkeys(("reopened", "lesson", "letter"), 0)
        for event in self.conn.execute(
            "SELECT e.type, count(*) AS n FROM events e CROSS JOIN items i ON i.id = e.item_id "
            "WHERE e.type IN ('reopened', 'lesson', 'letter') AND e.at >= ? AND i.kind = 'case' "
            "GROUP BY e.type",
            (since,),
        ):
            counts[event["type"]] = event["n"]
        check_ins = self.conn.execute(
            "SELECT count(*) AS done, count(*) FILTER (WHERE c.status = 'done') AS held "
            "FROM items f CROSS JOIN items c ON c.id = f.parent_id "
            "WHERE f.kind = 'followup' AND f.closed_at >= ? AND f.status = 'done' "
            "AND c.kind = 'case'",
            (since,),
        ).fetchone()
        median_days = self.median(
            "SELECT julianday(resolved_at) - julianday(created_at) FROM items "
            "WHERE kind = :kind AND closed_at >= :since AND status = 'done' "
            "AND resolved_at >= :since",
            params,
        )
        categories = self.conn.execute(
            "SELECT category, count(*) AS n FROM items "
            "WHERE kind = 'case' AND category IS NOT NULL AND created_at >= ? "
            "GROUP BY category ORDER BY n DESC, category",
            (since,),
        ).fetchall()
        return row | {
            "reopened": counts["reopened"],
            "lessons": counts["lesson"],
            "letters": counts["letter"],
            "check_ins_done": check_ins["done"],
            "check_ins_held": check_ins["held"],
            "median_days_to_resolve": median_days,
            "categories": [(c["category"], c["n"]) for c in categories],
        }

    def quiet_customers(self, cutoff: str, limit: int | None) -> tuple[list[dict], int]:
        """Active customers with no contact since `cutoff` (never contacted: since they
        were added), the longest quiet first; and how many there are in all."""
        quiet = f"FROM customers WHERE archived_at IS NULL AND {migrations.QUIET_SINCE} < ?"
        total = self.conn.execute(f"SELECT count(*) {quiet}", (cutoff,)).fetchone()[0]
        rows = self.conn.execute(
            "SELECT id, name, company, created_at, last_contact_at AS last_contact, "
            f"{migrations.QUIET_SINCE} AS quiet_since {quiet} "
            f"ORDER BY {migrations.QUIET_SINCE}, id LIMIT ?",
            (cutoff, -1 if limit is None else limit),
        )
        return [dict(row) for row in rows], total

    def median(self, values_sql: str, params: dict) -> float | None:
        """The median of the first column of `values_sql`. SQLite counts each distinct
        value (days late are a handful of whole numbers); a window function sorting every
        row took ten times longer."""
        counts = self.conn.execute(
            f"WITH v(x) AS ({values_sql}) "
            "SELECT x, count(*) FROM v WHERE x IS NOT NULL GROUP BY x ORDER BY x",
            params,
        ).fetchall()
        total = sum(n for _, n in counts)
        if not total:
            return None
        middle = [(total - 1) // 2, total // 2]  # the same index twice when total is odd
        found, seen = [], 0
        for value, n in counts:
            while middle and middle[0] < seen + n:
                found.append(value)
                middle.pop(0)
            seen += n
        return sum(found) / 2
