"""Which columns of a contacts export hold email addresses and phone numbers, and of
what kind: the layouts of Google (old `E-mail 1 - Type`/`Value` and current `E-mail 1 -
Label`/`Value`), Outlook (`E-mail 2 Address`, `Business Phone 2`, `Mobile Phone`),
Thunderbird (`Primary Email`, `Mobile Number`), Roundcube (`Email Home`/`Work`/`Other`),
Apple exporters (`Email (work)`), Pipedrive (`Person - Email - Work`), Zoho (`Secondary
Email`, `Home Phone`), Salesforce (`MobilePhone`), HubSpot and LinkedIn.

A header is read by its words: an email column says `email` (or `e-mail`, `mail`) and
nothing but words of kind, number or address; a phone column names a kind of phone
(`phone`, `mobile`, `fax`...) the same way. `E-mail Type` or `Phone 1 - Label` are the
kind of the value column of the same number, row by row.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

# English, and the German of Outlook in a German Windows (`Telefon geschäftlich`,
# `Mobiltelefon`, `E-Mail 2: Adresse`).
_KIND_WORDS = {
    "work": "work",
    "business": "work",
    "office": "work",
    "company": "work",
    "home": "home",
    "personal": "home",
    "private": "home",
    "mobile": "mobile",
    "cell": "mobile",
    "cellular": "mobile",
    "iphone": "mobile",
    "fax": "fax",
    "pager": "pager",
    "geschäftlich": "work",
    "firma": "work",
    "privat": "home",
    "mobiltelefon": "mobile",
}
_NEUTRAL = {
    "e", "mail", "email", "address", "value", "primary", "secondary", "other", "person",
    "contact", "number", "no", "main", "default", "preferred", "additional",
    "adresse", "weiteres", "haupttelefon",
}  # fmt: skip
_PHONE_WORDS = {
    "phone", "telephone", "tel", "mobile", "cell", "cellular", "fax", "pager",
    "telefon", "mobiltelefon", "haupttelefon", "autotelefon",
}  # fmt: skip
_LABEL_WORDS = {"type", "label", "typ"}
_ADDRESS_WORDS = ("value", "address", "adresse")
_PRIORITY = ("fax", "pager", "mobile", "work", "home")


@dataclass(frozen=True)
class AddressColumn:
    field: str  # "email" or "phone"
    kind: str | None  # what the header says
    label: int | None = None  # the column that says each row's kind, if any


def words(header: str) -> list[str]:
    """`E-mail 2 Address` -> email 2 address; `MobilePhone` -> mobile phone."""
    spaced = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", header).lower().replace("e-mail", "email")
    return re.findall(r"[^\W\d_]+|\d+", spaced)


def classify(columns: Sequence[str]) -> dict[int, AddressColumn]:
    """The columns (by index) that hold emails or phones."""
    found: dict[int, AddressColumn] = {}
    labels: dict[tuple[str, ...], int] = {}
    for index, header in enumerate(columns):
        said = words(header)
        if said and said[-1] in _LABEL_WORDS:
            labels[tuple(said[:-1])] = index
    for index, header in enumerate(columns):
        said = words(header)
        field = _field(said)
        if field is None:
            continue
        kinds = [_KIND_WORDS[w] for w in said if w in _KIND_WORDS]
        kind = _strongest(kinds)
        stem = tuple(w for w in said if w not in _ADDRESS_WORDS)
        label = labels.get(stem) if kind is None else None
        found[index] = AddressColumn(field, kind, label)
    return found


def _field(said: list[str]) -> str | None:
    rest = [w for w in said if not w.isdigit() and w not in _NEUTRAL and w not in _KIND_WORDS]
    if "email" in said or ("mail" in said and not rest):
        return "email" if not rest else None
    if any(w in _PHONE_WORDS for w in said):
        extra = [w for w in rest if w not in _PHONE_WORDS and w not in ("car", "video", "s")]
        return "phone" if not extra else None
    return None


def kind_of_label(label: str | None) -> str | None:
    """A row's `* Work`, `Mobile`, `Work Fax` or `Other` as a kind."""
    if not label:
        return None
    return _strongest([_KIND_WORDS[w] for w in words(label) if w in _KIND_WORDS])


def _strongest(kinds: list[str]) -> str | None:
    """`Home Mobile` is a mobile, `Work Fax` a fax."""
    return min(kinds, key=_PRIORITY.index) if kinds else None
