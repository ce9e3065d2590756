"""Storage: the one place that knows SQL.

One SQLite file in WAL mode. Every write command runs in one `BEGIN IMMEDIATE`
transaction (a deferred one that reads then writes fails under contention in WAL
mode), which also records what it changed so that `undo` can revert it. Read
commands never write: on a missing file they read an empty in-memory database.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import os
import sqlite3
import stat
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from tickle import migrations
from tickle.dates import When
from tickle.domain.models import CONTACT_EVENTS, Customer, Event, Item
from tickle.errors import (
    DatabaseBusy,
    IncompatibleDatabase,
    InputError,
    StorageError,
    TickleError,
)

BUSY_TIMEOUT_SECONDS = 5.0
UNDO_DEPTH = 20
TRACKED_TABLES = ("customers", "items", "events")


def default_path() -> Path:
    if os.environ.get("TICKLE_DB"):
        return Path(os.environ["TICKLE_DB"]).expanduser()
    from platformdirs import user_data_path

    return user_data_path("tickle", appauthor=False) / "tickle.db"


def busy_timeout() -> float:
    try:
        return float(os.environ.get("TICKLE_BUSY_TIMEOUT", BUSY_TIMEOUT_SECONDS))
    except ValueError:
        return BUSY_TIMEOUT_SECONDS


def utc_stamp(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _from_stamp(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).astimezone()


def translate_error(error: sqlite3.Error, path: Path | str) -> TickleError:
    """Turn an SQLite failure into the one-line error the user sees."""
    message = str(error)
    code = getattr(error, "sqlite_errorcode", None)
    if "locked" in message or "busy" in message or code in (5, 6):
        return DatabaseBusy(
            f"the database {path} stayed busy (another tickle is writing to it): try again"
        )
    if "not a database" in message or code == 26:
        return IncompatibleDatabase(f"{path} is not a tickle database")
    if "malformed" in message or "corrupt" in message or code == 11:
        return StorageError(f"the database {path} is corrupt ({message}): run 'tickle doctor'")
    if "readonly" in message or "unable to open" in message or "disk" in message:
        return StorageError(f"cannot write the database {path}: {message}")
    return StorageError(f"database error in {path}: {message}")


class Store:
    def __init__(self, conn: sqlite3.Connection, path: Path | None) -> None:
        self.conn = conn
        self.path = path
        self.warnings: list[str] = []
        self._undo_triggers: dict[str, str] = {}  # table -> its insert trigger, when undoable

    # -- opening -------------------------------------------------------------------

    @classmethod
    def open(cls, path: Path | None = None, *, write: bool, undoable: bool = True) -> Store:
        path = path or default_path()
        if not path.exists():
            if not write:
                return cls._empty()
            _create_private_file(path)
        elif path.is_dir():
            raise StorageError(f"{path} is a folder, not a database file")
        store = cls(_connect(path), path)
        try:
            store._tighten_permissions()
            store._check_and_migrate()
            if write and undoable:
                store._install_undo_triggers()
        except sqlite3.Error as error:
            store.close()
            raise translate_error(error, path) from None
        except BaseException:
            store.close()
            raise
        return store

    @classmethod
    def _empty(cls) -> Store:
        conn = sqlite3.connect(":memory:", isolation_level=None)
        conn.row_factory = sqlite3.Row
        store = cls(conn, None)
        for step in migrations.MIGRATIONS:
            step(conn)
        return store

    def close(self) -> None:
        self.conn.close()

    def _tighten_permissions(self) -> None:
        assert self.path is not None
        for candidate in (self.path, Path(f"{self.path}-wal"), Path(f"{self.path}-shm")):
            try:
                mode = stat.S_IMODE(candidate.stat().st_mode)
            except FileNotFoundError:
                continue
            if mode & 0o077:
                try:
                    candidate.chmod(0o600)
                except OSError:
                    continue
                self.warnings.append(
                    f"{candidate} was readable by others (mode {mode:o}); "
                    "tightened to 600: it holds personal data"
                )

    def _check_and_migrate(self) -> None:
        conn = self.conn
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        latest = migrations.latest_version()
        if app_id == 0 and version == 0:
            has_tables = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
            if has_tables:
                raise IncompatibleDatabase(
                    f"{self.path} is an SQLite database of another program, "
                    "not a tickle database: use --db to choose another file"
                )
            conn.execute("PRAGMA journal_mode = WAL")
        elif app_id != migrations.APPLICATION_ID:
            raise IncompatibleDatabase(f"{self.path} is not a tickle database")
        elif version > latest:
            raise IncompatibleDatabase(
                f"{self.path} was written by a newer tickle (schema {version}; this tickle "
                f"knows up to {latest}): upgrade tickle to use it"
            )
        if version < latest:
            if version > 0:
                # One snapshot, so that the backup holds the schema it is named after even if
                # another tickle is migrating too (in a write transaction it would never end).
                conn.execute("BEGIN")
                try:
                    version = conn.execute("PRAGMA user_version").fetchone()[0]
                    if version < latest:
                        self.backup_before_migration(version)
                finally:
                    conn.execute("COMMIT")
            self._migrate(version)

    def backup_before_migration(self, version: int) -> Path:
        assert self.path is not None
        target = self.path.with_name(f"{self.path.name}.schema{version}.bak")
        self.backup_to(target)
        return target

    def _migrate(self, version: int) -> None:
        for number, step in enumerate(migrations.MIGRATIONS, start=1):
            if number <= version:
                continue
            with self._immediate():
                # another tickle may have applied this step while this one waited for it
                if self.conn.execute("PRAGMA user_version").fetchone()[0] >= number:
                    continue
                step(self.conn)
                self.conn.execute(f"PRAGMA application_id = {migrations.APPLICATION_ID}")
                self.conn.execute(f"PRAGMA user_version = {number}")

    def backup_to(self, target: Path) -> None:
        """An online copy through SQLite's backup API, written privately and atomically."""
        temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")  # one per process
        _create_private_file(temporary, exist_ok=True)
        try:
            copy = sqlite3.connect(temporary)
            try:
                self.conn.backup(copy)
            finally:
                copy.close()
            os.replace(temporary, target)
        except BaseException:
            temporary.unlink(missing_ok=True)
            raise

    def _install_undo_triggers(self) -> None:
        """Record the before-image of every row a write command touches (TEMP triggers:
        this connection only, so other programs writing the file are not affected)."""
        for table in TRACKED_TABLES:
            columns = [row[1] for row in self.conn.execute(f"PRAGMA table_info({table})")]
            old_row = "json_object(" + ", ".join(f"'{c}', OLD.{c}" for c in columns) + ")"
            self._undo_triggers[table] = trigger = _undo_trigger(table, "insert", "NEW.id", "NULL")
            self.conn.execute(trigger)
            self.conn.execute(_undo_trigger(table, "update", "OLD.id", old_row))
            self.conn.execute(_undo_trigger(table, "delete", "OLD.id", old_row))

    def _insert_many(self, table: str, sql: str, rows: Iterable[Sequence]) -> int:
        """Insert many new rows in one statement; returns the first id they took.

        Under the write lock, AUTOINCREMENT gives them consecutive ids, so undo records
        them as one range instead of a before-image per row (a third of a big import)."""
        assert table in TRACKED_TABLES
        first = self._last_id(table) + 1
        trigger = self._undo_triggers.get(table)
        if trigger:
            self.conn.execute(f"DROP TRIGGER temp.undo_{table}_insert")
        try:
            self.conn.executemany(sql, rows)
        finally:
            if trigger:
                self.conn.execute(trigger)
        last = self._last_id(table)
        if trigger and last >= first:
            self.conn.execute(
                "INSERT INTO undo_log (change_id, tbl, row_id, op, old) "
                "VALUES ((SELECT max(id) FROM changes), ?, ?, 'insert', ?)",
                (table, first, str(last)),
            )
        return first

    def _last_id(self, table: str) -> int:
        row = self.conn.execute("SELECT seq FROM sqlite_sequence WHERE name = ?", (table,))
        found = row.fetchone()
        return found[0] if found else 0

    # -- transactions --------------------------------------------------------------

    @contextmanager
    def _immediate(self) -> Iterator[None]:
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as error:
            raise translate_error(error, self.path or ":memory:") from None
        try:
            yield
            self.conn.execute("COMMIT")
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise

    @contextmanager
    def transaction(self, command: str, at: dt.datetime) -> Iterator[None]:
        """One write command: all of it or nothing, and undoable as one change."""
        with self._immediate():
            self.conn.execute(
                "INSERT INTO changes (command, at) VALUES (?, ?)", (command, utc_stamp(at))
            )
            yield
            self.conn.execute(
                "DELETE FROM changes WHERE id <= (SELECT max(id) FROM changes) - ?",
                (UNDO_DEPTH,),
            )

    def undo_last_change(self) -> str | None:
        """Revert the newest recorded change; returns its command, or None if none is left."""
        with self._immediate():
            change = self.conn.execute(
                "SELECT id, command FROM changes ORDER BY id DESC LIMIT 1"
            ).fetchone()
            if change is None:
                return None
            self.conn.execute("PRAGMA defer_foreign_keys = ON")
            entries = self.conn.execute(
                "SELECT tbl, row_id, op, old FROM undo_log WHERE change_id = ? ORDER BY seq DESC",
                (change["id"],),
            ).fetchall()
            for entry in entries:
                self._revert(entry["tbl"], entry["row_id"], entry["op"], entry["old"])
            self.conn.execute("DELETE FROM changes WHERE id = ?", (change["id"],))
            return change["command"]

    def _revert(self, table: str, row_id: int, op: str, old: str | None) -> None:
        assert table in TRACKED_TABLES
        if op == "insert":
            # `old` is NULL for one row, or the last id of a range (`_insert_many`).
            last = row_id if old is None else int(old)
            self.conn.execute(f"DELETE FROM {table} WHERE id BETWEEN ? AND ?", (row_id, last))
            return
        values = json.loads(old or "{}")
        columns = list(values)
        if op == "update":
            assignments = ", ".join(f"{c} = ?" for c in columns)
            self.conn.execute(
                f"UPDATE {table} SET {assignments} WHERE id = ?",
                [values[c] for c in columns] + [row_id],
            )
        else:
            placeholders = ", ".join("?" for _ in columns)
            self.conn.execute(
                f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({placeholders})",
                [values[c] for c in columns],
            )

    def forget_undo_history(self) -> None:
        self.conn.execute("DELETE FROM changes")

    def enable_secure_delete(self) -> None:
        """Deleted content is overwritten with zeros instead of left in free pages."""
        self.conn.execute("PRAGMA secure_delete = ON")

    def erase_freed_pages(self) -> None:
        """After a purge: overwrite what was deleted, in the file and in its WAL."""
        self.conn.execute("VACUUM")
        self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def is_empty(self) -> bool:
        row = self.conn.execute(
            "SELECT (SELECT count(*) FROM customers) + (SELECT count(*) FROM items)"
        ).fetchone()
        return row[0] == 0

    # -- customers -----------------------------------------------------------------

    def insert_customer(self, fields: dict, at: dt.datetime) -> int:
        stamp = utc_stamp(at)
        row = {k: _to_column(v) for k, v in fields.items()}
        row.update(created_at=stamp, updated_at=stamp, tags=json.dumps(fields.get("tags") or []))
        columns = ", ".join(row)
        placeholders = ", ".join("?" for _ in row)
        try:
            cursor = self.conn.execute(
                f"INSERT INTO customers ({columns}) VALUES ({placeholders})", list(row.values())
            )
        except sqlite3.IntegrityError as error:
            raise self._customer_conflict(error, fields) from None
        return cursor.lastrowid

    def update_customer(self, customer_id: int, fields: dict, at: dt.datetime) -> None:
        row = {k: _to_column(v) for k, v in fields.items()}
        row["updated_at"] = utc_stamp(at)
        if "tags" in row:
            row["tags"] = json.dumps(fields["tags"] or [])
        assignments = ", ".join(f"{c} = ?" for c in row)
        try:
            self.conn.execute(
                f"UPDATE customers SET {assignments} WHERE id = ?", [*row.values(), customer_id]
            )
        except sqlite3.IntegrityError as error:
            raise self._customer_conflict(error, fields) from None

    def _customer_conflict(self, error: sqlite3.IntegrityError, fields: dict) -> InputError:
        if "email" in str(error) or "customers_email" in str(error):
            other = self.customer_by_email(fields.get("email") or "")
            who = f" #{other.id} {other.name}" if other else " another customer"
            return InputError(f"the email {fields.get('email')} already belongs to{who}")
        return InputError(f"cannot save the customer: {error}")

    def customer(self, customer_id: int) -> Customer | None:
        row = self.conn.execute("SELECT * FROM customers WHERE id = ?", (customer_id,)).fetchone()
        return _customer(row) if row else None

    def customer_by_email(self, email: str) -> Customer | None:
        row = self.conn.execute(
            "SELECT * FROM customers WHERE email = ? COLLATE NOCASE", (email,)
        ).fetchone()
        return _customer(row) if row else None

    def customers_matching(self, fragment: str, limit: int = 20) -> list[Customer]:
        pattern = f"%{_escape_like(fragment)}%"
        rows = self.conn.execute(
            "SELECT * FROM customers WHERE archived_at IS NULL AND "
            "(name LIKE :p ESCAPE '\\' OR company LIKE :p ESCAPE '\\') "
            "ORDER BY name COLLATE NOCASE, id LIMIT :limit",
            {"p": pattern, "limit": limit},
        ).fetchall()
        return [_customer(row) for row in rows]

    def customer_names(self) -> list[tuple[int, str, str | None]]:
        return [
            (row[0], row[1], row[2])
            for row in self.conn.execute(
                "SELECT id, name, company FROM customers WHERE archived_at IS NULL"
            )
        ]

    def list_customers(
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
        rows = self.conn.execute(
            f"SELECT * FROM customers {where} ORDER BY name COLLATE NOCASE, id", params
        )
        return [_customer(row) for row in rows]

    def delete_customer(self, customer_id: int) -> None:
        self.conn.execute("DELETE FROM customers WHERE id = ?", (customer_id,))

    # -- items -----------------------------------------------------------------------

    def insert_item(self, fields: dict, at: dt.datetime) -> int:
        row = {k: _to_column(v) for k, v in fields.items()}
        row["created_at"] = utc_stamp(at)
        columns = ", ".join(row)
        placeholders = ", ".join("?" for _ in row)
        cursor = self.conn.execute(
            f"INSERT INTO items ({columns}) VALUES ({placeholders})", list(row.values())
        )
        return cursor.lastrowid

    def update_item(self, item_id: int, fields: dict) -> None:
        row = {k: _to_column(v) for k, v in fields.items()}
        assignments = ", ".join(f"{c} = ?" for c in row)
        self.conn.execute(f"UPDATE items SET {assignments} WHERE id = ?", [*row.values(), item_id])

    def item(self, item_id: int) -> Item | None:
        row = self.conn.execute("SELECT * FROM items WHERE id = ?", (item_id,)).fetchone()
        return _item(row) if row else None

    def items(
        self,
        *,
        kind: str | None = None,
        customer_id: int | None = None,
        status: str | None = "open",
        limit: int | None = None,
    ) -> list[tuple[Item, Customer]]:
        clauses, params = [], {}
        if kind:
            clauses.append("i.kind = :kind")
            params["kind"] = kind
        if customer_id is not None:
            clauses.append("i.customer_id = :customer")
            params["customer"] = customer_id
        if status:
            clauses.append("i.status = :status")
            params["status"] = status
        where = ("WHERE " + " AND ".join(clauses)) if clauses else ""
        order = "i.due IS NULL, i.due, i.id" if status == "open" else "i.id"
        sql = f"{_ITEM_WITH_CUSTOMER} {where} ORDER BY {order}"
        if limit is not None:
            sql += " LIMIT :limit"
            params["limit"] = limit
        return [_item_with_customer(row) for row in self.conn.execute(sql, params)]

    def open_items_due_before(
        self, end: str, *, customer_id: int | None = None, limit: int | None = None
    ) -> list[tuple[Item, Customer]]:
        """Open items due before `end` (a When.iso() bound), oldest first, using the
        (status, due) index so that only the rows shown are read."""
        return self._open_items(
            "i.due < :end", "i.due, i.id", {"end": end}, customer_id=customer_id, limit=limit
        )

    def _open_items(
        self,
        condition: str,
        order: str,
        params: dict,
        *,
        customer_id: int | None,
        limit: int | None,
    ) -> list[tuple[Item, Customer]]:
        where = f"WHERE i.status = 'open' AND {condition}"
        if customer_id is not None:
            where += " AND i.customer_id = :customer"
            params = dict(params, customer=customer_id)
        sql = f"{_ITEM_WITH_CUSTOMER} {where} ORDER BY {order}"
        if limit is not None:
            sql += " LIMIT :limit"
            params = dict(params, limit=limit)
        return [_item_with_customer(row) for row in self.conn.execute(sql, params)]

    def count_open_items_due_before(self, end: str, *, customer_id: int | None = None) -> int:
        return self._count_open("due < :end", {"end": end}, customer_id=customer_id)

    def _count_open(self, condition: str, params: dict, *, customer_id: int | None) -> int:
        """An index-only count of open items (the agenda's "N more" line)."""
        where = f"status = 'open' AND {condition}"
        if customer_id is not None:
            where = f"customer_id = :customer AND {where}"
            params = dict(params, customer=customer_id)
        return self.conn.execute(f"SELECT count(*) FROM items WHERE {where}", params).fetchone()[0]

    def open_promises(self, customer_id: int) -> list[Item]:
        rows = self.conn.execute(
            "SELECT * FROM items WHERE customer_id = ? AND kind = 'promise' AND status = 'open' "
            "ORDER BY due",
            (customer_id,),
        )
        return [_item(row) for row in rows]

    # -- events ----------------------------------------------------------------------

    def insert_event(self, fields: dict, at: dt.datetime) -> int:
        row = {k: _to_column(v) for k, v in fields.items()}
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

    def events(
        self, customer_id: int, *, types: Sequence[str] | None = None, newest: int | None = None
    ) -> list[Event]:
        """A customer's timeline, oldest first; `newest` keeps only the last N events."""
        params: list = [customer_id]
        where = "WHERE e.customer_id = ?"
        if types:
            where += f" AND e.type IN ({', '.join('?' for _ in types)})"
            params.extend(types)
        sql = (
            "SELECT e.*, i.title AS item_title, i.kind AS item_kind FROM events e "
            f"LEFT JOIN items i ON i.id = e.item_id {where} ORDER BY e.at DESC, e.id DESC"
        )
        if newest is not None:
            sql += " LIMIT ?"
            params.append(newest)
        rows = self.conn.execute(sql, params).fetchall()
        return [_event(row) for row in reversed(rows)]

    # -- import and export (tickle import / tickle export) ---------------------------
    # Bulk reads in one query and writes with executemany inside the command's one
    # transaction: sqlite-utils' insert_all would commit every batch.

    _IMPORTED_CUSTOMER_COLUMNS = (
        "name", "company", "email", "phone", "channel", "best_time", "tz", "tags", "note",
        "external_id",
    )  # fmt: skip

    def customers_for_import(self) -> list[dict]:
        """Every customer as {"id": ..., field: value} of the fields an import sets; tags
        as a list."""
        cursor = self.conn.cursor()
        cursor.row_factory = None
        columns = ("id", *self._IMPORTED_CUSTOMER_COLUMNS)
        cursor.execute(f"SELECT {', '.join(columns)} FROM customers")
        rows = [dict(zip(columns, row, strict=True)) for row in cursor]
        for row in rows:
            row["tags"] = [] if row["tags"] in (None, "[]") else json.loads(row["tags"])
        return rows

    def customer_references(self) -> list[tuple[int, str, str | None, str | None]]:
        """(id, name, email, external id) of every customer: what an import row may name."""
        cursor = self.conn.cursor()
        cursor.row_factory = None
        return cursor.execute("SELECT id, name, email, external_id FROM customers").fetchall()

    def insert_customers(
        self, fields: Sequence[str], rows: Sequence[Sequence], at: dt.datetime
    ) -> None:
        """New customers, each a row of `fields` (plain text, tags a list): only the
        columns an import fills, since binding a dozen NULLs per row is a third of the time."""
        if not rows:
            return
        assert set(fields) <= set(self._IMPORTED_CUSTOMER_COLUMNS)
        stamp = utc_stamp(at)
        sql = (
            f"INSERT INTO customers ({', '.join(fields)}, created_at, updated_at) "
            f"VALUES ({', '.join('?' for _ in fields)}, '{stamp}', '{stamp}')"
        )
        if "tags" in fields:
            where = fields.index("tags")
            rows = ((*row[:where], json.dumps(row[where] or []), *row[where + 1 :]) for row in rows)
        try:
            self._insert_many("customers", sql, rows)
        except sqlite3.IntegrityError as error:
            raise InputError(f"cannot save the customers: {error}") from None

    def update_customers(self, changes: Sequence[tuple[int, dict]], at: dt.datetime) -> None:
        """Each (id, {column: value}); one executemany per set of changed columns."""
        groups: dict[tuple[str, ...], list[list]] = {}
        for customer_id, fields in changes:
            columns = tuple(sorted(fields))
            groups.setdefault(columns, []).append(
                [*(_import_column(c, fields[c]) for c in columns), utc_stamp(at), customer_id]
            )
        for columns, values in groups.items():
            assignments = ", ".join(f"{c} = ?" for c in columns)
            try:
                self.conn.executemany(
                    f"UPDATE customers SET {assignments}, updated_at = ? WHERE id = ?", values
                )
            except sqlite3.IntegrityError as error:
                raise InputError(f"cannot save the customers: {error}") from None

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

    def insert_imported_items(self, items: Sequence[dict], at: dt.datetime) -> None:
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
            due = _to_column(item.get("due"))
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
        first = self._insert_many("items", item_sql, rows)
        self._insert_many(
            "events",
            event_sql,
            (
                (row[1], item_id, stamp, item.get("note"), row[3])
                for item_id, row, item in zip(itertools.count(first), rows, items, strict=False)
            ),
        )

    def table_rows(self, table: str) -> Iterator[dict]:
        """Every column of every row, in id order, one at a time: the backup's raw material."""
        assert table in TRACKED_TABLES
        cursor = self.conn.cursor()
        cursor.row_factory = None  # plain tuples: a third faster than sqlite3.Row
        cursor.execute(f"SELECT * FROM {table} ORDER BY id")
        columns = [d[0] for d in cursor.description]
        for row in cursor:
            yield dict(zip(columns, row, strict=True))

    def count_rows(self, table: str) -> int:
        assert table in TRACKED_TABLES
        return self.conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]

    @contextmanager
    def snapshot(self) -> Iterator[None]:
        """Several reads that see one state of the file, whatever others commit meanwhile."""
        self.conn.execute("BEGIN")
        try:
            yield
        finally:
            self.conn.execute("COMMIT")

    def table_columns(self, table: str) -> list[str]:
        assert table in TRACKED_TABLES
        return [row[1] for row in self.conn.execute(f"PRAGMA table_info({table})")]

    def insert_rows(self, table: str, columns: Sequence[str], rows: Sequence[Sequence]) -> None:
        """Rows restored as they were, ids included (`tickle import all`)."""
        assert table in TRACKED_TABLES
        known = set(self.table_columns(table))
        unknown = [c for c in columns if c not in known]
        if unknown:
            raise InputError(f"{table}: unknown column '{unknown[0]}' in the backup")
        self.conn.execute("PRAGMA defer_foreign_keys = ON")
        sql = (
            f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' for _ in columns)})"
        )
        try:
            self.conn.executemany(sql, rows)
        except sqlite3.IntegrityError as error:
            raise InputError(f"the backup's {table} cannot be restored: {error}") from None

    def refresh_last_contacts(self) -> None:
        """Each customer's last contact, from the history."""
        kinds = ", ".join(f"'{kind}'" for kind in CONTACT_EVENTS)
        self.conn.execute(
            "UPDATE customers SET last_contact_at = (SELECT max(at) FROM events "
            f"WHERE customer_id = customers.id AND type IN ({kinds}))"
        )

    def items_for_export(self) -> Iterator[dict]:
        rows = self.conn.execute(
            "SELECT i.*, c.name AS customer_name, c.email AS customer_email "
            "FROM items i JOIN customers c ON c.id = i.customer_id ORDER BY i.id"
        )
        for row in rows:
            yield dict(row)

    # -- cases and the report --------------------------------------------------------

    def open_cases(
        self, *, customer_id: int | None = None, limit: int | None = None
    ) -> list[tuple[Item, Customer]]:
        """Open cases, oldest first, found by the (kind, status, due) index. The `+`
        keeps SQLite from walking every case in creation order instead, which it would
        choose on a database without ANALYZE statistics (that is, any user's)."""
        return self._open_items(
            "i.due IS NULL AND i.kind = 'case'",
            "+i.created_at, i.id",
            {},
            customer_id=customer_id,
            limit=limit,
        )

    def count_open_cases(self, *, customer_id: int | None = None) -> int:
        return self._count_open("due IS NULL AND kind = 'case'", {}, customer_id=customer_id)

    def cases(
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
        sql = f"{_ITEM_WITH_CUSTOMER} WHERE {' AND '.join(clauses)} ORDER BY i.created_at, i.id"
        return [_item_with_customer(row) for row in self.conn.execute(sql, params)]

    def case_categories(self) -> list[tuple[str, int, int]]:
        """(category, cases, open cases), the most frequent first."""
        rows = self.conn.execute(
            "SELECT category, count(*) AS total, "
            "count(*) FILTER (WHERE status = 'open') AS open FROM items "
            "WHERE category IS NOT NULL AND kind = 'case' "
            "GROUP BY category ORDER BY total DESC, category"
        )
        return [(row["category"], row["total"], row["open"]) for row in rows]

    def check_ins(self, case_ids: Sequence[int]) -> dict[int, list[Item]]:
        """The follow-ups scheduled from each case, oldest first."""
        found: dict[int, list[Item]] = {case_id: [] for case_id in case_ids}
        if not case_ids:
            return found
        marks = ", ".join("?" for _ in case_ids)
        rows = self.conn.execute(
            f"SELECT * FROM items WHERE parent_id IN ({marks}) AND kind = 'followup' ORDER BY id",
            list(case_ids),
        )
        for row in rows:
            found[row["parent_id"]].append(_item(row))
        return found

    def item_events(self, item_id: int) -> list[Event]:
        rows = self.conn.execute(
            "SELECT e.*, i.title AS item_title, i.kind AS item_kind FROM events e "
            "LEFT JOIN items i ON i.id = e.item_id WHERE e.item_id = ? ORDER BY e.at, e.id",
            (item_id,),
        )
        return [_event(row) for row in rows]

    # The report's figures are computed by SQLite. `since` and `cutoff` are UTC stamps
    # (as created_at, closed_at and events.at); `since_day`, `today` and `now_local` are
    # local wall times (as due). A closed_at is turned into a local day with SQLite's
    # 'localtime', which follows TZ as the rest of tickle does.

    def report_promises(self, since: str, today: str, now_local: str) -> dict:
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

    def report_followups(self, since: str, today: str, now_local: str) -> dict:
        params = {"kind": "followup", "since": since, "today": today, "now_local": now_local}
        done = self.conn.execute(
            "SELECT count(*) FROM items "
            "WHERE kind = :kind AND closed_at >= :since AND status = 'done'",
            params,
        ).fetchone()[0]
        attempts = self.conn.execute(
            "SELECT count(*) FROM events WHERE type = 'attempt' AND at >= ?", (since,)
        ).fetchone()[0]
        median_late = self._median(
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
            f"SELECT count(*) AS open, count(*) FILTER (WHERE {_OVERDUE}) AS overdue "
            "FROM items WHERE status = 'open' AND kind = :kind",
            {"today": "", "now_local": ""} | params,
        ).fetchone()
        return dict(row)

    def report_outcomes(self, since: str) -> list[tuple[str, int]]:
        rows = self.conn.execute(
            "SELECT outcome, count(*) AS n FROM events "
            "WHERE type IN ('contact', 'attempt', 'done') AND at >= ? AND outcome IS NOT NULL "
            "GROUP BY outcome ORDER BY n DESC, outcome",
            (since,),
        )
        return [(row["outcome"], row["n"]) for row in rows]

    def report_weeks(self, since: str, since_day: str, end_day: str) -> dict[str, tuple[int, int]]:
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

    def report_cases(self, since: str) -> dict:
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
            "open": self._count_open_by_kind(params)["open"],
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
        median_days = self._median(
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

    def _median(self, values_sql: str, params: dict) -> float | None:
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

    # -- recurring follow-ups (tickle add --every / --rrule) ---------------------------

    def series_start(self, series_id: int) -> When | None:
        """The date the first occurrence of a series was created with (later
        snoozes do not move the rule's anchor)."""
        row = self.conn.execute(
            "SELECT new_due FROM events WHERE item_id = ? AND type = 'created' ORDER BY id LIMIT 1",
            (series_id,),
        ).fetchone()
        return _when(row[0]) if row else None

    def open_in_series(self, series_id: int) -> Item | None:
        row = self.conn.execute(
            "SELECT * FROM items WHERE series_id = ? AND status = 'open' ORDER BY id LIMIT 1",
            (series_id,),
        ).fetchone()
        return _item(row) if row else None

    # -- doctor: the file as it is, read-only (tickle doctor, tickle backup) --------------

    @classmethod
    def open_read_only(cls, path: Path) -> Store:
        """`path` opened read-only: never created, migrated, tightened or written.

        On a WAL database with no -wal and -shm files SQLite creates them empty (its
        shared-memory index needs them); the next writer to close removes them."""
        try:
            conn = sqlite3.connect(
                f"{path.resolve().as_uri()}?mode=ro",
                uri=True,
                timeout=busy_timeout(),
                isolation_level=None,
            )
            conn.row_factory = sqlite3.Row
        except sqlite3.Error as error:
            raise translate_error(error, path) from None
        return cls(conn, path)

    def backup_file(self, target: Path) -> int:
        """`backup_to` with every failure as one line naming `target`; the copy's size."""
        try:
            self.backup_to(target)
        except StorageError as error:  # the temporary file next to `target` was refused
            reason = error.message.rpartition(": ")[2]
            raise StorageError(f"cannot write {target}: {reason}") from None
        except sqlite3.Error as error:
            if ((getattr(error, "sqlite_errorcode", 0) or 0) & 0xFF) in (5, 6, 11, 26):
                raise translate_error(error, self.path or ":memory:") from None
            raise StorageError(f"cannot write {target}: {error}") from None
        except OSError as error:
            raise StorageError(f"cannot write {target}: {error.strerror or error}") from None
        return target.stat().st_size

    def header(self) -> dict:
        """What the file says it is: application_id, user_version and its number of tables."""
        try:
            return {
                "application_id": self.conn.execute("PRAGMA application_id").fetchone()[0],
                "user_version": self.conn.execute("PRAGMA user_version").fetchone()[0],
                "tables": self.conn.execute(
                    "SELECT count(*) FROM sqlite_master WHERE type = 'table'"
                ).fetchone()[0],
            }
        except sqlite3.Error as error:
            raise translate_error(error, self.path or ":memory:") from None

    def integrity_errors(self, limit: int = 10) -> list[str]:
        """What `PRAGMA integrity_check` finds wrong (nothing when it says ok)."""
        try:
            rows = self.conn.execute(f"PRAGMA integrity_check({int(limit)})").fetchall()
        except sqlite3.DatabaseError as error:
            # Damage in the pages the check itself walks first stops it with an error.
            if getattr(error, "sqlite_errorcode", None) == 11 or "malformed" in str(error):
                return [str(error)]
            raise translate_error(error, self.path or ":memory:") from None
        return [row[0] for row in rows if row[0] != "ok"]

    def foreign_key_violations(self) -> dict[str, int]:
        """Rows whose reference points at nothing, counted by table."""
        found: dict[str, int] = {}
        try:
            for row in self.conn.execute("PRAGMA foreign_key_check"):
                found[row[0]] = found.get(row[0], 0) + 1
        except sqlite3.Error as error:
            raise translate_error(error, self.path or ":memory:") from None
        return found

    # Each kind of orphan, and the rows it is: (kind, "FROM ... WHERE ...").
    ORPHANS = (
        ("items", "FROM items WHERE customer_id NOT IN (SELECT id FROM customers)"),
        (
            "events",
            (
                "FROM events WHERE customer_id NOT IN (SELECT id FROM customers) "
                "OR (item_id IS NOT NULL AND item_id NOT IN (SELECT id FROM items))"
            ),
        ),
        (
            "check-ins",
            "FROM items WHERE parent_id IS NOT NULL AND parent_id NOT IN (SELECT id FROM items)",
        ),
        ("undo entries", "FROM undo_log WHERE change_id NOT IN (SELECT id FROM changes)"),
    )

    def orphans(self) -> dict[str, int]:
        """Rows left behind by their owner: {kind: count}, for each kind in ORPHANS."""
        try:
            return {
                kind: self.conn.execute(f"SELECT count(*) {rows}").fetchone()[0]
                for kind, rows in self.ORPHANS
            }
        except sqlite3.Error as error:
            raise translate_error(error, self.path or ":memory:") from None

    @classmethod
    def orphan_cleanup(cls, kind: str) -> str:
        """The statement that removes (or, for check-ins, unlinks) orphans of `kind`."""
        rows = dict(cls.ORPHANS)[kind]
        if kind == "check-ins":
            return "UPDATE items SET parent_id = NULL " + rows.removeprefix("FROM items ")
        return "DELETE " + rows


_ITEM_WITH_CUSTOMER = (
    "SELECT i.*, c.id AS c_id, c.name AS c_name, c.company AS c_company, c.email AS c_email, "
    "c.phone AS c_phone, c.channel AS c_channel, c.best_time AS c_best_time, c.tz AS c_tz "
    "FROM items i JOIN customers c ON c.id = i.customer_id"
)


# An open item is overdue once its all-day date has passed, or its local time has.
_OVERDUE = "(CASE WHEN length(due) = 10 THEN due < :today ELSE due < :now_local END)"


def _escape_like(text: str) -> str:
    """`text` matched literally by LIKE ... ESCAPE '\\'."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


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
        (_escape_like(prefix) + "%",),
    )
    return [row[0] for row in rows]


def read_customer_names(path: Path | str | None, prefix: str = "") -> list[tuple[str, str]]:
    """Names (and companies) of active customers whose name starts with `prefix`."""
    rows = _read_for_completion(
        path,
        "SELECT name, coalesce(company, '') FROM customers WHERE archived_at IS NULL "
        "AND name LIKE ? ESCAPE '\\' ORDER BY name COLLATE NOCASE, id LIMIT 50",
        (_escape_like(prefix) + "%",),
    )
    return [(row[0], row[1]) for row in rows]


def _to_column(value: object) -> object:
    if isinstance(value, When):
        return value.iso()
    if isinstance(value, dt.datetime):
        return utc_stamp(value)
    if isinstance(value, bool):
        return int(value)
    return value


def _import_column(column: str, value: object) -> object:
    if column == "tags":
        return json.dumps(value or [])
    return _to_column(value)


def _when(text: str | None) -> When | None:
    return When.from_iso(text) if text else None


def _undo_trigger(table: str, op: str, row_id: str, old: str) -> str:
    return (
        f"CREATE TEMP TRIGGER undo_{table}_{op} AFTER {op.upper()} ON main.{table} BEGIN "
        "INSERT INTO undo_log (change_id, tbl, row_id, op, old) VALUES "
        f"((SELECT max(id) FROM changes), '{table}', {row_id}, '{op}', {old}); END"
    )


def _customer(row: sqlite3.Row) -> Customer:
    return Customer(
        id=row["id"],
        name=row["name"],
        company=row["company"],
        email=row["email"],
        phone=row["phone"],
        channel=row["channel"],
        best_time=row["best_time"],
        tz=row["tz"],
        tags=json.loads(row["tags"] or "[]"),
        note=row["note"],
        external_id=row["external_id"],
        archived_at=row["archived_at"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
    )


def _item(row: sqlite3.Row) -> Item:
    return Item(
        id=row["id"],
        kind=row["kind"],
        customer_id=row["customer_id"],
        title=row["title"],
        due=_when(row["due"]),
        status=row["status"],
        tz=row["tz"],
        channel=row["channel"],
        attempts=row["attempts"],
        outcome=row["outcome"],
        promised_due=_when(row["promised_due"]),
        kept=row["kept"],
        rrule=row["rrule"],
        after_done=bool(row["after_done"]),
        series_id=row["series_id"],
        parent_id=row["parent_id"],
        created_at=row["created_at"],
        closed_at=row["closed_at"],
        category=row["category"],
        resolution=row["resolution"],
        resolved_at=row["resolved_at"],
        lesson=row["lesson"],
        letter_quote=row["letter_quote"],
        letter_at=row["letter_at"],
    )


def _item_with_customer(row: sqlite3.Row) -> tuple[Item, Customer]:
    customer = Customer(
        id=row["c_id"],
        name=row["c_name"],
        company=row["c_company"],
        email=row["c_email"],
        phone=row["c_phone"],
        channel=row["c_channel"],
        best_time=row["c_best_time"],
        tz=row["c_tz"],
    )
    return _item(row), customer


def _event(row: sqlite3.Row) -> Event:
    return Event(
        id=row["id"],
        customer_id=row["customer_id"],
        item_id=row["item_id"],
        at=_from_stamp(row["at"]),
        type=row["type"],
        outcome=row["outcome"],
        channel=row["channel"],
        note=row["note"],
        old_due=_when(row["old_due"]),
        new_due=_when(row["new_due"]),
        item_title=row["item_title"],
        item_kind=row["item_kind"],
    )


def _connect(path: Path) -> sqlite3.Connection:
    try:
        conn = sqlite3.connect(path, timeout=busy_timeout(), isolation_level=None)
        conn.row_factory = sqlite3.Row
        conn.execute("PRAGMA foreign_keys = ON")
    except sqlite3.Error as error:
        raise translate_error(error, path) from None
    return conn


def _create_private_file(path: Path, *, exist_ok: bool = False) -> None:
    """Create `path` readable by its owner only, with its folder (0700) if need be."""
    try:
        if not path.parent.exists():
            path.parent.mkdir(mode=0o700, parents=True)
        flags = os.O_WRONLY | os.O_CREAT | (0 if exist_ok else os.O_EXCL)
        os.close(os.open(path, flags, 0o600))
        os.chmod(path, 0o600)
    except FileExistsError:
        pass
    except OSError as error:
        raise StorageError(f"cannot create {path}: {error.strerror}") from None
