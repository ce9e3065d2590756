"""A `tickle` fixture: runs the CLI as a user would, with the clock and zone fixed."""

from __future__ import annotations

import json
import os
import re
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tickle.cli import app

NOW = "2026-11-23T10:07:33"  # a Monday
ZONE = "America/New_York"


@pytest.fixture(autouse=True, scope="session")
def fixed_zone():
    old = os.environ.get("TZ")
    os.environ["TZ"] = ZONE
    time.tzset()
    yield
    if old is None:
        os.environ.pop("TZ", None)
    else:
        os.environ["TZ"] = old
    time.tzset()


@pytest.fixture(autouse=True)
def fixed_clock(monkeypatch, tmp_path):
    monkeypatch.setenv("TICKLE_NOW", NOW)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg-cache"))
    for name in (
        "TICKLE_CONFIG",
        "TICKLE_MAX_ATTEMPTS",
        "TICKLE_BUSY_TIMEOUT",
        "TICKLE_DATE_ORDER",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.delenv("TICKLE_DB", raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("TICKLE_DEBUG", raising=False)
    # Wide enough for a row per record: tests of the layout give their width.
    monkeypatch.setenv("COLUMNS", "200")
    # A relative path a test passes (a backup or export name) lands in its own folder.
    monkeypatch.chdir(tmp_path)


@dataclass
class Result:
    code: int
    out: str
    err: str

    @property
    def json(self):
        return json.loads(self.out)


class Tickle:
    """Runs `tickle --db DB ARGS...` in-process and returns exit code, stdout, stderr."""

    def __init__(self, db: Path) -> None:
        self.db = db
        self.runner = CliRunner()

    def __call__(self, *args: str, input: str | None = None, env: dict | None = None) -> Result:
        result = self.runner.invoke(
            app, ["--db", str(self.db), *args], input=input, env=env, catch_exceptions=False
        )
        return Result(result.exit_code, result.stdout, result.stderr)

    def ok(self, *args: str, **kwargs) -> str:
        result = self(*args, **kwargs)
        assert result.code == 0, f"exit {result.code}: {result.err}"
        assert result.err == "", result.err
        return result.out

    def late(self, *args: str, **kwargs) -> str:
        """`ok` for an item added with a date already past: kept, with one warning line."""
        result = self(*args, **kwargs)
        assert result.code == 0, f"exit {result.code}: {result.err}"
        assert re.fullmatch(
            r"tickle: warning: #\d+ is already overdue: it was due .+\n", result.err
        )
        return result.out

    def json(self, *args: str, **kwargs):
        return json.loads(self.ok(*args, "--format", "json", **kwargs))

    def rows(self, sql: str, params=()) -> list[tuple]:
        conn = sqlite3.connect(self.db)
        try:
            return conn.execute(sql, params).fetchall()
        finally:
            conn.close()

    def snapshot(self) -> bytes:
        """The database file's bytes with its WAL, to prove a command wrote nothing."""
        parts = [self.db.read_bytes() if self.db.exists() else b""]
        wal = Path(f"{self.db}-wal")
        parts.append(wal.read_bytes() if wal.exists() else b"")
        return b"\0".join(parts)


@pytest.fixture
def tickle(tmp_path) -> Tickle:
    return Tickle(tmp_path / "tickle.db")


@pytest.fixture
def book(tickle) -> Tickle:
    """A small book of business: three customers, no items."""
    tickle.ok(
        "customer",
        "add",
        "Ana Silva",
        "--company",
        "Acme",
        "--email",
        "ana@acme.example",
        "--phone",
        "+1 415 555 0142",
        "--channel",
        "phone",
        "--best-time",
        "mornings",
    )
    tickle.ok(
        "customer",
        "add",
        "Bob Stone",
        "--company",
        "Hooli",
        "--email",
        "bob@hooli.example",
        "--channel",
        "email",
    )
    tickle.ok("customer", "add", "Anabel Cruz", "--company", "Globex", "--phone", "555 0101")
    return tickle


@pytest.fixture
def busy(book) -> Tickle:
    """The book with some history: a follow-up tried once (#1) and a promise (#2)."""
    book.ok("add", "ana silva", "tomorrow 10am", "call back about pricing")
    book.ok("promise", "bob", "pricing sheet", "--by", "fri")
    book.ok("done", "1", "--outcome", "voicemail")
    return book


@pytest.fixture(scope="session")
def radicale(tmp_path_factory):
    """A real Radicale CalDAV server for the whole run (see tests/radicale_server.py)."""
    from radicale_server import RadicaleServer

    with RadicaleServer(tmp_path_factory.mktemp("radicale")) as server:
        yield server
