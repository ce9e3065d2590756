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
