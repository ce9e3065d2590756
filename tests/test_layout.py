"""The architecture's rules, checked on the source: SQL only in the store, no terminal
in the domain, storage modules a reader can take in at one sitting."""

from __future__ import annotations

import ast
from pathlib import Path

import tickle

PACKAGE = Path(tickle.__file__).parent
STORE = PACKAGE / "store"


def _modules(folder: Path = PACKAGE) -> list[Path]:
    return sorted(folder.rglob("*.py"))


def _imported(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def test_only_the_store_runs_sql():
    outside = [
        path.relative_to(PACKAGE).as_posix()
        for path in _modules()
        if STORE not in path.parents
        for node in ast.walk(ast.parse(path.read_text()))
        if isinstance(node, ast.Attribute)
        and node.attr in ("execute", "executemany", "executescript", "cursor")
    ]
    assert outside == []


def test_the_domain_knows_no_terminal_and_no_sqlite():
    offenders = {
        path.name: sorted(
            name
            for name in _imported(path)
            if name.split(".")[0] in ("typer", "rich", "sqlite3", "click")
        )
        for path in _modules(PACKAGE / "domain")
    }
    assert {name: found for name, found in offenders.items() if found} == {}


def test_storage_modules_and_classes_stay_readable_in_one_sitting():
    too_long = {}
    for path in _modules(STORE):
        lines = path.read_text().count("\n")
        if lines > 500:
            too_long[path.name] = lines
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ClassDef) and node.end_lineno - node.lineno > 300:
                too_long[f"{path.name}:{node.name}"] = node.end_lineno - node.lineno
    assert too_long == {}


def test_series_dates_do_not_depend_on_the_items_that_use_them():
    assert not any(
        name.startswith("tickle.domain.items")
        for name in _imported(PACKAGE / "domain" / "series.py")
    )
