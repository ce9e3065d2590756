"""Which input column means which field: the headers common exports use, and --map."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from operator import itemgetter

from tickle.errors import InputError


def normalise(header: str) -> str:
    """`E-mail 1 - Value` -> `email1value`: case, spaces and punctuation do not matter."""
    return re.sub(r"[^0-9a-z]", "", header.lower())


def parse_maps(maps: Sequence[str], fields: Iterable[str]) -> dict[str, str]:
    """`--map 'Column=field'` options as {column: field}."""
    allowed = tuple(fields)
    mapping: dict[str, str] = {}
    for text in maps:
        column, sep, target = text.rpartition("=")
        column, target = column.strip(), target.strip().lower().replace("-", "_")
        if not sep or not column or not target:
            raise InputError(f"--map '{text}': write it as 'Column=field'")
        if target not in allowed and target != "ignore":
            raise InputError(
                f"--map '{text}': unknown field '{target}': use one of {', '.join(allowed)}, ignore"
            )
        mapping[column] = target
    return mapping


def assign(
    columns: Sequence[str], aliases: dict[str, str], mapping: dict[str, str]
) -> tuple[dict[str, str], list[str]]:
    """Each column's field, and the columns that match none (ignored)."""
    missing = [column for column in mapping if column not in columns]
    if missing:
        listed = ", ".join(f"'{c}'" for c in columns[:12])
        raise InputError(f"--map: no column '{missing[0]}' in the input (its columns: {listed})")
    assigned: dict[str, str] = {}
    ignored: list[str] = []
    for column in columns:
        field = mapping.get(column) or aliases.get(normalise(column))
        if field and field != "ignore":
            assigned[column] = field
        elif column.strip():
            ignored.append(column)
    return assigned, ignored


def cells(rows: Sequence[Sequence], index: int) -> list:
    """One column of the rows."""
    return list(map(itemgetter(index), rows))


def texts(cells: Sequence[object]) -> list[str | None]:
    """Each cell as stripped text; None if it is empty or not text (a JSON list)."""
    return [(c.strip() or None) if c.__class__ is str else None for c in cells]


def first_filled(columns: Sequence[list[str | None]], *, every: bool = False) -> list:
    """Row by row, the first of several columns that says something; or with `every`, a
    tuple of all that do (None if none does)."""
    if len(columns) == 1:
        return columns[0]
    rows = zip(*columns, strict=True)
    if every:
        return [tuple(filter(None, row)) or None for row in rows]
    return [next(filter(None, row), None) for row in rows]


def targets(columns: Sequence[str], assigned: dict[str, str]) -> dict[str, list[int]]:
    """Each field, with the indexes of the columns that give it, in column order."""
    found: dict[str, list[int]] = {}
    for index, column in enumerate(columns):
        if column in assigned:
            found.setdefault(assigned[column], []).append(index)
    return found
