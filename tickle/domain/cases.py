"""Complaint cases: take ownership, fix it, check a few weeks later that the fix held,
ask for a letter when the customer is happy, and learn what would prevent it next time.

A case is an agenda item without a due date: it stays on the agenda while it is open.
Resolving it schedules the satisfaction check-in, a follow-up whose parent is the case,
so that what the check-in found shows on the case. Categories are free words, kept in
lower case so that repeated complaints are counted together.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from tickle import dates
from tickle.dates import When
from tickle.domain.items import add_followup, check_active, get_item
from tickle.domain.models import Customer, Event, Item
from tickle.errors import InputError, NotFound

if TYPE_CHECKING:
    from tickle.store import Store

NO_CHECK_IN = "none"


def _text(value: str | None) -> str:
    return " ".join((value or "").split())


def clean_category(value: str | None) -> str | None:
    """A category as it is counted: words in lower case, single spaces; empty is none."""
    return _text(value).lower() or None


def get_case(store: Store, item_id: int) -> Item:
    item = get_item(store, item_id)
    if item.kind != "case":
        raise NotFound(
            f"#{item.id} is a {item.kind_label}, not a case: 'tickle case list' shows them"
        )
    return item


def open_case(
    store: Store,
    customer: Customer,
    problem: str,
    now: dt.datetime,
    *,
    category: str | None = None,
) -> Item:
    title = _text(problem)
    if not title:
        raise InputError("say what the problem is: tickle case open CUSTOMER PROBLEM...")
    check_active(customer)
    fields = {
        "kind": "case",
        "customer_id": customer.id,
        "title": title,
        "tz": dates.local_zone_name(),
        "category": clean_category(category),
    }
    item_id = store.items.insert(fields, now)
    _event(store, store.items.get(item_id), "opened", now, note=fields["category"])
    return store.items.get(item_id)


def add_note(store: Store, case: Item, text: str, now: dt.datetime) -> Item:
    note = _required(text, "say what happened: tickle case note ID TEXT")
    _event(store, case, "noted", now, note=note)
    return case


@dataclass
class Resolution:
    case: Item
    check_in: Item | None


def check_in_when(
    text: str | None,
    now: dt.datetime,
    *,
    hours: dates.Hours = dates.HOURS,
    order: dates.DateOrder | None = None,
) -> When | None:
    """The satisfaction check-in: the `cases.check_in` setting (in two weeks) unless said
    otherwise; `none` opts out."""
    if text is None:
        from tickle import settings

        text = settings.get("cases.check_in")
    if text.strip().lower() == NO_CHECK_IN:
        return None
    return dates.parse_when(text, now, hours=hours, order=order)


def resolve(
    store: Store, case: Item, now: dt.datetime, *, resolution: str, check_in: When | None
) -> Resolution:
    text = _required(resolution, "say how it was fixed: --resolution TEXT")
    if not case.is_open:
        raise InputError(f"case #{case.id} is already {_state(case)}: nothing to resolve")
    if check_in is not None and check_in.day < now.date():
        raise InputError(
            f"the check-in {dates.format_when(check_in)} is in the past: give a later date"
        )
    store.items.update(
        case.id,
        {"status": "done", "resolution": text, "resolved_at": now, "closed_at": now},
    )
    _event(store, case, "resolved", now, note=text)
    follow_up = None
    if check_in is not None:
        follow_up = add_followup(
            store,
            store.customers.get(case.customer_id),
            check_in,
            now,
            title=f"check-in: did the fix hold? (case #{case.id}: {case.title})",
            parent_id=case.id,
        )
    return Resolution(store.items.get(case.id), follow_up)


@dataclass
class Reopening:
    case: Item
    cancelled_check_ins: list[Item]


def reopen(store: Store, case: Item, now: dt.datetime, *, reason: str | None = None) -> Reopening:
    """The fix did not hold: the case is open again, and a pending check-in is moot."""
    if case.is_open:
        raise InputError(f"case #{case.id} is still open: nothing to reopen")
    store.items.update(
        case.id, {"status": "open", "resolution": None, "resolved_at": None, "closed_at": None}
    )
    _event(store, case, "reopened", now, note=_text(reason) or None)
    cancelled = []
    for check_in in store.cases.check_ins([case.id])[case.id]:
        if check_in.is_open:
            store.items.update(check_in.id, {"status": "cancelled", "closed_at": now})
            _event(store, check_in, "cancelled", now, note=f"case #{case.id} reopened")
            cancelled.append(check_in)
    return Reopening(store.items.get(case.id), cancelled)


def record_lesson(store: Store, case: Item, text: str, now: dt.datetime) -> Item:
    lesson = _required(text, "say what would prevent it next time: tickle case lesson ID TEXT")
    store.items.update(case.id, {"lesson": lesson})
    _event(store, case, "lesson", now, note=lesson)
    return store.items.get(case.id)


def record_letter(store: Store, case: Item, now: dt.datetime, *, quote: str | None) -> Item:
    if case.is_open:
        raise InputError(
            f"case #{case.id} is still open: resolve it before recording a letter of thanks"
        )
    store.items.update(case.id, {"letter_quote": _text(quote) or None, "letter_at": now})
    _event(store, case, "letter", now, note=_text(quote) or None)
    return store.items.get(case.id)


@dataclass
class CaseView:
    """A case with its customer, its check-ins and how long it has been (or was) open."""

    case: Item
    customer: Customer
    check_ins: list[Item]
    age_days: int

    @property
    def state(self) -> str:
        return _state(self.case)

    @property
    def check_in(self) -> Item | None:
        return self.check_ins[-1] if self.check_ins else None

    def as_dict(self) -> dict:
        return dict(
            self.case.as_dict(),
            state=self.state,
            age_days=self.age_days,
            customer=self.customer.contact_dict(),
            check_ins=[item.as_dict() for item in self.check_ins],
        )


def list_cases(
    store: Store,
    now: dt.datetime,
    *,
    status: str = "open",
    category: str | None = None,
    customer: Customer | None = None,
) -> list[CaseView]:
    found = store.cases.list(
        status=None if status == "all" else status,
        category=clean_category(category),
        customer_id=customer.id if customer else None,
    )
    check_ins = store.cases.check_ins([item.id for item, _ in found])
    return [CaseView(item, who, check_ins[item.id], age_days(item, now)) for item, who in found]


def show_case(store: Store, case: Item, now: dt.datetime) -> tuple[CaseView, list[Event]]:
    view = CaseView(
        case,
        store.customers.get(case.customer_id),
        store.cases.check_ins([case.id])[case.id],
        age_days(case, now),
    )
    return view, store.events.for_item(case.id)


def categories(store: Store) -> list[tuple[str, int, int]]:
    """(category, cases, open), the most frequent first: the causes worth fixing."""
    return store.cases.categories()


def age_days(item: Item, now: dt.datetime) -> int:
    """Whole local days from opening to resolution, or to now while it is open."""
    if not item.created_at:
        return 0
    opened = dt.datetime.fromisoformat(item.created_at).astimezone(now.tzinfo).date()
    end = now
    if not item.is_open and item.resolved_at:
        end = dt.datetime.fromisoformat(item.resolved_at).astimezone(now.tzinfo)
    return max(0, (end.date() - opened).days)


def _state(case: Item) -> str:
    if case.status == "done":
        return "resolved"
    return case.status


def _required(text: str | None, message: str) -> str:
    cleaned = _text(text)
    if not cleaned:
        raise InputError(message)
    return cleaned


def _event(store: Store, item: Item, kind: str, now: dt.datetime, *, note: str | None) -> None:
    store.events.insert(
        {"customer_id": item.customer_id, "item_id": item.id, "type": kind, "note": note}, now
    )
