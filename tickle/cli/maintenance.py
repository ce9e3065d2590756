"""`tickle backup` and `tickle doctor`: keep a copy of the database, and check its health."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from tickle.cli import session
from tickle.cli.app import app
from tickle.render import say


def _database(ctx: typer.Context) -> Path:
    from tickle.store import default_path

    return ctx.find_root().obj.db_path or default_path()


@app.command("backup")
def backup(
    ctx: typer.Context,
    file: Annotated[
        str | None,
        typer.Argument(
            metavar="[FILE]",
            help="Where to write the copy (default: backups/tickle-DATE.db next to the database).",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Copy the database to FILE (mode 0600), safely even while another tickle writes to it."""
    from tickle.domain.backup import backup_target, size_text
    from tickle.store import Store

    database = _database(ctx)
    target = backup_target(database, file, session.now(ctx))
    store = Store.open_read_only(database)
    try:
        size = store.maintenance.backup(target)
    finally:
        store.close()
    say(f"Backed up {database} to {target} ({size_text(size)}).")


@app.command("doctor")
def doctor(
    ctx: typer.Context,
    format: session.FormatOption = None,
    width: session.WidthOption = None,
) -> None:
    """Check the database file, its permissions, integrity, schema and rows, and say what
    to do. Reads only. Exit 0: all ok or warnings; 1: a problem; 74: the file is corrupt or
    unreadable; 78: it is not a database this tickle can use (newer, or another program's)."""
    from tickle.domain import doctor as checks
    from tickle.render import Column, Group, emit
    from tickle.store import Store

    found = checks.examine(_database(ctx), Store.open_read_only)
    columns = [
        Column("status", lambda c: c.status),
        Column("check", lambda c: c.check),
        Column("detail", lambda c: c.detail, fit="wrap", min_width=20, line=1),
        Column("advice", lambda c: c.advice, fit="wrap", min_width=20, line=2),
    ]
    emit(
        [Group("", found)],
        columns,
        fmt=session.fmt(format),
        to_dict=lambda c: c.as_dict(),
        width=width,
    )
    code = checks.exit_code(found)
    if code:
        raise typer.Exit(code)
