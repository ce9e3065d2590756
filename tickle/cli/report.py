"""`tickle report`: promises kept, follow-ups done, complaints fixed, customers gone quiet.

On a terminal the figures come with small charts; `plain` is aligned text and `json`
the same figures with stable keys.
"""

from __future__ import annotations

import sys
from enum import Enum
from typing import TYPE_CHECKING, Annotated

import typer

from tickle.cli import session
from tickle.cli.app import app

if TYPE_CHECKING:
    from tickle.domain.report import Report

# Human formats list this many quiet customers, and say how many more there are.
SCREEN_QUIET = 20
BAR_WIDTH = 30
CHART_WEEKS = 26
SPARKS = "▁▂▃▄▅▆▇█"  # the lowest is nothing that week


class ReportFormat(str, Enum):
    table = "table"
    plain = "plain"
    json = "json"


@app.command("report")
def report(
    ctx: typer.Context,
    since: Annotated[
        str | None,
        typer.Option("--since", metavar="WHEN", help="Start of the period (default: 90 days ago)."),
    ] = None,
    quiet_days: Annotated[
        int | None,
        typer.Option(
            "--quiet-days",
            metavar="N",
            help="Gone quiet: no contact in N days (default: report.quiet_days, 60).",
            show_default=False,
        ),
    ] = None,
    format: Annotated[
        ReportFormat | None,
        typer.Option("--format", "-f", help="table (default on a terminal), plain or json."),
    ] = None,
    width: session.WidthOption = None,
) -> None:
    """Promises kept, follow-ups done, outcome mix, cases and customers gone quiet."""
    from tickle import settings
    from tickle.domain.report import build_report
    from tickle.layout import screen_width
    from tickle.render import choose_format, write_json_object

    output = choose_format(format.value if format else None)
    start = session.when(ctx, since, prefer_past=True) if since else None
    with session.reading(ctx) as store:
        result = build_report(
            store,
            session.now(ctx),
            since=start,
            quiet_days=quiet_days if quiet_days is not None else settings.get("report.quiet_days"),
            quiet_limit=None if output == "json" else SCREEN_QUIET,
        )
    if output == "json":
        write_json_object(result.as_dict())
    elif output == "plain":
        _write_plain(result, width)
    else:
        _write_table(result, width, screen_width(width, sys.stdout))


def _percent(rate: float | None) -> str:
    return "-" if rate is None else f"{rate:.0%}"


def _days(value: float | None) -> str:
    if value is None:
        return "-"
    text = f"{value:g}"
    return f"{text} day" if value == 1 else f"{text} days"


def _figures(result: Report) -> list[tuple[str, list[tuple[str, object]]]]:
    p, f, c = result.promises, result.followups, result.cases
    return [
        (
            "Promises",
            [
                ("made", p.made),
                ("kept on time", p.kept_on_time),
                ("kept late", p.kept_late),
                ("moved", f"{p.moved} ({p.moves} time{'s' if p.moves != 1 else ''})"),
                ("broken (cancelled)", p.broken),
                ("open now", p.open),
                ("overdue now", p.overdue),
                ("kept on time, of settled", _percent(p.on_time_rate)),
            ],
        ),
        (
            "Follow-ups",
            [
                ("done", f.done),
                ("overdue now", f.overdue),
                ("median lateness when done", _days(f.median_days_late)),
                ("attempts (not reached)", f.attempts),
            ],
        ),
        (
            "Cases",
            [
                ("opened", c.opened),
                ("resolved", c.resolved),
                ("open now", c.open),
                ("reopened", c.reopened),
                ("median time to resolve", _days(c.median_days_to_resolve)),
                ("check-ins: the fix held", f"{c.check_ins_held} of {c.check_ins_done}"),
                ("lessons recorded", c.lessons),
                ("letters of thanks", c.letters),
            ],
        ),
    ]


def _title(result: Report) -> str:
    days = (result.until - result.since).days
    return f"Report from {result.since:%a %d %b %Y} to today ({days} days)"


def _quiet_title(result: Report) -> str:
    return f"Customers gone quiet: no contact in {result.quiet_days} days ({result.quiet_total})"


def _quiet_when(customer) -> str:
    if customer.last_contact is None:
        return f"never contacted (added {customer.days_quiet} days ago)"
    return f"last contact {customer.last_contact.isoformat()} ({customer.days_quiet} days ago)"


def _write_plain(result: Report, width: int | None) -> None:
    from tickle.layout import screen_width
    from tickle.render import say

    room = screen_width(width, sys.stdout)
    say(_title(result))
    for title, rows in _figures(result):
        say("")
        say(title)
        labels = max(len(label) for label, _ in rows)
        for label, value in rows:
            say(f"  {label:<{labels}}  {value}")
        if title == "Follow-ups":
            _plain_counts("outcome mix", result.followups.outcomes, room)
        if title == "Cases":
            _plain_counts("categories, most frequent first", result.cases.categories, room)
    say("")
    say(_quiet_title(result))
    _quiet_list(result, "plain", width)
    _more(result)


def _quiet_list(result: Report, output: str, width: int | None) -> None:
    from tickle.render import Column, Group, emit

    columns = [
        Column("id", lambda c: f"#{c.id}", justify="right"),
        Column("customer", lambda c: c.label, fit="wrap", min_width=16),
        Column("last contact", _quiet_when, fit="wrap", min_width=20, line=1),
    ]
    if result.quiet:
        emit([Group("", result.quiet)], columns, fmt=output, to_dict=dict, width=width)


def _plain_counts(title: str, counts: list[tuple[str, int]], room: int | None) -> None:
    """`    name  count` lines; a name too long for the line wraps, its count on its first."""
    from tickle.layout import cell_len, wrap
    from tickle.render import say

    if not counts:
        return
    say(f"  {title}:")
    figures = max(len(str(count)) for _, count in counts)
    width = max(cell_len(safe(name)) for name, _ in counts)
    if room is not None:
        width = max(min(width, room - 4 - 2 - figures), 10)
    for name, count in counts:
        lines = wrap(safe(name), width)
        say(f"    {lines[0]}{' ' * (width - cell_len(lines[0]))}  {count}")
        for line in lines[1:]:
            say(f"    {line}")


def _more(result: Report) -> None:
    from tickle.render import say

    hidden = result.quiet_total - len(result.quiet)
    if hidden > 0:
        say(f"  {hidden} more: --format json lists them all.")


def _write_table(result: Report, width: int | None, room: int | None) -> None:
    from rich import box
    from rich.table import Table
    from rich.text import Text

    from tickle.render import console_for, safe_text

    console = console_for()
    console.print(Text(_title(result), style="bold"))
    for title, rows in _figures(result):
        table = Table(
            title=title,
            title_justify="left",
            title_style="bold",
            box=box.SIMPLE_HEAD,
            show_header=False,
            pad_edge=False,
        )
        table.add_column("figure", style="dim")
        table.add_column("value", justify="right")
        for label, value in rows:
            table.add_row(label, Text(safe_text(value)))
        console.print(table)
        if title == "Promises" and result.promises.on_time_rate is not None:
            rate = result.promises.on_time_rate
            console.print(_bar_line("kept on time", rate, 1.0, "green", room=room))
        if title == "Follow-ups":
            _chart(console, "Outcome mix", result.followups.outcomes, "cyan", room)
            _weeks_chart(console, result)
        if title == "Cases":
            categories = result.cases.categories
            _chart(console, "Categories, most frequent first", categories, "magenta", room)
    console.print()
    console.print(Text(_quiet_title(result), style="bold"))
    _quiet_list(result, "table", width)
    _more(result)


def _bar_line(
    label: str, value: float, most: float, style: str, width: int = 24, room: int | None = None
):
    """`  label ████░░░░ value`, the bar shortened and then the label cut so that the
    line fits in `room` columns."""
    from rich.text import Text

    from tickle.layout import cell_len, cut

    shown = f"{value:.0%}" if most == 1.0 and isinstance(value, float) else str(value)
    name = safe(label)
    bar = BAR_WIDTH
    if room is not None:
        spare = room - 2 - width - 1 - 1 - len(shown)
        bar = max(10, min(BAR_WIDTH, spare))
        width = min(width, room - 2 - 1 - bar - 1 - len(shown))
        name = cut(name, width)
    filled = round(bar * value / most) if most else 0
    line = Text(f"  {name}{' ' * (width - cell_len(name))} ")
    line.append("█" * filled, style=style)
    line.append("░" * (bar - filled), style="dim")
    line.append(f" {shown}")
    return line


def safe(text: object) -> str:
    from tickle.render import safe_text

    return safe_text(text)


def _chart(
    console, title: str, counts: list[tuple[str, int]], style: str, room: int | None
) -> None:
    from rich.text import Text

    if not counts:
        return
    console.print(Text(title, style="bold"))
    most = max(count for _, count in counts)
    from tickle.layout import cell_len

    width = max(cell_len(safe(name)) for name, _ in counts)
    for name, count in counts:
        console.print(_bar_line(name, count, most, style, width, room))
    console.print()


def _weeks_chart(console, result: Report) -> None:
    """Week by week, follow-ups due against follow-ups done, as two sparklines."""
    from rich.text import Text

    weeks = result.followups.weeks[-CHART_WEEKS:]
    if not weeks or not any(week.due or week.done for week in weeks):
        return
    most = max(max(week.due, week.done) for week in weeks)

    def spark(values: list[int]) -> str:
        top = len(SPARKS) - 1
        return "".join(
            SPARKS[max(1, round(value * top / most)) if value else 0] for value in values
        )

    console.print(
        Text(f"Follow-ups by week, from {weeks[0].start:%d %b} (peak {most})", style="bold")
    )
    due = Text("  due   ")
    due.append(spark([week.due for week in weeks]), style="yellow")
    done = Text("  done  ")
    done.append(spark([week.done for week in weeks]), style="green")
    console.print(due)
    console.print(done)
    console.print()
