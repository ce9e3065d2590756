"""Keeping the book of customers honest: no silent duplicates, no open items left behind
an archived customer, everyone at a company together, and one meaning of "last contact"."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pexpect
import pytest


def at(day: str, time: str = "09:00:00") -> dict:
    return {"TICKLE_NOW": f"2026-{day}T{time}"}


# -- duplicates -------------------------------------------------------------------------


def test_a_second_customer_of_the_same_folded_name_is_refused(tickle):
    tickle.ok("customer", "add", "Chloé Dubois")
    before = tickle.snapshot()
    result = tickle("customer", "add", "CHLOE DUBOIS")
    assert result.code == 2
    assert result.err == (
        "tickle: #1 Chloé Dubois has the same name: add --duplicate to add another customer "
        "anyway\n"
    )
    assert tickle.snapshot() == before
    assert "Added customer #2" in tickle.ok("customer", "add", "Chloe Dubois", "--duplicate")


def test_a_longer_name_is_not_a_duplicate(tickle):
    tickle.ok("customer", "add", "Ana Silva")
    tickle.ok("customer", "add", "Ana Silva Costa")
    tickle.ok("customer", "add", "Ana")


def test_the_same_phone_digits_are_a_duplicate(tickle):
    tickle.ok("customer", "add", "Chloé", "--phone", "+33 1 23 45 67 89")
    result = tickle("customer", "add", "Other", "--phone", "01.23.45.67.89")
    assert result.code == 2
    assert "#1 Chloé has the same phone" in result.err
    tickle.ok("customer", "add", "Other", "--phone", "+33 1 23 45 67 00")


def test_an_archived_customer_of_that_name_is_named_as_archived(tickle):
    tickle.ok("customer", "add", "Zoë Quinn")
    tickle.ok("customer", "archive", "zoe")
    result = tickle("customer", "add", "Zoe Quinn")
    assert result.code == 2
    assert "#1 Zoë Quinn (archived) has the same name" in result.err


# -- archive -----------------------------------------------------------------------------


def test_archive_with_open_items_says_how_many_and_needs_cancel_open(busy):
    before = busy.snapshot()
    result = busy("customer", "archive", "ana silva")
    assert result.code == 2
    assert result.err.startswith("tickle: #1 Ana Silva (Acme) has 1 open item: add --cancel-open")
    assert busy.snapshot() == before
    busy.ok("customer", "archive", "ana silva", "--cancel-open")
    [item] = busy.json("list", "--customer", "1", "--status", "all")
    assert item["status"] == "cancelled"
    [event] = [e for e in busy.json("history", "1") if e["type"] == "cancelled"]
    assert event["note"] == "customer archived"
    assert "Ana" not in busy.ok("agenda")


def test_archive_ends_a_series_instead_of_scheduling_its_next_occurrence(book):
    book.ok("add", "bob", "mon 9am", "check-in", "--every", "week")
    book.ok("customer", "archive", "bob", "--cancel-open")
    assert book.json("list", "--customer", "2") == []


def test_an_archived_customer_gets_no_new_items(book):
    book.ok("customer", "archive", "bob")
    for command in (
        ["add", "2", "tomorrow", "call"],
        ["promise", "2", "quote", "--by", "fri"],
        ["case", "open", "2", "broken"],
        ["log", "2", "-o", "reached", "--next", "fri"],
    ):
        result = book(*command)
        assert result.code == 2, command
        assert "#2 Bob Stone (Hooli) is archived: 'tickle customer restore 2'" in result.err
    assert book.rows("SELECT count(*) FROM items") == [(0,)]


def test_archive_and_restore_undo(book):
    book.ok("customer", "archive", "bob")
    book.ok("undo")
    book.ok("add", "bob", "tomorrow", "call")


# -- everyone at a company ------------------------------------------------------------


def test_agenda_list_and_history_take_a_company(book):
    book.ok("customer", "add", "Carla Ruiz", "--company", "Acme Corp")
    book.ok("add", "ana silva", "today", "call ana")
    book.ok("add", "carla", "today", "call carla")
    book.ok("add", "bob", "today", "call bob")
    agenda = book.json("agenda", "--company", "ACME")
    assert [row["title"] for row in agenda] == ["call ana", "call carla"]
    listed = book.json("list", "--company", "acme")
    assert [item["title"] for item in listed] == ["call ana", "call carla"]
    history = book.json("history", "--company", "acme")
    assert {event["customer_id"] for event in history} == {1, 4}


def test_a_company_nobody_works_at_is_refused(book):
    result = book("agenda", "--company", "initech")
    assert result.code == 2
    assert "no customer works at a company matching 'initech'" in result.err


def test_history_needs_a_customer_or_a_company(book):
    assert book("history").code == 2
    assert book("history", "bob", "--company", "hooli").code == 2


# -- last contact --------------------------------------------------------------------


def test_a_kept_promise_and_case_work_are_contacts_everywhere(tickle):
    tickle.ok("customer", "add", "Quote Sent", env=at("08-01"))
    tickle.ok("customer", "add", "Case Handled", env=at("08-01"))
    tickle.ok("customer", "add", "Never Called", env=at("08-01"))
    tickle.ok("promise", "quote", "send the quote", "--by", "2026-11-20", env=at("11-01"))
    tickle.ok("done", "1", env=at("11-02"))
    tickle.ok("case", "open", "case handled", "printer jams", env=at("11-03"))
    tickle.ok("case", "note", "2", "engineer booked", env=at("11-04"))
    quiet = tickle.json("report")["quiet"]["customers"]
    assert [c["name"] for c in quiet] == ["Never Called"]
    shown = json.loads(tickle.ok("customer", "show", "quote", "--format", "json"))
    assert [e["type"] for e in shown["last_contacts"]] == ["kept"]
    assert "Last contact: 2026-11-04 (note on case #2 printer jams)" in tickle.ok(
        "customer", "show", "case handled", "--format", "plain"
    )


def test_an_older_book_has_its_last_contacts_recounted(tmp_path):
    import sqlite3

    from conftest import Tickle

    from tickle.store import migrations

    book = Tickle(tmp_path / "old.db")
    conn = sqlite3.connect(book.db, isolation_level=None)
    for step in migrations.MIGRATIONS[:6]:
        step(conn)
    conn.execute(f"PRAGMA application_id = {migrations.APPLICATION_ID}")
    conn.execute("PRAGMA user_version = 6")
    conn.execute(
        "INSERT INTO customers (name, match_key, created_at, updated_at) "
        "VALUES ('Bob', ' bob', '2026-08-01T10:00:00Z', '2026-08-01T10:00:00Z')"
    )
    conn.execute(
        "INSERT INTO events (customer_id, at, type) VALUES (1, '2026-11-02T10:00:00Z', 'kept')"
    )
    conn.close()
    book.db.chmod(0o600)
    assert book.json("report")["quiet"]["customers"] == []  # migrated on the way


# -- completion ---------------------------------------------------------------------


def _complete(tickle, shell: str, words: str) -> str:
    from tickle.cli import app

    env = {"_TICKLE_COMPLETE": f"complete_{shell}"}
    line = f"tickle --db {tickle.db} {words}"
    if shell == "bash":
        env.update(COMP_WORDS=line, COMP_CWORD="4")  # tickle --db DB add WORD
    else:
        env.update(_TYPER_COMPLETE_ARGS=line, _TYPER_COMPLETE_FISH_ACTION="get-args")
    result = tickle.runner.invoke(app, [], env=env, prog_name="tickle")
    assert result.exit_code == 0, result.output
    return result.stdout


def test_bash_completion_escapes_what_it_inserts_and_folds_accents(tickle):
    tickle.ok("customer", "add", "Sofía Hernández", "--company", "Acme")
    tickle.ok("customer", "add", "Seán O'Connor")
    assert _complete(tickle, "bash", "add sofia").split("\n")[0] == "sofia\\ Hernández"
    assert _complete(tickle, "bash", "add SOFÍ").split("\n")[0] == "SOFÍa\\ Hernández"
    assert _complete(tickle, "bash", "add sean").split("\n")[0] == "sean\\ O\\'Connor"
    assert _complete(tickle, "bash", "add sean\\ oc").split("\n")[0] == "sean\\ oconnor"


def test_zsh_and_fish_completion_offer_the_folded_match(tickle):
    tickle.ok("customer", "add", "Sofía Hernández", "--company", "Acme")
    assert '"sofia Hernández":"Acme"' in _complete(tickle, "zsh", "add sofia")
    assert "sofia Hernández\tAcme" in _complete(tickle, "fish", "add sofia")


# -- imports name customers by the same rule -----------------------------------------------


def test_an_import_row_names_its_customer_by_the_folded_name(tickle, tmp_path):
    tickle.ok("customer", "add", "Chloé Dubois")
    tickle.ok("customer", "add", "Seán O’Connor")
    tasks = tmp_path / "tasks.csv"
    tasks.write_text(
        "Subject,Due Date,Contact\ncall,2026-12-01,CHLOE DUBOIS\nmail,2026-12-02,oconnor\n"
    )
    tickle.ok("import", "followups", str(tasks))
    assert tickle.rows("SELECT title, customer_id FROM items ORDER BY id") == [
        ("call", 1),
        ("mail", 2),
    ]


def test_a_customer_import_updates_the_customer_of_that_folded_name(tickle, tmp_path):
    tickle.ok("customer", "add", "Chloé Dubois")
    people = tmp_path / "people.csv"
    people.write_text("Name,Company\nchloe dubois,Acme\n")
    tickle.ok("import", "customers", str(people))
    assert tickle.rows("SELECT name, company FROM customers") == [("Chloé Dubois", "Acme")]


def test_in_a_real_bash_a_completed_name_with_a_space_stays_one_argument(tickle, tmp_path):
    if shutil.which("bash") is None:
        pytest.skip("no bash")
    tickle.ok("customer", "add", "Sofía Hernández", "--company", "Acme")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    launcher = bin_dir / "tickle"
    launcher.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m tickle "$@"\n')
    launcher.chmod(0o755)
    env = dict(os.environ, PATH=f"{bin_dir}:{os.environ['PATH']}", PS1="$ ", TERM="dumb")
    script = subprocess.run(
        ["tickle"],
        env=dict(env, _TICKLE_COMPLETE="source_bash"),
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    (tmp_path / "complete.bash").write_text(script)
    child = pexpect.spawn(
        "bash", ["--norc", "--noprofile"], env=env, encoding="utf-8", timeout=20, cwd=tmp_path
    )
    child.expect_exact("$ ")
    child.sendline(f"source {tmp_path / 'complete.bash'}")
    child.expect_exact("$ ")
    child.send(f"tickle --db {tickle.db} add sofia\t")
    child.expect_exact("sofia\\ Hernández ")
    child.sendline("tomorrow call")
    child.expect("Added follow-up #1 with Sofía Hernández \\(Acme\\): call, due tomorrow")
    child.sendline("exit")
    child.expect(pexpect.EOF)
    assert Path(tickle.db).exists()
