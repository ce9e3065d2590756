"""Text laid out for the width it gets: display widths, wrapping at spaces, and the
choice between a row per record and a stacked card per record.

Nothing here knows rich's tables: rich squeezes a table wider than the screen by
cutting every line at the right edge, so the layout is decided here first and the
lines handed to the terminal already fit.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

# A space at which a line may not break: inside a phone number, a date, a time.
GLUE = "\u00a0"
ELLIPSIS = "…"
PLAIN_WIDTH = 80  # piped output (cron mail) when no width is known
_MONTHS = "Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec"
_DAYS = "Mon|Tue|Wed|Thu|Fri|Sat|Sun"
_UNBREAKABLE_PARTS = [
    rf"\b(?:{_DAYS}) \d{{1,2}} (?:{_MONTHS})(?: \d{{4}})?(?: \d{{1,2}}:\d{{2}})?",
    rf"\b\d{{1,2}} (?:{_MONTHS})(?: \d{{4}})?(?: \d{{1,2}}:\d{{2}})?",
    r"\b\d{4}-\d{2}-\d{2}(?: \d{1,2}:\d{2}(?::\d{2})?)?",
    r"\b(?:today|tomorrow|yesterday) \d{1,2}:\d{2}",
    r"\b\d{1,2}(?::\d{2})? ?[ap]m\b",
    r"\b\d+ (?:tries|try|days?)\b",
    # Phone numbers as people write them: +1 415 555 0142, (0)20 7946 0958.
    r"(?:\+|\(\d)?[\d(][\d ().\-]{4,}\d",
]


@cache
def _unbreakable() -> re.Pattern:
    return re.compile("|".join(_UNBREAKABLE_PARTS))


def cell_len(text: str) -> int:
    """Columns the text takes on a terminal: CJK and emoji count two, combining accents
    none. rich's table of widths is used, so that tables and plain text agree."""
    if not text or max(text) < "\u0300":
        # Latin letters with their accents composed (José, Ærø) are one column each;
        # rich's tables cost more to import than the whole plain agenda takes to print.
        return len(text)
    from rich.cells import cell_len as measure

    return measure(text)


def glue(text: str) -> str:
    """The text with no line break allowed inside a phone number, date or time."""
    if not any(ch.isdigit() for ch in text):
        return text
    return _unbreakable().sub(lambda m: m.group(0).replace(" ", GLUE), text)


def unglue(text: str) -> str:
    return text.replace(GLUE, " ")


def longest_word(text: str) -> int:
    return max((cell_len(word) for word in glue(text).split(" ")), default=0)


def fold(word: str, width: int) -> list[str]:
    """A word wider than the whole line, in pieces that fit (the only break inside a word)."""
    pieces, piece, used = [], "", 0
    for ch in word:
        size = cell_len(ch)
        if piece and used + size > width:
            pieces.append(piece)
            piece, used = "", 0
        piece += ch
        used += size
    pieces.append(piece)
    return pieces


@dataclass(frozen=True)
class Word:
    """A piece of text that stays on one line, with its style and the spaces before it."""

    text: str
    style: str = ""
    gap: int = 1


Line = list[tuple[str, str]]  # (text, style) pieces


def words_of(text: str, style: str = "", gap: int = 1) -> list[Word]:
    parts = [part for part in glue(text).split(" ") if part]
    return [Word(part, style, gap if i == 0 else 1) for i, part in enumerate(parts)]


def flow(words: Sequence[Word], width: int | None, indent: int = 0) -> list[Line]:
    """Words placed greedily on lines of `width` columns; lines after the first start
    `indent` columns in. Every word is kept, in order; only a word wider than a whole
    line is broken, where the line ends."""
    lines: list[Line] = []
    line: Line = []
    used = 0
    fresh = True

    def next_line() -> None:
        nonlocal line, used, fresh
        lines.append(line)
        line = [(" " * indent, "")] if indent else []
        used, fresh = indent, True

    pending = list(reversed(words))
    while pending:
        word = pending.pop()
        text = unglue(word.text)
        size = cell_len(text)
        if width is not None and GLUE in word.text and size > width - indent:
            # Kept whole, it could not fit even a line of its own: break it at its
            # spaces after all, rather than inside a number.
            parts = word.text.split(GLUE)
            pending += reversed(
                [Word(part, word.style, word.gap if n == 0 else 1) for n, part in enumerate(parts)]
            )
            continue
        gap = 0 if fresh else word.gap
        if width is not None and not fresh and used + gap + size > width:
            next_line()
            gap = 0
        if width is not None and size > width - used:
            rest = text
            while rest and cell_len(rest) > max(width - used, 1):
                piece = fold(rest, max(width - used, 1))[0]
                line.append((piece, word.style))
                rest = rest[len(piece) :]
                next_line()
            line.append((rest, word.style))
            used, fresh = used + cell_len(rest), False
            continue
        if gap:
            line.append((" " * gap, ""))
        line.append((text, word.style))
        used, fresh = used + gap + size, False
    lines.append(line)
    return lines


def wrap(text: str, width: int | None, indent: int = 0) -> list[str]:
    """Plain text wrapped at spaces, continuation lines indented."""
    return ["".join(piece for piece, _ in line) for line in flow(words_of(text), width, indent)]


def cut(text: str, width: int) -> str:
    """One line of at most `width` columns, ending in "…" when something was left out."""
    if cell_len(text) <= width:
        return text
    kept, used = "", 0
    for ch in text:
        size = cell_len(ch)
        if used + size > width - 1:
            break
        kept += ch
        used += size
    return kept.rstrip() + ELLIPSIS


def fit_columns(
    natural: Sequence[int], floors: Sequence[int], width: int | None, gap: int
) -> list[int] | None:
    """Column widths for one row per record, or None when even the narrowest the
    columns may be does not fit (the caller stacks the record instead).

    Columns get their natural width when all fit; otherwise the flexible ones (whose
    floor is below their natural width) share what is left in proportion to what they
    would like, never going under their floor."""
    gaps = gap * (len(natural) - 1)
    if width is None or sum(natural) + gaps <= width:
        return list(natural)
    if sum(floors) + gaps > width:
        return None
    widths = list(floors)
    spare = width - gaps - sum(floors)
    wants = [n - f for n, f in zip(natural, floors, strict=True)]
    total = sum(wants)
    for i, want in enumerate(wants):
        share = min(want, spare * want // total) if total else 0
        widths[i] += share
    leftover = width - gaps - sum(widths)
    for i, want in enumerate(wants):
        extra = min(leftover, natural[i] - widths[i])
        widths[i] += extra
        leftover -= extra
    return widths


def terminal_width(stream) -> int | None:
    try:
        if stream.isatty():
            return os.get_terminal_size(stream.fileno()).columns
    except (AttributeError, ValueError, OSError):
        pass
    return None


def screen_width(requested: int | None, stream) -> int | None:
    """The width to lay out for: `--width N`, else the terminal's, else $COLUMNS, else
    80. `--width 0` means no limit: one line per record."""
    if requested is not None:
        return requested or None
    found = terminal_width(stream)
    if found:
        return found
    columns = os.environ.get("COLUMNS", "")
    if columns.isdigit() and int(columns) > 0:
        return int(columns)
    return PLAIN_WIDTH
