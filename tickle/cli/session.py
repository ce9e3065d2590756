"""What every command shares: the clock, the database, and the common options."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from enum import Enum
from typing import Annotated

import typer

from tickle import dates
from tickle.dates import When
from tickle.render import warn
from tickle.store import Store


class OutputFormat(str, Enum):
    table = "table"
    plain = "plain"
    json = "json"
    csv = "csv"


FormatOption = Annotated[
    OutputFormat | None,
    typer.Option(
        "--format",
        "-f",
        help="table (default on a terminal), plain (default when piped), json or csv.",
        show_default=False,
    ),
]


def item_number(text: str) -> int:
    """An item's number as a user gives it: `12` or `#12`."""
    number = text.strip().removeprefix("#")
    if not (number.isascii() and number.isdigit()):
        raise typer.BadParameter(f"'{text}' is not an item number: give it as 12 or #12")
    return int(number)


ItemId = Annotated[
    int,
    typer.Argument(
        parser=item_number, metavar="ID", help="The item's number (#12 is 12).", show_default=False
    ),
]
WidthOption = Annotated[
    int | None,
    typer.Option(
        "--width",
        min=0,
        metavar="N",
        help="Lay out for N columns (0: one line per record). Default: the terminal's "
        "width, else $COLUMNS, else 80.",
        show_default=False,
    ),
]
CompanyOption = Annotated[
    str | None,
    typer.Option("--company", metavar="TEXT", help="Everyone at this company."),
]
AtOption = Annotated[
    str | None,
    typer.Option("--at", metavar="WHEN", help="When it happened, if earlier (e.g. '9:30am')."),
]


def fmt(value: OutputFormat | None) -> str:
    from tickle.render import choose_format

    return choose_format(value.value if value else None)


def now(ctx: typer.Context) -> dt.datetime:
    """One clock per command: $TICKLE_NOW or the system clock, read once."""
    invocation = ctx.find_root().obj
    if invocation.now is None:
        invocation.now = dates.now()
    return invocation.now


def hours(ctx: typer.Context) -> dates.Hours:
    """What `morning`, `eod` and a bare hour (`fri 10`) mean: the [hours] settings."""
    from tickle import settings

    return settings.hours()


def when(ctx: typer.Context, text: str, *, prefer_past: bool = False) -> When:
    """A WHEN argument, the whole of it."""
    return dates.parse_when(
        text, now(ctx), prefer_past=prefer_past, hours=hours(ctx), order=dates.date_order()
    )


def leading_when(ctx: typer.Context, args: list[str]) -> tuple[When, list[str]]:
    """The WHEN at the start of `add`'s arguments, and the title's words after it."""
    return dates.parse_leading_when(args, now(ctx), hours=hours(ctx), order=dates.date_order())


def moment(ctx: typer.Context, text: str | None) -> dt.datetime | None:
    """When a contact happened (`--at`): a time today or a past date and time; a day
    without a time is noon of that day, or now if it is today."""
    if text is None:
        return None
    found = dates.parse_when(text, now(ctx), prefer_past=True, hours=hours(ctx))
    if found.time is None:
        if found.day == now(ctx).date():
            return now(ctx)
        return dt.datetime.combine(found.day, dt.time(12), tzinfo=dates.local_zone())
    return found.local_datetime()


@contextmanager
def reading(ctx: typer.Context) -> Iterator[Store]:
    """The database for a command that only reads: it is never written."""
    store = Store.open(ctx.find_root().obj.db_path, write=False)
    _show_warnings(store)
    try:
        yield store
    finally:
        store.close()


@contextmanager
def writing(ctx: typer.Context, *, scrub: bool = False) -> Iterator[Store]:
    """The database for a write command: one transaction, all or nothing, undoable.

    With `scrub`, what the command deletes is overwritten on disk once it is committed."""
    invocation = ctx.find_root().obj
    moment = now(ctx)
    with new_file_removed_on_failure(invocation.db_path):
        store = Store.open(invocation.db_path, write=True)
        _show_warnings(store)
        try:
            if scrub:
                store.enable_secure_delete()
            with store.transaction(invocation.command_line, moment):
                yield store
                invocation.hold_interrupts()  # the commit follows: too late to stop it
            invocation.saved = True
            if scrub:
                store.erase_freed_pages()
        finally:
            store.close()
            invocation.release_interrupts()


@contextmanager
def unrecorded(ctx: typer.Context) -> Iterator[Store]:
    """The database for `undo`, which manages its own transaction and is not itself undone."""
    with new_file_removed_on_failure(ctx.find_root().obj.db_path):
        store = Store.open(ctx.find_root().obj.db_path, write=True, undoable=False)
        _show_warnings(store)
        try:
            yield store
        finally:
            store.close()


@contextmanager
def new_file_removed_on_failure(path) -> Iterator[None]:
    """A command that fails leaves no database (nor folder) behind that was not there:
    a refused import into a new file does not create an empty one."""
    from tickle.store import default_path
    from tickle.store.files import remove_created

    target = path or default_path()
    created = [] if target.exists() else [target, *_missing_folders(target)]
    try:
        yield
    except BaseException:
        remove_created(created)
        raise


def _missing_folders(path) -> list:
    missing = []
    for folder in path.parents:
        if folder.exists():
            break
        missing.append(folder)
    return missing


def _show_warnings(store: Store) -> None:
    for message in store.warnings:
        warn(message)
