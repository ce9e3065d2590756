"""Exports: a complete JSON backup, JSON Lines, spreadsheet-safe CSV; and the backup's
way back in (`tickle import all`, into an empty database only).

Files are written to a temporary file in the target's folder (created 0600: exports
hold personal data) and moved over the target with os.replace, so a full disk or a
crash never leaves half a file where a good one was.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import os
import sys
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from tickle.errors import InputError, StorageError

if TYPE_CHECKING:
    from tickle.store import Store

BACKUP_VERSION = 1
TABLES = ("customers", "items", "events")


def customer_records(store: Store) -> Iterator[dict]:
    from tickle.domain.addresses import entries

    for row in store.tables.rows("customers"):
        yield {
            **row,
            "tags": json.loads(row["tags"] or "[]"),
            "emails": entries(_list(row.get("emails")), row["email"]),
            "phones": entries(_list(row.get("phones")), row["phone"]),
        }


def _list(text: str | None) -> list | None:
    return json.loads(text) if text else None


def item_records(store: Store) -> Iterator[dict]:
    """The items, a timed date with the offset of the zone it is kept in (`tz`), so
    that the file says the moment: `2026-03-04T11:00:00+00:00`, `Europe/London`."""
    for row in store.tables.items_for_export():
        for field in ("due", "promised_due"):
            if row[field] and len(row[field]) > 10:
                row[field] = _with_offset(row[field], row["tz"])
        yield row


def _with_offset(stored: str, zone: str | None) -> str:
    from tickle import dates
    from tickle.dates import When

    kept = When.from_iso(stored)
    assert kept.time is not None
    tzinfo = dates.zone_named(zone) if zone else dates.local_zone()
    return dt.datetime.combine(kept.day, kept.time, tzinfo=tzinfo).isoformat(timespec="seconds")


def backup(store: Store) -> dict:
    """Every column of every customer, item and event, read as it is written."""
    return {
        "tickle_export": BACKUP_VERSION,
        "customers": customer_records(store),
        "items": store.tables.rows("items"),
        "events": store.tables.rows("events"),
    }


def write_backup(data: dict, out: TextIO) -> None:
    """The backup as one JSON object, a row a line, written as the rows are read: a big
    book never sits in memory."""
    from tickle.render import json_text, write_json

    out.write('{\n  "tickle_export": ' + json_text(data["tickle_export"]))
    for table in TABLES:
        out.write(f',\n  "{table}": ')
        write_json(data[table], out, margin="  ")
    out.write("\n}\n")


def write_jsonl(records: Iterable[dict], out: TextIO) -> None:
    from tickle.render import json_text

    out.writelines(json_text(record) + "\n" for record in records)


def backup_lines(data: dict) -> Iterator[dict]:
    """The backup as JSON Lines: a header, then one {"customers": {...}} line per row."""
    yield {"tickle_export": data["tickle_export"]}
    for table in TABLES:
        for row in data[table]:
            yield {table: row}


def _stored_list(value: object) -> str | None:
    from tickle.domain.addresses import worth_storing

    if isinstance(value, str):  # a backup of a list already as text
        value = json.loads(value) if value else None
    if value is not None and not isinstance(value, list):
        raise InputError("the backup's customers have emails or phones that are not a list")
    kept = worth_storing(value)
    return None if kept is None else json.dumps(kept, ensure_ascii=False)


def write_csv(records: Iterable[dict], out: TextIO, *, raw: bool = False) -> None:
    """CSV a spreadsheet opens safely: would-be formulas get a leading apostrophe;
    `raw`, for scripts, writes every cell as it is (`+33 1 42 68 53 00`, not `'+33...`)."""
    import csv

    from tickle.domain.addresses import describe
    from tickle.render import flatten, neutralise_cell

    def cells(record: dict) -> dict:
        for field in ("emails", "phones"):
            if isinstance(record.get(field), list):
                record = {**record, field: describe(record[field])}
        return flatten(record)

    rows = (cells(record) for record in records)
    first = next(rows, None)
    if first is None:
        return
    writer = csv.DictWriter(out, fieldnames=list(first), lineterminator="\r\n")
    writer.writeheader()
    for row in itertools.chain([first], rows):
        if raw:
            writer.writerow({k: _plain_cell(v) for k, v in row.items()})
        else:
            writer.writerow({k: neutralise_cell(v) for k, v in row.items()})


def _plain_cell(value: object) -> object:
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


@contextmanager
def output(path: Path | None) -> Iterator[TextIO]:
    """Standard output, or `path` written atomically with mode 0600."""
    if path is None:
        yield sys.stdout
        sys.stdout.flush()
        return
    target = Path(path)
    if target.exists() and not target.is_file():
        yield from _into_stream(target)  # /dev/stdout, a pipe: written into, never replaced
        return
    try:
        handle, temporary = tempfile.mkstemp(
            dir=target.parent, prefix=f".{target.name}.", suffix=".tmp"
        )
    except OSError as error:
        raise StorageError(f"cannot write {target}: {error.strerror}") from None
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            yield out
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, target)
    except OSError as error:
        Path(temporary).unlink(missing_ok=True)
        raise StorageError(f"cannot write {target}: {error.strerror}") from None
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _into_stream(target: Path) -> Iterator[TextIO]:
    if target.is_dir():
        raise StorageError(f"cannot write {target}: it is a folder (give a file name)")
    try:
        with target.open("w", encoding="utf-8", newline="") as out:
            yield out
            out.flush()
    except OSError as error:
        raise StorageError(f"cannot write {target}: {error.strerror}") from None


# -- the way back in ---------------------------------------------------------------


def read_backup(text: str, name: str) -> dict:
    """A backup written by `tickle export all` as JSON or JSON Lines."""
    try:
        data = json.loads(text)
    except ValueError as error:
        first = text.lstrip().split("\n", 1)[0]
        try:
            head = json.loads(first)
        except ValueError:
            head = None
        if not (isinstance(head, dict) and "tickle_export" in head):
            raise InputError(f"{name} is not valid JSON ({error})") from None
        data = _from_lines(text, name)
    if not isinstance(data, dict) or data.get("tickle_export") != BACKUP_VERSION:
        raise InputError(
            f"{name} is not a tickle backup (expected the JSON of 'tickle export all')"
        )
    for table in TABLES:
        rows = data.get(table, [])
        if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
            raise InputError(f"{name}: '{table}' must be a list of objects")
    return data


def _from_lines(text: str, name: str) -> dict:
    data: dict = {table: [] for table in TABLES}
    for number, line in enumerate(text.split("\n"), start=1):  # \n only: U+2028 is text
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except ValueError as error:
            raise InputError(f"{name}, line {number}: not valid JSON ({error})") from None
        if not isinstance(record, dict) or len(record) != 1:
            raise InputError(f"{name}, line {number}: expected one {{table: row}} object")
        [(key, value)] = record.items()
        if key == "tickle_export":
            data[key] = value
        elif key in TABLES:
            data[key].append(value)
        else:
            raise InputError(f"{name}, line {number}: unknown section '{key}'")
    return data


def restore(store: Store, data: dict) -> dict[str, int]:
    """Put a backup into an empty database, ids and history included."""
    if not store.is_empty():
        raise InputError(
            "import all restores a backup into an empty database, and this one has data: "
            "use --db with a new file"
        )
    counts = {}
    for table in TABLES:
        rows = data.get(table, [])
        columns = [c for c in store.tables.columns(table) if any(c in r for r in rows)]
        values = []
        for row in rows:
            if table == "customers":
                row = {**row, "tags": json.dumps(row.get("tags") or [])}
                for field in ("emails", "phones"):
                    if field in row:
                        row[field] = _stored_list(row[field])
            values.append([row.get(c) for c in columns])
        if rows:
            extra = set().union(*rows) - set(store.tables.columns(table))
            if extra:
                raise InputError(f"the backup's {table} have an unknown column '{min(extra)}'")
            store.tables.restore(table, columns, values)
        counts[table] = len(rows)
    store.tables.refresh_last_contacts()  # a backup from before they were kept has none
    store.tables.refresh_match_keys()
    return counts
