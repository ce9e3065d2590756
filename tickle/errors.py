"""The errors tickle reports to its user, each with its exit code.

Every failure a user can cause or meet is one of these; the CLI edge turns it
into one line on stderr and the exit code, never a traceback.
"""

from __future__ import annotations

EXIT_OK = 0
EXIT_OVERDUE = 1
EXIT_USAGE = 2
EXIT_UNAVAILABLE = 69  # sysexits EX_UNAVAILABLE: the sync server cannot be reached
EXIT_INTERNAL = 70
EXIT_IO = 74
EXIT_BUSY = 75
EXIT_NO_PERMISSION = 77  # sysexits EX_NOPERM: the sync server refused the credentials
EXIT_INCOMPATIBLE = 78
EXIT_CONFIG = 78  # sysexits EX_CONFIG: the settings file is wrong
EXIT_INTERRUPTED = 130


class TickleError(Exception):
    """A failure with a message the user can act on."""

    exit_code = EXIT_USAGE

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InputError(TickleError):
    """A bad argument, date, customer, file or row (exit 2)."""


class DateError(InputError):
    """Text that is not a date tickle understands."""


class NotFound(InputError):
    """An unknown customer or item."""


class Ambiguous(InputError):
    """A reference that matches more than one customer."""


class StorageError(TickleError):
    """The database or a file cannot be read or written (exit 74)."""

    exit_code = EXIT_IO


class DatabaseBusy(TickleError):
    """Another process held the database longer than we wait (exit 75)."""

    exit_code = EXIT_BUSY


class IncompatibleDatabase(TickleError):
    """A database from a newer tickle, or not a tickle database at all (exit 78)."""

    exit_code = EXIT_INCOMPATIBLE


class ConfigError(TickleError):
    """The settings file cannot be used: bad TOML, an unknown key or a bad value (exit 78)."""

    exit_code = EXIT_CONFIG
