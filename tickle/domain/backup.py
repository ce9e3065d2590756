"""Where a backup of the database goes, and what it may never overwrite.

A backup is an SQLite file like the database itself, readable by its owner only;
by default it is dated and kept in a private `backups` folder next to the database.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from tickle.errors import InputError, StorageError

BACKUP_FOLDER = "backups"
# SQLite's own companions of a database file: replacing one loses committed data.
COMPANIONS = ("", "-wal", "-shm", "-journal")


def backup_target(database: Path, file: str | None, now: dt.datetime) -> Path:
    """The file to write the backup of `database` to: `file`, or a new dated one."""
    if not database.exists():
        raise InputError(
            f"there is no database at {database}: nothing to back up (check --db or $TICKLE_DB)"
        )
    if database.is_dir():
        raise StorageError(f"{database} is a folder, not a database file")
    if file == "-":
        raise InputError("a backup is a binary SQLite file: give a file name, not -")
    if file is None:
        return _dated_file(database, now)
    target = Path(file).expanduser()
    refuse_to_overwrite(database, target)
    if target.is_dir():
        raise StorageError(f"cannot write {target}: it is a folder (give a file name)")
    if target.exists() and not target.is_file():
        raise StorageError(f"cannot write {target}: it is not a regular file")
    if not target.parent.is_dir():
        raise StorageError(f"cannot write {target}: there is no folder {target.parent}")
    return target


def refuse_to_overwrite(database: Path, target: Path) -> None:
    """Writing a backup or an export over the database or one of its files loses it."""
    live = {Path(f"{database.resolve()}{suffix}") for suffix in COMPANIONS}
    same = target.resolve() in live or (target.exists() and os.path.samefile(target, database))
    if same:
        raise InputError(
            f"{target} is the database itself (or one of its files): choose another file"
        )


def _dated_file(database: Path, now: dt.datetime) -> Path:
    folder = database.parent / BACKUP_FOLDER
    try:
        folder.mkdir(mode=0o700)
        folder.chmod(0o700)
    except FileExistsError:
        pass  # an existing folder keeps the mode its owner chose ('tickle doctor' checks it)
    except OSError as error:
        raise StorageError(f"cannot create {folder}: {error.strerror or error}") from None
    stem = f"{database.stem}-{now:%Y-%m-%dT%H%M%S}"
    target = folder / f"{stem}.db"
    number = 2
    while target.exists():  # never replace an earlier backup of the same second
        target = folder / f"{stem}-{number}.db"
        number += 1
    return target


def size_text(size: int) -> str:
    """A file size as people read it: 812 bytes, 48 KB, 3.2 MB."""
    if size < 1024:
        return f"{size} bytes"
    if size < 1024 * 1024:
        return f"{size / 1024:.0f} KB"
    if size < 1024**3:
        return f"{size / 1024**2:.1f} MB"
    return f"{size / 1024**3:.1f} GB"
