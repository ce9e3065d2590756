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
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from tickle.domain.customers import EDITABLE_FIELDS, clean_fields
from tickle.errors import InputError
from tickle.io.columns import assign, columns_of, normalise, parse_maps
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
class CustomerPlan:
    """What an import will do: nothing is written until `apply_customers`."""

    created: list[dict] = field(default_factory=list)
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
    columns = source.columns or columns_of(r.fields for r in source.records)
    assigned, ignored = assign(columns, ALIASES, parse_maps(maps or [], FIELDS))
    if not {"name", "first_name", "last_name", "email", "external_id"} & set(assigned.values()):
        raise InputError(
            "no name, email or id column found in the input: name one with "
            "--map 'Column=name' (columns: " + ", ".join(columns[:12]) + ")"
        )
    plan = CustomerPlan(ignored_columns=ignored)
    stored = {row["id"]: row for row in store.customers_for_import()}
    by_email = {row["email"].lower(): ("old", cid) for cid, row in stored.items() if row["email"]}
    by_external = {
        row["external_id"]: ("old", cid) for cid, row in stored.items() if row["external_id"]
    }
    # A row with neither email nor external id matches the one customer of that name.
    by_name: dict[str, tuple[str, int] | None] = {}
    for cid, row in stored.items():
        name = row["name"].lower()
        by_name[name] = None if name in by_name else ("old", cid)
    state: dict[tuple[str, int], dict] = {}
    row_fields = _RowReader(assigned)
    for number, record in enumerate(source.records, start=1):
        if progress and number % 1000 == 0:
            progress(1000)
        try:
            fields = row_fields(record.fields)
        except InputError as error:
            plan.rejected.append(Rejection(record.where, error.message))
            continue
        email = (fields.get("email") or "").lower()
        key = by_email.get(email) if email else None
        if key is None and fields.get("external_id"):
            key = by_external.get(fields["external_id"])
        if key is None and not email and not fields.get("external_id") and fields.get("name"):
            key = by_name.get(fields["name"].lower())
        if key is None:
            if not fields.get("name"):
                plan.rejected.append(Rejection(record.where, "a customer needs a name"))
                continue
            key = ("new", number)
            state[key] = dict(fields)
        else:
            if key in state:
                plan.merged += 1
            current = state.get(key) or dict(stored[key[1]])
            state[key] = _merge(current, fields)
        if email:
            by_email[email] = key
        if fields.get("name"):
            name = fields["name"].lower()
            by_name[name] = key if by_name.get(name, key) == key else None
        if fields.get("external_id"):
            by_external[fields["external_id"]] = key
    if progress:
        progress(len(source.records) % 1000)
    for key, values in state.items():
        if key[0] == "new":
            plan.created.append(values)
            continue
        before = stored[key[1]]
        changes = {f: values.get(f) for f in STORED if values.get(f) != before.get(f)}
        if changes:
            plan.updated.append((key[1], changes))
            plan.labels[key[1]] = values["name"]
        else:
            plan.unchanged += 1
    return plan


def apply_customers(store: Store, plan: CustomerPlan, now: dt.datetime) -> None:
    store.insert_customers(plan.created, now)
    store.update_customers(plan.updated, now)


class _RowReader:
    """Turns one row into customer fields. What each column is for is sorted out once per
    import, not per row: planning 100k rows is a tight loop."""

    def __init__(self, assigned: dict[str, str]) -> None:
        self.plain = [(c, t) for c, t in assigned.items() if t not in ("note", "tags")]
        self.notes = [
            (c, normalise(c) in _NOTE_ALIASES) for c, t in assigned.items() if t == "note"
        ]
        self.tags = [c for c, t in assigned.items() if t == "tags"]

    def __call__(self, row: dict[str, object]) -> dict:
        raw: dict[str, object] = {}
        for column, target in self.plain:
            value = row.get(column)
            if value.__class__ is not str or target in raw:
                continue
            text = value.strip()
            if target == "phone" and text[:4].lower() == "tel:":
                text = text[4:].strip()
            if text:
                raw[target] = text
        if self.notes:
            notes = []
            for column, bare in self.notes:
                value = row.get(column)
                text = value.strip() if value.__class__ is str else ""
                if text:
                    notes.append(text if bare else f"{column}: {text}")
            if notes:
                raw["note"] = "\n".join(notes)
        for column in self.tags:
            value = row.get(column)
            if isinstance(value, list):
                parts = value
            else:
                parts = (value or "").replace(";", ",").split(",")
            raw.setdefault("tags", []).extend(parts)
        if "first_name" in raw or "last_name" in raw:
            first, last = raw.pop("first_name", None), raw.pop("last_name", None)
            if "name" not in raw:
                raw["name"] = " ".join(part for part in (first, last) if part)
        if "channel" in raw:
            raw["channel"] = raw["channel"].lower()
        cleaned = clean_fields(raw)
        if cleaned.get("tags") == []:
            del cleaned["tags"]
        return cleaned


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
