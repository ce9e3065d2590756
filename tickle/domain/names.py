"""The one rule for finding a person by what a tired rep types.

Case and accents do not matter (Unicode casefold, then diacritics dropped: é=e, ø=o,
ß=ss), apostrophes and hyphens are optional (`oconnor` = O'Connor = O’Connor, `anna
lena` = `annalena` = Anna-Lena), and each word typed is the start of a word of the name
or company (`chloe dub`). A customer's words are kept folded in one column, the match
key, so that the store can answer without folding every name on every lookup.
"""

from __future__ import annotations

import re
import unicodedata

# Letters that carry their mark in the letter itself, so NFKD does not take it off.
_UNMARKED = str.maketrans(
    {
        "ø": "o", "đ": "d", "ð": "d", "ł": "l", "ħ": "h", "ŧ": "t", "ı": "i", "ŀ": "l",
        "æ": "ae", "œ": "oe", "þ": "th", "ſ": "s", "ŋ": "n",
    }
)  # fmt: skip
_APOSTROPHES = re.compile("['’‘ʼ`´]")
_WORD = re.compile(r"[^\W_]+")


def fold(text: str) -> str:
    """`text` in lower case without accents: "Chloé Ørsted-Weiß" -> "chloe orsted-weiss"."""
    if text.isascii():
        return text.lower()
    text = unicodedata.normalize("NFKD", text.casefold()).translate(_UNMARKED)
    return "".join(ch for ch in text if not unicodedata.combining(ch))


def terms(text: str) -> list[str]:
    """The words a user typed, folded: apostrophes join ("o'connor" -> "oconnor"),
    anything else that is not a letter or digit separates ("anna-lena" -> anna, lena)."""
    return _WORD.findall(_APOSTROPHES.sub("", fold(text)))


def match_key(name: str, company: str | None = None) -> str:
    """The folded words of a name and company, each preceded by a space, with the joined
    form of every hyphenated or apostrophed word too (" o connor oconnor acme")."""
    text = f"{name} {company}" if company else name
    low = text.lower()
    if low.isascii() and low.replace(" ", "").isalnum():  # most names: 1/4 of the time
        return " " + " ".join(low.split())
    words: dict[str, None] = {}
    for chunk in fold(text).split():
        parts = _WORD.findall(chunk)
        words.update(dict.fromkeys(parts))
        if len(parts) > 1:
            words["".join(parts)] = None
    return "".join(f" {word}" for word in words)


def same_name_key(name: str) -> str:
    """What two names that are the same by this rule have in common: "o connor" """
    return " ".join(terms(name))


def same_name(name: str, typed: str) -> bool:
    """`typed` is the whole of `name`, as this rule reads both."""
    return terms(name) == terms(typed) or "".join(terms(name)) == "".join(terms(typed))


def matches(key: str, typed_terms: list[str]) -> bool:
    """A match key that every typed term starts a word of (what the store's query asks)."""
    return all(f" {term}" in key for term in typed_terms)


class NameIndex:
    """Many lookups by this rule without a query each (an import naming customers): every
    key word once, sorted, so that the words a term starts are one bisection away."""

    def __init__(self, keys: list[tuple[int, str]]) -> None:
        owners: dict[str, set[int]] = {}
        for customer_id, key in keys:
            for word in key.split():
                owners.setdefault(word, set()).add(customer_id)
        self.words = sorted(owners)
        self.owners = owners

    def find(self, typed_terms: list[str]) -> set[int]:
        """The customers a word of whose name or company each term starts."""
        import bisect

        found: set[int] | None = None
        for term in typed_terms:
            start = bisect.bisect_left(self.words, term)
            ids: set[int] = set()
            for word in self.words[start:]:
                if not word.startswith(term):
                    break
                ids |= self.owners[word]
            found = ids if found is None else found & ids
            if not found:
                return set()
        return found or set()
