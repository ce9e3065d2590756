"""Reading what is piped or given to `tickle import`: bytes, text, format, records.

One entry point, `load()`, returns the rows of a file (or of standard input for
`-`) with where each came from, so that a bad row can be reported by its line. The
format comes from the caller, else the file's suffix, else the first bytes: `[` or
`{` is JSON or JSON Lines, BEGIN:VCARD a vCard, anything else is sniffed as CSV/TSV.
"""

from __future__ import annotations

import codecs
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path

from tickle.errors import InputError, StorageError

FORMATS = ("csv", "tsv", "json", "jsonl", "vcf")
SUFFIXES = {
    ".csv": "csv",
    ".tsv": "tsv",
    ".tab": "tsv",
    ".json": "json",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".vcf": "vcf",
    ".vcard": "vcf",
}
# How many lines above the header a file may have (LinkedIn puts three).
_PREAMBLE_LINES = 20
# What the CSV export puts before a cell a spreadsheet would run as a formula.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass
class Source:
    """The rows of an input as lists of cells in `columns` order, and where each row was.

    A cell is text, a list of text (a JSON array, e.g. tags), a list of {"value",
    "kind"} (a vCard's emails and phones), or None where a JSON object lacks the column."""

    name: str
    format: str
    columns: list[str]
    rows: list[list[object]]
    positions: list[int] | range
    unit: str = "line"
    # Where each row was, when a line number alone does not say it (a vCard's cards).
    labels: list[str] | None = None
    # Why the reader already refused a row (by index), and what it passed over.
    refusals: dict[int, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    def where(self, index: int) -> str:
        """Where row `index` was, as a user finds it: `line 12`, `record 3`."""
        if self.labels is not None:
            return self.labels[index]
        return f"{self.unit} {self.positions[index]}"


def load(path: str, fmt: str | None = None, encoding: str | None = None) -> Source:
    """Read `path` (or standard input for "-") into rows."""
    data, name = read_bytes(path)
    fmt = fmt or format_from_suffix(path)
    if not encoding and (fmt == "vcf" or (not fmt and _looks_like_vcard(data))):
        # A vCard says each property's charset itself (CHARSET=SHIFT_JIS, ISO-8859-1):
        # bytes that are not UTF-8 are kept for tickle.io.vcard to decode.
        text = decode(data, name, errors="surrogateescape")
    else:
        text = decode(data, name, encoding)
    fmt = fmt or sniff_format(text)
    if fmt not in FORMATS:
        raise InputError(f"unknown format '{fmt}': use one of {', '.join(FORMATS)}")
    return _parse(text, fmt, name)


def load_text(path: str, encoding: str | None = None) -> tuple[str, str]:
    """The decoded text of `path` and the name to show for it."""
    data, name = read_bytes(path)
    return decode(data, name, encoding), name


def read_bytes(path: str) -> tuple[bytes, str]:
    if path == "-":
        return sys.stdin.buffer.read(), "standard input"
    try:
        return Path(path).read_bytes(), path
    except FileNotFoundError:
        raise InputError(f"no such file: {path}") from None
    except IsADirectoryError:
        raise InputError(f"{path} is a folder, not a file") from None
    except OSError as error:
        raise StorageError(f"cannot read {path}: {error.strerror}") from None


def _looks_like_vcard(data: bytes) -> bool:
    return data.lstrip(codecs.BOM_UTF8 + b" \t\r\n")[:11].upper() == b"BEGIN:VCARD"


def decode(data: bytes, name: str, encoding: str | None = None, *, errors: str = "strict") -> str:
    """UTF-8 with or without a byte-order mark; any other encoding only when named.
    With errors="surrogateescape", bytes that are not UTF-8 are kept as surrogates."""
    if encoding:
        try:
            codecs.lookup(encoding)
        except LookupError:
            raise InputError(
                f"unknown encoding '{encoding}' (try utf-8, latin-1, cp1252)"
            ) from None
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError as error:
            line = data[: error.start].count(b"\n") + 1
            raise InputError(
                f"{name} is not {encoding}: byte 0x{data[error.start]:02x} on line {line} "
                "does not decode"
            ) from None
        return text.removeprefix("\ufeff")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise InputError(f"{name} is UTF-16: save it as UTF-8, or give --encoding utf-16")
    if len(data) > 3 and (data[0] == 0) != (data[1] == 0) and data[2:4].count(0) == 1:
        order = "be" if data[0] == 0 else "le"
        raise InputError(
            f"{name} is UTF-16 without a byte-order mark: save it as UTF-8, "
            f"or give --encoding utf-16-{order}"
        )
    try:
        text = data.decode("utf-8-sig", errors=errors)
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise InputError(
            f"{name} is not UTF-8 (byte 0x{data[error.start]:02x} on line {line}): "
            "save it as UTF-8, or say what it is with --encoding, e.g. --encoding cp1252"
        ) from None
    if "\x00" in text:
        raise InputError(f"{name} looks like a binary file, not text")
    return text


def format_from_suffix(path: str) -> str | None:
    if path == "-":
        return None
    return SUFFIXES.get(Path(path).suffix.lower())


def sniff_format(text: str) -> str:
    head = text.lstrip()[:4096]
    if head.startswith("["):
        return "json"
    if head.startswith("{"):
        first = head.split("\n", 1)[0].strip()
        try:
            json.loads(first)
        except ValueError:
            return "json"
        return "jsonl" if "\n" in text.strip() else "json"
    if head[:11].upper() == "BEGIN:VCARD":
        return "vcf"
    return "tsv" if _delimiter(head, ",\t;") == "\t" else "csv"


def _delimiter(sample: str, candidates: str) -> str:
    import csv

    lines = sample.splitlines()
    if len(lines) > 1:
        sample = "\n".join(lines[:-1])  # the last line of a sample may be cut short
    try:
        return csv.Sniffer().sniff(sample, delimiters=candidates).delimiter
    except csv.Error:
        header = sample.split("\n", 1)[0]
        return max(candidates, key=header.count) if any(c in header for c in candidates) else ","


def _parse(text: str, fmt: str, name: str) -> Source:
    if fmt in ("csv", "tsv"):
        delimiter = "\t" if fmt == "tsv" else _delimiter(text[:4096], ",;")
        return Source(name, fmt, *_read_csv(text, delimiter, name))
    if fmt == "json":
        objects = _read_json(text, name)
        return _from_objects(name, fmt, objects, range(1, len(objects) + 1), "record")
    if fmt == "jsonl":
        objects, lines = _read_jsonl(text, name)
        return _from_objects(name, fmt, objects, lines, "line")
    return _read_vcards(text, name)


def _from_objects(
    name: str, fmt: str, objects: list[dict], positions: list[int] | range, unit: str
) -> Source:
    columns = _columns_of(objects)
    rows = [[value.get(column) for column in columns] for value in objects]
    return Source(name, fmt, columns, rows, positions, unit)


def _columns_of(objects: list[dict]) -> list[str]:
    """The keys of JSON objects, in the order they first appear."""
    seen: dict[str, None] = {}
    for value in objects:
        seen.update(dict.fromkeys(value))
    return list(seen)


def _read_csv(text: str, delimiter: str, name: str) -> tuple[list[str], list[list], list[int]]:
    import csv
    import io

    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    rows: list[list] = []
    lines: list[int] = []
    try:
        header, previous = _header(reader)
        if header is None:
            return [], [], []
        columns = [column.strip() for column in header]
        width = len(columns)
        for row in reader:
            line, previous = previous + 1, reader.line_num
            joined = "".join(row)
            if not joined or joined.isspace():
                continue
            if len(row) != width:
                if len(row) > width:
                    # Thunderbird ends each row with a comma: empty fields past the header.
                    if any(cell.strip() for cell in row[width:]):
                        raise InputError(
                            f"line {line}: {len(row)} fields, but the header has {width}"
                        )
                    del row[width:]
                row += [""] * (width - len(row))
            if "'" in joined:
                row = [_unneutralise(cell) if cell[:1] == "'" else cell for cell in row]
            rows.append(row)
            lines.append(line)
    except csv.Error as error:
        raise InputError(f"{name}, line {reader.line_num}: not valid CSV ({error})") from None
    return columns, rows, lines


def _header(reader) -> tuple[list[str] | None, int]:
    """The header row and the line it ends on: the first row of two or more named
    columns, past the lines some exports put above it (LinkedIn's "Notes:" and its
    paragraph). A file whose rows all have one cell has its first row as the header."""
    import itertools

    skipped: list[tuple[list[str], int]] = []
    for row in itertools.islice(reader, _PREAMBLE_LINES):
        skipped.append((row, reader.line_num))
        if sum(1 for cell in row if cell.strip()) >= 2:
            return row, reader.line_num
        if len(skipped) == 1 and len(row) == 1 and not row[0].rstrip().endswith(":"):
            return row, reader.line_num  # a one-column file: name, or email
    if skipped:
        raise InputError("no header row found: the first lines have at most one column")
    return None, 0


def _unneutralise(cell: str) -> str:
    """Undo the apostrophe the CSV export puts before a would-be formula."""
    if cell.startswith("'") and cell[1:].lstrip("'").startswith(_FORMULA_STARTS):
        return cell[1:]
    return cell


def _read_json(text: str, name: str) -> list[dict]:
    try:
        data = json.loads(text)
    except ValueError as error:
        raise InputError(f"{name} is not valid JSON ({error})") from None
    if isinstance(data, dict) and isinstance(data.get("records"), list):
        data = data["records"]  # Salesforce's {"totalSize": .., "done": .., "records": [..]}
    if isinstance(data, dict):
        data = [data]
    if not isinstance(data, list):
        raise InputError(f"{name}: expected a JSON array of objects")
    objects = []
    for number, value in enumerate(data, start=1):
        if not isinstance(value, dict):
            raise InputError(f"record {number}: expected an object, got {type(value).__name__}")
        objects.append(_plain(value))
    return objects


def _read_jsonl(text: str, name: str) -> tuple[list[dict], list[int]]:
    objects, lines = [], []
    for number, line in enumerate(text.split("\n"), start=1):  # \n only: U+2028 is text
        if not line.strip():
            continue
        try:
            value = json.loads(line)
        except ValueError as error:
            raise InputError(f"line {number}: not valid JSON ({error})") from None
        if not isinstance(value, dict):
            raise InputError(f"line {number}: expected an object, got {type(value).__name__}")
        objects.append(_plain(value))
        lines.append(number)
    return objects, lines


def _plain(value: dict, prefix: str = "") -> dict[str, object]:
    """Scalars as the text a CSV cell would hold; lists (tags) kept as lists; an object
    in an object as `Account.Name` (Salesforce), its `attributes` (type and URL of the
    record) left out."""
    plain: dict[str, object] = {}
    for key, item in value.items():
        key = f"{prefix}{key}"
        if isinstance(item, dict):
            if key != "attributes":
                plain.update(_plain(item, f"{key}."))
        elif item is None:
            plain[str(key)] = ""
        elif isinstance(item, bool):
            plain[str(key)] = "true" if item else "false"
        elif isinstance(item, list):
            plain[str(key)] = [v if isinstance(v, dict) else str(v) for v in item]
        else:
            plain[str(key)] = str(item)
    return plain


def _read_vcards(text: str, name: str) -> Source:
    from tickle.io.vcard import read_cards

    reading = read_cards(text)
    if not reading.cards:
        raise InputError(f"{name} holds no vCard (no BEGIN:VCARD line)")
    objects = [_card_fields(card) for card in reading.cards]
    source = _from_objects(name, "vcf", objects, [c.line for c in reading.cards], "line")
    source.labels = [card.label for card in reading.cards]
    source.refusals = {i: c.refusal for i, c in enumerate(reading.cards) if c.refusal}
    source.warnings = reading.warnings
    return source


def _card_fields(card) -> dict[str, object]:
    """A card as a row: its emails and phones as lists of {"value", "kind"}, preferred first."""
    from tickle.domain.addresses import entry

    return {
        "name": card.name,
        "email": [entry(e.value, e.kind) for e in card.emails],
        "phone": [entry(p.value, p.kind) for p in card.phones],
        "company": card.company,
        "note": card.note,
        "external_id": card.uid,
    }
