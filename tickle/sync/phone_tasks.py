"""A task typed on the phone: which customer, if exactly one, its summary names.

The summary is free text ("Call Ana Silva about the renewal"), so the rule of
`customer` arguments is applied to its runs of up to four words, each word a whole
word of the customer's name or company ("call" must not find Callum): a run names a
customer when exactly one matches it. An email address in the summary names its
owner. Several customers named, or none: the task is left alone.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tickle.domain.models import Customer
from tickle.domain.names import match_key, terms

if TYPE_CHECKING:
    from tickle.store import Store

_LONGEST_RUN = 4


def customer_named(store: Store, summary: str) -> Customer | None:
    named: dict[int, Customer] = {}
    for word in summary.split():
        if "@" in word:
            found = store.customers.by_email(word.strip("<>(),;:"))
            if found and not found.archived_at:
                named[found.id] = found
    words = terms(summary)
    for size in range(1, _LONGEST_RUN + 1):
        for start in range(len(words) - size + 1):
            run = words[start : start + size]
            matches = [c for c in store.customers.matching(run) if _whole_words(c, run)]
            if len(matches) == 1:
                named[matches[0].id] = matches[0]
    return next(iter(named.values())) if len(named) == 1 else None


def _whole_words(customer: Customer, run: list[str]) -> bool:
    key = match_key(customer.name, customer.company).split()
    return all(word in key for word in run)
