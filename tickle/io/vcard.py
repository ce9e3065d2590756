"""vCard 2.1, 3.0 and 4.0 as phones and mail programs write them, card by card.

vobject's content-line parser (`vobject.base.parseLine`: name, group, parameters with
quoting, value) holds for every file of the corpus in tests/data/contacts, so it is
used for each line. Around it, this module does what vobject's vCard reading gets
wrong for real files:

- cards are split and numbered here, so that one broken card or property costs that
  card or property, not the whole file (vobject.readComponents stops at the first);
- quoted-printable soft line breaks (a line ending in `=`) are joined before parsing;
  vobject only unfolds lines that start with a space;
- values are decoded here by the card's own version: in 2.1 a comma and a backslash
  are ordinary characters (only `\\;` is escaped, in values with parts), in 3.0/4.0
  `\\,` `\\;` `\\n` `\\\\` are escapes. vobject applies the 3.0 rules to every card and
  splits `ORG:Company, The` or `FN:Silva, Ana` into lists;
- quoted-printable and base64 text is decoded in its CHARSET (UTF-8, else Windows-1252
  when none is given), and a property that cannot be decoded is skipped with a
  warning instead of refusing the card; PHOTO, LOGO, SOUND and KEY are never decoded.
"""

from __future__ import annotations

import base64
import binascii
import codecs
import quopri
import re
from dataclasses import dataclass, field

from tickle.domain.customers import EMAIL

# Properties whose value is made of parts separated by `;`.
_STRUCTURED = {"N", "ORG", "ADR"}
# Properties tickle reads; every other one is passed over without being decoded.
_READ = {"FN", "N", "ORG", "EMAIL", "TEL", "NOTE", "UID", "VERSION", "NICKNAME"}
_BINARY_ENCODINGS = {"BASE64", "B"}
_PHONE_KINDS = {
    "cell": "mobile",
    "mobile": "mobile",
    "iphone": "mobile",
    "x-mobile": "mobile",
    "work": "work",
    "home": "home",
    "fax": "fax",
    "pager": "pager",
}
_EMAIL_KINDS = {"work": "work", "home": "home"}
# A 2.1 parameter written without a name is one of these (RFC 2425 calls them types).
_BARE_ENCODINGS = {"QUOTED-PRINTABLE", "BASE64", "8BIT", "7BIT", "B"}
_ESCAPES_30 = re.compile(r"\\(.)", re.DOTALL)


@dataclass
class Contact:
    """A way to reach someone: an address or a number, what kind it is, and whether
    the card prefers it (lower `rank` first; cards without PREF keep file order)."""

    value: str
    kind: str | None = None
    rank: int = 100


@dataclass
class Card:
    number: int
    line: int
    name: str = ""
    company: str = ""
    note: str = ""
    uid: str = ""
    emails: list[Contact] = field(default_factory=list)
    phones: list[Contact] = field(default_factory=list)
    refusal: str | None = None

    @property
    def label(self) -> str:
        """How messages name the card: `card 3 (Ana Silva, line 17)`."""
        named = f"{self.name}, " if self.name else ""
        return f"card {self.number} ({named}line {self.line})"


@dataclass
class Reading:
    cards: list[Card]
    warnings: list[str]


def read_cards(text: str) -> Reading:
    """Every card of a vCard file, with a warning for each property passed over."""
    _silence_vobject()
    cards: list[Card] = []
    warnings: list[str] = []
    for number, (start, lines, unclosed) in enumerate(_split(text), start=1):
        card = Card(number, start)
        problems = _read_card(card, lines)
        if unclosed:
            card.refusal = unclosed
        elif not card.name:
            card.refusal = "no name (FN, N or ORG) and no email"
        warnings += [f"{card.label}: {problem}" for problem in problems]
        cards.append(card)
    return Reading(cards, warnings)


def _silence_vobject() -> None:
    """vobject installs its own stderr handler at import; tickle reports for itself."""
    import logging

    import vobject.base

    vobject.base.logger.disabled = True
    logging.getLogger("vobject").disabled = True


def _split(text: str):
    """(first line number, (line number, line) of the card, why it never ended or "")."""
    lines: list[tuple[int, str]] | None = None
    start = 0
    for number, line in enumerate(text.splitlines(), start=1):
        word = line.strip().upper()
        if word == "BEGIN:VCARD":
            if lines is not None:
                yield start, lines, f"no END:VCARD before the next card (line {number})"
            lines, start = [], number
        elif word == "END:VCARD" and lines is not None:
            yield start, lines, ""
            lines = None
        elif lines is not None:
            lines.append((number, line))
    if lines is not None:
        yield start, lines, "no END:VCARD: the file ends inside this card"


def _read_card(card: Card, lines: list[tuple[int, str]]) -> list[str]:
    import vobject.base

    version = _version(lines)
    problems: list[str] = []
    names: dict[str, str] = {}
    binary = False
    for number, line in _logical_lines(lines, version):
        try:
            name, params, value, _group = vobject.base.parseLine(line)
        except vobject.base.ParseError:
            # 2.1 base64 data may follow its property unindented; a broken line of a
            # property tickle does not read costs nothing worth a warning.
            if not binary and _name_of(line) in _READ:
                problems.append(f"line {number} skipped: not a vCard property")
            continue
        name = name.upper()
        parsed = _Params(params)
        binary = parsed.encoding in _BINARY_ENCODINGS
        if name not in _READ:
            continue
        try:
            text = parsed.decode(value)
        except ValueError as error:
            problems.append(f"{name} on line {number} skipped: {error}")
            continue
        if name in _STRUCTURED:
            parts = _parts(text, version)
            if name == "N":
                names["N"] = " ".join(p for p in (*parts[1:3], parts[0]) if p)
            elif name == "ORG" and not card.company:
                card.company = next((p for p in parts if p), "")
            continue
        text = _unescape(text, version).strip()
        if not text:
            continue
        if name in ("FN", "NICKNAME"):
            names.setdefault(name, text)
        elif name == "NOTE":
            card.note = f"{card.note}\n{text}" if card.note else text
        elif name == "UID":
            card.uid = card.uid or text
        elif name == "EMAIL":
            address = text.removeprefix("mailto:").strip()
            if EMAIL.match(address):
                card.emails.append(Contact(address, parsed.kind(_EMAIL_KINDS), parsed.rank))
            else:
                problems.append(f"EMAIL on line {number} skipped: '{address}' is not an address")
        elif name == "TEL":
            number_text = _phone(text)
            if any(c.isdigit() for c in number_text):
                card.phones.append(Contact(number_text, parsed.kind(_PHONE_KINDS), parsed.rank))
    card.emails.sort(key=lambda c: c.rank)
    card.phones.sort(key=lambda c: c.rank)
    card.name = (
        names.get("FN")
        or names.get("N")
        or card.company
        or names.get("NICKNAME")
        or (card.emails[0].value if card.emails else "")
    )
    return problems


def _name_of(line: str) -> str:
    return re.split(r"[;:]", line, maxsplit=1)[0].rpartition(".")[2].strip().upper()


def _version(lines: list[tuple[int, str]]) -> str:
    for _number, line in lines:
        if line[:8].upper() == "VERSION:":
            return line[8:].strip()
    return "3.0"


def _logical_lines(lines: list[tuple[int, str]], version: str):
    """(number of the first line, the unfolded line): lines starting with a space or a
    tab continue the one before, and so does the line after a quoted-printable soft
    line break (`=` at the end)."""
    current: list[str] = []
    first = 0
    soft_break = False
    for number, line in lines:
        if current and soft_break:
            current[-1] = current[-1][:-1]
            current.append(line)
        elif current and line[:1] in (" ", "\t"):
            current.append(line if version == "2.1" else line[1:])
        else:
            if current:
                yield first, "".join(current)
            if not line.strip():
                current = []
                soft_break = False
                continue
            current, first = [line], number
        joined_head = current[0].split(":", 1)[0].upper()
        soft_break = "QUOTED-PRINTABLE" in joined_head and line.endswith("=")
    if current:
        yield first, "".join(current)


class _Params:
    """A property's parameters as 2.1, 3.0 and 4.0 write them: `TEL;CELL;PREF`,
    `TEL;TYPE=cell,pref`, `TEL;TYPE=CELL;TYPE=VOICE`, `TEL;PREF=1;TYPE="cell,voice"`."""

    def __init__(self, params: list[list[str]]) -> None:
        self.types: set[str] = set()
        self.encoding = ""
        self.charset = ""
        self.pref: int | None = None
        for name, *values in params:
            key = name.upper()
            if not values:  # a bare 2.1 parameter
                if key in _BARE_ENCODINGS:
                    self.encoding = key
                else:
                    self.types.add(key.lower())
            elif key == "TYPE":
                self.types.update(v.strip().lower() for value in values for v in value.split(","))
            elif key == "ENCODING":
                self.encoding = values[0].upper()
            elif key == "CHARSET":
                self.charset = values[0]
            elif key == "PREF":
                self.pref = int(values[0]) if values[0].strip().isdigit() else 1

    @property
    def rank(self) -> int:
        if self.pref is not None:
            return self.pref
        return 1 if "pref" in self.types else 100

    def kind(self, kinds: dict[str, str]) -> str | None:
        found = [kinds[t] for t in self.types if t in kinds]
        if "fax" in found:
            return "fax"
        return min(found, key=list(kinds.values()).index) if found else None

    def decode(self, value: str) -> str:
        """The value's text, decoded from quoted-printable or base64 in its charset."""
        if self.encoding == "QUOTED-PRINTABLE":
            data = quopri.decodestring(value.encode("utf-8", "surrogateescape"))
        elif self.encoding in _BINARY_ENCODINGS:
            try:
                data = base64.b64decode(value, validate=False)
            except (binascii.Error, ValueError):
                raise ValueError("its base64 does not decode") from None
        elif _has_raw_bytes(value):  # 8-bit text in the card's charset, not UTF-8
            data = value.encode("utf-8", "surrogateescape")
        else:
            return value
        return _text(data, self.charset)


def _has_raw_bytes(value: str) -> bool:
    return any("\udc80" <= c <= "\udcff" for c in value)


def _text(data: bytes, charset: str) -> str:
    if charset:
        try:
            codecs.lookup(charset)
        except LookupError:
            raise ValueError(f"unknown CHARSET '{charset}'") from None
        try:
            return data.decode(charset)
        except UnicodeDecodeError:
            raise ValueError(f"its text is not {charset}") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _parts(value: str, version: str) -> list[str]:
    """A structured value's parts (`;` separates them unless escaped), each unescaped
    and with 3.0/4.0 lists (`,`) read as one text."""
    parts = re.split(r"(?<!\\);", value)
    if version == "2.1":
        return [p.replace("\\;", ";").strip() for p in parts]
    return [_unescape(p, version).strip() for p in parts]


def _unescape(value: str, version: str) -> str:
    if version == "2.1":
        return value
    return _ESCAPES_30.sub(lambda m: "\n" if m.group(1) in "nN" else m.group(1), value)


def _phone(text: str) -> str:
    """`tel:+1-555-0100;ext=42` (4.0) as `+1-555-0100 ext. 42`."""
    number = text.removeprefix("tel:").strip()
    number, _sep, extension = number.partition(";ext=")
    return f"{number} ext. {extension}" if extension else number
