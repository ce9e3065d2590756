"""`tickle backup`: a private, atomic, online copy that opens as the same tickle database."""

from __future__ import annotations

import os
import resource
import shutil
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import NOW, ZONE

from tickle.domain.backup import size_text

DATED = "tickle-2026-11-23T100733.db"
TABLES = ("customers", "items", "events")


def rows_of(db: Path) -> dict[str, list[tuple]]:
    conn = sqlite3.connect(f"{db.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return {t: conn.execute(f"SELECT * FROM {t} ORDER BY id").fetchall() for t in TABLES}
    finally:
        conn.close()


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


def test_backup_writes_a_dated_private_copy_next_to_the_database(busy):
    out = busy.ok("backup")
    copy = busy.db.parent / "backups" / DATED
    assert out == f"Backed up {busy.db} to {copy} ({size_text(copy.stat().st_size)}).\n"
    assert mode(copy) == 0o600
    assert mode(copy.parent) == 0o700
    assert leftovers(copy.parent) == []


def test_the_backup_opens_as_the_same_tickle_database(busy):
    busy.ok("backup")
    copy = busy.db.parent / "backups" / DATED
    assert rows_of(copy) == rows_of(busy.db)
    conn = sqlite3.connect(copy)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert conn.execute("PRAGMA application_id").fetchone() == (0x7469636B,)
    finally:
        conn.close()
    restored = type(busy)(copy)
    assert restored.ok("agenda", "--format", "json") == busy.ok("agenda", "--format", "json")
    assert restored("doctor").code == 0


def test_a_second_backup_in_the_same_second_keeps_the_first(busy):
    busy.ok("backup")
    out = busy.ok("backup")
    assert "tickle-2026-11-23T100733-2.db" in out
    assert len(list((busy.db.parent / "backups").iterdir())) == 2


def test_backup_to_a_named_file_replaces_it(busy, tmp_path):
    target = tmp_path / "monday.db"
    target.write_text("an older copy")
    out = busy.ok("backup", str(target))
    assert out == f"Backed up {busy.db} to {target} ({size_text(target.stat().st_size)}).\n"
    assert rows_of(target) == rows_of(busy.db)
    assert mode(target) == 0o600


def test_backup_refuses_standard_output(busy):
    result = busy("backup", "-")
    assert (result.code, result.out) == (2, "")
    assert result.err == "tickle: a backup is a binary SQLite file: give a file name, not -\n"


@pytest.mark.parametrize("name", ["tickle.db", "tickle.db-wal", "tickle.db-shm", "link.db"])
def test_backup_refuses_to_overwrite_the_database(busy, name):
    (busy.db.parent / "link.db").symlink_to(busy.db)
    before = busy.snapshot()
    target = busy.db.parent / name
    result = busy("backup", str(target))
    assert result.code == 2
    assert result.err == (
        f"tickle: {target} is the database itself (or one of its files): choose another file\n"
    )
    assert busy.snapshot() == before


def test_backup_of_a_missing_database_is_one_line_and_creates_nothing(tickle):
    result = tickle("backup")
    assert result.code == 2
    assert result.err == (
        f"tickle: there is no database at {tickle.db}: nothing to back up "
        "(check --db or $TICKLE_DB)\n"
    )
    assert list(tickle.db.parent.iterdir()) == []


def test_backup_to_a_folder_is_one_line(busy, tmp_path):
    result = busy("backup", str(tmp_path))
    assert result.code == 74
    assert result.err == f"tickle: cannot write {tmp_path}: it is a folder (give a file name)\n"


def test_backup_to_a_missing_folder_is_one_line(busy, tmp_path):
    target = tmp_path / "usb" / "b.db"
    result = busy("backup", str(target))
    assert result.code == 74
    assert result.err == f"tickle: cannot write {target}: there is no folder {target.parent}\n"
    assert not target.parent.exists()


def test_backup_to_dev_full_is_one_line_and_leaves_it_alone(busy):
    result = busy("backup", "/dev/full")
    assert result.code == 74
    assert result.err == "tickle: cannot write /dev/full: it is not a regular file\n"
    assert stat.S_ISCHR(os.stat("/dev/full").st_mode)
    assert not Path("/dev/.full.tmp").exists()


# Another program in the middle of a write: it holds the write lock until told to commit.
WRITER = """
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("BEGIN IMMEDIATE")
conn.execute("INSERT INTO customers (name, created_at, updated_at) VALUES ('Late', 'x', 'x')")
print("holding", flush=True)
sys.stdin.readline()
conn.execute("COMMIT")
"""


def test_backup_works_while_another_process_is_writing(busy):
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(busy.db)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert writer.stdout.readline() == "holding\n"
        result = busy("backup", env={"TICKLE_BUSY_TIMEOUT": "0"})
    finally:
        writer.communicate("go\n", timeout=10)
    assert result.code == 0, result.err
    copy = busy.db.parent / "backups" / DATED
    assert [row[1] for row in rows_of(copy)["customers"]] == [
        "Ana Silva",
        "Bob Stone",
        "Anabel Cruz",
    ]
    assert len(rows_of(busy.db)["customers"]) == 4


def test_exports_and_backups_are_private_under_umask_022(busy, tmp_path):
    old = os.umask(0o022)
    try:
        busy.ok("export", "all", "-o", str(tmp_path / "export.json"))
        busy.ok("export", "customers", "--format", "csv", "-o", str(tmp_path / "customers.csv"))
        busy.ok("backup")
        busy.ok("backup", str(tmp_path / "named.db"))
    finally:
        os.umask(old)
    assert mode(tmp_path / "export.json") == 0o600
    assert mode(tmp_path / "customers.csv") == 0o600
    assert mode(busy.db.parent / "backups") == 0o700
    assert mode(busy.db.parent / "backups" / DATED) == 0o600
    assert mode(tmp_path / "named.db") == 0o600


# -- failures while writing: the previous file stays as it was ------------------------------


# The two commands that write a file of the user's choosing.
WRITERS = {
    "backup": lambda target: ["backup", str(target)],
    "export": lambda target: ["export", "all", "-o", str(target)],
}


def run_backup(
    db: Path, target: Path, *, prefix=(), limit_bytes: int | None = None, command="backup"
):
    """`tickle backup` (or export) in its own process, as a user without root's powers
    would run it."""

    def limits() -> None:
        if limit_bytes is not None:
            resource.setrlimit(resource.RLIMIT_FSIZE, (limit_bytes, limit_bytes))

    env = dict(os.environ, TICKLE_NOW=NOW, TZ=ZONE, PYTHONDONTWRITEBYTECODE="1")
    return subprocess.run(
        [*prefix, sys.executable, "-m", "tickle", "--db", str(db), *WRITERS[command](target)],
        check=False,
        capture_output=True,
        text=True,
        env=env,
        preexec_fn=limits,
        timeout=30,
    )


def without_root() -> list[str]:
    """Root ignores file modes: drop the powers that let it (or skip where it cannot)."""
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("running as root without setpriv")
    return [setpriv, "--bounding-set", "-dac_override,-dac_read_search,-fowner"]


@pytest.mark.parametrize("command", WRITERS)
def test_backup_into_a_read_only_folder_keeps_the_previous_file(busy, tmp_path, command):
    folder = tmp_path / "locked"
    folder.mkdir()
    previous = folder / "backup.db"
    previous.write_bytes(b"last week's backup")
    folder.chmod(0o500)
    try:
        result = run_backup(busy.db, previous, prefix=without_root(), command=command)
    finally:
        folder.chmod(0o700)
    assert result.returncode == 74
    assert result.stderr == f"tickle: cannot write {previous}: Permission denied\n"
    assert previous.read_bytes() == b"last week's backup"
    assert os.listdir(folder) == ["backup.db"]


@pytest.mark.parametrize("command", WRITERS)
def test_backup_on_a_full_disk_keeps_the_previous_file(busy, tmp_path, command):
    # A file size limit makes writes fail as a full disk does, past the first 40 KB.
    conn = sqlite3.connect(busy.db)  # notes enough for an export as big as the backup
    conn.execute("UPDATE customers SET note = ?", ("the renewal, and more " * 1000,))
    conn.commit()
    conn.close()
    assert busy.db.stat().st_size > 60 * 1024
    previous = tmp_path / "backup.db"
    previous.write_bytes(b"last week's backup")
    result = run_backup(busy.db, previous, limit_bytes=40 * 1024, command=command)
    assert result.returncode == 74
    assert result.stderr.startswith(f"tickle: cannot write {previous}: ")
    assert result.stderr.count("\n") == 1
    assert "Traceback" not in result.stderr
    assert previous.read_bytes() == b"last week's backup"
    assert leftovers(tmp_path) == []


def test_backup_of_a_file_that_is_not_a_database_leaves_nothing_behind(tickle, tmp_path):
    tickle.db.write_text("name,email\nAna,ana@acme.example\n" * 200)
    target = tmp_path / "copy.db"
    result = tickle("backup", str(target))
    assert result.code == 78
    assert result.err == f"tickle: {tickle.db} is not a tickle database\n"
    assert not target.exists()
    assert leftovers(tmp_path) == []
