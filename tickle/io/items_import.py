"""Follow-ups and promises from a CRM's tasks or a spreadsheet.

Each row names its customer by email, external id or name (one query loads them all);
an unknown or ambiguous one is a row error. Due dates go through the WHEN grammar, in
the one day/month order the whole column fits (or `--date-order`), so `03/04/2026` is
never guessed. An item
already in the book (same customer, kind, title and due date) is left unchanged.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from tickle import dates
from tickle.domain.items import DEFAULT_FOLLOWUP_TITLE
from tickle.domain.names import NameIndex, terms
from tickle.errors import InputError
from tickle.io.columns import assign, cells, first_filled, parse_maps, targets, texts
from tickle.io.customers_import import Rejection
from tickle.io.date_order import column_order
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


class _Customers:
    """Every customer reference a row may use, from one query."""

    def __init__(
        self,
        rows: list[tuple[int, str, str | None, str | None]],
        keys: Callable[[], list[tuple[int, str]]] = list,
    ) -> None:
        self.rows = rows
        self.by_email = {email.lower(): (cid, name) for cid, name, email, _ in rows if email}
        self.by_external = {external: (cid, name) for cid, name, _, external in rows if external}
        self._by_name: dict[str, list[tuple[int, str]]] | None = None
        self._keys = keys
        self._index: NameIndex | None = None
        self._names: dict[int, str] = {}

    def find(self, reference: str) -> tuple[int, str]:
        """(id, name) of the customer a reference names: email, external id, then name
        (whole, then by the rule people are matched: tickle.domain.names)."""
        found = self.by_email.get(reference.lower()) or self.by_external.get(reference)
        if found:
            return found
        typed = terms(reference)
        named = self.by_name.get(" ".join(typed), [])
        if not named and typed:
            if self._index is None:
                self._index = NameIndex(self._keys())
                self._names = {cid: name for cid, name, _, _ in self.rows}
            names = self._names
            named = sorted((cid, names[cid]) for cid in self._index.find(typed) if cid in names)
        if len(named) == 1:
            return named[0]
        if named:
            ids = ", ".join(f"#{cid}" for cid, _ in named[:5])
            raise InputError(f"'{reference}' names several customers ({ids}): use their email")
        raise InputError(f"no customer matches '{reference}'")

    @property
    def by_name(self) -> dict[str, list[tuple[int, str]]]:
        if self._by_name is None:  # most files name customers by email: build it if asked
            self._by_name = {}
            for cid, name, _, _ in self.rows:
                self._by_name.setdefault(" ".join(terms(name)), []).append((cid, name))
        return self._by_name

    def matches(self, references: list[str | tuple[str, ...] | None]) -> dict:
        """Each distinct reference's (id, name), or the InputError saying why it names none."""
        distinct = set(references)
        distinct.discard(None)
        by_email = self.by_email  # most rows name their customer by email: one lookup each
        found = {r: by_email.get(r.lower()) for r in distinct if r.__class__ is str}
        found.update(_outcomes(self.first_match, [r for r in distinct if not found.get(r)]))
        return found

    def first_match(self, references: str | tuple[str, ...]) -> tuple[int, str]:
        """The customer of the first reference that names one, else the first one's error."""
        if references.__class__ is str:
            return self.find(references)
        error: InputError | None = None
        for reference in references:
            try:
                return self.find(reference)
            except InputError as failure:
                error = error or failure
        assert error is not None
        raise error


def plan_items(
    store: Store,
    source: Source,
    kind: str,
    now: dt.datetime,
    *,
    maps: list[str] | None = None,
    progress: Callable[[int], None] | None = None,
    date_order: dates.DateOrder | None = None,
) -> ItemPlan:
    assigned, ignored = assign(source.columns, ALIASES, parse_maps(maps or [], FIELDS))
    for needed in ("customer", "due"):
        if needed not in assigned.values():
            raise InputError(
                f"no {needed} column found in the input: name one with --map 'Column={needed}' "
                "(columns: " + ", ".join(source.columns[:12]) + ")"
            )
    plan = ItemPlan(kind=kind, ignored_columns=ignored)
    # Each column is cleaned in one pass, and each distinct customer reference, due
    # date or channel is read once, however many rows repeat it.
    by_target = targets(source.columns, assigned)
    columns = {
        target: first_filled([texts(cells(source.rows, i)) for i in indexes])
        for target, indexes in by_target.items()
        if target != "customer"
    }
    references = first_filled(  # several columns (email, name): each row's texts, in order
        [texts(cells(source.rows, i)) for i in by_target["customer"]], every=True
    )
    customers = _Customers(store.imports.customer_references(), store.imports.customer_keys)
    matches = customers.matches(references)
    header = ", ".join(source.columns[i] for i in by_target["due"])
    order = column_order(columns["due"], date_order, header)
    dues = _outcomes(lambda text: dates.parse_when(text, now, order=order).iso(), columns["due"])
    channels = {text: _channel(text) for text in set(columns.get("channel", ())) if text}
    done = {text for text in set(columns.get("status", ())) if text and text.lower() in DONE_WORDS}
    nothing = [None] * len(source.rows)
    titles = [" ".join(title.split()) if title else None for title in columns.get("title", nothing)]
    rows = zip(
        range(len(source.rows)),
        references,
        titles,
        columns["due"],
        columns.get("channel", nothing),
        columns.get("status", nothing),
        columns.get("note", nothing),
        strict=True,
    )
    zone = dates.local_zone_name()
    items: dict[tuple[int, str, str], dict] = {}
    for number, reference, title, due, channel, status, note in rows:
        if progress and number % 1000 == 999:
            progress(1000)
        try:
            if not reference:
                raise InputError("no customer given")
            customer = matches[reference]
            if customer.__class__ is not tuple:  # the reference's error
                raise customer
            if not title:
                if kind == "promise":
                    raise InputError("say what was promised (no title)")
                title = DEFAULT_FOLLOWUP_TITLE
            if not due:
                raise InputError("no due date")
            due = dues[due]
            if due.__class__ is not str:  # the date's error
                raise due
        except InputError as error:
            plan.rejected.append(Rejection(source.where(number), error.message))
            continue
        customer_id, name = customer
        key = (customer_id, title, due)
        if key in items:
            plan.unchanged += 1
            continue
        items[key] = {
            "kind": kind,
            "customer_id": customer_id,
            "customer_name": name,
            "title": title,
            "due": due,
            "tz": zone,
            "channel": channels.get(channel),
            "status": "done" if status in done else "open",
            "note": note,
        }
    if progress:
        progress(len(source.rows) % 1000)
    known = store.imports.existing_item_keys(kind, items)
    for key, item in items.items():
        if key in known:
            plan.unchanged += 1
        else:
            plan.created.append(item)
    return plan


def apply_items(store: Store, plan: ItemPlan, now: dt.datetime) -> None:
    store.imports.insert_items(plan.created, now)


def describe_item_plan(plan: ItemPlan) -> list[str]:
    """One line per item an import would create (for --dry-run)."""
    return [f"create {plan.kind}: {i['customer_name']}: {i['title']}" for i in plan.created]


def _outcomes(compute: Callable, values: list) -> dict:
    """compute(value), or the InputError it raised, once per distinct value."""
    outcomes: dict = {}
    for value in set(values):
        if value:
            try:
                outcomes[value] = compute(value)
            except InputError as error:
                outcomes[value] = error
    return outcomes


def _channel(text: str) -> str | None:
    return CHANNEL_WORDS.get(text.lower().replace(" ", ""))
