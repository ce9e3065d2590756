"""Settings: one TOML file of the rules of a rep's day, overridable by the environment.

    from tickle import settings
    settings.get("agenda.days")          # the checked value in effect
    settings.update({"sync.url": url})   # write keys, keeping the file's comments

A module with settings of its own declares them with `declare(Setting(...))` (see
`tickle.settings.registry`). Only the standard library is imported here: this module is
on the path of every command.
"""

from __future__ import annotations

from typing import Any

from tickle.settings.registry import (
    BOOLEAN,
    DECLARING_MODULES,
    INTEGER,
    NUMBER,
    TEXT,
    WORDS,
    Kind,
    Setting,
    declare,
    declared,
    lookup,
)
from tickle.settings.source import (
    DEFAULT,
    ENVIRONMENT,
    FILE,
    Settings,
    config_path,
    current,
    forget,
)


def get(key: str) -> Any:
    """The value of `key` in effect (environment, file, default), checked."""
    return current().get(key)


def hours():
    """What `morning`, `afternoon`, `evening` and `eod` mean (the [hours] table)."""
    from dataclasses import replace

    from tickle import dates

    return replace(
        dates.HOURS,
        morning=get("hours.morning"),
        afternoon=get("hours.afternoon"),
        evening=get("hours.evening"),
        eod=get("hours.eod"),
    )


def update(changes: dict[str, Any], *, remove: tuple[str, ...] = ()):
    """Write settings (TOML values by key) to the file; see `tickle.settings.writer`."""
    from tickle.settings.writer import update as write

    return write(changes, remove=remove)


__all__ = [
    "BOOLEAN",
    "DECLARING_MODULES",
    "DEFAULT",
    "ENVIRONMENT",
    "FILE",
    "INTEGER",
    "NUMBER",
    "TEXT",
    "WORDS",
    "Kind",
    "Setting",
    "Settings",
    "config_path",
    "current",
    "declare",
    "declared",
    "forget",
    "get",
    "hours",
    "lookup",
    "update",
]
