"""Output: the same records as a table on screen (in colour or plain), JSON or CSV.

The screen's layout is tickle.listing's, decided for the width before anything is
drawn: rich would squeeze a wide table by cutting its lines. Text stored by users is never written
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
    """One field of a listing and how it gives way when the screen is narrow.

    `fit` is "keep" (never broken: ids, dates, counts), "wrap" (wrapped at spaces, every
    line shown; no narrower than `min_width` in a row) or "cut" (a secondary field, cut
    on one line with "…" in a row; its whole text is in `show` and the JSON). When the
    columns do not fit side by side, each record is stacked: the `line` 0 fields on its
    first line, each further line's fields beneath it, as `card` words them."""

    header: str
    value: Callable[[Any], object]
    style: str | None = None
    justify: str = "left"
    cell_style: Callable[[Any], str | None] | None = None
    fit: str = "keep"
    min_width: int = 0
    line: int = 0
    card: Callable[[Any], object] | None = None


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
    width: int | None = None,
) -> None:
    """The records in the format asked for; `width` is `--width` as given (None: the
    terminal's, $COLUMNS or 80; 0: one line per record)."""
    out = out or sys.stdout
    records = [record for group in groups for record in group.records]
    if fmt == "json":
        write_json((to_dict(r) for r in records), out)
    elif fmt == "csv":
        write_csv((to_dict(r) for r in records), out)
    else:
        from tickle.listing import write_listing

        write_listing(groups, columns, row_style, out, width=width, styled=fmt != "plain")


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


def console_for(out: TextIO | None = None):
    from rich.console import Console

    return Console(file=out or sys.stdout, highlight=False)


def say(message: str, out: TextIO | None = None) -> None:
    """One line telling the user what was done (grep-friendly, like 'TODO: 1 added.');
    on a terminal wrapped at spaces, so that the terminal never breaks a word."""
    out = out or sys.stdout
    text = safe_text(message)
    isatty = getattr(out, "isatty", None)
    if isatty is not None and isatty():
        from tickle import layout

        width = layout.screen_width(None, out)
        if width and layout.cell_len(text) > width:
            say_wrapped(text, width, out=out)
            return
    out.write(text + "\n")


def say_wrapped(
    message: str, width: int | None = None, *, indent: int = 4, out: TextIO | None = None
) -> None:
    """A sentence wrapped at spaces for the screen, its continuation lines indented."""
    from tickle import layout

    out = out or sys.stdout
    for line in layout.wrap(safe_text(message), layout.screen_width(width, out), indent):
        out.write(line.rstrip() + "\n")


def say_details(
    details: Sequence[tuple[str, object]], width: int | None = None, *, label_width: int
) -> None:
    """`label:  value` lines, the values aligned and wrapped under each other."""
    from tickle import layout

    shown = [(label, safe_text(value)) for label, value in details if value]
    if not shown:
        return
    room = layout.screen_width(width, sys.stdout)
    column = 2 + label_width
    for label, value in shown:
        lead = f"  {label + ':':<{label_width}}"
        lines = layout.wrap(value, None if room is None else max(room - column, 20))
        sys.stdout.write(lead + lines[0] + "\n")
        for line in lines[1:]:
            sys.stdout.write(" " * column + line + "\n")


def warn(message: str) -> None:
    sys.stderr.write(f"tickle: warning: {safe_text(message)}\n")
