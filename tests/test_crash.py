"""Crashes and signals: a killed or interrupted tickle leaves all of a change or none of it.

The processes here are the installed tickle, run as a user or a cron job runs it, and
killed the way a laptop lid, an out-of-memory killer or Ctrl-C kills it.
"""

from __future__ import annotations

import random
import signal
import sqlite3
import sys
import time
from functools import partial
from pathlib import Path

import pytest
from tickle_process import (
    connect,
    copy_database,
    counts,
    environment,
    has_open,
    integrity,
    run,
    sidecars,
    start,
    wait_until_open,
)

from tickle.store import migrations

linux_only = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="polls /proc to see the import start"
)


def customers_csv(path: Path, rows: int, prefix: str = "p") -> Path:
    with path.open("w", encoding="utf-8") as out:
        out.write("name,email,company,phone\n")
        for n in range(rows):
            out.write(f"Person {prefix}{n},{prefix}{n}@example.com,Company {n % 97},555 {n:07d}\n")
    return path


def assert_untouched(db: Path, before: dict[str, int], changes_before: list) -> None:
    assert counts(db) == before
    assert rows(db, "SELECT * FROM changes ORDER BY id") == changes_before
    assert integrity(db) == ["ok"]


def rows(db: Path, sql: str) -> list[tuple]:
    conn = connect(db)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


# -- Ctrl-C and SIGTERM during an import ----------------------------------------------


@linux_only
def test_ctrl_c_during_an_import_exits_130_and_writes_nothing(book, tmp_path):
    source = customers_csv(tmp_path / "big.csv", 20_000)
    before, changes = counts(book.db), rows(book.db, "SELECT * FROM changes ORDER BY id")
    env = environment(tmp_path)
    importing = start(book.db, "import", "customers", str(source), env=env)
    wait_until_open(importing, book.db)
    importing.send_signal(signal.SIGINT)
    out, err = importing.communicate(timeout=30)
    assert importing.returncode == 130
    assert err == "tickle: interrupted: nothing was changed\n"
    assert out == ""
    assert_untouched(book.db, before, changes)
    assert run(book.db, "add", "bob", "today", env=env).returncode == 0


@linux_only
def test_sigterm_during_an_import_ends_it_and_writes_nothing(book, tmp_path):
    source = customers_csv(tmp_path / "big.csv", 20_000)
    before, changes = counts(book.db), rows(book.db, "SELECT * FROM changes ORDER BY id")
    env = environment(tmp_path, TICKLE_BUSY_TIMEOUT="1")
    importing = start(book.db, "import", "customers", str(source), env=env)
    wait_until_open(importing, book.db)
    importing.send_signal(signal.SIGTERM)
    _, err = importing.communicate(timeout=30)
    assert importing.returncode == -signal.SIGTERM  # 143 in a shell, like any program
    assert "Traceback" not in err
    assert_untouched(book.db, before, changes)
    # the dead writer's lock went with it: the next write does not wait
    started = time.monotonic()
    assert run(book.db, "add", "bob", "today", env=env).returncode == 0
    assert time.monotonic() - started < 1


def test_ctrl_c_once_the_import_is_saved_says_so(book, tmp_path, monkeypatch):
    """Ctrl-C that arrives after the commit (here: while the summary is printed) is too
    late to stop anything: tickle must not claim that nothing was changed."""
    import os

    from tickle.cli import transfer

    source = customers_csv(tmp_path / "few.csv", 3)
    monkeypatch.setattr(transfer, "say", lambda line: os.kill(os.getpid(), signal.SIGINT))
    result = book("import", "customers", str(source))
    assert (result.code, result.err) == (130, "tickle: interrupted: the change was saved\n")
    assert book.rows("SELECT count(*) FROM customers") == [(6,)]
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def test_ctrl_c_is_held_while_a_write_commits(book, monkeypatch):
    from tickle.store import Store

    commit = Store.transaction
    seen = []

    def watched(self, command, at):
        with commit(self, command, at):
            yield
            seen.append(signal.getsignal(signal.SIGINT))  # just before COMMIT

    import contextlib

    monkeypatch.setattr(Store, "transaction", contextlib.contextmanager(watched))
    book.ok("add", "bob", "today")
    assert seen == [signal.SIG_IGN]
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def test_ctrl_c_while_tickle_starts_is_one_line_not_a_traceback(monkeypatch, capsys):
    import importlib

    import typer.main

    root = importlib.import_module("tickle.cli.app")

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(typer.main, "get_command", interrupted)
    monkeypatch.setattr(sys, "argv", ["tickle", "agenda"])
    with pytest.raises(SystemExit) as ended:
        root.main()
    assert ended.value.code == 130
    assert capsys.readouterr().err == "tickle: interrupted: nothing was changed\n"


def test_ctrl_c_while_python_imports_tickle_is_one_line_too(monkeypatch, capsys):
    import builtins

    from tickle import launch
    from tickle.errors import EXIT_INTERRUPTED

    real_import = builtins.__import__

    def interrupted(name, *args, **kwargs):
        if name == "tickle.cli":
            raise KeyboardInterrupt
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", interrupted)
    with pytest.raises(SystemExit) as ended:
        launch.main()
    assert ended.value.code == launch.EXIT_INTERRUPTED == EXIT_INTERRUPTED
    assert capsys.readouterr().err == "tickle: interrupted: nothing was changed\n"


def test_the_installed_program_and_python_m_start_at_the_launcher():
    import tomllib

    project = tomllib.loads((Path(__file__).parents[1] / "pyproject.toml").read_text())
    assert project["project"]["scripts"]["tickle"] == "tickle.launch:main"
    main = (Path(__file__).parents[1] / "tickle" / "__main__.py").read_text()
    assert "from tickle.launch import main" in main


# -- kill -9 at random moments ---------------------------------------------------------


class Run:
    """One tickle process, watched until a sign that its real work began (`ready`)."""

    def __init__(self, db: Path, args: tuple[str, ...], env: dict, ready) -> None:
        self.started = time.monotonic()
        self.process = start(db, *args, env=env)
        self.ready_after = self.wait_for(ready)

    def wait_for(self, ready) -> float:
        """Seconds from the start until `ready(process)` (or the end of the process)."""
        while not ready(self.process) and self.process.poll() is None:
            time.sleep(0.0005)
        return time.monotonic() - self.started

    def finish(self) -> float:
        _, err = self.process.communicate(timeout=60)
        assert self.process.returncode == 0, err
        return time.monotonic() - self.started

    def kill_at(self, moment: float, how: int = signal.SIGKILL) -> tuple[str, str]:
        """Send `how` at `moment` seconds after the start; returns stdout and stderr."""
        time.sleep(max(0.0, moment - (time.monotonic() - self.started)))
        self.process.send_signal(how)
        return self.process.communicate(timeout=60)


def kill_points(ready_after: float, duration: float, count: int, *, seed: int) -> list[float]:
    """`count` moments: half spread over the whole run (and a little past its end), half
    over the part after the ready sign, where the writing happens; each at a random place
    in its own slice, seeded so that a failure can be replayed."""
    rng = random.Random(seed)
    whole, late = count // 2, count - count // 2
    moments = [1.1 * duration * (n + rng.random()) / whole for n in range(whole)]
    rest = 1.2 * (duration - ready_after)
    return moments + [rest * (n + rng.random()) / late for n in range(late)]


def anytime(process) -> bool:
    return True


def wal_grew(db: Path):
    wal = Path(f"{db}-wal")
    return lambda process: wal.exists() and wal.stat().st_size > 0


@pytest.mark.slow
def test_kill_9_during_an_import_leaves_all_rows_or_none(book, tmp_path):
    source = customers_csv(tmp_path / "big.csv", 50_000)
    args = ("import", "customers", str(source))
    env = environment(tmp_path)
    before = counts(book.db)
    complete = copy_database(book.db, tmp_path / "complete.db")
    timing = Run(complete, args, env, wal_grew(complete))
    duration = timing.finish()
    imported = counts(complete)
    assert imported["customers"] == before["customers"] + 50_000
    moments = kill_points(timing.ready_after, duration, 14, seed=20261123)
    outcomes = []
    for attempt, moment in enumerate(moments):
        db = copy_database(book.db, tmp_path / f"kill{attempt}.db")
        whole_run = attempt < len(moments) // 2
        run_ = Run(db, args, env, anytime if whole_run else wal_grew(db))
        _, err = run_.kill_at(moment + (0 if whole_run else run_.ready_after))
        assert "Traceback" not in err
        after = counts(db)
        assert after in (before, imported)
        outcomes.append("all" if after == imported else "none")
        assert integrity(db) == ["ok"]
        next_command = run(db, "add", "bob", "today", "after the crash", env=env)
        assert next_command.returncode == 0, next_command.stderr
        assert counts(db)["items"] == before["items"] + 1
    print(
        f"import of 50k customers: {duration:.2f} s, writing from {timing.ready_after:.2f} s;"
        f" after kill -9: {outcomes}"
    )


@pytest.mark.slow
def test_ctrl_c_at_any_moment_of_an_import_is_all_or_nothing_and_says_which(book, tmp_path):
    source = customers_csv(tmp_path / "big.csv", 20_000)
    args = ("import", "customers", str(source))
    env = environment(tmp_path)
    before = counts(book.db)
    complete = copy_database(book.db, tmp_path / "complete.db")
    timing = Run(complete, args, env, partial(has_open, db=complete))
    opened, writing = timing.ready_after, timing.wait_for(wal_grew(complete))
    duration = timing.finish()
    imported = counts(complete)
    summary = f"Imported customers from {source}: 20000 created, 0 updated, 0 unchanged.\n"
    outcomes = []
    moments = kill_points(writing - opened, duration - opened, 12, seed=130)
    for attempt, moment in enumerate(moments):
        db = copy_database(book.db, tmp_path / f"int{attempt}.db")
        # Ctrl-C during Python's own start-up, before tickle's launcher runs, ends it
        # with Python's traceback, out of tickle's reach: the moments start once the
        # database is open.
        ready = partial(has_open, db=db) if attempt < 6 else wal_grew(db)
        run_ = Run(db, args, env, ready)
        out, err = run_.kill_at(moment + run_.ready_after, signal.SIGINT)
        code, after = run_.process.returncode, counts(db)
        outcomes.append(code)
        assert after in (before, imported)
        if after == before:
            assert (code, out, err) == (130, "", "tickle: interrupted: nothing was changed\n")
        else:  # too late: the import was saved, and tickle does not deny it
            assert (code, out, err) in {
                (0, summary, ""),
                (130, summary, "tickle: interrupted: the change was saved\n"),
                (130, "", "tickle: interrupted: the change was saved\n"),
                (-signal.SIGINT, summary, ""),  # as Python itself was exiting
            }
        assert integrity(db) == ["ok"]
    print(f"import of 20k customers: {duration:.2f} s; exit codes after Ctrl-C: {outcomes}")


def schema_1_database(path: Path, customers: int, items: int) -> dict[str, int]:
    """A database as the first tickle wrote it, big enough that migrating takes a while."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("BEGIN")
    migrations.m001_initial(conn)
    stamp = "2026-01-05T15:00:00Z"
    conn.executemany(
        "INSERT INTO customers (name, email, created_at, updated_at) VALUES (?, ?, ?, ?)",
        ((f"Person {n}", f"p{n}@example.com", stamp, stamp) for n in range(customers)),
    )
    conn.executemany(
        "INSERT INTO items (kind, customer_id, title, due, created_at) VALUES (?, ?, ?, ?, ?)",
        (
            ("followup", 1 + n % customers, f"call {n}", f"2026-{1 + n % 12:02d}-10", stamp)
            for n in range(items)
        ),
    )
    conn.execute(
        "INSERT INTO events (customer_id, item_id, at, type) "
        "SELECT customer_id, id, created_at, 'created' FROM items"
    )
    conn.execute(f"PRAGMA application_id = {migrations.APPLICATION_ID}")
    conn.execute("PRAGMA user_version = 1")
    conn.execute("COMMIT")
    conn.close()
    path.chmod(0o600)
    return fingerprint(path)


def fingerprint(db: Path) -> dict[str, int]:
    conn = connect(db)
    try:
        return {
            "customers": conn.execute(
                "SELECT count(*), sum(length(email)) FROM customers"
            ).fetchone()[0],
            "items": conn.execute("SELECT count(*) FROM items").fetchone()[0],
            "titles": conn.execute("SELECT sum(length(title) * id) FROM items").fetchone()[0],
            "events": conn.execute("SELECT count(*) FROM events").fetchone()[0],
        }
    finally:
        conn.close()


def schema_version(db: Path) -> int:
    return rows(db, "PRAGMA user_version")[0][0]


@pytest.mark.slow
def test_kill_9_during_a_migration_leaves_the_old_or_the_new_schema(tmp_path):
    base = tmp_path / "schema1.db"
    data = schema_1_database(base, customers=10_000, items=60_000)
    env = environment(tmp_path)

    def backed_up(db: Path):  # the backup is written first, then the steps run
        return lambda process: db.with_name(f"{db.name}.schema1.bak").exists()

    complete = copy_database(base, tmp_path / "complete.db")
    timing = Run(complete, ("agenda",), env, backed_up(complete))
    duration = timing.finish()
    latest = schema_version(complete)  # what the installed tickle migrates to
    moments = kill_points(timing.ready_after, duration, 10, seed=1123)
    outcomes = []
    for attempt, moment in enumerate(moments):
        db = copy_database(base, tmp_path / f"kill{attempt}.db")
        whole_run = attempt < len(moments) // 2
        run_ = Run(db, ("agenda",), env, anytime if whole_run else backed_up(db))
        _, err = run_.kill_at(moment + (0 if whole_run else run_.ready_after))
        assert "Traceback" not in err
        version = schema_version(db)
        outcomes.append(version)
        # each step is its own transaction: the schema is one of them, whole
        assert 1 <= version <= latest
        assert fingerprint(db) == data
        assert integrity(db) == ["ok"]
        next_command = run(db, "agenda", env=env)
        assert next_command.returncode == 0, next_command.stderr
        assert schema_version(db) == latest
        assert fingerprint(db) == data
    print(
        f"migration of a {base.stat().st_size >> 20} MB database: {duration:.2f} s, "
        f"backup done at {timing.ready_after:.2f} s; schema after kill -9: {outcomes}"
    )


# -- the -wal file is the database too -------------------------------------------------


def test_rows_left_in_the_wal_by_a_killed_writer_are_kept(book, tmp_path):
    """A writer killed after its commit, before any checkpoint: its rows live only in the
    -wal file, and the next tickle must read them (and never delete the file)."""
    import subprocess

    script = (
        "import sqlite3, sys, time\n"
        f"conn = sqlite3.connect({str(book.db)!r}, isolation_level=None)\n"
        "conn.execute('PRAGMA wal_autocheckpoint = 0')\n"
        "conn.execute(\"UPDATE customers SET note = 'kept' WHERE id = 2\")\n"
        "print('committed', flush=True)\n"
        "time.sleep(60)\n"
    )
    writer = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    try:
        assert writer.stdout.readline() == "committed\n"
    finally:
        writer.kill()
        writer.wait()
    wal = Path(f"{book.db}-wal")
    assert wal.stat().st_size > 0
    assert "-wal" in " ".join(sidecars(book.db))
    env = environment(tmp_path)
    shown = run(book.db, "customer", "show", "bob", env=env)
    assert shown.returncode == 0, shown.stderr
    assert "kept" in shown.stdout
    assert run(book.db, "add", "bob", "today", env=env).returncode == 0
    assert rows(book.db, "SELECT note FROM customers WHERE id = 2") == [("kept",)]
    assert integrity(book.db) == ["ok"]


@pytest.mark.parametrize("suffix", ["", "-wal", "-journal"])
def test_export_refuses_to_write_over_the_database_or_its_journal(book, suffix):
    target = f"{book.db}{suffix}"
    before = book.snapshot()
    result = book("export", "--output", target)
    assert result.code == 2
    assert result.err == (
        f"tickle: {target} is the database itself (or one of its files): choose another file\n"
    )
    assert book.snapshot() == before
    assert book.rows("SELECT count(*) FROM customers") == [(3,)]
