"""The store: one SQLite file in WAL mode, opened, checked and migrated, and the parts
that know each concern's SQL.

Every write command runs in one `BEGIN IMMEDIATE` transaction (a deferred one that
reads then writes fails under contention in WAL mode), which also records what it
changed so that `undo` can revert it. Read commands never write: on a missing file
they read an empty in-memory database.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from tickle.errors import IncompatibleDatabase, StorageError
from tickle.store import files, migrations
from tickle.store.cases import Cases
from tickle.store.customers import Customers
from tickle.store.items import Events, Items
from tickle.store.undo import UndoLog

if TYPE_CHECKING:
    from tickle.store.imports import Imports
    from tickle.store.maintenance import Maintenance
    from tickle.store.report import Report
    from tickle.store.search import Search
    from tickle.store.sync import SyncState
    from tickle.store.tables import Tables


class Store:
    def __init__(self, conn: sqlite3.Connection, path: Path | None) -> None:
        self.conn = conn
        self.path = path
        self.warnings: list[str] = []
        self.undo = UndoLog(conn)
        self.customers = Customers(conn)
        self.items = Items(conn)
        self.events = Events(conn)
        self.cases = Cases(conn)

    # The parts only some commands use are imported when first asked for: every module
    # the agenda does not need is start-up time it does not pay.

    @cached_property
    def report(self) -> Report:
        from tickle.store.report import Report

        return Report(self.conn)

    @cached_property
    def imports(self) -> Imports:
        from tickle.store.imports import Imports

        return Imports(self.conn, self.undo)

    @cached_property
    def tables(self) -> Tables:
        from tickle.store.tables import Tables

        return Tables(self.conn)

    @cached_property
    def sync(self) -> SyncState:
        from tickle.store.sync import SyncState

        return SyncState(self.conn)

    @cached_property
    def search(self) -> Search:
        from tickle.store.search import Search

        return Search(self.conn)

    @cached_property
    def maintenance(self) -> Maintenance:
        from tickle.store.maintenance import Maintenance

        return Maintenance(self.conn, self.path)

    # -- opening -------------------------------------------------------------------

    @classmethod
    def open(cls, path: Path | None = None, *, write: bool, undoable: bool = True) -> Store:
        path = path or files.default_path()
        if not path.exists():
            if not write:
                return cls._empty()
            files.create_private_file(path)
        elif path.is_dir():
            raise StorageError(f"{path} is a folder, not a database file")
        store = cls(files.connect(path), path)
        try:
            store.warnings.extend(files.tighten_permissions(path))
            store._check_and_migrate()
            if write and undoable:
                store.undo.install_triggers()
        except sqlite3.Error as error:
            store.close()
            raise files.translate_error(error, path) from None
        except BaseException:
            store.close()
            raise
        return store

    @classmethod
    def open_read_only(cls, path: Path) -> Store:
        """`path` as it is: never created, migrated, tightened or written (tickle doctor)."""
        return cls(files.connect_read_only(path), path)

    @classmethod
    def _empty(cls) -> Store:
        conn = sqlite3.connect(":memory:", isolation_level=None)
        conn.row_factory = sqlite3.Row
        store = cls(conn, None)
        from tickle.store import schema

        if not schema.make_empty(conn):
            for step in migrations.MIGRATIONS:
                step(conn)
        return store

    def close(self) -> None:
        self.conn.close()

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
        files.backup(self.conn, target)
        return target

    def _migrate(self, version: int) -> None:
        for number, step in enumerate(migrations.MIGRATIONS, start=1):
            if number <= version:
                continue
            with self.immediate():
                # another tickle may have applied this step while this one waited for it
                if self.conn.execute("PRAGMA user_version").fetchone()[0] >= number:
                    continue
                step(self.conn)
                self.conn.execute(f"PRAGMA application_id = {migrations.APPLICATION_ID}")
                self.conn.execute(f"PRAGMA user_version = {number}")

    # -- transactions --------------------------------------------------------------

    @contextmanager
    def immediate(self) -> Iterator[None]:
        """A write transaction with no undo record (migrations, undo itself)."""
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as error:
            raise files.translate_error(error, self.path or ":memory:") from None
        try:
            yield
            self.conn.execute("COMMIT")
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise

    @contextmanager
    def transaction(self, command: str, at: dt.datetime) -> Iterator[None]:
        """One write command: all of it or nothing, and undoable as one change."""
        with self.immediate():
            self.undo.begin_change(command, at)
            yield
            self.undo.keep_recent()

    @contextmanager
    def snapshot(self) -> Iterator[None]:
        """Several reads that see one state of the file, whatever others commit meanwhile."""
        self.conn.execute("BEGIN")
        try:
            yield
        finally:
            self.conn.execute("COMMIT")

    def undo_last_change(self) -> str | None:
        """Revert the newest recorded change; returns its command, or None if none is left."""
        with self.immediate():
            return self.undo.revert_last()

    # -- erasure (tickle customer delete --purge) --------------------------------------

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
