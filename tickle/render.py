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
        _write_listing(groups, columns, row_style, out, width=width, styled=fmt != "plain")


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


GAP = 2  # spaces between columns
CARD_JOIN = " · "  # between the fields on one line of a stacked record


def _write_listing(
    groups: Sequence[Group],
    columns: Sequence[Column],
    row_style: Callable[[Any], str | None] | None,
    out: TextIO,
    *,
    width: int | None,
    styled: bool,
) -> None:
    from tickle import layout

    width = layout.screen_width(width, out)
    cells = [[[safe_text(c.value(r)) for c in columns] for r in g.records] for g in groups]
    headers = [c.header if styled else c.header.upper() for c in columns]
    natural = [layout.cell_len(h) for h in headers]
    longest = [layout.longest_word(h) for h in headers]
    for rows in cells:
        for row in rows:
            for i, text in enumerate(row):
                natural[i] = max(natural[i], layout.cell_len(text))
                if columns[i].fit == "wrap":
                    longest[i] = max(longest[i], layout.longest_word(text))
    floors = [_floor(c, n, w) for c, n, w in zip(columns, natural, longest, strict=True)]
    widths = layout.fit_columns(natural, floors, width, GAP)
    lines: list[layout.Line] = []
    titled = any(group.title for group in groups)
    if widths is not None and not titled:
        lines += _header_lines(headers, columns, widths, styled)
    for group, rows in zip(groups, cells, strict=True):
        if not group.records:
            continue
        if titled:
            lines.append([(safe_text(group.title), "bold")])
        if widths is not None:
            if titled:
                lines += _header_lines(headers, columns, widths, styled)
            for record, row in zip(group.records, rows, strict=True):
                lines += _row_lines(record, row, columns, widths, row_style)
        else:
            for record, row in zip(group.records, rows, strict=True):
                lines += _card_lines(record, row, columns, natural[0], width, row_style)
        if titled:
            lines.append([])
    _print_lines(lines, out, styled)


def _floor(column: Column, natural: int, longest: int) -> int:
    if column.fit == "wrap":
        return max(longest, min(natural, column.min_width))
    if column.fit == "cut":
        return min(natural, max(column.min_width, len(column.header) + 1))
    return natural


def _cell_lines(text: str, column: Column, width: int) -> list[str]:
    from tickle import layout

    if column.fit == "wrap":
        return layout.wrap(text, width)
    if column.fit == "cut":
        return [layout.cut(text, width)]
    return [text]


def _pad(text: str, width: int, justify: str) -> str:
    from tickle.layout import cell_len

    room = " " * max(width - cell_len(text), 0)
    return room + text if justify == "right" else text + room


def _header_lines(headers, columns, widths, styled: bool) -> list:
    from tickle import layout

    wrapped = [layout.wrap(h, w) for h, w in zip(headers, widths, strict=True)]
    style = "bold dim" if styled else ""
    lines = []
    for n in range(max(len(w) for w in wrapped)):
        parts = [
            _pad(w[n] if n < len(w) else "", width, column.justify)
            for w, width, column in zip(wrapped, widths, columns, strict=True)
        ]
        lines.append([((" " * GAP).join(parts), style)])
    if styled:
        lines.append([("─" * (sum(widths) + GAP * (len(widths) - 1)), "dim")])
    return lines


def _row_lines(record, row, columns, widths, row_style) -> list:
    base = (row_style(record) if row_style else None) or ""
    wrapped = [_cell_lines(t, c, w) for t, c, w in zip(row, columns, widths, strict=True)]
    styles = [
        " ".join(s for s in (base, c.style, c.cell_style(record) if c.cell_style else None) if s)
        for c in columns
    ]
    lines = []
    for n in range(max(len(w) for w in wrapped)):
        line = []
        for i, (cell, width, column) in enumerate(zip(wrapped, widths, columns, strict=True)):
            if i:
                line.append((" " * GAP, ""))
            line.append((_pad(cell[n] if n < len(cell) else "", width, column.justify), styles[i]))
        lines.append(line)
    return lines


def _card_lines(record, row, columns, first_width: int, width, row_style) -> list:
    """A record stacked as a card: its head fields on one line, the others beneath,
    indented under the second field."""
    from tickle import layout

    base = (row_style(record) if row_style else None) or ""
    indent = first_width + GAP if first_width + GAP <= 8 else 4
    if width is not None:
        indent = min(indent, width // 3)
    by_line: dict[int, list] = {}
    for i, column in enumerate(columns):
        text = safe_text(column.card(record)) if column.card else row[i]
        if i == 0 and column.line == 0:
            text = _pad(text, first_width, column.justify)
        if not text.strip() and i:
            continue
        if column.fit == "keep":
            text = text.replace(" ", layout.GLUE)
        style = " ".join(
            s
            for s in (base, column.style, column.cell_style(record) if column.cell_style else "")
            if s
        )
        by_line.setdefault(column.line, []).append((text, style))
    lines = []
    for number in sorted(by_line):
        words = []
        for n, (text, style) in enumerate(by_line[number]):
            if number == 0 and n == 0:
                words.append(layout.Word(text.replace(" ", layout.GLUE), style))
                continue
            if number == 0:
                words += layout.words_of(text, style, gap=GAP)
            else:
                cell = layout.words_of(text, style)
                if n and cell:
                    words[-1] = layout.Word(words[-1].text + CARD_JOIN.rstrip(), words[-1].style)
                words += cell
        lead = [(" " * indent, "")] if number else []
        room = None if width is None else width - (indent if number else 0)
        for line in layout.flow(words, room, 0 if number else indent):
            lines.append(lead + line)
    return lines


def _print_lines(lines: list, out: TextIO, styled: bool) -> None:
    if not styled:
        out.writelines("".join(text for text, _ in line).rstrip() + "\n" for line in lines)
        return
    from rich.text import Text

    text = Text(no_wrap=True, overflow="ignore")
    for n, line in enumerate(lines):
        if n:
            text.append("\n")
        for k, (piece, style) in enumerate(line):
            text.append(piece.rstrip() if k == len(line) - 1 else piece, style=style or None)
    console_for(out).print(text, soft_wrap=True, crop=False)


def console_for(out: TextIO | None = None):
    from rich.console import Console

    return Console(file=out or sys.stdout, highlight=False)


def say(message: str, out: TextIO | None = None) -> None:
    """One line telling the user what was done (grep-friendly, like 'TODO: 1 added.')."""
    (out or sys.stdout).write(safe_text(message) + "\n")


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
