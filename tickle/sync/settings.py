"""The `[sync]` table: which CalDAV task list, as whom, and where the password comes from.

The password itself is never in the file and never written by tickle: it is read
from `$TICKLE_SYNC_PASSWORD`, else the output of `sync.password_command` (`pass show
dav/tickle`, as vdirsyncer and khal do), else the system keyring when the optional
`keyring` package finds one (service "tickle-sync", the user as its name).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from tickle.settings.registry import TEXT, Setting, declare

PASSWORD_ENV = "TICKLE_SYNC_PASSWORD"
KEYRING_SERVICE = "tickle-sync"
AUTH_KINDS = ("basic", "digest")


def _url(text: str) -> str:
    if text and not text.startswith(("http://", "https://")):
        raise ValueError(text)
    return text


def _auth(text: str) -> str:
    if text not in AUTH_KINDS:
        raise ValueError(text)
    return text


for setting in (
    Setting(
        "sync.url", TEXT, "", "the URL of a CalDAV task list (http:// or https://), or \"\"",
        "The task list 'tickle sync' keeps in step ('tickle sync setup' writes it).", _url,
    ),
    Setting("sync.user", TEXT, "", "a user name", "The user to sign in to the server as."),
    Setting(
        "sync.password_command", TEXT, "", "a shell command such as \"pass show dav/tickle\"",
        "A command whose first line of output is the server's password.",
    ),
    Setting(
        "sync.auth", TEXT, "basic", "\"basic\" or \"digest\"",
        "How the server asks for the password ('tickle sync setup' finds out).", _auth,
    ),
):  # fmt: skip
    declare(setting)


@dataclass(frozen=True)
class SyncSettings:
    url: str
    user: str | None
    password_command: str | None
    auth: str
    path: Path  # the settings file, for messages


def load() -> SyncSettings:
    from tickle import settings
    from tickle.errors import ConfigError

    current = settings.current()
    url = current.get("sync.url")
    if not url:
        raise ConfigError(
            f"{current.path}: sync.url is not set: 'tickle sync setup URL' chooses the "
            "task list to sync with"
        )
    return SyncSettings(
        url=url,
        user=current.get("sync.user") or None,
        password_command=current.get("sync.password_command") or None,
        auth=current.get("sync.auth"),
        path=current.path,
    )


def password(user: str | None, command: str | None) -> tuple[str | None, str]:
    """The password and where it came from ("$TICKLE_SYNC_PASSWORD", "the password
    command", "the keyring"), or (None, "none found")."""
    from_env = os.environ.get(PASSWORD_ENV)
    if from_env:
        return from_env, f"${PASSWORD_ENV}"
    if command:
        return _run(command), "the password command"
    if user:
        found = _from_keyring(user)
        if found:
            return found, "the keyring"
    return None, "none found"


def _run(command: str) -> str:
    import subprocess  # here: every command reads this module's keys, few run a command

    from tickle.sync.errors import CredentialsRefused

    try:
        done = subprocess.run(
            command, shell=True, capture_output=True, text=True, timeout=60, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        raise CredentialsRefused(f"the password command failed: {error}") from None
    lines = done.stdout.splitlines()
    if done.returncode != 0 or not lines or not lines[0]:
        said = done.stderr.strip().splitlines()[-1:] or [f"exit {done.returncode}, no password"]
        raise CredentialsRefused(f"the password command '{command}' failed: {said[0]}")
    return lines[0]


def _from_keyring(user: str) -> str | None:
    try:
        import keyring
        from keyring.errors import KeyringError
    except ImportError:
        return None
    try:
        return keyring.get_password(KEYRING_SERVICE, user)
    except (KeyringError, RuntimeError, OSError):  # no usable backend on this machine
        return None
