"""The daily agenda: what is overdue, what is due today, what comes next."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from tickle import dates
from tickle.dates import When
from tickle.domain.models import Customer, Item
from tickle.errors import InputError

if TYPE_CHECKING:
    from tickle.store import Store

SECTIONS = ("overdue", "today", "upcoming")
OPEN_CASE = "open_case"  # cases have no due date: they show while open, with their age
DEFAULT_DAYS = 7


@dataclass
class AgendaRow:
    item: Item
    customer: Customer
    section: str
    days_overdue: int
    age_days: int | None = None
    projected: bool = False  # a later occurrence of a recurring follow-up, not stored
    switch_channel: bool = False  # tried max_attempts() times: time for another channel

    def as_dict(self) -> dict:
        return {
            "id": None if self.projected else self.item.id,
            "kind": self.item.kind,
            "section": self.section,
            "due": self.item.due.iso_with_offset() if self.item.due else None,
            "zone": self.item.tz,
            "title": self.item.title,
            "customer": self.customer.contact_dict(),
            "reach": self.customer.how_to_reach(self.item.channel),
            "status": self.item.status,
            "attempts": self.item.attempts,
            "days_overdue": self.days_overdue,
            "recurrence": self.item.rrule,
            "age_days": self.age_days,
            "projected": self.projected,
            "switch_channel": self.switch_channel,
        }


@dataclass
class Agenda:
    today: dt.date
    now: dt.datetime
    days: int
    rows: list[AgendaRow]
    hidden: int = 0

    @property
    def has_overdue(self) -> bool:
        return any(row.section == "overdue" for row in self.rows)


def agenda_clock(now: dt.datetime, on: When | None) -> dt.datetime:
    """The moment the agenda is seen from: now, or the start of the day asked for."""
    if on is None or on.day == now.date():
        return now
    moment = dt.datetime.combine(on.day, on.time or dt.time(0), tzinfo=dates.local_zone())
    return moment.astimezone(dates.local_zone())


def build_agenda(
    store: Store,
    now: dt.datetime,
    *,
    on: When | None = None,
    days: int = DEFAULT_DAYS,
    customer: Customer | None = None,
    customers: list[Customer] | None = None,
    limit: int | None = None,
) -> Agenda:
    """Open items due up to the end of the window, overdue ones first (oldest first).

    With `limit`, at most that many rows are read (one more, to know there are more,
    and then an index-only count of the rest)."""
    if days < 0:
        raise InputError("--days must be 0 or more")
    clock = agenda_clock(now, on)
    today = clock.date()
    end = When(today + dt.timedelta(days=days + 1))
    # The store compares wall times as kept: an item kept in another zone may be a day
    # off in that text, so a day more is read and the window is cut on our clock.
    stored_end = When(end.day + dt.timedelta(days=1)).iso()
    customer_id: int | list[int] | None = customer.id if customer else None
    if customers is not None:
        customer_id = [c.id for c in customers]
    fetched = store.items.open_due_before(
        stored_end, customer_id=customer_id, limit=None if limit is None else limit + 1
    )
    fetched = [(item, who) for item, who in fetched if item.due < end]
    hidden = 0
    if limit is not None and len(fetched) > limit:
        fetched = fetched[:limit]
        hidden = store.items.count_open_due_before(end.iso(), customer_id=customer_id) - limit
    rows = [_row(item, who, clock) for item, who in fetched]
    rows += _projected_rows(store, rows, today, today + dt.timedelta(days=days))
    _flag_channel_switch(rows)
    rows.sort(key=lambda row: (SECTIONS.index(row.section), row.item.due, row.projected))
    case_rows, hidden_cases = _open_case_rows(store, clock, customer_id, limit)
    rows, hidden = rows + case_rows, hidden + hidden_cases
    return Agenda(today=today, now=clock, days=days, rows=rows, hidden=hidden)


def _row(item: Item, customer: Customer, clock: dt.datetime) -> AgendaRow:
    due = item.due
    if dates.is_overdue(due, clock):
        section = "overdue"
    elif due.day == clock.date():
        section = "today"
    else:
        section = "upcoming"
    return AgendaRow(item, customer, section, dates.days_overdue(due, clock))


def _open_case_rows(
    store: Store, clock: dt.datetime, customer_id: int | list[int] | None, limit: int | None
) -> tuple[list[AgendaRow], int]:
    from tickle.domain.cases import age_days

    fetched = store.cases.open(customer_id=customer_id, limit=None if limit is None else limit + 1)
    hidden = 0
    if limit is not None and len(fetched) > limit:
        fetched = fetched[:limit]
        hidden = store.cases.count_open(customer_id=customer_id) - limit
    rows = [AgendaRow(item, who, OPEN_CASE, 0, age_days(item, clock)) for item, who in fetched]
    return rows, hidden


# -- recurring follow-ups and repeated attempts ------------------------------------

DEFAULT_MAX_ATTEMPTS = 5


def max_attempts() -> int:
    """Unanswered tries after which a follow-up is flagged to switch channel
    ($TICKLE_MAX_ATTEMPTS, else the followups.max_attempts setting, default 5)."""
    from tickle import settings

    return settings.get("followups.max_attempts")


def _flag_channel_switch(rows: list[AgendaRow]) -> None:
    limit = max_attempts()
    for row in rows:
        row.switch_channel = row.item.kind == "followup" and row.item.attempts >= limit


def _projected_rows(
    store: Store, rows: list[AgendaRow], today: dt.date, last_day: dt.date
) -> list[AgendaRow]:
    """Later occurrences of the recurring follow-ups shown, inside the window."""
    from dataclasses import replace

    from tickle.domain.series import projected

    found = []
    for row in rows:
        if not row.item.rrule:
            continue
        for due in projected(store, row.item, today, last_day):
            item = replace(row.item, due=due, attempts=0, outcome=None)
            found.append(AgendaRow(item, row.customer, "upcoming", 0, projected=True))
    return found
