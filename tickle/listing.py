"""A listing on screen: a row per record when the columns fit side by side, else a
small card per record; either way every word is kept and no line is wider than the
screen. `plain` is the same lines without colour."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TextIO

from tickle import layout
from tickle.render import Column, Group, console_for, safe_text

GAP = 2  # spaces between columns
CARD_JOIN = " · "  # between the fields on one line of a stacked record


def write_listing(
    groups: Sequence[Group],
    columns: Sequence[Column],
    row_style: Callable[[Any], str | None] | None,
    out: TextIO,
    *,
    width: int | None,
    styled: bool,
) -> None:
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
    if column.fit == "wrap":
        return layout.wrap(text, width)
    if column.fit == "cut":
        return [layout.cut(text, width)]
    return [text]


def _pad(text: str, width: int, justify: str) -> str:
    room = " " * max(width - layout.cell_len(text), 0)
    return room + text if justify == "right" else text + room


def _header_lines(headers, columns, widths, styled: bool) -> list:
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
