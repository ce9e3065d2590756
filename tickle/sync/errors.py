"""How a sync fails, each with the exit code of the product's contract."""

from __future__ import annotations

from tickle.errors import EXIT_CONFIG, EXIT_NO_PERMISSION, EXIT_UNAVAILABLE, TickleError


class ServerUnreachable(TickleError):
    """The CalDAV server cannot be reached; nothing was changed (exit 69)."""

    exit_code = EXIT_UNAVAILABLE


class ServerError(TickleError):
    """The server answered, but not as a CalDAV task list should (exit 69)."""

    exit_code = EXIT_UNAVAILABLE


class CredentialsRefused(TickleError):
    """The server refused the user or the password (exit 77)."""

    exit_code = EXIT_NO_PERMISSION


class SyncNotSetUp(TickleError):
    """No list to sync with, or a bad `[sync]` setting (exit 78)."""

    exit_code = EXIT_CONFIG
