"""`tickle sync`: two-way with one CalDAV task list; `sync setup` and `sync status`."""

from __future__ import annotations

from typing import Annotated

import typer

from tickle.cli import session
from tickle.render import say

sync_app = typer.Typer(
    help="Keep the open items in step with a CalDAV task list (the phone's reminders).",
    invoke_without_command=True,
    no_args_is_help=False,
)


@sync_app.callback()
def sync(
    ctx: typer.Context,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Say what would change, change nothing.")
    ] = False,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="Print nothing unless something changed.")
    ] = False,
) -> None:
    """Sync now: the phone's changes come down, tickle's go up."""
    if ctx.invoked_subcommand is not None:
        return
    from tickle.store import Store, default_path
    from tickle.sync import settings
    from tickle.sync.client import TaskList
    from tickle.sync.engine import Sync

    config = settings.load()
    password, _ = settings.password(config.user, config.password_command)
    tasks = TaskList(config.url, config.user, password, auth=config.auth)
    invocation = ctx.find_root().obj
    path = invocation.db_path or default_path()

    def saved() -> None:
        invocation.saved = True  # Ctrl-C from here on: the changes made here are kept

    try:
        # A database not there yet is made once the server has answered (never by a
        # dry run), and removed again if the sync fails after all.
        first = None if path.exists() else tasks.changes(None)
        with session.new_file_removed_on_failure(path):
            store = Store.open(path, write=first is None or not dry_run)
            try:
                engine = Sync(store, tasks, session.now(ctx), invocation.command_line, saved)
                report = engine.run(dry_run=dry_run, changes=first)
            finally:
                store.close()
    finally:
        tasks.close()
    if quiet and not report.changed:
        return
    _print_report(report)


def _print_report(report) -> None:
    lead = "would be " if report.dry_run else ""
    for line in report.local:
        _say(f"{'would: ' if report.dry_run else ''}{line}")
    for line in report.notices:
        _say(f"note: {line}")
    counts = [
        f"{report.created} {lead}sent",
        f"{report.updated} {lead}updated",
        f"{report.deleted} {lead}deleted on the server",
    ]
    if report.deferred:
        counts.append(f"{report.deferred} changed on the server meanwhile (the next sync)")
    here = f"{len(report.local)} {'would change' if report.dry_run else 'changed'} here"
    _say(f"{'Dry run' if report.dry_run else 'Synced'}: {', '.join(counts)}; {here}.")


def _say(text: str) -> None:
    """A line folded at words to a terminal's width (an item or a URL is never split)."""
    import sys
    import textwrap

    from tickle.layout import terminal_width

    columns = terminal_width(sys.stdout)
    if not columns:
        say(text)
        return
    width = max(columns - 1, 40)
    for line in textwrap.wrap(
        text, width, subsequent_indent="  ", break_long_words=False, break_on_hyphens=False
    ):
        say(line)


@sync_app.command("setup")
def setup(
    url: Annotated[
        str,
        typer.Argument(
            metavar="URL", help="The task list's URL, or the account's URL with --calendar."
        ),
    ],
    user: Annotated[
        str | None, typer.Option("--user", "-u", metavar="USER", help="Sign in as.")
    ] = None,
    calendar: Annotated[
        str | None,
        typer.Option("--calendar", metavar="NAME", help="The list's name (made if missing)."),
    ] = None,
    password_command: Annotated[
        str | None,
        typer.Option(
            "--password-command",
            metavar="CMD",
            help="A command that prints the password (e.g. 'pass show dav/tickle').",
        ),
    ] = None,
) -> None:
    """Choose the task list (it must take tasks) and save it."""
    from tickle import settings as all_settings
    from tickle.sync import settings
    from tickle.sync.setup import find_list

    if not url.startswith(("http://", "https://")):
        raise typer.BadParameter(f"'{url}' is not an http:// or https:// URL", param_hint="URL")
    password, _ = settings.password(user, password_command)
    found = find_list(url, user, password, calendar)
    changes = {"sync.url": found.url, "sync.user": user or "", "sync.auth": found.auth}
    changes["sync.password_command"] = password_command or ""
    path = all_settings.update(changes)
    made = " (made for tickle)" if found.created else ""
    name = f"'{found.name}' " if found.name else ""
    _say(f"Sync set up with the task list {name}at {found.url}{made}; saved in {path}.")
    _say("Run 'tickle sync' now, and from cron: */15 * * * * tickle sync --quiet")


@sync_app.command("status")
def status(ctx: typer.Context) -> None:
    """The list, the last sync, and what waits to be sent."""
    from tickle.sync import settings
    from tickle.sync.engine import pending

    config = settings.load()
    # The command is not run here: it may ask for a passphrase.
    source = "the password command" if config.password_command else None
    if source is None:
        source = settings.password(config.user, None)[1]
    with session.reading(ctx) as store:
        waiting = pending(store, config.url)
    _say(f"Server: {config.url}" + (f" (as {config.user})" if config.user else ""))
    say(f"Password: {source}")
    last = waiting.last_synced_at
    say(f"Last sync: {last.strftime('%Y-%m-%d %H:%M') if last else 'never'}")
    say(
        f"Pending: {waiting.new} to send, {waiting.changed} changed since, "
        f"{waiting.gone} to delete on the server"
    )
