"""Bad input: one clear line on stderr, the right exit code, no traceback, nothing written."""

import os
import subprocess
import sys

import pytest

BAD_COMMANDS = [
    ["frobnicate"],
    ["add"],
    ["add", "bob"],
    ["add", "bob", "someday"],
    ["add", "nobody", "tomorrow"],
    ["add", "bob", "tomorrow", "--channel", "pigeon"],
    ["promise", "bob", "x"],
    ["promise", "bob", "x", "--by", "13/13/2026"],
    ["done"],
    ["done", "abc"],
    ["done", "99"],
    ["done", "1", "--outcome", "perhaps"],
    ["done", "1", "--next", "never"],
    ["snooze", "1"],
    ["snooze", "1", "2026-02-30"],
    ["move", "1", "fri"],
    ["cancel", "99"],
    ["log", "bob"],
    ["log", "bob", "--outcome", "reached", "--next", "garbage"],
    ["list", "--kind", "task"],
    ["list", "--status", "maybe"],
    ["list", "--format", "xml"],
    ["agenda", "--days", "-1"],
    ["agenda", "--on", "the day after"],
    ["agenda", "--customer", "zed"],
    ["history", "zed"],
    ["customer", "add"],
    ["customer", "add", "X", "--email", "nope"],
    ["customer", "show", "ana"],
    ["customer", "edit", "bob", "--tz", "Nowhere/Land"],
    ["customer", "delete", "bob"],
    ["customer", "frob"],
    ["--db"],
]


@pytest.mark.parametrize("args", BAD_COMMANDS, ids=" ".join)
def test_bad_input_is_one_line_exit_2_and_writes_nothing(book, args):
    book.ok("add", "bob", "today", "call")
    before = book.snapshot()
    result = book(*args)
    assert result.code == 2, result
    assert result.err.startswith("tickle: ")
    assert result.err.count("\n") == 1, result.err
    assert "Traceback" not in result.err
    assert book.snapshot() == before


def test_no_arguments_shows_help(tickle):
    from tickle.cli import app

    result = tickle.runner.invoke(app, [])
    assert result.exit_code == 2
    assert "Usage:" in result.stdout
    assert "agenda" in result.stdout


def test_missing_command_after_global_options(tickle):
    result = tickle()
    assert result.code == 2
    assert result.err == "tickle: Missing command (see 'tickle --help')\n"


def test_version(tickle):
    from tickle import __version__

    assert tickle.ok("--version") == f"tickle {__version__}\n"


@pytest.mark.parametrize(
    "command",
    [
        "agenda",
        "add",
        "promise",
        "done",
        "snooze",
        "move",
        "cancel",
        "log",
        "list",
        "history",
        "undo",
        "demo",
        "customer",
        "customer add",
        "customer list",
        "customer show",
        "customer edit",
        "customer archive",
        "customer delete",
    ],
)
def test_every_command_has_help(tickle, command):
    out = tickle.ok(*command.split(), "--help")
    assert "Usage:" in out
    assert len(out.splitlines()) > 3


def test_internal_error_is_one_line_exit_70(book, monkeypatch):
    from tickle.domain import agenda

    def broken(*args, **kwargs):
        raise ZeroDivisionError("boom")

    monkeypatch.setattr("tickle.cli.agenda.build_agenda", broken)
    result = book("agenda")
    assert result.code == 70
    assert result.err.count("\n") == 1
    assert "internal error (ZeroDivisionError: boom)" in result.err
    assert "TICKLE_DEBUG=1" in result.err
    assert agenda  # the real module is untouched


def test_control_characters_are_never_replayed_raw(book):
    book.ok("add", "bob", "today", "call \x1b[31mred\x1b[0m\x07 now")
    out = book.ok("agenda")
    assert "\x1b" not in out and "\x07" not in out
    assert "\\x1b[31mred" in out
    [row] = book.json("agenda")
    assert row["title"] == "call \x1b[31mred\x1b[0m\x07 now"


def run_cli(*args, env=None, tmp_path=None):
    environment = dict(os.environ, TICKLE_NOW="2026-11-23T10:07:33", TZ="America/New_York")
    environment.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "tickle", *args],
        capture_output=True,
        text=True,
        env=environment,
        timeout=60,
        check=False,
    )


def test_python_dash_m_runs_and_errors_without_traceback(tmp_path):
    db = str(tmp_path / "t.db")
    result = run_cli("--db", db, "add", "nobody", "tomorrow")
    assert result.returncode == 2
    assert result.stderr.startswith("tickle: no customer matches 'nobody'")
    assert "Traceback" not in result.stderr
    ok = run_cli("--db", db, "customer", "add", "Ana")
    assert ok.returncode == 0
    assert ok.stdout == "Added customer #1 Ana.\n"


def test_piped_output_has_no_escape_codes_and_keeps_every_word(tmp_path):
    db = str(tmp_path / "t.db")
    run_cli("--db", db, "demo")
    result = run_cli("--db", db, "agenda", env={"COLUMNS": "40"})
    assert result.returncode == 0
    assert "\x1b" not in result.stdout
    assert max(len(line) for line in result.stdout.splitlines()) <= 40
    assert "Demo follow-up: answer security questions" in " ".join(result.stdout.split())


def test_piped_output_wraps_at_80_unless_told_otherwise(tmp_path):
    db = str(tmp_path / "t.db")
    run_cli("--db", db, "demo")
    env = {"COLUMNS": ""}
    wrapped = run_cli("--db", db, "agenda", env=env).stdout
    assert max(len(line) for line in wrapped.splitlines()) <= 80
    assert "     Demo follow-up: answer security questions\n" in wrapped
    one_line = run_cli("--db", db, "agenda", "--width", "0", env=env).stdout
    [line] = [line for line in one_line.splitlines() if "Demo follow-up" in line]
    assert "Pierre Álvarez (Pied Piper)" in line and "p.alvarez@pied.example" in line
    assert len(line) > 100


def test_a_database_error_names_the_file_given_with_db(book):
    import sqlite3

    conn = sqlite3.connect(book.db)
    conn.execute("DROP TABLE customers_fts")  # a book some other program broke
    conn.close()
    result = book("search", "ana")
    assert result.code != 0
    assert result.err.startswith(f"tickle: database error in {book.db}: ")
    assert result.err.count("\n") == 1
