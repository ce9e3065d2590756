"""A command that fails leaves no file or folder behind that was not there before."""

from __future__ import annotations

from conftest import Tickle


def test_a_refused_import_creates_no_database(tickle, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("name,email\nAna,not-an-address\n", encoding="utf-8")
    result = tickle("import", "customers", str(bad))
    assert result.code == 2
    assert not tickle.db.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.csv"]


def test_nor_the_folders_made_for_it(tmp_path):
    book = Tickle(tmp_path / "new" / "deeper" / "tickle.db")
    result = book("add", "nobody", "tomorrow", "call")
    assert result.code != 0
    assert not (tmp_path / "new").exists()


def test_an_empty_input_creates_no_database(tickle, tmp_path):
    result = tickle("import", "customers", "-", input="")
    assert result.code == 2, result.err
    assert not tickle.db.exists()


def test_undo_on_a_new_file_leaves_none(tickle):
    result = tickle("undo")
    assert result.code != 0
    assert not tickle.db.exists()


def test_a_database_that_was_there_stays(tickle, tmp_path):
    tickle.ok("customer", "add", "Ana Silva")
    result = tickle("add", "nobody", "tomorrow", "call")
    assert result.code != 0
    assert tickle.db.exists()
    assert tickle.rows("SELECT name FROM customers") == [("Ana Silva",)]


def test_a_command_that_succeeds_keeps_its_new_file(tickle):
    tickle.ok("customer", "add", "Ana Silva")
    assert tickle.db.exists()
