"""The declared settings: each key with its kind, default, check and help.

A module that has settings of its own declares them here with :func:`declare`, in a
table of its own (`[sync]` holds the calendar server's), and names itself in
:data:`DECLARING_MODULES` so that a file using its table is understood even by a
command that never imports it. Declaring modules must stay cheap to import: every
command that finds a settings file imports them to check it.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

# Imported, in this order, before the file is checked or the settings are listed.
DECLARING_MODULES: list[str] = ["tickle.settings.keys", "tickle.sync.settings"]


@dataclass(frozen=True)
class Kind:
    """How a value is written in TOML and on the command line (`config set`, env)."""

    name: str
    toml_types: tuple[type, ...]
    from_text: Callable[[str], Any]
    to_text: Callable[[Any], str] = str


def _integer(text: str) -> int:
    stripped = text.strip()
    if not stripped.lstrip("-").isdigit():
        raise ValueError(text)
    return int(stripped)


def _number(text: str) -> float:
    return float(text.strip())


def _words(text: str) -> list[str]:
    return [word.strip() for word in text.split(",") if word.strip()]


def _boolean(text: str) -> bool:
    word = text.strip().lower()
    if word in ("true", "yes", "on", "1"):
        return True
    if word in ("false", "no", "off", "0"):
        return False
    raise ValueError(text)


TEXT = Kind("text", (str,), lambda text: text.strip())
INTEGER = Kind("integer", (int,), _integer)
NUMBER = Kind("number", (int, float), _number)
WORDS = Kind("list", (list,), _words, lambda value: ", ".join(value))
BOOLEAN = Kind("boolean", (bool,), _boolean, lambda value: "true" if value else "false")


@dataclass(frozen=True)
class Setting:
    """One key of the file. `check` turns the value read (already of `kind`) into what the
    program uses, or raises ValueError; `accepts` says in words what it takes."""

    key: str  # "table.name"
    kind: Kind
    default: Any
    accepts: str
    help: str
    check: Callable[[Any], Any] = lambda value: value
    env: str | None = None  # an environment variable that overrides the file
    # A costlier check of a checked value, made only when it is written (`config set`).
    verify: Callable[[Any], None] | None = None

    @property
    def table(self) -> str:
        return self.key.split(".", 1)[0]

    @property
    def name(self) -> str:
        return self.key.split(".", 1)[1]

    def read(self, value: Any) -> Any:
        """The checked value of a TOML value; ValueError with what is accepted."""
        if not self._of_kind(value):
            raise ValueError(self.accepts)
        try:
            return self.check(value)
        except (ValueError, TypeError, LookupError):
            raise ValueError(self.accepts) from None

    def _of_kind(self, value: Any) -> bool:
        if isinstance(value, bool) and bool not in self.kind.toml_types:
            return False  # to Python, TOML's true is an int too
        if self.kind is WORDS:
            return isinstance(value, list) and all(isinstance(word, str) for word in value)
        return isinstance(value, self.kind.toml_types)

    def parse_text(self, text: str) -> Any:
        """The TOML value for text typed on the command line or set in the environment."""
        try:
            value = self.kind.from_text(text)
        except ValueError:
            raise ValueError(self.accepts) from None
        self.read(value)
        return value


_declared: dict[str, Setting] = {}
_loaded = False


def declare(setting: Setting) -> Setting:
    if "." not in setting.key:
        raise ValueError(f"a setting's key is table.name: {setting.key!r}")
    _declared[setting.key] = setting
    return setting


def declared() -> dict[str, Setting]:
    """Every setting, in declaration order."""
    global _loaded
    if not _loaded:
        _loaded = True
        for module in DECLARING_MODULES:
            importlib.import_module(module)
    return _declared


def lookup(key: str) -> Setting | None:
    return declared().get(key)
