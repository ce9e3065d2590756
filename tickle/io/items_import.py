"""Follow-ups and promises from a CRM's tasks or a spreadsheet.

Each row names its customer by email, external id or name (one query loads them all);
an unknown or ambiguous one is a row error. Due dates go through the WHEN grammar, so
ISO dates pass and `01/02/2026` is refused as ambiguous instead of guessed. An item
already in the book (same customer, kind, title and due date) is left unchanged.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from tickle import dates
from tickle.domain.items import DEFAULT_FOLLOWUP_TITLE
from tickle.errors import InputError
from tickle.io.columns import assign, columns_of, parse_maps
from tickle.io.customers_import import Rejection
from tickle.io.readers import Source

if TYPE_CHECKING:
    from tickle.store import Store

FIELDS = ("customer", "title", "due", "channel", "status", "note")
ALIASES = {
    **dict.fromkeys(
        (
            "customer",
            "contactemail",
            "customeremail",
            "email",
            "emailaddress",
            "contact",
            "contactname",
            "customername",
            "name",
            "contactid",
            "recordid",
            "externalid",
            "customerid",
            "associatedcontact",
        ),
        "customer",
    ),
    **dict.fromkeys(
        ("title", "subject", "what", "task", "taskname", "promise", "summary"), "title"
    ),
    **dict.fromkeys(
        ("due", "duedate", "by", "when", "date", "activitydate", "duedateonly", "duetime"), "due"
    ),
    **dict.fromkeys(("channel", "type", "tasktype"), "channel"),
    **dict.fromkeys(("status", "taskstatus"), "status"),
    **dict.fromkeys(("note", "notes", "comments", "comment", "description"), "note"),
}
CHANNEL_WORDS = {
    "call": "phone",
    "phone": "phone",
    "phonecall": "phone",
    "email": "email",
    "e-mail": "email",
    "meeting": "meeting",
    "sms": "sms",
    "text": "sms",
    "chat": "chat",
    "linkedin": "chat",
}
DONE_WORDS = {"completed", "complete", "done", "closed"}


@dataclass
class ItemPlan:
    kind: str
    created: list[dict] = field(default_factory=list)
    unchanged: int = 0
    rejected: list[Rejection] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)


class _Customers:
    """Every customer reference a row may use, from one query."""

    def __init__(self, rows: list[dict]) -> None:
        self.by_email = {r["email"].lower(): r for r in rows if r["email"]}
        self.by_external = {r["external_id"]: r for r in rows if r["external_id"]}
        self.by_name: dict[str, list[dict]] = {}
        for row in rows:
            self.by_name.setdefault(row["name"].lower(), []).append(row)

    def find(self, reference: str) -> dict:
        text = reference.strip()
        found = self.by_email.get(text.lower()) or self.by_external.get(text)
        if found:
            return found
        named = self.by_name.get(text.lower(), [])
        if len(named) == 1:
            return named[0]
        if named:
            ids = ", ".join(f"#{r['id']}" for r in named[:5])
            raise InputError(f"'{text}' names several customers ({ids}): use their email")
        raise InputError(f"no customer matches '{text}'")


def plan_items(
    store: Store,
    source: Source,
    kind: str,
    now: dt.datetime,
    *,
    maps: list[str] | None = None,
    progress: Callable[[int], None] | None = None,
) -> ItemPlan:
    columns = source.columns or columns_of(r.fields for r in source.records)
    assigned, ignored = assign(columns, ALIASES, parse_maps(maps or [], FIELDS))
    for needed in ("customer", "due"):
        if needed not in assigned.values():
            raise InputError(
                f"no {needed} column found in the input: name one with --map 'Column={needed}' "
                "(columns: " + ", ".join(columns[:12]) + ")"
            )
    plan = ItemPlan(kind=kind, ignored_columns=ignored)
    customers = _Customers(store.customers_for_import(("name", "email", "external_id")))
    known = store.item_keys()
    zone = dates.local_zone_name()
    for number, record in enumerate(source.records, start=1):
        if progress and number % 1000 == 0:
            progress(1000)
        try:
            item = _row_item(record.fields, assigned, kind, customers, now)
        except InputError as error:
            plan.rejected.append(Rejection(record.where, error.message))
            continue
        key = (item["customer_id"], kind, item["title"], item["due"].iso())
        if key in known:
            plan.unchanged += 1
            continue
        known.add(key)
        item["tz"] = zone
        plan.created.append(item)
        plan.labels.append(f"{item.pop('customer_name')}: {item['title']}")
    return plan


def apply_items(store: Store, plan: ItemPlan, now: dt.datetime) -> None:
    store.insert_imported_items(plan.created, now)


def _row_item(
    row: dict, assigned: dict[str, str], kind: str, customers: _Customers, now: dt.datetime
) -> dict:
    values: dict[str, str] = {}
    references: list[str] = []
    for column, target in assigned.items():
        value = row.get(column)
        if value.__class__ is not str:
            continue
        text = value.strip()
        if not text:
            continue
        if target == "customer":
            references.append(text)
        elif target not in values:
            values[target] = text
    if not references:
        raise InputError("no customer given")
    customer = _first_match(customers, references)
    title = values.get("title")
    if title:
        title = " ".join(title.split())
    elif kind == "promise":
        raise InputError("say what was promised (no title)")
    else:
        title = DEFAULT_FOLLOWUP_TITLE
    due = values.get("due")
    if not due:
        raise InputError("no due date")
    status, channel = values.get("status"), values.get("channel")
    return {
        "kind": kind,
        "customer_id": customer["id"],
        "customer_name": customer["name"],
        "title": title,
        "due": dates.parse_when(due, now),
        "channel": CHANNEL_WORDS.get(channel.lower().replace(" ", "")) if channel else None,
        "status": "done" if status and status.lower() in DONE_WORDS else "open",
        "note": values.get("note"),
    }


def _first_match(customers: _Customers, references: list[str]) -> dict:
    error: InputError | None = None
    for reference in references:
        try:
            return customers.find(reference)
        except InputError as failure:
            error = error or failure
    assert error is not None
    raise error
