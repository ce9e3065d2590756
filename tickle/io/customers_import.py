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

from tickle.domain import addresses
from tickle.domain.customers import EDITABLE_FIELDS, EMAIL, FIELD_RULES, clean_tags
from tickle.domain.names import same_name_key
from tickle.errors import InputError
from tickle.io.address_columns import AddressColumn, classify, kind_of_label
from tickle.io.columns import assign, cells, first_filled, normalise, parse_maps, targets, texts
from tickle.io.readers import Source

if TYPE_CHECKING:
    from tickle.store import Store

# What a row may set: the customer's own fields, plus a name given in two parts.
FIELDS = ("first_name", "middle_name", "last_name", *EDITABLE_FIELDS)
# Every email and phone of a row, with its kind: the first is `email` and `phone`.
LISTS = {"email": "emails", "phone": "phones"}
STORED = (*EDITABLE_FIELDS, *LISTS.values(), "phone_e164")

# HubSpot, Salesforce, Google Contacts, Outlook, vCard and plain name,email,... headers,
# compared after columns.normalise().
ALIASES = {
    **dict.fromkeys(
        (
            "name",
            "fullname",
            "contactname",
            "displayname",
            "customer",
            "customername",
            "personname",
        ),
        "name",
    ),
    # with the German names Outlook writes in a German Windows (Vorname, Nachname...)
    **dict.fromkeys(("firstname", "givenname", "first", "vorname"), "first_name"),
    **dict.fromkeys(("middlename", "additionalname", "weiterevornamen"), "middle_name"),
    **dict.fromkeys(("lastname", "familyname", "surname", "last", "nachname"), "last_name"),
    **dict.fromkeys(
        (
            "email",
            "emailaddress",
            "email1value",
            "emailaddress1",
            "primaryemail",
            "workemail",
            "mail",
            "emails",
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
            "phones",
        ),
        "phone",
    ),
    **dict.fromkeys(
        (
            "company",
            "companyname",
            "associatedcompany",
            "account",
            "accountname",
            "organization",
            "organisation",
            "organization1name",
            "organizationname",
            "personorganization",
            "org",
            "firma",
        ),
        "company",
    ),
    **dict.fromkeys(("note", "notes", "description", "comments", "comment", "notizen"), "note"),
    **dict.fromkeys(
        (
            "externalid",
            "recordid",
            "contactid",
            "crmid",
            "hubspotid",
            "salesforceid",
            "uid",
            "personid",
        ),
        "external_id",
    ),
    **dict.fromkeys(("channel", "preferredchannel", "preferredcontactmethod"), "channel"),
    **dict.fromkeys(("besttime", "besttimetocall", "besttimetoreach"), "best_time"),
    **dict.fromkeys(("tz", "timezone"), "tz"),
    **dict.fromkeys(("tags", "tag", "labels"), "tags"),
}
_NOTE_ALIASES = {k for k, v in ALIASES.items() if v == "note"}
# A record's `Id` (Salesforce) or a profile's URL (LinkedIn) is the external id when no
# column says so by name: tickle's own export has `id` beside `external_id`.
FALLBACK_IDS = (
    "id",
    "url",
    "profileurl",
    "linkedinurl",
    "linkedinprofile",
    "linkedinprofileurl",
    "publicprofileurl",
)


# Salesforce names a column by its object and field (`Contact: First Name`, `Account:
# Account Name`): the person's fields are read, and of the account only its name.
_PERSON_OBJECTS = ("contact", "person", "lead")
_COMPANY_OBJECTS = ("account", "company", "organization", "organisation")


def _qualified(columns: list[str]) -> dict[str, str]:
    """The fields of the columns named `Object: Field`, by their normalised header."""
    found = {}
    for column in columns:
        owner, colon, name = column.partition(":")
        owner, name = normalise(owner), normalise(name)
        if not colon or not name:
            continue
        if owner in _PERSON_OBJECTS and name in ALIASES:
            found[owner + name] = ALIASES[name]
        elif owner in _COMPANY_OBJECTS and name in ("name", f"{owner}name"):
            found[owner + name] = "company"
    return found


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
    warnings: list[str] = field(default_factory=list)  # numbers that cannot be valid


def plan_customers(
    store: Store,
    source: Source,
    *,
    maps: list[str] | None = None,
    progress: Callable[[int], None] | None = None,
) -> CustomerPlan:
    mapping = parse_maps(maps or [], FIELDS)
    assigned, ignored = assign(source.columns, {**ALIASES, **_qualified(source.columns)}, mapping)
    found = {i: c for i, c in classify(source.columns).items() if source.columns[i] not in mapping}
    for index, address in found.items():
        assigned[source.columns[index]] = address.field
    if "external_id" not in assigned.values():
        fallback = [c for c in source.columns if normalise(c) in FALLBACK_IDS and c not in mapping]
        if fallback:
            assigned[fallback[0]] = "external_id"
    labels = {source.columns[c.label] for c in found.values() if c.label is not None}
    ignored = [c for c in ignored if c not in assigned and c not in labels]
    if not {"name", "first_name", "last_name", "email", "external_id"} & set(assigned.values()):
        raise InputError(
            "no name, email or id column found in the input: name one with "
            "--map 'Column=name' (columns: " + ", ".join(source.columns[:12]) + ")"
        )
    table = _Table(source, assigned, found)
    plan = CustomerPlan(ignored_columns=ignored)
    stored = {row["id"]: row for row in store.imports.customers()}
    # A customer's key: a stored one's is minus its id, a new one's the row creating it.
    by_email = {
        address["value"].lower(): -cid for cid, row in stored.items() for address in row["emails"]
    }
    by_external = {row["external_id"]: -cid for cid, row in stored.items() if row["external_id"]}
    emails, externals, names = map(table.column, ("email", "external_id", "name"))
    every_email = table.columns.get("emails") or [None] * table.size
    # A row with neither email nor external id is matched by name (_recognise).
    by_name: dict[str, list[int]] = {}
    match_names = any(not (email or external) for email, external in zip(emails, externals))
    if match_names:
        for cid, row in stored.items():
            by_name.setdefault(same_name_key(row["name"]), []).append(-cid)
    # What a key becomes: the row that creates it, until a second row or a stored
    # customer makes it a merged dict.
    state: dict[int, int | dict] = {}
    errors = table.errors
    rows = zip(range(table.size), emails, every_email, externals, names, strict=True)
    for number, email, listed, external, name in rows:
        if progress and number % 1000 == 999:
            progress(1000)
        if number in errors:
            continue
        email = email and email.lower()
        key = by_email.get(email) if email else None
        if key is None and listed:
            key = next(filter(None, (by_email.get(a["value"].lower()) for a in listed)), None)
        if key is None and external:
            key = by_external.get(external)
        if key is None and not email and not external and name:
            key = _recognise(
                by_name.get(same_name_key(name), []),
                table.fields(number).get("company"),
                lambda k: _company_of(k, state, stored, table),
            )
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
        for address in listed or ():
            by_email.setdefault(address["value"].lower(), key)
        if external:
            by_external[external] = key
        if name and match_names:
            named = by_name.setdefault(same_name_key(name), [])
            if key not in named:
                named.append(key)
    if progress:
        progress(table.size % 1000)
    plan.rejected = [Rejection(source.where(n), errors[n]) for n in sorted(errors)]
    plan.warnings = [
        f"{source.where(n)}: {problem}"
        for n in sorted(table.warnings)
        if n not in errors
        for problem in table.warnings[n]
    ]
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


def _recognise(candidates: list[int], company: str | None, company_of) -> int | None:
    """The customer a row that gives only a name (and perhaps a company) is: the one of
    that name at that company (the newest, if the book has several alike); else the one
    customer of that name if neither says a company. Anyone else is a new customer, whom
    the next import of the same row recognises as the one at its company."""
    wanted = same_name_key(company) if company else ""
    exact = [k for k in candidates if (same_name_key(company_of(k) or "")) == wanted]
    if exact:
        return max(exact, key=lambda k: (k >= 0, abs(k)))  # rows of this file are newest
    if len(candidates) == 1 and not (wanted and company_of(candidates[0])):
        return candidates[0]
    return None


def _company_of(key: int, state: dict, stored: dict, table: _Table) -> str | None:
    current = state.get(key)
    if current is None:
        return stored[-key].get("company") if key < 0 else table.fields(key).get("company")
    if current.__class__ is int:
        return table.fields(current).get("company")
    return current.get("company")


def apply_customers(store: Store, plan: CustomerPlan, now: dt.datetime) -> None:
    store.imports.insert_customers(plan.created.fields, plan.created.rows, now)
    store.imports.update_customers(plan.updated, now)


class _Table:
    """The rows' customer fields, cleaned and checked one field at a time (a column of
    100k cells is one list comprehension, not 100k calls), with each bad row's first
    problem in `errors`."""

    def __init__(
        self, source: Source, assigned: dict[str, str], found: dict[int, AddressColumn]
    ) -> None:
        self.size = len(source.rows)
        by_target = targets(source.columns, assigned)

        def column(index: int, target: str) -> list[str | None]:
            found = texts(cells(source.rows, index))
            return _without_tel(found) if target == "phone" else found

        columns = {
            target: first_filled([column(i, target) for i in indexes])
            for target, indexes in by_target.items()
            if target not in ("note", "tags") and not _listed(source, target, indexes, found)
        }
        for target, indexes in by_target.items():
            if target in LISTS and target not in columns:
                lists = _every_address(source, LISTS[target], indexes, found)
                columns[LISTS[target]] = lists
                columns[target] = [found[0]["value"] if found else None for found in lists]
        self.warnings = _with_e164(columns) if "phone" in columns else {}
        first, last = columns.pop("first_name", None), columns.pop("last_name", None)
        middle = columns.pop("middle_name", None)
        if first or last:
            empty = [None] * self.size
            parts = zip(first or empty, middle or empty, last or empty, strict=True)
            joined = [" ".join(filter(None, names)) or None for names in parts]
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
        for number, listed in enumerate(columns.get("emails", ())):
            bad = next((a["value"] for a in listed or () if not EMAIL.match(a["value"])), None)
            if bad is not None and number not in self.errors:
                self.errors[number] = FIELD_RULES["email"][1].format(bad)
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
        # Rows merged from several rows may have gathered more than one address.
        gathered = tuple(
            f
            for f in LISTS.values()
            if f not in self._fields
            and any(r.__class__ is dict and len(r.get(f) or ()) > 1 for r in rows)
        )
        if filled != self._fields or gathered:
            keep = [self._fields.index(f) for f in filled]
            padding = (None,) * len(gathered)
            rows = [r if r.__class__ is dict else (*(r[i] for i in keep), *padding) for r in rows]
            filled = (*filled, *gathered)
        return NewCustomers(
            filled, [tuple(map(r.get, filled)) if r.__class__ is dict else r for r in rows]
        )


def _listed(
    source: Source, target: str, indexes: list[int], found: dict[int, AddressColumn]
) -> bool:
    """Whether a row's emails (or phones) are read as a list with kinds: from several
    columns, a column that says its kind, or cells that are lists (a vCard's)."""
    if target not in LISTS:
        return False
    said = [found.get(i) for i in indexes]
    if len(indexes) > 1 or any(c and (c.kind or c.label is not None) for c in said):
        return True
    return any(cell.__class__ is list for cell in cells(source.rows, indexes[0]))


def _every_address(
    source: Source, field: str, indexes: list[int], found: dict[int, AddressColumn]
) -> list[list[dict] | None]:
    """Row by row, every address (or number) of the columns, in column order, each once.
    Google writes several in one cell, and their labels in the label's, as `a ::: b`."""
    columns = []
    for index in indexes:
        said = found.get(index)
        kind = said.kind if said else None
        labels = cells(source.rows, said.label) if said and said.label is not None else None
        read = []
        for number, cell in enumerate(cells(source.rows, index)):
            if cell.__class__ is list:
                read.append([_as_entry(value, field) for value in cell])
                continue
            text = texts([cell])[0]
            values = [v.strip() for v in text.split(":::")] if text else []
            kinds = [kind] * len(values)
            if labels is not None:
                written = (texts([labels[number]])[0] or "").split(":::")
                kinds = [
                    kind_of_label(written[i] if i < len(written) else "")
                    for i in range(len(values))
                ]
            if field == "phones":
                values = [_without_tel([v])[0] or "" for v in values]
            read.append([addresses.entry(v, k) for v, k in zip(values, kinds, strict=True) if v])
        columns.append(read)
    return [
        addresses.merged(field, [], [a for column in row for a in column]) or None
        for row in zip(*columns, strict=True)
    ]


def _with_e164(columns: dict[str, list]) -> dict[int, list[str]]:
    """Beside every number its E.164 form (tickle.domain.phones), read in phones.region:
    in each list of phones, and the preferred one's as `phone_e164`. Returns, by row, why
    the numbers that cannot be valid reach nobody. Each distinct number is read once: a
    book's numbers repeat, and reading one costs 15 µs."""
    from tickle import settings
    from tickle.domain.phones import phone_warning, read_phone

    region = settings.get("phones.region")
    known: dict[str, tuple[str | None, str | None]] = {}

    def read(number: str) -> tuple[str | None, str | None]:
        if number not in known:
            facts = read_phone(number, region, zone=False)
            known[number] = (facts.e164, phone_warning(number, facts, region))
        return known[number]

    warnings: dict[int, list[str]] = {}
    if "phones" in columns:
        listed_rows = columns["phones"]
        for number, listed in enumerate(listed_rows):
            if not listed:
                continue
            entries = []
            for entry in listed:
                e164, problem = read(entry["value"])
                entries.append(dict(entry, e164=e164) if e164 else entry)
                if problem:
                    warnings.setdefault(number, []).append(problem)
            listed_rows[number] = entries
        columns["phone_e164"] = [
            listed[0].get("e164") if listed else None for listed in listed_rows
        ]
        return warnings
    found = []
    for number, phone in enumerate(columns["phone"]):
        e164, problem = read(phone) if phone else (None, None)
        found.append(e164)
        if problem:
            warnings[number] = [problem]
    columns["phone_e164"] = found
    return warnings


def _as_entry(value: object, field: str) -> dict:
    if isinstance(value, dict):
        return addresses.entry(str(value.get("value", "")).strip(), value.get("kind"))
    text = str(value).strip()
    return addresses.entry(_without_tel([text])[0] or "" if field == "phones" else text)


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
    for single, many in LISTS.items():
        theirs = fields.get(many) or _entries(fields, single)
        if theirs:
            # The row's preferred address comes first; the others known are kept after it.
            mine = current.get(many) or _entries(current, single)
            merged[many] = addresses.merged(many, theirs, mine, spelling=mine)
            merged[single] = merged[many][0]["value"]
            if single == "phone":
                merged["phone_e164"] = merged[many][0].get("e164")
    if "tags" in fields:
        known = {tag.lower() for tag in current.get("tags") or []}
        added = [tag for tag in fields["tags"] if tag.lower() not in known]
        merged["tags"] = [*(current.get("tags") or []), *added]
    return merged


def _entries(fields: dict, single: str) -> list[dict]:
    """The one email or phone of a row or customer as a list (a phone with its E.164)."""
    e164 = fields.get("phone_e164") if single == "phone" else None
    return addresses.entries(None, fields.get(single), e164)


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
