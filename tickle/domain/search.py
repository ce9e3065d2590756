"""`tickle search`: the words a rep types, as a full-text query, and the hits it finds.

Each word must be found (`invoice late`); a word ending in `*` is a prefix (`invoi*`);
an argument of several words is a phrase (`"late invoice"`); `OR` between two words
takes either. Case and accents never matter (the index folds them).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from tickle.errors import InputError

if TYPE_CHECKING:
    from tickle.store import Store
    from tickle.store.search import Hit

KIND_WORDS = {
    "customer": "customer",
    "customers": "customer",
    "followup": "followup",
    "follow-up": "followup",
    "follow-ups": "followup",
    "promise": "promise",
    "promises": "promise",
    "case": "case",
    "cases": "case",
    "note": "note",
    "notes": "note",
    "history": "note",
}
KIND_LABELS = {
    "customer": "customer",
    "followup": "follow-up",
    "promise": "promise",
    "case": "case",
    "note": "note",
}
_WORD = re.compile(r"\w+")


def search_query(words: list[str]) -> str:
    """The FTS5 query for the words typed: each one quoted, so that nothing a user types
    is read as FTS5 syntax (`-`, `:`, `NEAR`, a column name) except `*` and `OR`."""
    terms: list[str] = []
    for word in words:
        text = word.strip()
        if text == "OR":
            if terms and terms[-1] != "OR":
                terms.append("OR")
            continue
        prefix = text.endswith("*")
        tokens = _WORD.findall(text)
        if not tokens:
            continue
        terms.append('"' + " ".join(tokens) + '"' + ("*" if prefix else ""))
    while terms and terms[-1] == "OR":
        terms.pop()
    if not terms:
        raise InputError('give words to search for: tickle search invoice, invoi*, "late invoice"')
    return " ".join(terms)


def kind_of(text: str | None) -> str | None:
    if text is None:
        return None
    found = KIND_WORDS.get(text.strip().lower())
    if found is None:
        raise InputError(f"unknown kind {text!r}: use customer, follow-up, promise, case or note")
    return found


@dataclass(frozen=True)
class Found:
    """A hit as the rep sees it."""

    kind: str
    customer_id: int
    customer: str  # "Ana Silva (Acme)"
    item_id: int | None
    day: dt.date | None
    snippet: str  # with the store's marks around matching words
    rank: float

    @property
    def label(self) -> str:
        return KIND_LABELS[self.kind]

    @property
    def reference(self) -> str:
        """`#12` for an item (or a note on one), `customer #3` for a customer's own row."""
        if self.item_id is not None:
            return f"#{self.item_id}"
        return f"customer #{self.customer_id}"


def search(
    store: Store,
    words: list[str],
    *,
    customer_id: int | None = None,
    kind: str | None = None,
    limit: int = 50,
) -> list[Found]:
    query = search_query(words)
    hits = store.search.find(query, customer_id=customer_id, kind=kind, limit=limit)
    return [_found(hit) for hit in hits]


def _found(hit: Hit) -> Found:
    who = f"{hit.customer_name} ({hit.company})" if hit.company else hit.customer_name
    return Found(hit.kind, hit.customer_id, who, hit.item_id, _day(hit.at), hit.snippet, hit.rank)


def _day(text: str | None) -> dt.date | None:
    """A stored moment's local day: a UTC stamp (`...Z`) or a local `When`."""
    if not text:
        return None
    if text.endswith("Z"):
        from tickle import dates

        return dt.datetime.fromisoformat(text).astimezone(dates.local_zone()).date()
    return dt.date.fromisoformat(text[:10])
