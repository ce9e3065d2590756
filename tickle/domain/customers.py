"""Customers: who they are, how to reach them, and finding them from what a user types."""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from tickle.domain.models import CHANNELS, CONTACT_EVENTS, Customer, Event, Item
from tickle.domain.names import fold, same_name, terms
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
ARCHIVED_REASON = "customer archived"


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


def add_customer(
    store: Store, now: dt.datetime, *, duplicate: bool = False, **fields: object
) -> Customer:
    """A new customer; one who looks like someone already in the book (the same name as
    people are matched, or phone digits) is refused unless `duplicate`; an email that
    someone has always is."""
    cleaned = with_phone_facts(clean_fields(fields))
    _refuse_taken_email(store, cleaned.get("email"))
    if not duplicate:
        _refuse_duplicate(store, cleaned)
    customer_id = store.customers.insert(cleaned, now)
    return store.customers.get(customer_id)


def edit_customer(
    store: Store, customer: Customer, now: dt.datetime, **changes: object
) -> Customer:
    if not changes:
        raise InputError("nothing to change: give at least one --field")
    cleaned = with_phone_facts(clean_fields(changes), customer)
    _refuse_taken_email(store, cleaned.get("email"), customer.id)
    store.customers.update(customer.id, cleaned, now)
    return store.customers.get(customer.id)


def _refuse_taken_email(store: Store, email: str | None, customer_id: int | None = None) -> None:
    """An address is one customer's, whether it is their preferred one or another."""
    other = store.customers.by_email(email) if email else None
    if other is not None and other.id != customer_id:
        raise InputError(f"the email {email} already belongs to #{other.id} {other.name}")


def _refuse_duplicate(store: Store, fields: dict) -> None:
    found = None
    same = "name"
    name_terms = terms(fields["name"])
    for archived in (False, True):
        named = store.customers.matching(name_terms, archived=archived)
        found = found or next((c for c in named if same_name(c.name, fields["name"])), None)
    # An email is one customer's whatever is asked: the store refuses a second one.
    if found is None and fields.get("phone_e164"):
        found, same = store.customers.by_phone_e164(fields["phone_e164"]), "phone"
    if found is None and fields.get("phone"):
        found, same = store.customers.by_phone_digits(phone_digits(fields["phone"])), "phone"
    if found is not None:
        archived = " (archived)" if found.archived_at else ""
        raise InputError(
            f"#{found.id} {found.label}{archived} has the same {same}: "
            "add --duplicate to add another customer anyway"
        )


def with_phone_facts(cleaned: dict, current: Customer | None = None) -> dict:
    """The fields to store with a phone number: its E.164 form, and the customer's time
    zone inferred from it unless one was given (or given before)."""
    if "tz" in cleaned:
        cleaned["tz_source"] = None  # given by the user, or cleared
    if "phone" not in cleaned:
        return cleaned
    zone_was_inferred = current is None or current.tz is None or current.tz_inferred
    zone_is_open = cleaned.get("tz") is None and zone_was_inferred
    if not cleaned["phone"]:
        cleaned["phone_e164"] = None
        if zone_is_open and current is not None and current.tz_inferred:
            cleaned["tz"], cleaned["tz_source"] = None, None
        return cleaned
    from tickle import settings
    from tickle.domain.phones import read_phone

    facts = read_phone(cleaned["phone"], settings.get("phones.region"))
    cleaned["phone_e164"] = facts.e164
    if zone_is_open:
        cleaned["tz"] = facts.zone
        cleaned["tz_source"] = "phone" if facts.zone else None
    return cleaned


def phone_warning(customer: Customer) -> str | None:
    """Why the customer's phone, kept as typed, may reach nobody; None when it is fine."""
    if not customer.phone:
        return None
    from tickle import settings
    from tickle.domain import phones

    region = settings.get("phones.region")
    return phones.phone_warning(customer.phone, phones.read_phone(customer.phone, region), region)


def phone_digits(phone: str) -> str:
    return "".join(ch for ch in phone if ch.isdigit())


def archive_customer(
    store: Store, customer: Customer, now: dt.datetime, *, cancel_open: bool = False
) -> Customer:
    """Hide a customer. Their open items would stay on the agenda with no one to follow:
    they are cancelled ("customer archived") when `cancel_open` says so, else refused."""
    from tickle.domain.items import cancel

    if customer.archived_at:
        raise InputError(f"#{customer.id} {customer.name} is already archived")
    open_items = [item for item, _ in store.items.list(customer_id=customer.id, status="open")]
    if open_items and not cancel_open:
        count = f"{len(open_items)} open item{'s' if len(open_items) != 1 else ''}"
        raise InputError(
            f"#{customer.id} {customer.label} has {count}: add --cancel-open to cancel "
            f"{'them' if len(open_items) != 1 else 'it'} (or 'tickle list -c {customer.id}' "
            "to see them first)"
        )
    for item in open_items:
        cancel(store, item, now, reason=ARCHIVED_REASON, end_series=bool(item.rrule))
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
    store.search.forget_erased()
    store.undo.forget()


def resolve_customer(store: Store, reference: str, *, archived: bool = False) -> Customer:
    """Find the one customer a user means: an id (`12` or `#12`), an exact email, or
    words that start words of the name or company of exactly one active customer
    (tickle.domain.names has the rule); with `archived`, one of the archived ones."""
    text = reference.strip()
    if not text:
        raise InputError("give a customer: an id, an email, or part of a name or company")
    number = text.removeprefix("#")
    if number.isdigit():
        found = store.customers.get(int(number)) if len(number) < 19 else None
        if found:
            return found
        raise NotFound(f"no customer #{int(number)}: 'tickle customer list' shows them all")
    if "@" in text:
        found = store.customers.by_email(text)
        if found:
            return found
    words = terms(text)
    matches = store.customers.matching(words, archived=archived)
    if not matches and not archived:
        _refuse_archived(text, store.customers.matching(words, archived=True))
    exact = [c for c in matches if same_name(c.name, text)]
    if len(exact) == 1:
        return exact[0]
    if len(matches) == 1:
        return matches[0]
    if matches:
        listed = "; ".join(f"#{c.id} {c.label}" for c in matches[:8])
        more = " and more" if len(matches) > 8 else ""
        raise Ambiguous(f"'{text}' matches several customers: {listed}{more}. Use the id")
    if archived:
        raise NotFound(f"no archived customer matches '{text}'")
    raise NotFound(_not_found_message(store, text))


def resolve_company(store: Store, company: str) -> list[Customer]:
    """Everyone (active) at the company the words name, by the rule people are matched."""
    words = terms(company)
    if not words:
        raise InputError("give a company: part of its name")
    found = store.customers.at_company(words)
    if not found:
        raise NotFound(f"no customer works at a company matching '{company.strip()}'")
    return found


def _refuse_archived(text: str, archived: list[Customer]) -> None:
    """A name that only archived customers have: say so, and how to bring one back."""
    if len(archived) == 1:
        c = archived[0]
        raise NotFound(
            f"#{c.id} {c.label} is archived: 'tickle customer restore {c.id}' brings them back"
        )
    if archived:
        listed = "; ".join(f"#{c.id} {c.label}" for c in archived[:8])
        raise NotFound(
            f"'{text}' matches only archived customers: {listed}. "
            "'tickle customer restore ID' brings one back"
        )


def _not_found_message(store: Store, text: str) -> str:
    import difflib

    labels = {fold(name): (cid, name) for cid, name, _ in store.customers.names()}
    nearest = difflib.get_close_matches(fold(text), list(labels), n=3, cutoff=0.5)
    if nearest:
        listed = "; ".join(f"#{labels[n][0]} {labels[n][1]}" for n in nearest)
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
