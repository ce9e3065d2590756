"""The command line: thin typer commands over the domain.

Each command is defined in one module of this package (COMMANDS, GROUPS). `main()`, what
the `tickle` program runs, imports only the module of the command typed: importing them
all is a tenth of a command's start-up. `app`, the whole app with every command (for
`--help`, shell completion, an unknown command, and the tests), is registered on first
use: `from tickle.cli import app`.
"""

import importlib
import os
import sys

from tickle.cli import app as _root

# Importing the module `tickle.cli.app` made `app` here that module: forgotten, so that
# `from tickle.cli import app` reaches __getattr__ and gets the whole app.
del globals()["app"]

# The module of each top-level command, by name, and of each group with its Typer.
COMMANDS = {
    "agenda": "agenda",
    "demo": "agenda",
    "path": "config",
    "add": "items",
    "promise": "items",
    "done": "items",
    "snooze": "items",
    "move": "items",
    "cancel": "items",
    "skip": "items",
    "log": "items",
    "list": "items",
    "history": "items",
    "undo": "items",
    "backup": "maintenance",
    "doctor": "maintenance",
    "report": "report",
    "review": "review",
    "search": "search",
    "show": "show",
    "edit": "show",
    "import": "transfer",
    "export": "transfer",
}
GROUPS = {
    "customer": ("customers", "customer_app"),
    "case": ("cases", "case_app"),
    "config": ("config", "config_app"),
    "sync": ("sync", "sync_app"),
}


def load(name: str | None = None):
    """The root app with command `name` registered; with every command for None or a
    name that is no command. Returns the root Typer."""
    if name in COMMANDS:
        importlib.import_module(f"tickle.cli.{COMMANDS[name]}")
        return _root.app
    if name in GROUPS:
        _add_group(name)
        return _root.app
    for module in sorted(set(COMMANDS.values())):
        importlib.import_module(f"tickle.cli.{module}")
    for group in GROUPS:
        _add_group(group)
    return _root.app


def _add_group(name: str) -> None:
    module, attribute = GROUPS[name]
    group = getattr(importlib.import_module(f"tickle.cli.{module}"), attribute)
    if not any(info.typer_instance is group for info in _root.app.registered_groups):
        _root.app.add_typer(group, name=name)


def main() -> None:
    """The `tickle` program: the command typed, and only its module imported."""
    args = sys.argv[1:]
    load(None if os.environ.get("_TICKLE_COMPLETE") else _root.command_name(args))
    _root.main()


def __getattr__(name: str):
    if name == "app":
        whole = load()
        globals()["app"] = whole
        return whole
    raise AttributeError(f"module 'tickle.cli' has no attribute {name!r}")


__all__ = ["app", "main"]
