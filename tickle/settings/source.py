"""Where each setting's value comes from: the environment, the settings file, or its default.

The file is read with the standard `tomllib` (a few milliseconds) and checked whole,
so that a mistake anywhere in it stops every command with one line naming the file, the
key and what it takes. A read file is kept for as long as it is unchanged on disk.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tickle.errors import ConfigError
from tickle.settings.registry import Setting, declared, lookup

DEFAULT = "default"
FILE = "file"
ENVIRONMENT = "environment"


def config_path() -> Path:
    """`$TICKLE_CONFIG`, else `$XDG_CONFIG_HOME/tickle/config.toml` (~/.config by default)."""
    if os.environ.get("TICKLE_CONFIG"):
        return Path(os.environ["TICKLE_CONFIG"]).expanduser()
    base = os.environ.get("XDG_CONFIG_HOME") or ""
    folder = Path(base) if os.path.isabs(base) else Path.home() / ".config"
    return folder / "tickle" / "config.toml"


@dataclass
class Settings:
    """The settings file as read (`values` holds each key's checked value)."""

    path: Path
    exists: bool = False
    raw: dict[str, Any] = field(default_factory=dict)  # key -> the TOML value in the file
    values: dict[str, Any] = field(default_factory=dict)  # key -> its checked value

    def get(self, key: str) -> Any:
        """The value the program uses: environment, else file, else default."""
        setting = _known(key)
        text = _environment_text(setting)
        if text is not None:
            return setting.read(_from_environment(setting, text))
        if key in self.values:
            return self.values[key]
        return setting.read(setting.default)

    def source(self, key: str) -> str:
        setting = _known(key)
        if _environment_text(setting) is not None:
            return ENVIRONMENT
        return FILE if key in self.raw else DEFAULT

    def shown(self, key: str) -> Any:
        """The value as written (in the environment, the file, or the default)."""
        setting = _known(key)
        text = _environment_text(setting)
        if text is not None:
            return _from_environment(setting, text)
        return self.raw.get(key, setting.default)


def _known(key: str) -> Setting:
    setting = lookup(key)
    if setting is None:
        raise KeyError(key)
    return setting


def _environment_text(setting: Setting) -> str | None:
    if setting.env is None:
        return None
    text = os.environ.get(setting.env, "").strip()
    return text or None


def _from_environment(setting: Setting, text: str) -> Any:
    try:
        return setting.parse_text(text)
    except ValueError:
        raise ConfigError(f"{setting.env}={text!r} is not accepted: it takes {setting.accepts}")


_cache: tuple[tuple, Settings] | None = None


def current() -> Settings:
    """The settings in effect, read again only when the file changed."""
    global _cache
    path = config_path()
    try:
        status = path.stat()
        signature: tuple = (str(path), status.st_mtime_ns, status.st_size, status.st_ino)
    except FileNotFoundError:
        signature = (str(path), None)
    except OSError as error:
        raise ConfigError(f"{path}: cannot read the settings file ({error.strerror})") from None
    if _cache is None or _cache[0] != signature:
        _cache = (signature, read(path))
    return _cache[1]


def forget() -> None:
    global _cache
    _cache = None


def read(path: Path) -> Settings:
    """The file at `path` read and checked whole; ConfigError at the first mistake."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return Settings(path)
    except OSError as error:
        raise ConfigError(f"{path}: cannot read the settings file ({error.strerror})") from None
    import tomllib

    try:
        document = tomllib.loads(data.decode("utf-8"))
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: the settings file is not UTF-8 text") from None
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: not valid TOML ({_lower_first(str(error))})") from None
    return check(path, document)


def check(path: Path, document: dict) -> Settings:
    settings = Settings(path, exists=True)
    for table, entries in document.items():
        if not isinstance(entries, dict):
            raise ConfigError(
                f"{path}: {table} = {_shown(entries)} is not a setting: settings live in "
                f"tables ([agenda] days = 7); {_known_tables()}"
            )
        for name, value in entries.items():
            key = f"{table}.{name}"
            setting = lookup(key)
            if setting is None:
                raise ConfigError(f"{path}: unknown setting {key}; {_nearest(key)}")
            try:
                settings.values[key] = setting.read(value)
            except ValueError:
                raise ConfigError(
                    f"{path}: {key} = {_shown(value)} is not accepted: it takes {setting.accepts}"
                ) from None
            settings.raw[key] = value
    return settings


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _shown(value: Any) -> str:
    import json

    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "a table"
    try:
        return json.dumps(value, ensure_ascii=False, default=str)
    except (TypeError, ValueError):
        return str(value)


def _known_tables() -> str:
    tables = dict.fromkeys(setting.table for setting in declared().values())
    return "the tables are " + ", ".join(f"[{table}]" for table in tables)


def _nearest(key: str) -> str:
    import difflib

    keys = list(declared())
    near = difflib.get_close_matches(key, keys, n=2, cutoff=0.8)
    if near:
        return "did you mean " + " or ".join(near) + "? ('tickle config' lists them all)"
    table = key.split(".", 1)[0]
    same_table = [k for k in keys if k.startswith(table + ".")]
    if same_table:
        return f"[{table}] takes " + ", ".join(k.split(".", 1)[1] for k in same_table)
    return _known_tables() + " ('tickle config' lists every setting)"
