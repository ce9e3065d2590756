"""Writing the settings file: `tickle config set` and other modules' own settings.

`tomlkit` edits the document in place, so the user's comments, order and layout stay as
they were; it costs about 30 ms to import, which is why only writing uses it. The file is
private (0600) and replaced atomically: a failed write leaves the old file whole.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from tickle.errors import InputError, StorageError
from tickle.settings.registry import Setting, lookup
from tickle.settings.source import current, forget


def setting_for(key: str) -> Setting:
    """The declared setting `key`, or an error naming the nearest ones."""
    setting = lookup(key)
    if setting is None:
        from tickle.settings.source import _nearest

        raise InputError(f"unknown setting {key}; {_nearest(key)}")
    return setting


def update(changes: dict[str, Any], *, remove: tuple[str, ...] = ()) -> Path:
    """Set each key of `changes` to its TOML value and remove the keys in `remove`.

    Every value is checked before anything is written; a settings file that is already
    wrong is refused (ConfigError) and left as it is."""
    settings = current()
    for key, value in changes.items():
        setting = setting_for(key)
        try:
            checked = setting.read(value)
        except ValueError:
            raise InputError(f"{key} takes {setting.accepts}") from None
        _verify(setting, checked)
    for key in remove:
        setting_for(key)
    import tomlkit

    path = settings.path
    document = (
        tomlkit.parse(path.read_text(encoding="utf-8")) if settings.exists else tomlkit.document()
    )
    for key, value in changes.items():
        table, name = key.split(".", 1)
        if table not in document:
            document[table] = tomlkit.table()
        document[table][name] = value
    for key in remove:
        table, name = key.split(".", 1)
        if table in document and name in document[table]:
            del document[table][name]
    _write_privately(path, tomlkit.dumps(document))
    forget()
    return path


def _verify(setting: Setting, value: Any) -> None:
    if setting.verify is None:
        return
    try:
        setting.verify(value)
    except (ValueError, LookupError) as error:
        raise InputError(f"{setting.key}: {error.args[0] if error.args else error}") from None


def set_text(key: str, text: str) -> Any:
    """`tickle config set KEY VALUE`: the text read as the setting's kind, checked, written."""
    setting = setting_for(key)
    try:
        value = setting.parse_text(text)
    except ValueError:
        raise InputError(f"{key} takes {setting.accepts}, not {text!r}") from None
    checked = setting.read(value)
    if type(checked) is type(value):
        value = checked  # as the program reads it: "us" is written "US"
    update({key: value})
    return value


def _write_privately(path: Path, text: str) -> None:
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        if not path.parent.exists():
            path.parent.mkdir(mode=0o700, parents=True)
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temporary, 0o600)
        os.replace(temporary, path)
    except OSError as error:
        temporary.unlink(missing_ok=True)
        raise StorageError(f"cannot write {path}: {error.strerror}") from None
