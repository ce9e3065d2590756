"""Several tickles at once on one file: a rep's commands, a cron agenda, two imports.

Every process here is the installed tickle, started the way a shell starts it."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from tickle_process import counts, environment, integrity, run, start, wait_until_open

linux_only = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="polls /proc to see tickle open the file"
)


def rows(db: Path, sql: str) -> list[tuple]:
    import sqlite3

    conn = sqlite3.connect(db)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def titles(db: Path) -> list[str]:
    return [row[0] for row in rows(db, "SELECT title FROM items ORDER BY id")]


def adds_while_reading(db: Path, env: dict, writers: int, adds: int, rounds: int = 0) -> None:
    """`writers` processes at once, each adding `adds` follow-ups one after the other,
    while agenda and list are read side by side (`rounds` times each, or until the
    writers are done); then check that every follow-up landed exactly once."""
    results: list[subprocess.CompletedProcess] = []
    reads: list[tuple[str, subprocess.CompletedProcess]] = []
    done = threading.Event()

    def writer(w: int) -> None:
        for n in range(adds):
            results.append(run(db, "add", "bob", "today", f"call w{w}-{n}", env=env))

    def reader(*args: str) -> None:
        count = 0
        while count < max(rounds, 1) or (not rounds and not done.is_set()):
            reads.append((args[0], run(db, *args, env=env)))
            count += 1

    readers = [
        threading.Thread(target=reader, args=args)
        for args in (("agenda", "--format", "json"), ("list",))
    ]
    threads = [threading.Thread(target=writer, args=(w,)) for w in range(writers)]
    for thread in readers + threads:
        thread.start()
    for thread in threads:
        thread.join()
    done.set()
    for thread in readers:
        thread.join()

    expected = {f"call w{w}-{n}" for w in range(writers) for n in range(adds)}
    assert len(results) == len(expected)
    for result in results:
        assert (result.returncode, result.stderr) == (0, ""), result.stderr
        assert result.stdout.startswith("Added follow-up #")
    stored = titles(db)
    assert len(stored) == len(expected)
    assert set(stored) == expected
    for name, result in reads:
        assert (result.returncode, result.stderr) == (0, ""), f"{name}: {result.stderr}"
        assert "locked" not in result.stderr
        if name == "agenda":
            assert isinstance(json.loads(result.stdout), list)
    assert integrity(db) == ["ok"]


def test_concurrent_adds_all_land_once_while_the_agenda_is_read(book, tmp_path):
    adds_while_reading(book.db, environment(tmp_path), writers=3, adds=1, rounds=1)


@pytest.mark.slow
def test_many_concurrent_adds_all_land_once_while_the_agenda_is_read(book, tmp_path):
    adds_while_reading(book.db, environment(tmp_path), writers=6, adds=3)


def customers_csv(path: Path, numbers: range, *, shout: bool = False) -> Path:
    with path.open("w", encoding="utf-8") as out:
        out.write("name,email,company\n")
        for n in numbers:
            email = f"p{n}@example.com"
            out.write(f"Person {n},{email.upper() if shout else email},Company {n % 7}\n")
    return path


def test_two_imports_of_overlapping_files_at_once_make_no_duplicates(book, tmp_path):
    first = customers_csv(tmp_path / "first.csv", range(300))
    second = customers_csv(tmp_path / "second.csv", range(150, 450), shout=True)
    env = environment(tmp_path)
    imports = [start(book.db, "import", "customers", str(f), env=env) for f in (first, second)]
    outputs = [process.communicate(timeout=60) for process in imports]
    created = 0
    for process, (out, err) in zip(imports, outputs, strict=True):
        assert (process.returncode, err) == (0, ""), err
        created += int(out.split(": ")[1].split(" created")[0])
    assert created == 450
    [(total, distinct)] = rows(
        book.db,
        "SELECT count(*), count(DISTINCT lower(email)) FROM customers WHERE email IS NOT NULL",
    )
    assert total == distinct == 2 + 450  # the book's two customers with an email, and 450
    assert integrity(book.db) == ["ok"]


def test_a_lock_held_past_the_busy_timeout_waits_then_fails_cleanly(book, tmp_path):
    """The in-process test in test_store checks the message; here a real process is
    seen to wait the whole timeout first, and the next command to succeed."""
    import sqlite3

    env = environment(tmp_path, TICKLE_BUSY_TIMEOUT="0.3")
    before = counts(book.db)
    holder = sqlite3.connect(book.db, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        started = time.monotonic()
        result = run(book.db, "add", "bob", "today", env=env)
        waited = time.monotonic() - started
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert result.returncode == 75
    assert result.stderr.startswith("tickle: ") and "busy" in result.stderr
    assert result.stderr.count("\n") == 1
    assert waited >= 0.3
    assert counts(book.db) == before
    assert run(book.db, "add", "bob", "today", env=env).returncode == 0
    assert counts(book.db)["items"] == before["items"] + 1


@linux_only
def test_a_write_waits_for_a_short_lock_instead_of_failing(book, tmp_path):
    import sqlite3

    env = environment(tmp_path, TICKLE_BUSY_TIMEOUT="5")
    holder = sqlite3.connect(book.db, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    adding = start(book.db, "add", "bob", "today", env=env)
    wait_until_open(adding, book.db)
    time.sleep(0.2)
    assert adding.poll() is None  # still waiting for the lock
    holder.execute("COMMIT")
    holder.close()
    _, err = adding.communicate(timeout=30)
    assert (adding.returncode, err) == (0, "")
    assert rows(book.db, "SELECT count(*) FROM items") == [(1,)]


@pytest.mark.slow
def test_tickles_started_together_on_an_old_schema_migrate_it_once(tmp_path):
    """After an upgrade the cron agenda and a rep's command may both find the old schema:
    one migrates, the other waits and must not run the same steps again."""
    import sqlite3

    from tickle.store import migrations

    db = tmp_path / "tickle.db"
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    migrations.m001_initial(conn)
    conn.execute(f"PRAGMA application_id = {migrations.APPLICATION_ID}")
    conn.execute("PRAGMA user_version = 1")
    stamp = "2026-11-20T15:00:00Z"
    conn.execute(
        "INSERT INTO customers (name, created_at, updated_at) VALUES ('Bob Stone', ?, ?)",
        (stamp, stamp),
    )
    conn.executemany(  # enough rows that each step takes a few milliseconds
        "INSERT INTO items (kind, customer_id, title, due, status, created_at) "
        "VALUES ('followup', 1, ?, '2026-01-05', 'done', ?)",
        ((f"old call {n}", stamp) for n in range(5000)),
    )
    conn.close()
    db.chmod(0o600)
    env = environment(tmp_path)
    commands = [("agenda",)] * 4 + [("add", "bob", "today", f"call {n}") for n in range(2)]
    processes = [start(db, *args, env=env) for args in commands]
    for process in processes:
        _, err = process.communicate(timeout=60)
        assert (process.returncode, err) == (0, ""), err
    assert rows(db, "SELECT count(*) FROM items WHERE status = 'open'") == [(2,)]
    assert integrity(db) == ["ok"]
