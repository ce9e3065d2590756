"""The README stays honest: every command is documented there and has help."""

import re
from pathlib import Path

from typer.main import get_command

from tickle.cli import app

README = (Path(__file__).parent.parent / "README.md").read_text()


def commands(group, prefix=""):
    for name, command in group.commands.items():
        yield f"{prefix}{name}"
        if hasattr(command, "commands"):
            yield from commands(command, f"{prefix}{name} ")


def test_every_command_is_in_the_readme():
    missing = [
        name
        for name in commands(get_command(app))
        if not re.search(rf"tickle {re.escape(name)}\b", README)
        and not (name.startswith("customer ") and name.split()[1] in README)
    ]
    assert missing == []


def test_every_command_has_a_help_line():
    def walk(group):
        for command in group.commands.values():
            assert command.help, command.name
            if hasattr(command, "commands"):
                walk(command)

    walk(get_command(app))


def test_readme_quickstart_is_two_commands():
    block = README.split("## Quickstart", 1)[1].split("```sh", 1)[1].split("```", 1)[0]
    lines = [line for line in block.strip().splitlines() if line.strip()]
    assert lines == ["pip install . && tickle demo", "pip install '.[test]' && python -m pytest"]


def test_every_guarantee_names_a_test_that_exists():
    section = README.split("## What survives what", 1)[1].split("\n## ", 1)[0]
    named = set(re.findall(r"`(test_\w+)`", section))
    defined = {
        name
        for path in Path(__file__).parent.glob("test_*.py")
        for name in re.findall(r"^def (test_\w+)", path.read_text(), re.MULTILINE)
    }
    assert len(named) >= 20
    assert sorted(named - defined) == []


def test_the_program_builds_only_the_command_it_runs(monkeypatch):
    from tickle.cli.app import _only_the_command_invoked

    monkeypatch.delenv("_TICKLE_COMPLETE", raising=False)

    def names(args):
        return sorted(get_command(_only_the_command_invoked(args)).commands)

    assert names(["--db", "x.db", "agenda", "--format", "table"]) == ["agenda"]
    assert names(["--db=x.db", "customer", "show", "1"]) == ["customer"]
    assert names(["list"]) == ["list"]
    everything = sorted(get_command(app).commands)
    for args in ([], ["--help"], ["agnda"], ["--version"]):
        assert names(args) == everything
    monkeypatch.setenv("_TICKLE_COMPLETE", "complete_bash")
    assert names(["agenda"]) == everything


def test_each_command_is_imported_from_the_module_that_defines_it():
    import importlib

    import tickle.cli

    listed = {
        **tickle.cli.COMMANDS,
        **{name: module for name, (module, _) in tickle.cli.GROUPS.items()},
    }
    assert sorted(listed) == sorted(get_command(app).commands)
    for name, module in listed.items():
        defined = importlib.import_module(f"tickle.cli.{module}")
        if name in tickle.cli.GROUPS:
            group = getattr(defined, tickle.cli.GROUPS[name][1])
            assert any(info.typer_instance is group for info in app.registered_groups), name
        else:
            callbacks = [info.callback for info in app.registered_commands if info.name == name]
            assert [c.__module__ for c in callbacks] == [defined.__name__], name


def test_a_command_imports_only_its_own_module_of_the_command_line(tmp_path):
    import subprocess
    import sys

    script = (
        "import sys\n"
        "from tickle.cli import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "sys.stderr.write(' '.join(sorted(m for m in sys.modules if m.startswith('tickle.cli.'))))"
    )

    def modules(*args):
        argv = ["tickle", "--db", str(tmp_path / "t.db"), *args]
        found = subprocess.run(
            [sys.executable, "-c", f"import sys; sys.argv = {argv!r}\n{script}"],
            capture_output=True,
            text=True,
            check=True,
        )
        return set(found.stderr.split())

    assert modules("search", "invoice") == {
        "tickle.cli.app",
        "tickle.cli.search",
        "tickle.cli.session",
    }
    assert "tickle.cli.customers" in modules("customer", "list")
    assert "tickle.cli.agenda" not in modules("customer", "list")
    everything = {f"tickle.cli.{module}" for module in ("agenda", "items", "cases", "sync")}
    assert everything <= modules("--help")


def test_the_installed_program_runs_a_command_and_lists_them_all(tmp_path):
    import subprocess
    import sys

    def tickle(*args):
        return subprocess.run(
            [sys.executable, "-m", "tickle", "--db", str(tmp_path / "t.db"), *args],
            capture_output=True,
            text=True,
            check=False,
        )

    assert tickle("customer", "add", "Ana").stdout == "Added customer #1 Ana.\n"
    assert "report" in tickle("--help").stdout
    typo = tickle("agnda")
    assert (typo.returncode, typo.stderr) == (
        2,
        "tickle: No such command 'agnda'. Did you mean 'agenda'? (see 'tickle --help')\n",
    )


def test_the_readme_shows_the_agenda_as_tickle_prints_it_at_80_columns():
    import importlib.util

    script = Path(__file__).parent.parent / "scripts" / "readme_capture.py"
    spec = importlib.util.spec_from_file_location("readme_capture", script)
    capture = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(capture)
    shown = capture.current_block(README)
    assert shown == capture.block(capture.capture()), "run scripts/readme_capture.py"
    assert max(len(line) for line in shown.splitlines()) <= 80
