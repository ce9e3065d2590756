"""Run the installed tickle as a real process, as a user or a cron job does, and look at
its database from outside: for the tests of concurrent use, crashes and signals."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

NOW = "2026-11-23T10:07:33"  # a Monday, as in conftest
ZONE = "America/New_York"
TICKLE = [sys.executable, "-m", "tickle"]
TABLES = ("customers", "items", "events", "changes", "undo_log")


def environment(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TICKLE_")}
    env.update(TICKLE_NOW=NOW, TZ=ZONE, XDG_DATA_HOME=str(tmp_path / "xdg"), NO_COLOR="1")
    env.update(extra)
    return env


def command(db: Path, *args: str) -> list[str]:
    return [*TICKLE, "--db", str(db), *args]


def run(
    db: Path, *args: str, env: dict[str, str], timeout: float = 60
) -> subprocess.CompletedProcess:
    return subprocess.run(
        command(db, *args), env=env, capture_output=True, text=True, timeout=timeout, check=False
    )


def start(db: Path, *args: str, env: dict[str, str]) -> subprocess.Popen:
    return subprocess.Popen(
        command(db, *args),
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def has_open(process: subprocess.Popen, db: Path) -> bool:
    """Whether `process` has `db` open (Linux: seen in /proc)."""
    target = os.path.realpath(db)
    try:
        return any(
            os.path.realpath(fd) == target for fd in Path(f"/proc/{process.pid}/fd").iterdir()
        )
    except (FileNotFoundError, PermissionError):
        return False


def wait_until_open(process: subprocess.Popen, db: Path, timeout: float = 20) -> None:
    """Return once `process` has opened `db` (it then holds its write transaction
    within a millisecond): the moment an import starts its real work."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"tickle ended before opening {db}: {process.communicate()}")
        if has_open(process, db):
            return
        time.sleep(0.001)
    raise AssertionError(f"tickle did not open {db} within {timeout} s")


def connect(db: Path) -> sqlite3.Connection:
    return sqlite3.connect(db, timeout=10)


def counts(db: Path) -> dict[str, int]:
    conn = connect(db)
    try:
        return {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}
    finally:
        conn.close()


def integrity(db: Path) -> list[str]:
    conn = connect(db)
    try:
        return [row[0] for row in conn.execute("PRAGMA integrity_check")]
    finally:
        conn.close()


def copy_database(source: Path, target: Path) -> Path:
    """A fresh copy through SQLite's backup API (never by copying files next to a WAL)."""
    src, dst = sqlite3.connect(source), sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        src.close()
        dst.close()
    target.chmod(0o600)
    return target


def sidecars(db: Path) -> list[str]:
    """The -wal and -journal files next to `db`: the ones that must never be deleted."""
    return sorted(p.name for p in db.parent.iterdir() if p.name.startswith(db.name + "-"))
