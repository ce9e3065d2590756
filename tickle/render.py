"""Output: the same records as a rich table, plain aligned text, JSON or CSV.

A rich Console that is not a terminal still draws boxes and wraps at 80 columns,
so piped output has its own plain renderer. Text stored by users is never written
raw to a terminal: control characters are shown escaped.
"""

from __future__ import annotations

import json
import os
import re
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, TextIO

FORMATS = ("table", "plain", "json", "csv")
CSV_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_CONTROL = {c: f"\\x{c:02x}" for c in [*range(32), 127, *range(128, 160)]}
_CONTROL.update({ord("\n"): " ", ord("\t"): " ", ord("\r"): " "})
# JSON escapes only characters below 0x20: DEL and the C1 controls (0x9b is CSI on
# many terminals) would reach a terminal raw, and U+2028 and U+2029 end a line for
# line-based readers. As \u escapes the JSON means the same.
_JSON_CONTROL = {c: f"\\u{c:04x}" for c in [127, *range(128, 160), 0x2028, 0x2029]}
_JSON_CONTROL_FOUND = re.compile("[\x7f-\x9f\u2028\u2029]").search


@dataclass(frozen=True)
class Column:
    header: str
    value: Callable[[Any], object]
    style: str | None = None
    justify: str = "left"
    max_width: int | None = None
    cell_style: Callable[[Any], str | None] | None = None


@dataclass(frozen=True)
class Group:
    """A titled block of records, such as an agenda section."""

    title: str
    records: Sequence[Any]


def is_terminal(stream: TextIO | None = None) -> bool:
    stream = stream or sys.stdout
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def wants_plain() -> bool:
    return not is_terminal() or "NO_COLOR" in os.environ or os.environ.get("TERM") == "dumb"


def choose_format(requested: str | None) -> str:
    if requested:
        return requested
    return "plain" if wants_plain() else "table"


def safe_text(value: object) -> str:
    """Text fit for a terminal: no control characters replayed raw."""
    if value is None:
        return ""
    return str(value).translate(_CONTROL)


def emit(
    groups: Sequence[Group],
    columns: Sequence[Column],
    *,
    fmt: str,
    to_dict: Callable[[Any], dict],
    row_style: Callable[[Any], str | None] | None = None,
    out: TextIO | None = None,
) -> None:
    out = out or sys.stdout
    records = [record for group in groups for record in group.records]
    if fmt == "json":
        write_json((to_dict(r) for r in records), out)
    elif fmt == "csv":
        write_csv((to_dict(r) for r in records), out)
    elif fmt == "plain":
        _write_plain(groups, columns, out)
    else:
        _write_table(groups, columns, row_style, out)


def json_text(value: object, *, indent: int | None = None) -> str:
    """JSON with every control character and line separator escaped, so that it is safe
    on a terminal and one line stays one line."""
    text = json.dumps(value, ensure_ascii=False, indent=indent)
    return text.translate(_JSON_CONTROL) if _JSON_CONTROL_FOUND(text) else text


def write_json(records: Iterable[dict], out: TextIO, *, margin: str = "") -> None:
    """A JSON array, one record a line, written as it goes so that a long listing never
    sits in memory. With a `margin`, the array is a value inside an object being written."""
    out.write("[")
    empty = True
    for record in records:
        out.write(("\n  " if empty else ",\n  ") + margin)
        out.write(json_text(record))
        empty = False
    out.write("]" if empty else f"\n{margin}]")
    if not margin:
        out.write("\n")


def write_json_object(record: dict, out: TextIO | None = None) -> None:
    (out or sys.stdout).write(json_text(record, indent=2) + "\n")


def flatten(record: dict, prefix: str = "") -> dict:
    flat: dict = {}
    for key, value in record.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(flatten(value, f"{name}_"))
        elif isinstance(value, list | tuple):
            flat[name] = ";".join(str(v) for v in value)
        else:
            flat[name] = value
    return flat


def neutralise_cell(value: object) -> object:
    """A cell a spreadsheet would run as a formula gets a leading apostrophe (OWASP).

    So does one that already has apostrophes before a formula character: the import
    removes exactly one, and gets the value back as it was."""
    if isinstance(value, str) and value.lstrip("'").startswith(CSV_FORMULA_STARTS):
        return "'" + value
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


def write_csv(records: Iterable[dict], out: TextIO) -> None:
    import csv

    writer = None
    for record in records:
        flat = flatten(record)
        if writer is None:
            writer = csv.DictWriter(out, fieldnames=list(flat), lineterminator="\n")
            writer.writeheader()
        writer.writerow({k: neutralise_cell(v) for k, v in flat.items()})


def _write_plain(groups: Sequence[Group], columns: Sequence[Column], out: TextIO) -> None:
    cells = [
        [[safe_text(column.value(record)) for column in columns] for record in group.records]
        for group in groups
    ]
    headers = [column.header.upper() for column in columns]
    widths = [len(h) for h in headers]
    for rows in cells:
        for row in rows:
            widths = [max(w, len(cell)) for w, cell in zip(widths, row, strict=True)]

    def line(row: list[str]) -> str:
        parts = [
            cell.rjust(width) if column.justify == "right" else cell.ljust(width)
            for cell, width, column in zip(row, widths, columns, strict=True)
        ]
        return "  ".join(parts).rstrip()

    titled = any(group.title for group in groups)
    if not titled:
        out.write(line(headers) + "\n")
    for group, rows in zip(groups, cells, strict=True):
        if not rows:
            continue
        if titled:
            out.write(f"{group.title}\n")
            out.write(line(headers) + "\n")
        for row in rows:
            out.write(line(row) + "\n")
        if titled:
            out.write("\n")


def _write_table(
    groups: Sequence[Group],
    columns: Sequence[Column],
    row_style: Callable[[Any], str | None] | None,
    out: TextIO,
) -> None:
    from rich import box
    from rich.table import Table
    from rich.text import Text

    console = console_for(out)
    # Every section gets the same column widths, so that they read as one table.
    widths = [len(column.header) for column in columns]
    for group in groups:
        for record in group.records:
            widths = [
                max(width, len(safe_text(column.value(record))))
                for width, column in zip(widths, columns, strict=True)
            ]
    for group in groups:
        if not group.records:
            continue
        table = Table(
            title=group.title or None,
            title_justify="left",
            title_style="bold",
            box=box.SIMPLE_HEAD,
            header_style="bold dim",
            pad_edge=False,
        )
        for column, width in zip(columns, widths, strict=True):
            table.add_column(
                column.header,
                style=column.style,
                justify=column.justify,
                min_width=min(width, column.max_width or width),
                max_width=column.max_width,
                overflow="fold",
            )
        for record in group.records:
            table.add_row(
                *[
                    Text(
                        safe_text(column.value(record)),
                        style=(column.cell_style(record) if column.cell_style else None) or "",
                    )
                    for column in columns
                ],
                style=row_style(record) if row_style else None,
            )
        console.print(table)


def console_for(out: TextIO | None = None):
    from rich.console import Console

    return Console(file=out or sys.stdout, highlight=False)


def say(message: str, out: TextIO | None = None) -> None:
    """One line telling the user what was done (grep-friendly, like 'TODO: 1 added.')."""
    (out or sys.stdout).write(safe_text(message) + "\n")


def warn(message: str) -> None:
    sys.stderr.write(f"tickle: warning: {safe_text(message)}\n")
