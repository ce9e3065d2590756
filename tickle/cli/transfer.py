"""`tickle import` and `tickle export`: data in from CRMs and phones, out to
spreadsheets, scripts and calendars."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from tickle.cli import session
from tickle.cli.app import app
from tickle.errors import InputError
from tickle.render import is_terminal, safe_text, say, warn

PROGRESS_THRESHOLD = 5000


class ImportWhat(str, Enum):
    customers = "customers"
    followups = "followups"
    promises = "promises"
    all = "all"


class ImportFormat(str, Enum):
    csv = "csv"
    tsv = "tsv"
    json = "json"
    jsonl = "jsonl"
    vcf = "vcf"


class DateOrder(str, Enum):
    dmy = "dmy"
    mdy = "mdy"


class ExportWhat(str, Enum):
    customers = "customers"
    items = "items"
    all = "all"


class ExportFormat(str, Enum):
    json = "json"
    jsonl = "jsonl"
    csv = "csv"
    ics = "ics"


@app.command("import")
def import_(
    ctx: typer.Context,
    what: Annotated[ImportWhat, typer.Argument(help="What the file holds.")],
    file: Annotated[str, typer.Argument(help="A file, or - for standard input.")] = "-",
    fmt: Annotated[
        ImportFormat | None,
        typer.Option("--format", "-f", help="Default: from the suffix, else from the content."),
    ] = None,
    encoding: Annotated[
        str | None,
        typer.Option("--encoding", metavar="NAME", help="The file's encoding if not UTF-8."),
    ] = None,
    maps: Annotated[
        list[str] | None,
        typer.Option("--map", metavar="'Column=field'", help="Read a column as a field."),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Say what would happen; write nothing.")
    ] = False,
    skip_invalid: Annotated[
        bool, typer.Option("--skip-invalid", help="Import the good rows, report the bad.")
    ] = False,
    date_order: Annotated[
        DateOrder | None,
        typer.Option(
            "--date-order",
            help="How to read 03/04/2026: dmy (3 April) or mdy (4 March). "
            "Default: the one order all the file's dates fit.",
        ),
    ] = None,
) -> None:
    """Import customers, follow-ups or promises (CSV, TSV, JSON, JSON Lines, vCard), or
    restore a backup made by 'tickle export all' into an empty database."""
    from tickle.io import readers

    if what is ImportWhat.all:
        _restore(ctx, file, encoding, dry_run=dry_run)
        return
    opened = session.reading if dry_run else session.writing
    with _bulk():
        source = readers.load(file, fmt.value if fmt else None, encoding)
        for warning in source.warnings:
            warn(warning)
        with opened(ctx) as store, _progress(len(source.rows)) as progress:
            order = date_order.value if date_order else None
            report = _plan(store, source, what.value, ctx, maps or [], progress, order)
            _reject(report.rejected, skip_invalid=skip_invalid, dry_run=dry_run)
            _warn_invalid_phones(getattr(report.plan, "warnings", []))
            if not dry_run:
                report.apply(store)
    if dry_run:
        for line in report.describe():
            say(line)
    say(report.summary(dry_run=dry_run))
    if dry_run and report.rejected and not skip_invalid:
        raise typer.Exit(2)


class _Report:
    """A planned import of one kind, with the one way to write it."""

    def __init__(
        self, plan, what: str, source: str, apply: Callable, describe: Callable[[], list[str]]
    ) -> None:
        self.plan, self.what, self.source, self._apply, self.describe = (
            plan,
            what,
            source,
            apply,
            describe,
        )
        self.rejected = plan.rejected

    def apply(self, store) -> None:
        self._apply(store)

    def summary(self, *, dry_run: bool) -> str:
        from tickle.io.summary import summary_line

        return summary_line(
            self.what,
            self.source,
            created=len(self.plan.created),
            updated=len(getattr(self.plan, "updated", [])),
            unchanged=self.plan.unchanged,
            rejected=len(self.plan.rejected),
            merged=getattr(self.plan, "merged", 0),
            ignored=self.plan.ignored_columns,
            dry_run=dry_run,
        )


def _plan(
    store, source, what: str, ctx: typer.Context, maps: list[str], progress, order: str | None
) -> _Report:
    now = session.now(ctx)
    if what == "customers":
        from tickle.io import customers_import as customers

        plan = customers.plan_customers(store, source, maps=maps, progress=progress)
        return _Report(
            plan,
            what,
            source.name,
            lambda s: customers.apply_customers(s, plan, now),
            lambda: customers.describe_customer_plan(plan),
        )
    from tickle.io import items_import as items

    kind = "promise" if what == "promises" else "followup"
    plan = items.plan_items(
        store, source, kind, now, maps=maps, progress=progress, date_order=order
    )
    return _Report(
        plan,
        what,
        source.name,
        lambda s: items.apply_items(s, plan, now),
        lambda: items.describe_item_plan(plan),
    )


def _warn_invalid_phones(warnings: list[str], shown: int = 10) -> None:
    """The first of the numbers kept that cannot be valid, and how many more."""
    for warning in warnings[:shown]:
        warn(warning)
    if len(warnings) > shown:
        warn(f"and {len(warnings) - shown} more phone numbers that cannot be valid")


def _reject(rejected: list, *, skip_invalid: bool, dry_run: bool) -> None:
    if not rejected:
        return
    if skip_invalid or dry_run:
        verb = "skipped" if skip_invalid else "rejected"
        for rejection in rejected:
            sys.stderr.write(f"tickle: {verb} {safe_text(rejection)}\n")
        return
    others = len(rejected) - 1
    more = f" (and {others} more bad row{'s' if others > 1 else ''})" if others else ""
    raise InputError(
        f"{rejected[0]}{more}. Nothing was imported: fix it, or --skip-invalid imports the rest"
    )


def _restore(ctx: typer.Context, file: str, encoding: str | None, *, dry_run: bool) -> None:
    from tickle.io import export, readers

    text, name = readers.load_text(file, encoding)
    data = export.read_backup(text, name)
    counts = {table: len(data.get(table, [])) for table in export.TABLES}
    if not dry_run:
        with session.writing(ctx) as store:
            counts = export.restore(store, data)
    listed = ", ".join(f"{n} {table}" for table, n in counts.items())
    if dry_run:
        say(f"Dry run, nothing written: would restore {listed} from {name}.")
    else:
        say(f"Restored {listed} from {name}.")


@contextmanager
def _bulk() -> Iterator[None]:
    """No cyclic garbage collection while hundreds of thousands of small rows are built:
    it found nothing to collect and took 45% of a 100k-row import."""
    import gc

    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


@contextmanager
def _progress(total: int) -> Iterator[Callable[[int], None] | None]:
    """A progress bar on stderr, for a long import on a terminal only."""
    if total <= PROGRESS_THRESHOLD or not is_terminal(sys.stderr):
        yield None
        return
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeRemainingColumn,
    )

    # The bar takes what the counts leave of the line: rich's fixed 40 columns would
    # push the counts off a narrow terminal.
    columns = [
        TextColumn("importing"),
        BarColumn(bar_width=None),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
    ]
    console = Console(stderr=True)
    with Progress(*columns, console=console, transient=True, expand=True) as bar:
        task = bar.add_task("importing", total=total)
        yield lambda n: bar.advance(task, n)


@app.command("export")
def export_(
    ctx: typer.Context,
    what: Annotated[ExportWhat, typer.Argument(help="What to export.")] = ExportWhat.all,
    fmt: Annotated[
        ExportFormat, typer.Option("--format", "-f", help="json, jsonl, csv or ics.")
    ] = ExportFormat.json,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", metavar="FILE", help="Write to FILE (mode 0600)."),
    ] = None,
    raw: Annotated[
        bool,
        typer.Option(
            "--raw", help="CSV for scripts: cells as stored, no apostrophe before =, +, -, @."
        ),
    ] = False,
) -> None:
    """Export customers, items or everything: a JSON backup, CSV for a spreadsheet, or
    iCalendar to-dos for a calendar."""
    from tickle.io import export

    if raw and fmt is not ExportFormat.csv:
        raise InputError("--raw is for CSV: other formats are never neutralised")
    if output is not None:
        _refuse_the_database(ctx, output)
    with session.reading(ctx) as store, store.snapshot():
        write, count = _exporter(store, what.value, fmt.value, session.now(ctx), raw=raw)
        with export.output(output) as out:
            write(out)
    if output is not None:
        say(f"Exported {count} to {output}.")


def _refuse_the_database(ctx: typer.Context, output: Path) -> None:
    from tickle.domain.backup import refuse_to_overwrite
    from tickle.store import default_path

    refuse_to_overwrite(ctx.find_root().obj.db_path or default_path(), output)


def _exporter(store, what: str, fmt: str, now, *, raw: bool = False) -> tuple[Callable, str]:
    from tickle.io import export

    if fmt == "ics":
        if what == "customers":
            raise InputError("iCalendar holds to-dos: use 'tickle export items --format ics'")
        from tickle.domain.series import series_dates
        from tickle.io import ics

        rows = store.items.list(status="open")
        series = {item.id: found for item, _ in rows if (found := series_dates(store, item))}
        text = ics.calendar(rows, now, series).decode("utf-8")
        return (lambda out: out.write(text)), f"{len(rows)} open items"
    if what == "all":
        if fmt == "csv":
            raise InputError("CSV holds one table: export customers or items, or use --format json")
        data = export.backup(store)
        count = f"{store.tables.count('customers')} customers, {store.tables.count('items')} items"
        if fmt == "jsonl":
            return (lambda out: export.write_jsonl(export.backup_lines(data), out)), count
        return (lambda out: export.write_backup(data, out)), count
    records = export.customer_records(store) if what == "customers" else export.item_records(store)
    count = f"{store.tables.count(what)} {what}"
    if fmt == "csv":
        return (lambda out: export.write_csv(records, out, raw=raw)), count
    if fmt == "jsonl":
        return (lambda out: export.write_jsonl(records, out)), count
    from tickle.render import write_json

    return (lambda out: write_json(records, out)), count
