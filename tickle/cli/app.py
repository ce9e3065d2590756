"""The root `tickle` command: global options, and the one place errors become exit codes."""

from __future__ import annotations

import copy
import datetime as dt
import os
import shlex
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from typer._click import exceptions as click  # typer 0.28 ships its own copy of click
from typer.core import TyperGroup

from tickle import __version__
from tickle.errors import EXIT_INTERNAL, EXIT_INTERRUPTED, EXIT_USAGE, TickleError


class TickleGroup(TyperGroup):
    """Runs the command and turns every failure into one line on stderr and an exit code."""

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        args = list(sys.argv[1:] if args is None else args)
        invocation = extra.setdefault("obj", Invocation(args))
        try:
            self._run(args, prog_name, complete_var, **extra)
        finally:
            if isinstance(invocation, Invocation):
                invocation.release_interrupts()

    def _run(self, args, prog_name, complete_var, **extra):
        if os.environ.get("_TICKLE_COMPLETE"):
            from tickle.cli.completion import install_shell_quoting

            install_shell_quoting()
        try:
            result = super().main(
                args, prog_name or "tickle", complete_var, standalone_mode=False, **extra
            )
        except click.NoArgsIsHelpError as error:
            typer.echo(error.ctx.get_help())
            sys.exit(EXIT_USAGE)
        except click.UsageError as error:
            _fail(_usage_message(error), EXIT_USAGE)
        except click.ClickException as error:
            _fail(error.format_message(), EXIT_USAGE)
        except typer.Abort:
            _fail("aborted: nothing was changed", EXIT_INTERRUPTED)
        except TickleError as error:
            _fail(error.message, error.exit_code)
        except KeyboardInterrupt:
            _fail(_interrupted(extra.get("obj")), EXIT_INTERRUPTED)
        except BrokenPipeError:
            _quiet_broken_pipe()
        except Exception as error:
            sqlite_error = _sqlite_error(error, extra.get("obj"))
            if sqlite_error is not None:
                _fail(sqlite_error.message, sqlite_error.exit_code)
            if _not_utf8(error):
                _fail(_not_utf8_message(error), EXIT_USAGE)
            if os.environ.get("TICKLE_DEBUG") == "1":
                raise
            _fail(
                f"internal error ({type(error).__name__}: {error}). This is a bug in tickle: "
                "please report it with the command you ran (TICKLE_DEBUG=1 shows the traceback)",
                EXIT_INTERNAL,
            )
        if result == EXIT_INTERRUPTED:
            _fail(_interrupted(extra.get("obj")), EXIT_INTERRUPTED)
        sys.exit(result if isinstance(result, int) else 0)


class Invocation:
    """What the user typed, and the database it is about (filled in by the root callback)."""

    def __init__(self, args: list[str]) -> None:
        self.args = args
        self.saved = False  # a write command committed its change
        self.db_path: Path | None = None
        self.now: dt.datetime | None = None
        self._held_interrupts: list[Any] = []

    def hold_interrupts(self) -> None:
        """Called just before a write command commits: Ctrl-C is ignored until the commit is
        done, so that an interrupt can never leave it in doubt (or a rollback that fails)."""
        import signal

        if not self._held_interrupts:
            try:
                previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
            except ValueError:  # not the main thread: signals do not reach it anyway
                return
            self._held_interrupts.append(signal.SIG_DFL if previous is None else previous)

    def release_interrupts(self) -> None:
        import signal

        while self._held_interrupts:
            signal.signal(signal.SIGINT, self._held_interrupts.pop())

    @property
    def command_line(self) -> str:
        return "tickle " + shlex.join(self.args)


def _usage_message(error: click.UsageError) -> str:
    message = error.format_message().rstrip(".")
    ctx = error.ctx
    if ctx is not None:
        message += f" (see '{ctx.command_path} --help')"
    return message


def _interrupted(invocation: Any) -> str:
    saved = getattr(invocation, "saved", False)  # Ctrl-C came after the commit
    return f"interrupted: {'the change was saved' if saved else 'nothing was changed'}"


def _sqlite_error(error: Exception, invocation: Any) -> TickleError | None:
    import sqlite3

    if isinstance(error, sqlite3.Error):
        from tickle.store import default_path, translate_error

        path = getattr(invocation, "db_path", None) or default_path()  # --db, if given
        return translate_error(error, path)
    return None


def _not_utf8(error: Exception) -> bool:
    # Bytes on the command line that are not UTF-8 reach Python as lone surrogates,
    # which can be neither stored nor printed.
    return isinstance(error, UnicodeEncodeError) and error.reason == "surrogates not allowed"


def _not_utf8_message(error: UnicodeEncodeError) -> str:
    text = error.object[error.start : error.end]
    shown = text.encode("utf-8", "surrogateescape") if isinstance(text, str) else text
    return (
        f"an argument holds bytes that are not UTF-8 ({shown!r}): write it in UTF-8 "
        "(is the terminal set to another encoding? try LANG=C.UTF-8); nothing was changed"
    )


def _fail(message: str, code: int) -> None:
    from tickle.render import safe_text

    sys.stderr.write(f"tickle: {safe_text(message)}\n")
    sys.exit(code)


def _quiet_broken_pipe() -> None:
    # The reader went away (`tickle agenda | head`): exit quietly, as `cat` does.
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    sys.exit(1)


app = typer.Typer(
    cls=TickleGroup,
    name="tickle",
    help="A tickle file for promises and follow-ups: never let a callback fall through.",
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _print_version(value: bool) -> None:
    if value:
        typer.echo(f"tickle {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    ctx: typer.Context,
    db: Annotated[
        Path | None,
        typer.Option(
            "--db",
            metavar="PATH",
            help="The database file (default: $TICKLE_DB, else the XDG data folder).",
            dir_okay=False,
        ),
    ] = None,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_print_version, is_eager=True, help="Show the version."),
    ] = False,
) -> None:
    """A tickle file for promises and follow-ups: never let a callback fall through."""
    invocation: Any = ctx.ensure_object(Invocation) if ctx.obj is None else ctx.obj
    invocation.db_path = db
    if not _asks_for_help(invocation.args):
        from tickle import settings

        settings.current()  # a wrong settings file stops every command, before it starts


def _asks_for_help(args: list[str]) -> bool:
    return any(arg in ("--help", "-h") for arg in args)


def main() -> None:
    try:
        _only_the_command_invoked(sys.argv[1:])()
    except KeyboardInterrupt:  # Ctrl-C while the command line was still being set up
        _fail("interrupted: nothing was changed", EXIT_INTERRUPTED)


def _only_the_command_invoked(args: list[str]) -> typer.Typer:
    """The app with only the command the arguments name (typer builds every command's
    parameters before it runs one: a third of start-up); the whole app for anything else
    (no command, an unknown one, --help, shell completion)."""
    name = command_name(args)
    if name is None or os.environ.get("_TICKLE_COMPLETE"):
        return app
    from typer.main import get_command_name

    commands = [
        info
        for info in app.registered_commands
        if (info.name or get_command_name(info.callback.__name__)) == name
    ]
    groups = [info for info in app.registered_groups if info.name == name]
    if not commands and not groups:
        return app
    narrow = copy.copy(app)
    narrow.registered_commands, narrow.registered_groups = commands, groups
    return narrow


def command_name(args: list[str]) -> str | None:
    """The command the arguments name (`agenda`, `customer`), if any."""
    values = iter(args)
    for arg in values:
        if arg == "--db":
            next(values, None)
        elif not arg.startswith("-"):
            return arg
    return None
