"""The database file on disk: where it lives, opening it privately, copying it, and
what an SQLite failure means to the user."""

from __future__ import annotations

import os
import sqlite3
import stat
from pathlib import Path

from tickle.errors import DatabaseBusy, IncompatibleDatabase, StorageError, TickleError

BUSY_TIMEOUT_SECONDS = 5.0


def default_path() -> Path:
    if os.environ.get("TICKLE_DB"):
        return Path(os.environ["TICKLE_DB"]).expanduser()
    from platformdirs import user_data_path

    return user_data_path("tickle", appauthor=False) / "tickle.db"


def busy_timeout() -> float:
    """How long to wait for another writer: $TICKLE_BUSY_TIMEOUT, else database.busy_timeout."""
    from tickle import settings

    return settings.get("database.busy_timeout")


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


def connect(path: Path) -> sqlite3.Connection:
    try:
        conn = sqlite3.connect(path, timeout=busy_timeout(), isolation_level=None)
        conn.row_factory = sqlite3.Row
        conn.execute("PRAGMA foreign_keys = ON")
    except sqlite3.Error as error:
        raise translate_error(error, path) from None
    return conn


def connect_read_only(path: Path) -> sqlite3.Connection:
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
    return conn


def create_private_file(path: Path, *, exist_ok: bool = False) -> None:
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


def tighten_permissions(path: Path) -> list[str]:
    """Make the database and its -wal/-shm files private; a warning for each that was not."""
    warnings = []
    for candidate in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        try:
            mode = stat.S_IMODE(candidate.stat().st_mode)
        except FileNotFoundError:
            continue
        if mode & 0o077:
            try:
                candidate.chmod(0o600)
            except OSError:
                continue
            warnings.append(
                f"{candidate} was readable by others (mode {mode:o}); "
                "tightened to 600: it holds personal data"
            )
    return warnings


def backup(conn: sqlite3.Connection, target: Path) -> None:
    """An online copy through SQLite's backup API, written privately and atomically."""
    temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")  # one per process
    create_private_file(temporary, exist_ok=True)
    try:
        copy = sqlite3.connect(temporary)
        try:
            conn.backup(copy)
        finally:
            copy.close()
        os.replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def remove_created(paths: list[Path]) -> None:
    """Remove a database file a failed command created (with its -wal, -shm and
    -journal), then the folders it created for it, innermost first."""
    if not paths:
        return
    database, *folders = paths
    for suffix in ("", "-wal", "-shm", "-journal"):
        try:
            Path(f"{database}{suffix}").unlink(missing_ok=True)
        except OSError:
            pass
    for folder in folders:
        try:
            folder.rmdir()
        except OSError:
            break
