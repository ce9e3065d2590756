"""`tickle doctor`: what is wrong with the database file, and what to do about it.

Every check looks and never touches: the file is opened read-only, nothing is
migrated, tightened or repaired. A check is ok, a warning (tickle works, but
something deserves attention) or a problem; a problem carries the exit code the
command ends with: 74 the file is corrupt or unreadable, 78 it is not a database
this tickle can use, 1 anything else.
"""

from __future__ import annotations

import shlex
import stat
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from tickle.domain.backup import BACKUP_FOLDER, size_text
from tickle.errors import EXIT_INCOMPATIBLE, EXIT_IO, EXIT_OK, TickleError
from tickle.store import migrations

if TYPE_CHECKING:
    from tickle.store import Store

OK, WARNING, PROBLEM = "ok", "warning", "problem"
EXIT_PROBLEM = 1
# A WAL this much bigger than SQLite's automatic checkpoint (about 4 MB) means
# checkpoints are being held back by a reader that never lets go.
LARGE_WAL = 16 * 1024 * 1024


@dataclass(frozen=True)
class Check:
    check: str
    status: str
    detail: str
    advice: str = ""
    exit_code: int = EXIT_OK

    def as_dict(self) -> dict:
        return {
            "check": self.check,
            "status": self.status,
            "detail": self.detail,
            "advice": self.advice,
        }


def ok(check: str, detail: str) -> Check:
    return Check(check, OK, detail)


def warning(check: str, detail: str, advice: str) -> Check:
    return Check(check, WARNING, detail, advice)


def problem(check: str, detail: str, advice: str, exit_code: int = EXIT_PROBLEM) -> Check:
    return Check(check, PROBLEM, detail, advice, exit_code)


def exit_code(checks: list[Check]) -> int:
    """0 when nothing is a problem; else the gravest: corrupt, then unusable, then other."""
    codes = {check.exit_code for check in checks if check.status == PROBLEM}
    for code in (EXIT_IO, EXIT_INCOMPATIBLE, EXIT_PROBLEM):
        if code in codes:
            return code
    return max(codes, default=EXIT_OK)


def examine(path: Path, open_read_only: Callable[[Path], Store]) -> list[Check]:
    """Every check of the database at `path`, in the order a user would fix them."""
    found = _file(path)
    if found.status != OK:
        return [found]
    # The files are looked at before SQLite opens them (it may add an empty -wal).
    checks = [found, *_permissions(path), _wal(path), _migration_backups(path)]
    try:
        store = open_read_only(path)
    except TickleError as error:
        return [*checks, _unreadable("format", error)]
    try:
        checks.extend(_database(store))
    finally:
        store.close()
    return checks


def _file(path: Path) -> Check:
    if not path.exists():
        return problem(
            "file",
            f"there is no database at {path}",
            "check --db and $TICKLE_DB; tickle creates the file on the first write command",
        )
    if not path.is_file():
        return problem("file", f"{path} is not a file", "give --db a database file", EXIT_IO)
    return ok("file", f"{path} ({size_text(path.stat().st_size)})")


def _mode(path: Path) -> int | None:
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except OSError:
        return None


def _private_files(path: Path) -> list[Path]:
    """The files that hold the book's data: the database, SQLite's companions, backups."""
    files = [path, Path(f"{path}-wal"), Path(f"{path}-shm"), *_schema_backups(path)]
    folder = path.parent / BACKUP_FOLDER
    if folder.is_dir():
        files.extend(sorted(p for p in folder.iterdir() if p.is_file()))
    return [p for p in files if p.exists()]


def _permissions(path: Path) -> list[Check]:
    loose = [(p, m) for p in _private_files(path) if (m := _mode(p)) is not None and m & 0o077]
    if loose:
        files = problem(
            "file permissions",
            "readable or writable by others: " + ", ".join(f"{p} ({m:o})" for p, m in loose),
            "they hold personal data; run: chmod 600 " + _quoted(p for p, _ in loose),
        )
    else:
        files = ok("file permissions", "the database and its copies are private (600)")
    folders = [path.parent, path.parent / BACKUP_FOLDER]
    open_folders = [(f, m) for f in folders if (m := _mode(f)) is not None and m & 0o077]
    if open_folders:
        where = warning(
            "folder permissions",
            "others can look into " + ", ".join(f"{f} ({m:o})" for f, m in open_folders),
            "they can see file names and sizes; run: chmod 700 "
            + _quoted(f for f, _ in open_folders),
        )
    else:
        where = ok("folder permissions", "the data folder is private (700)")
    return [files, where]


def _wal(path: Path) -> Check:
    wal = Path(f"{path}-wal")
    size = wal.stat().st_size if wal.exists() else 0
    if size > LARGE_WAL:
        return warning(
            "WAL",
            f"{wal} is {size_text(size)}: its changes are not yet in the database file",
            "close programs that keep the database open (a sqlite3 shell, Datasette); the "
            "next tickle command then folds it in. Never delete or move the -wal file",
        )
    return ok("WAL", f"{size_text(size)}" if wal.exists() else "no WAL file: all changes saved")


def _schema_backups(path: Path) -> list[Path]:
    """The copies made before upgrades, and any such copy a killed tickle left unfinished."""
    name = _glob_escape(path.name)
    return sorted(
        [*path.parent.glob(f"{name}.schema*.bak"), *path.parent.glob(f".{name}.schema*.bak.*.tmp")]
    )


def _migration_backups(path: Path) -> Check:
    copies = _schema_backups(path)
    if not copies:
        return ok("migration backups", "none")
    total = sum(p.stat().st_size for p in copies)
    return warning(
        "migration backups",
        f"{len(copies)} left from schema upgrades ({size_text(total)}): "
        + ", ".join(f"{p.name} ({size_text(p.stat().st_size)})" for p in copies),
        "copies made before an upgrade, with personal data in them; once tickle works "
        "with the upgraded database, delete them: rm " + _quoted(copies),
    )


def _database(store: Store) -> list[Check]:
    try:
        header = store.maintenance.header()
    except TickleError as error:
        return [_unreadable("format", error)]
    checks = [_format(store.path, header)]
    if checks[0].status == PROBLEM:
        return checks
    version, latest = header["user_version"], migrations.latest_version()
    checks.append(_schema(store.path, version, latest))
    integrity = _integrity(store)
    checks.append(integrity)
    if integrity.status != OK or header["tables"] == 0 or version > latest:
        return checks  # the rows of a damaged or unknown schema say nothing reliable
    try:
        checks.append(_foreign_keys(store.maintenance.foreign_key_violations()))
        checks.extend(_orphans(store, store.maintenance.orphans()))
    except TickleError as error:
        checks.append(_unreadable("rows", error))
    return checks


def _unreadable(check: str, error: TickleError) -> Check:
    if error.exit_code == EXIT_INCOMPATIBLE:
        advice = "use --db to choose your tickle database"
    else:
        advice = "copy the file somewhere safe first, then restore your latest backup"
    return problem(check, error.message, advice, error.exit_code)


def _format(path: Path | None, header: dict) -> Check:
    app_id = header["application_id"]
    if app_id == migrations.APPLICATION_ID:
        return ok("format", f"a tickle database (application_id {app_id:#x})")
    if app_id == 0 and header["user_version"] == 0 and header["tables"] == 0:
        return warning(
            "format",
            "an empty SQLite file",
            "tickle sets it up on the next write command (for example 'tickle customer add')",
        )
    what = (
        f"an SQLite database of another program ({header['tables']} tables)"
        if app_id == 0
        else f"an SQLite database of another program (application_id {app_id:#x})"
    )
    return problem(
        "format",
        f"{what}, not a tickle database",
        "use --db to choose your tickle database",
        EXIT_INCOMPATIBLE,
    )


def _schema(path: Path | None, version: int, latest: int) -> Check:
    if version == latest or version == 0:
        return ok("schema", f"version {version} (current)" if version else "not set up yet")
    if version < latest:
        return warning(
            "schema",
            f"version {version}, older than this tickle's {latest}",
            f"the next write command upgrades it, after copying it to {path}.schema{version}.bak",
        )
    return problem(
        "schema",
        f"version {version}, newer than this tickle knows ({latest})",
        "upgrade tickle to use this database; this tickle leaves it untouched",
        EXIT_INCOMPATIBLE,
    )


def _integrity(store: Store) -> Check:
    try:
        errors = store.maintenance.integrity_errors()
    except TickleError as error:
        return _unreadable("integrity", error)
    if not errors:
        return ok("integrity", "PRAGMA integrity_check: ok")
    more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
    return problem(
        "integrity",
        f"the database is corrupt: {errors[0]}{more}",
        f"copy {store.path} somewhere safe first; then restore your latest 'tickle backup', "
        f"or recover what is left: sqlite3 {_quoted([store.path])} .recover "
        "| sqlite3 recovered.db",
        EXIT_IO,
    )


def _foreign_keys(violations: dict[str, int]) -> Check:
    if not violations:
        return ok("foreign keys", "PRAGMA foreign_key_check: ok")
    total = sum(violations.values())
    by_table = ", ".join(f"{table} {n}" for table, n in sorted(violations.items()))
    return problem(
        "foreign keys",
        f"{total} row{'s' if total != 1 else ''} point at rows that are gone ({by_table})",
        "the orphan checks below say which and how to clear them",
    )


ORPHAN_WORDS = {
    "items": ("follow-ups, promises or cases whose customer is gone", PROBLEM),
    "events": ("history entries whose customer or item is gone", PROBLEM),
    "check-ins": ("check-ins whose case is gone", PROBLEM),
    "undo entries": ("undo entries without their change", WARNING),
}


def _orphans(store: Store, counts: dict[str, int]) -> list[Check]:
    checks = []
    for kind, count in counts.items():
        words, status = ORPHAN_WORDS[kind]
        name = f"orphaned {kind}"
        if not count:
            checks.append(ok(name, "none"))
            continue
        command = (
            f"sqlite3 {_quoted([store.path])} {shlex.quote(store.maintenance.orphan_cleanup(kind))}"
        )
        detail = f"{count} {words}"
        if status == WARNING:
            checks.append(warning(name, detail, f"harmless; to clear them: {command}"))
        else:
            advice = f"tickle cannot show them; after 'tickle backup', clear them: {command}"
            checks.append(problem(name, detail, advice))
    return checks


def _quoted(paths) -> str:
    return " ".join(shlex.quote(str(p)) for p in paths)


def _glob_escape(name: str) -> str:
    import glob

    return glob.escape(name)
