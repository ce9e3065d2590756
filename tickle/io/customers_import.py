"""Customers from a CRM, a spreadsheet or a phone: match, validate, then write in bulk.

Planning reads the book once (every customer's email and external id into dicts),
folds each row into the customer it matches (email, case-insensitive, then external
id; a row with neither, the one customer of that exact name; a duplicate later in
the file merges into the earlier row), and compares the
result with what is stored: a second import of the same file changes nothing.
Empty cells never erase what is known. Writing is two `executemany` calls.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from tickle.domain.customers import EDITABLE_FIELDS, FIELD_RULES, clean_tags
from tickle.domain.names import same_name_key
from tickle.errors import InputError
from tickle.io.columns import assign, cells, first_filled, normalise, parse_maps, targets, texts
from tickle.io.readers import Source

if TYPE_CHECKING:
    from tickle.store import Store

# What a row may set: the customer's own fields, plus a name given in two parts.
FIELDS = ("first_name", "last_name", *EDITABLE_FIELDS)
STORED = EDITABLE_FIELDS

# HubSpot, Salesforce, Google Contacts, Outlook, vCard and plain name,email,... headers,
# compared after columns.normalise().
ALIASES = {
    **dict.fromkeys(
        ("name", "fullname", "contactname", "displayname", "customer", "customername"), "name"
    ),
    **dict.fromkeys(("firstname", "givenname", "first"), "first_name"),
    **dict.fromkeys(("lastname", "familyname", "surname", "last"), "last_name"),
    **dict.fromkeys(
        (
            "email",
            "emailaddress",
            "email1value",
            "emailaddress1",
            "primaryemail",
            "workemail",
            "mail",
        ),
        "email",
    ),
    **dict.fromkeys(
        (
            "phone",
            "phonenumber",
            "phone1value",
            "mobile",
            "mobilephone",
            "mobilephonenumber",
            "businessphone",
            "workphone",
            "telephone",
            "tel",
            "primaryphone",
            "homephone",
        ),
        "phone",
    ),
    **dict.fromkeys(
        (
            "company",
            "companyname",
            "account",
            "accountname",
            "organization",
            "organisation",
            "organization1name",
            "org",
        ),
        "company",
    ),
    **dict.fromkeys(("note", "notes", "description", "comments", "comment"), "note"),
    **dict.fromkeys(
        ("externalid", "recordid", "contactid", "crmid", "hubspotid", "salesforceid", "uid"),
        "external_id",
    ),
    **dict.fromkeys(("channel", "preferredchannel", "preferredcontactmethod"), "channel"),
    **dict.fromkeys(("besttime", "besttimetocall", "besttimetoreach"), "best_time"),
    **dict.fromkeys(("tz", "timezone"), "tz"),
    **dict.fromkeys(("tags", "tag", "labels"), "tags"),
}
_NOTE_ALIASES = {k for k, v in ALIASES.items() if v == "note"}


@dataclass
class Rejection:
    where: str
    reason: str

    def __str__(self) -> str:
        return f"{self.where}: {self.reason}"


@dataclass
class NewCustomers:
    """Customers to create, as rows of `fields` (None where a row says nothing)."""

    fields: tuple[str, ...] = ()
    rows: list[tuple] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.rows)

    def __iter__(self) -> Iterator[dict]:
        for row in self.rows:
            yield {f: v for f, v in zip(self.fields, row, strict=True) if v is not None}


@dataclass
class CustomerPlan:
    """What an import will do: nothing is written until `apply_customers`."""

    created: NewCustomers = field(default_factory=NewCustomers)
    updated: list[tuple[int, dict]] = field(default_factory=list)
    unchanged: int = 0
    merged: int = 0
    rejected: list[Rejection] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    labels: dict[int, str] = field(default_factory=dict)


def plan_customers(
    store: Store,
    source: Source,
    *,
    maps: list[str] | None = None,
    progress: Callable[[int], None] | None = None,
) -> CustomerPlan:
    assigned, ignored = assign(source.columns, ALIASES, parse_maps(maps or [], FIELDS))
    if not {"name", "first_name", "last_name", "email", "external_id"} & set(assigned.values()):
        raise InputError(
            "no name, email or id column found in the input: name one with "
            "--map 'Column=name' (columns: " + ", ".join(source.columns[:12]) + ")"
        )
    table = _Table(source, assigned)
    plan = CustomerPlan(ignored_columns=ignored)
    stored = {row["id"]: row for row in store.imports.customers()}
    # A customer's key: a stored one's is minus its id, a new one's the row creating it.
    by_email = {row["email"].lower(): -cid for cid, row in stored.items() if row["email"]}
    by_external = {row["external_id"]: -cid for cid, row in stored.items() if row["external_id"]}
    emails, externals, names = map(table.column, ("email", "external_id", "name"))
    # A row with neither email nor external id matches the one customer of that name.
    by_name: dict[str, int | None] = {}
    match_names = any(not (email or external) for email, external in zip(emails, externals))
    if match_names:
        for cid, row in stored.items():
            name = same_name_key(row["name"])
            by_name[name] = None if name in by_name else -cid
    # What a key becomes: the row that creates it, until a second row or a stored
    # customer makes it a merged dict.
    state: dict[int, int | dict] = {}
    errors = table.errors
    for number, email, external, name in zip(range(table.size), emails, externals, names):
        if progress and number % 1000 == 999:
            progress(1000)
        if number in errors:
            continue
        email = email and email.lower()
        key = by_email.get(email) if email else None
        if key is None and external:
            key = by_external.get(external)
        if key is None and not email and not external and name:
            key = by_name.get(same_name_key(name))
        if key is None:
            if not name:
                errors[number] = "a customer needs a name"
                continue
            key = number
            state[key] = number
        else:
            current = state.get(key)
            if current is None:
                current = dict(stored[-key])
            else:
                plan.merged += 1
                if current.__class__ is int:
                    current = table.fields(current)
            state[key] = _merge(current, table.fields(number))
        if email:
            by_email[email] = key
        if external:
            by_external[external] = key
        if name and match_names:
            lowered = same_name_key(name)
            by_name[lowered] = key if by_name.get(lowered, key) == key else None
    if progress:
        progress(table.size % 1000)
    plan.rejected = [Rejection(source.where(n), errors[n]) for n in sorted(errors)]
    created = []
    for key, values in state.items():
        if key >= 0:
            created.append(table.row(values) if values.__class__ is int else values)
            continue
        before = stored[-key]
        changes = {f: values.get(f) for f in STORED if values.get(f) != before.get(f)}
        if "name" in changes and same_name_key(changes["name"]) == same_name_key(before["name"]):
            del changes["name"]  # the same name as people are matched: kept as it was written
        if changes:
            plan.updated.append((-key, changes))
            plan.labels[-key] = values["name"]
        else:
            plan.unchanged += 1
    plan.created = table.new_customers(created)
    return plan


def apply_customers(store: Store, plan: CustomerPlan, now: dt.datetime) -> None:
    store.imports.insert_customers(plan.created.fields, plan.created.rows, now)
    store.imports.update_customers(plan.updated, now)


class _Table:
    """The rows' customer fields, cleaned and checked one field at a time (a column of
    100k cells is one list comprehension, not 100k calls), with each bad row's first
    problem in `errors`."""

    def __init__(self, source: Source, assigned: dict[str, str]) -> None:
        self.size = len(source.rows)
        by_target = targets(source.columns, assigned)

        def column(index: int, target: str) -> list[str | None]:
            found = texts(cells(source.rows, index))
            return _without_tel(found) if target == "phone" else found

        columns = {
            target: first_filled([column(i, target) for i in indexes])
            for target, indexes in by_target.items()
            if target not in ("note", "tags")
        }
        first, last = columns.pop("first_name", None), columns.pop("last_name", None)
        if first or last:
            parts = zip(first or [None] * self.size, last or [None] * self.size, strict=True)
            joined = [f"{a} {b}" if a and b else a or b for a, b in parts]
            columns["name"] = (
                first_filled([columns["name"], joined]) if "name" in columns else joined
            )
        if "channel" in columns:
            columns["channel"] = [c and c.lower() for c in columns["channel"]]
        if "note" in by_target:
            columns["note"] = _notes(
                [(cells(source.rows, i), source.columns[i]) for i in by_target["note"]]
            )
        if "tags" in by_target:
            columns["tags"] = _tags([cells(source.rows, i) for i in by_target["tags"]])
        self.columns: dict[str, list] = columns
        self.errors: dict[int, str] = dict(source.refusals)
        for key, (valid, refusal) in FIELD_RULES.items():
            values = columns.get(key, ())
            if all(map(valid, filter(None, values))):  # the usual answer, found at C speed
                continue
            for number, value in enumerate(values):
                if value is not None and not valid(value) and number not in self.errors:
                    self.errors[number] = refusal.format(value)
        self._fields = tuple(columns)
        self._rows = list(zip(*columns.values()))

    def column(self, name: str) -> list:
        return self.columns.get(name) or [None] * self.size

    def row(self, number: int) -> tuple:
        return self._rows[number]

    def fields(self, number: int) -> dict:
        """Row `number`'s fields that say something."""
        return {
            f: v for f, v in zip(self._fields, self._rows[number], strict=True) if v is not None
        }

    def new_customers(self, rows: list[tuple | dict]) -> NewCustomers:
        """Customers from whole rows (tuples) and merged ones (dicts), as rows of the
        fields some row fills."""
        filled = tuple(f for f in self._fields if any(v is not None for v in self.columns[f]))
        if filled != self._fields:
            keep = [self._fields.index(f) for f in filled]
            rows = [r if r.__class__ is dict else tuple(r[i] for i in keep) for r in rows]
        return NewCustomers(
            filled, [tuple(map(r.get, filled)) if r.__class__ is dict else r for r in rows]
        )


def _without_tel(phones: list[str | None]) -> list[str | None]:
    """A vCard's or a CRM's `tel:+1...` as the number."""
    return [p[4:].strip() or None if p and p[:4].lower() == "tel:" else p for p in phones]


def _notes(columns: list[tuple[list, str]]) -> list[str | None]:
    """Every note column of a row on its own line; a column not called "note" (or one of
    its names) says which it was."""
    labelled = []
    for found, column in columns:
        notes = texts(found)
        if normalise(column) not in _NOTE_ALIASES:
            notes = [note and f"{column}: {note}" for note in notes]
        labelled.append(notes)
    return ["\n".join(filter(None, notes)) or None for notes in zip(*labelled, strict=True)]


def _tags(columns: list[list]) -> list[list[str] | None]:
    tags = []
    for row in zip(*columns, strict=True):
        parts = [p for cell in row for p in (cell if isinstance(cell, list) else [cell or ""])]
        tags.append(clean_tags(parts) or None)
    return tags


def _merge(current: dict, fields: dict) -> dict:
    merged = {**current, **fields}
    if (current.get("email") or "").lower() == (fields.get("email") or "").lower():
        merged["email"] = current.get("email")  # the same address, as first written
    if "tags" in fields:
        known = {tag.lower() for tag in current.get("tags") or []}
        added = [tag for tag in fields["tags"] if tag.lower() not in known]
        merged["tags"] = [*(current.get("tags") or []), *added]
    return merged


def describe_customer_plan(plan: CustomerPlan) -> list[str]:
    """One line per customer an import would create or change (for --dry-run)."""
    lines = [
        f"create: {values['name']}" + (f" <{values['email']}>" if values.get("email") else "")
        for values in plan.created
    ]
    lines += [
        f"update #{customer_id} {plan.labels[customer_id]}: {', '.join(changes)}"
        for customer_id, changes in plan.updated
    ]
    return lines
