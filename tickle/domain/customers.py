"""Customers: who they are, how to reach them, and finding them from what a user types."""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from tickle.domain.models import CHANNELS, CONTACT_EVENTS, Customer, Event, Item
from tickle.errors import Ambiguous, InputError, NotFound

if TYPE_CHECKING:
    from tickle.store import Store

EDITABLE_FIELDS = (
    "name",
    "company",
    "email",
    "phone",
    "channel",
    "best_time",
    "tz",
    "tags",
    "note",
    "external_id",
)
_EDITABLE = frozenset(EDITABLE_FIELDS)
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_DIGIT = re.compile(r"\d")
_TAG_SEPARATOR = re.compile(r"[,;]")


def clean_fields(fields: dict) -> dict:
    """Validate and normalise customer fields given by a user; empty text clears a field."""
    unknown = fields.keys() - _EDITABLE
    if unknown:
        raise InputError(f"unknown customer field '{min(unknown)}'")
    cleaned: dict = {}
    for key, value in fields.items():
        if key == "tags":
            cleaned[key] = clean_tags(value or [])
            continue
        text = value.strip() if isinstance(value, str) else value
        cleaned[key] = text or None
    if "name" in cleaned and not cleaned["name"]:
        raise InputError("a customer needs a name")
    for key, (valid, refusal) in FIELD_RULES.items():
        value = cleaned.get(key)
        if value and not valid(value):
            raise InputError(refusal.format(value))
    return cleaned


def clean_tags(tags: Iterable[str]) -> list[str]:
    """Each tag once (whatever its case), as first written; `,` and `;` separate tags."""
    seen: dict[str, str] = {}
    for tag in tags:
        for part in _TAG_SEPARATOR.split(tag):
            part = part.strip()
            if part and part.lower() not in seen:
                seen[part.lower()] = part
    return list(seen.values())


@functools.lru_cache(maxsize=64)
def is_zone(name: str) -> bool:
    import zoneinfo

    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return False
    return True


# What a field that is not empty must be: (test, why a value is refused), checked in order.
FIELD_RULES: dict[str, tuple[Callable[[str], object], str]] = {
    "email": (EMAIL.match, "'{}' is not an email address"),
    "phone": (_DIGIT.search, "'{}' is not a phone number"),
    "channel": (
        frozenset(CHANNELS).__contains__,
        f"unknown channel '{{}}': use one of {', '.join(CHANNELS)}",
    ),
    "tz": (is_zone, "unknown time zone '{}': use an IANA name such as Europe/Paris"),
}


def add_customer(store: Store, now: dt.datetime, **fields: object) -> Customer:
    cleaned = clean_fields(fields)
    customer_id = store.customers.insert(cleaned, now)
    return store.customers.get(customer_id)


def edit_customer(
    store: Store, customer: Customer, now: dt.datetime, **changes: object
) -> Customer:
    if not changes:
        raise InputError("nothing to change: give at least one --field")
    store.customers.update(customer.id, clean_fields(changes), now)
    return store.customers.get(customer.id)


def archive_customer(store: Store, customer: Customer, now: dt.datetime) -> Customer:
    if customer.archived_at:
        raise InputError(f"#{customer.id} {customer.name} is already archived")
    store.customers.update(customer.id, {"archived_at": now}, now)
    return store.customers.get(customer.id)


def restore_customer(store: Store, customer: Customer, now: dt.datetime) -> Customer:
    if not customer.archived_at:
        raise InputError(f"#{customer.id} {customer.name} is not archived")
    store.customers.update(customer.id, {"archived_at": None}, now)
    return store.customers.get(customer.id)


def purge_customer(store: Store, customer: Customer) -> None:
    """Erase the person, their items and their history. Not undoable by design: the
    undo log would otherwise keep a copy of what the user asked to erase."""
    store.customers.delete(customer.id)
    store.undo.forget()


def resolve_customer(store: Store, reference: str, *, include_archived: bool = True) -> Customer:
    """Find the one customer a user means: an id, an exact email, or a fragment of
    name or company that matches exactly one (active) customer."""
    text = reference.strip()
    if not text:
        raise InputError("give a customer: an id, an email, or part of a name or company")
    if text.lstrip("#").isdigit():
        found = store.customers.get(int(text.lstrip("#")))
        if found and (include_archived or not found.archived_at):
            return found
        raise NotFound(f"no customer #{text.lstrip('#')}: 'tickle customer list' shows them all")
    if "@" in text:
        found = store.customers.by_email(text)
        if found:
            return found
    matches = store.customers.matching(text)
    exact = [c for c in matches if c.name.lower() == text.lower()]
    if len(exact) == 1:
        return exact[0]
    if len(matches) == 1:
        return matches[0]
    if matches:
        listed = "; ".join(f"#{c.id} {c.label}" for c in matches[:8])
        more = f" and {len(matches) - 8} more" if len(matches) > 8 else ""
        raise Ambiguous(f"'{text}' matches several customers: {listed}{more}. Use the id")
    raise NotFound(_not_found_message(store, text))


def _not_found_message(store: Store, text: str) -> str:
    import difflib

    names = store.customers.names()
    labels = {name: (cid, company) for cid, name, company in names}
    nearest = difflib.get_close_matches(text, list(labels), n=3, cutoff=0.5)
    if nearest:
        listed = "; ".join(f"#{labels[n][0]} {n}" for n in nearest)
        return f"no customer matches '{text}'. Did you mean: {listed}?"
    return f"no customer matches '{text}': 'tickle customer add' creates one"


@dataclass
class Profile:
    """Everything known about a customer."""

    customer: Customer
    open_items: list[Item]
    last_contacts: list[Event]
    history: list[Event]


def customer_profile(
    store: Store, customer: Customer, *, contacts: int = 3, history: int = 10
) -> Profile:
    return Profile(
        customer=customer,
        open_items=[item for item, _ in store.items.list(customer_id=customer.id, status="open")],
        last_contacts=store.events.for_customer(customer.id, types=CONTACT_EVENTS, newest=contacts),
        history=store.events.for_customer(customer.id, newest=history),
    )
