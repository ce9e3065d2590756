"""Storage: the one place that knows SQL.

One SQLite file in WAL mode. Every write command runs in one `BEGIN IMMEDIATE`
transaction (a deferred one that reads then writes fails under contention in WAL
mode), which also records what it changed so that `undo` can revert it. Read
commands never write: on a missing file they read an empty in-memory database.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
import stat
from collections.abc import Iterator, Sequence
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
                self.backup_before_migration(version)
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
                step(self.conn)
                self.conn.execute(f"PRAGMA application_id = {migrations.APPLICATION_ID}")
                self.conn.execute(f"PRAGMA user_version = {number}")

    def backup_to(self, target: Path) -> None:
        """An online copy through SQLite's backup API, written privately and atomically."""
        temporary = target.with_name(f".{target.name}.tmp")
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
            log = "INSERT INTO undo_log (change_id, tbl, row_id, op, old) VALUES "
            change = "(SELECT max(id) FROM changes)"
            self.conn.execute(
                f"CREATE TEMP TRIGGER undo_{table}_insert AFTER INSERT ON main.{table} BEGIN "
                f"{log} ({change}, '{table}', NEW.id, 'insert', NULL); END"
            )
            self.conn.execute(
                f"CREATE TEMP TRIGGER undo_{table}_update AFTER UPDATE ON main.{table} BEGIN "
                f"{log} ({change}, '{table}', OLD.id, 'update', {old_row}); END"
            )
            self.conn.execute(
                f"CREATE TEMP TRIGGER undo_{table}_delete AFTER DELETE ON main.{table} BEGIN "
                f"{log} ({change}, '{table}', OLD.id, 'delete', {old_row}); END"
            )

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
            self.conn.execute(f"DELETE FROM {table} WHERE id = ?", (row_id,))
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
        pattern = "%" + fragment.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
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
        params: dict = {"end": end}
        where = "WHERE i.status = 'open' AND i.due < :end"
        if customer_id is not None:
            where += " AND i.customer_id = :customer"
            params["customer"] = customer_id
        sql = f"{_ITEM_WITH_CUSTOMER} {where} ORDER BY i.due, i.id"
        if limit is not None:
            sql += " LIMIT :limit"
            params["limit"] = limit
        return [_item_with_customer(row) for row in self.conn.execute(sql, params)]

    def count_open_items_due_before(self, end: str, *, customer_id: int | None = None) -> int:
        if customer_id is None:
            sql, params = "SELECT count(*) FROM items WHERE status = 'open' AND due < ?", [end]
        else:
            sql = "SELECT count(*) FROM items WHERE customer_id = ? AND status = 'open' AND due < ?"
            params = [customer_id, end]
        return self.conn.execute(sql, params).fetchone()[0]

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

    def last_contact(self, customer_id: int) -> Event | None:
        found = self.events(customer_id, types=CONTACT_EVENTS, newest=1)
        return found[0] if found else None


_ITEM_WITH_CUSTOMER = (
    "SELECT i.*, c.id AS c_id, c.name AS c_name, c.company AS c_company, c.email AS c_email, "
    "c.phone AS c_phone, c.channel AS c_channel, c.best_time AS c_best_time, c.tz AS c_tz "
    "FROM items i JOIN customers c ON c.id = i.customer_id"
)


def _to_column(value: object) -> object:
    if isinstance(value, When):
        return value.iso()
    if isinstance(value, dt.datetime):
        return utc_stamp(value)
    if isinstance(value, bool):
        return int(value)
    return value


def _when(text: str | None) -> When | None:
    return When.from_iso(text) if text else None


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
