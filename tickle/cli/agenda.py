"""`tickle agenda`: the day's work, overdue first; and `tickle demo`."""

from __future__ import annotations

from typing import Annotated

import typer

from tickle.cli import session, views
from tickle.cli.app import app
from tickle.cli.session import CompanyOption, FormatOption, WidthOption
from tickle.domain.agenda import Agenda, build_agenda
from tickle.domain.customers import resolve_company, resolve_customer
from tickle.errors import EXIT_OVERDUE
from tickle.render import Group, emit, say

# Rendering is the slow part of a long listing: human formats show this many rows.
SCREEN_ROWS = 100


@app.command("agenda")
def agenda(
    ctx: typer.Context,
    on: Annotated[
        str | None, typer.Option("--on", metavar="WHEN", help="See the agenda of another day.")
    ] = None,
    days: Annotated[
        int | None,
        typer.Option(
            "--days",
            min=0,
            help="How many days ahead to show (default: agenda.days, 7).",
            show_default=False,
        ),
    ] = None,
    customer: Annotated[
        str | None, typer.Option("--customer", "-c", help="Only this customer.")
    ] = None,
    company: CompanyOption = None,
    check: Annotated[
        bool, typer.Option("--check", help="Exit 1 when anything is overdue (for cron).")
    ] = False,
    all_rows: Annotated[
        bool, typer.Option("--all", help=f"Show every row, not the first {SCREEN_ROWS}.")
    ] = False,
    format: FormatOption = None,
    width: WidthOption = None,
) -> None:
    """Overdue items first, then today's, then the next days."""
    from tickle import settings

    output = session.fmt(format)
    limit = None if all_rows or output in ("json", "csv") else SCREEN_ROWS
    on_day = session.when(ctx, on) if on else None
    with session.reading(ctx) as store:
        who = resolve_customer(store, customer) if customer else None
        everyone = resolve_company(store, company) if company else None
        result = build_agenda(
            store,
            session.now(ctx),
            on=on_day,
            days=days if days is not None else settings.get("agenda.days"),
            customer=who,
            customers=everyone,
            limit=limit,
        )
    show_agenda(result, output, width)
    if check and result.has_overdue:
        raise typer.Exit(EXIT_OVERDUE)


def show_agenda(result: Agenda, output: str, width: int | None = None) -> None:
    if not result.rows and output in ("table", "plain"):
        say(_empty_line(result))
        return
    sections = {
        "overdue": "Overdue",
        "today": f"Today, {result.today:%a} {result.today.day} {result.today:%b}",
        "upcoming": f"Next {result.days} days" if result.days != 1 else "Tomorrow",
        "open_case": "Open cases",
    }
    groups = []
    for key, title in sections.items():
        rows = [row for row in result.rows if row.section == key]
        groups.append(Group(f"{title} ({len(rows)})", rows))
    emit(
        groups,
        views.agenda_columns(result.now),
        fmt=output,
        to_dict=lambda row: row.as_dict(),
        row_style=views.agenda_row_style,
        width=width,
    )
    if result.hidden and output in ("table", "plain"):
        say(f"{result.hidden} more: use --all to see them.")


def _empty_line(result: Agenda) -> str:
    ahead = "today" if result.days == 0 else f"in the next {result.days} days"
    return f"Nothing overdue and nothing due {ahead}. Enjoy the quiet."


@app.command("demo")
def demo(ctx: typer.Context, format: FormatOption = None, width: WidthOption = None) -> None:
    """Fill an empty database with a realistic sample and show its agenda."""
    from tickle.domain.demo import load_demo

    with session.writing(ctx) as store:
        count = load_demo(store, session.now(ctx))
        path = store.path
    say(f"Added a sample of {count} follow-ups and promises to {path}.")
    say("")
    with session.reading(ctx) as store:
        result = build_agenda(store, session.now(ctx), limit=SCREEN_ROWS)
    show_agenda(result, session.fmt(format), width)
