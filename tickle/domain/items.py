"""Agenda items: follow-ups and promises, and what happens to them.

A promise is a commitment on a date: it is kept (on time or late), moved with the
customer's agreement (the old date stays in history) or cancelled with a reason,
never silently dropped. A follow-up is a contact to make; an outcome that did not
reach the person keeps it open and counts the attempt.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from tickle import dates
from tickle.dates import When
from tickle.domain.models import CHANNELS, OUTCOME_CHANNELS, OUTCOMES, UNREACHED, Customer, Item
from tickle.errors import InputError, NotFound

if TYPE_CHECKING:
    from tickle.store import Store

DEFAULT_FOLLOWUP_TITLE = "follow up"
NEXT_PREFIX = "follow-up to: "
_LARGEST_ID = 2**63 - 1  # SQLite's: a larger number cannot name a row


def get_item(store: Store, item_id: int) -> Item:
    item = store.items.get(item_id) if 0 <= item_id <= _LARGEST_ID else None
    if item is None:
        raise NotFound(f"no item #{item_id}: 'tickle list --status all' shows them")
    return item


def get_open_item(store: Store, item_id: int) -> Item:
    item = get_item(store, item_id)
    if not item.is_open:
        raise InputError(f"#{item.id} is already {item.status}: nothing to change")
    return item


def check_outcome(outcome: str | None) -> None:
    if outcome is not None and outcome not in OUTCOMES:
        raise InputError(f"unknown outcome '{outcome}': use one of {', '.join(OUTCOMES)}")


def check_channel(channel: str | None) -> None:
    if channel is not None and channel not in CHANNELS:
        raise InputError(f"unknown channel '{channel}': use one of {', '.join(CHANNELS)}")


def _title(text: str | None) -> str:
    return " ".join((text or "").split())


def check_active(customer: Customer) -> None:
    """New items are for customers still followed: an archived one is restored first."""
    if customer.archived_at:
        raise InputError(
            f"#{customer.id} {customer.label} is archived: "
            f"'tickle customer restore {customer.id}' brings them back first"
        )


def contact_channel(outcome: str | None, channel: str | None) -> str | None:
    """The channel a contact happened on: the one its outcome implies (a voicemail is left
    by phone), else `channel`. A `channel` the outcome contradicts is refused."""
    implied = OUTCOME_CHANNELS.get(outcome or "")
    if implied and channel and channel != implied:
        raise InputError(
            f"'{outcome}' happens by {implied}, not by {channel}: "
            "drop --channel or give another outcome"
        )
    return implied or channel


def title_after(title: str) -> str:
    """The title of the follow-up scheduled after an item: "follow-up to: X", once."""
    while title.startswith(NEXT_PREFIX):
        title = title[len(NEXT_PREFIX) :]
    return NEXT_PREFIX + title


def check_contact_time(at: dt.datetime | None, now: dt.datetime) -> dt.datetime:
    """When a contact happened: `at` if given (never later than now), else now."""
    if at is None:
        return now
    if at > now:
        raise InputError("--at is later than now: a contact is logged once it happened")
    return at


def add_followup(
    store: Store,
    customer: Customer,
    due: When,
    now: dt.datetime,
    *,
    title: str | None = None,
    channel: str | None = None,
    parent_id: int | None = None,
    rrule: str | None = None,
    after_done: bool = False,
    series_id: int | None = None,
    zone: str | None = None,
) -> Item:
    """A follow-up; with `rrule` the first (or, with `series_id`, the next) occurrence
    of a recurring one (see tickle.domain.series). Its times are kept in `zone`, by
    default the local one: the zone it is made in."""
    check_channel(channel)
    if series_id is None:
        check_active(customer)
    fields = {
        "kind": "followup",
        "customer_id": customer.id,
        "title": _title(title) or DEFAULT_FOLLOWUP_TITLE,
        "due": due,
        "tz": zone or dates.local_zone_name(),
        "channel": channel,
        "parent_id": parent_id,
    }
    if rrule:
        fields.update(rrule=rrule, after_done=after_done, series_id=series_id)
    item = _create(store, fields, now)
    if rrule and series_id is None:
        store.items.update(item.id, {"series_id": item.id})
        item = store.items.get(item.id)
    return item


def add_promise(store: Store, customer: Customer, title: str, due: When, now: dt.datetime) -> Item:
    if not _title(title):
        raise InputError("say what was promised: tickle promise CUSTOMER WHAT --by WHEN")
    check_active(customer)
    fields = {
        "kind": "promise",
        "customer_id": customer.id,
        "title": _title(title),
        "due": due,
        "promised_due": due,
        "tz": dates.local_zone_name(),
    }
    return _create(store, fields, now)


def _create(store: Store, fields: dict, now: dt.datetime) -> Item:
    item_id = store.items.insert(fields, now)
    store.events.insert(
        {
            "customer_id": fields["customer_id"],
            "item_id": item_id,
            "type": "created",
            "new_due": fields["due"],
        },
        now,
    )
    return store.items.get(item_id)


@dataclass
class Completion:
    """What `done` did to an item."""

    item: Item
    closed: bool
    outcome: str | None
    moved_to: When | None = None
    next_item: Item | None = None
    days_late: int = 0
    next_occurrence: Item | None = None  # of a recurring follow-up


def complete(
    store: Store,
    item: Item,
    now: dt.datetime,
    *,
    outcome: str | None = None,
    note: str | None = None,
    next_when: When | None = None,
    next_title: str | None = None,
    at: dt.datetime | None = None,
) -> Completion:
    """Record a contact on an open item (made `at`, earlier, or now). An unreached
    outcome keeps a follow-up open, counts the attempt and moves it to `next_when`, else
    to the retry the settings give for that outcome (by default the next business day)."""
    check_outcome(outcome)
    if item.kind == "case":
        raise InputError(f"#{item.id} is a case: 'tickle case resolve {item.id} --resolution TEXT'")
    if not item.is_open:
        raise InputError(f"#{item.id} is already {item.status}: nothing to do")
    if next_when is not None:
        dates.refuse_past(next_when, now)
    happened = check_contact_time(at, now)
    customer = store.customers.get(item.customer_id)
    channel = OUTCOME_CHANNELS.get(outcome or "") or customer.preferred_channel(item.channel)
    attempts = item.attempts + (1 if outcome else 0)
    if item.kind == "followup" and outcome in UNREACHED:
        moved_to = next_when or next_attempt(outcome, item.due, now)
        store.items.update(item.id, {"attempts": attempts, "due": moved_to, "outcome": outcome})
        store.events.insert(
            {
                "customer_id": item.customer_id,
                "item_id": item.id,
                "type": "attempt",
                "outcome": outcome,
                "channel": channel,
                "note": note,
                "old_due": item.due,
                "new_due": moved_to,
            },
            happened,
        )
        return Completion(
            store.items.get(item.id), closed=False, outcome=outcome, moved_to=moved_to
        )

    days_late = dates.days_overdue(item.due, happened) if item.due else 0
    changes: dict = {
        "status": "done",
        "outcome": outcome,
        "attempts": attempts,
        "closed_at": happened,
    }
    if item.kind == "promise":
        on_time = item.due is None or happened.date() <= item.due.day
        changes["kept"] = "on_time" if on_time else "late"
    store.items.update(item.id, changes)
    store.events.insert(
        {
            "customer_id": item.customer_id,
            "item_id": item.id,
            "type": "kept" if item.kind == "promise" else "done",
            "outcome": outcome,
            "channel": channel if outcome else None,
            "note": note,
            "old_due": item.due,
        },
        happened,
    )
    next_item = None
    if next_when is not None:
        next_item = add_followup(
            store,
            customer,
            next_when,
            now,
            title=_title(next_title) or title_after(item.title),
            channel=item.channel,
            parent_id=item.id,
        )
    return Completion(
        store.items.get(item.id),
        closed=True,
        outcome=outcome,
        next_item=next_item,
        days_late=days_late,
        next_occurrence=advance_series(store, item, now),
    )


def next_attempt(outcome: str, due: When | None, now: dt.datetime) -> When:
    """When an unreached follow-up is tried again: the `retry.<outcome>` setting, a WHEN
    or the next business day after today (at the same time of day as before)."""
    from tickle import settings
    from tickle.domain import business_days
    from tickle.settings.keys import NEXT_BUSINESS_DAY

    retry = settings.get(f"retry.{outcome}")
    if retry == NEXT_BUSINESS_DAY:
        day = business_days.from_settings().next_after(now.date())
        return When(day, due.time if due else None)
    return dates.parse_when(retry, now, hours=settings.hours(), order=dates.date_order())


def snooze(
    store: Store,
    item: Item,
    when: When,
    now: dt.datetime,
    *,
    reason: str | None,
    keep_time: bool = True,
) -> Item:
    """Put a follow-up off; a WHEN without a time keeps the item's time of day unless
    `keep_time` is False (a synced device's due date is the whole new due)."""
    if item.kind == "promise":
        raise InputError(
            f"#{item.id} is a promise: renegotiate it with the customer, then "
            f"'tickle move {item.id} WHEN --reason TEXT'"
        )
    return _reschedule(store, item, when, now, "snoozed", reason, keep_time)


def move(
    store: Store, item: Item, when: When, now: dt.datetime, *, reason: str, keep_time: bool = True
) -> Item:
    if not _title(reason):
        raise InputError("say why it moves: --reason TEXT (it stays in the history)")
    return _reschedule(store, item, when, now, "moved", reason, keep_time)


def _reschedule(
    store: Store,
    item: Item,
    when: When,
    now: dt.datetime,
    event: str,
    reason: str | None,
    keep_time: bool = True,
) -> Item:
    if item.kind == "case":
        raise InputError(f"#{item.id} is a case: it stays on the agenda, undated, while open")
    if not item.is_open:
        raise InputError(f"#{item.id} is already {item.status}: nothing to move")
    if keep_time and when.time is None and item.due is not None and item.due.time is not None:
        # A 9:00 call put off to Monday is at 9:00; put off to today once 9:00 has
        # passed, it is due today, all day.
        timed = When(when.day, item.due.time)
        if when.day != now.date() or not dates.is_past(timed, now):
            when = timed
    if when == item.due:
        raise InputError(f"#{item.id} is already due {dates.format_when(when)}")
    dates.refuse_past(when, now)
    store.items.update(item.id, {"due": when})
    store.events.insert(
        {
            "customer_id": item.customer_id,
            "item_id": item.id,
            "type": event,
            "note": _title(reason) or None,
            "old_due": item.due,
            "new_due": when,
        },
        now,
    )
    return store.items.get(item.id)


def cancel(
    store: Store, item: Item, now: dt.datetime, *, reason: str | None, end_series: bool = False
) -> Item:
    """Cancel an item; a recurring follow-up's next occurrence is scheduled unless
    `end_series` ends the series."""
    if not item.is_open:
        raise InputError(f"#{item.id} is already {item.status}: nothing to cancel")
    if end_series and not item.rrule:
        raise InputError(f"#{item.id} does not repeat: there is no series to end")
    if item.kind == "promise" and not _title(reason):
        raise InputError(f"#{item.id} is a promise: say why it is cancelled with --reason TEXT")
    store.items.update(item.id, {"status": "cancelled", "closed_at": now})
    store.events.insert(
        {
            "customer_id": item.customer_id,
            "item_id": item.id,
            "type": "cancelled",
            "note": _title(reason) or None,
            "old_due": item.due,
        },
        now,
    )
    if not end_series:
        advance_series(store, item, now)
    return store.items.get(item.id)


@dataclass
class LoggedContact:
    customer: Customer
    outcome: str
    channel: str | None
    next_item: Item | None


def log_contact(
    store: Store,
    customer: Customer,
    now: dt.datetime,
    *,
    outcome: str,
    channel: str | None = None,
    note: str | None = None,
    next_when: When | None = None,
    next_title: str | None = None,
    at: dt.datetime | None = None,
) -> LoggedContact:
    """A contact that was not on the agenda, such as an inbound call (made `at`, earlier,
    or now)."""
    check_outcome(outcome)
    check_channel(channel)
    happened = check_contact_time(at, now)
    channel = contact_channel(outcome, channel) or customer.preferred_channel()
    if next_when is not None:
        dates.refuse_past(next_when, now)
        check_active(customer)
    store.events.insert(
        {
            "customer_id": customer.id,
            "type": "contact",
            "outcome": outcome,
            "channel": channel,
            "note": _title(note) or None,
        },
        happened,
    )
    next_item = None
    if next_when is not None:
        title = _title(next_title) or (
            title_after(_title(note)) if _title(note) else f"follow up after {outcome}"
        )
        next_item = add_followup(store, customer, next_when, now, title=title, channel=channel)
    return LoggedContact(customer, outcome, channel, next_item)


def list_items(
    store: Store,
    *,
    kind: str | None = None,
    customer: Customer | None = None,
    customers: list[Customer] | None = None,
    status: str = "open",
) -> list[tuple[Item, Customer]]:
    """Items, of one customer or of several (everyone at a company)."""
    return store.items.list(
        kind=kind,
        customer_id=[c.id for c in customers]
        if customers is not None
        else (customer.id if customer else None),
        status=None if status == "all" else status,
    )


def advance_series(store: Store, item: Item, now: dt.datetime) -> Item | None:
    """Create the next occurrence of a recurring follow-up that was just closed."""
    from tickle.domain.series import next_due

    due = next_due(store, item, now)
    if due is None:
        return None
    return add_followup(
        store,
        store.customers.get(item.customer_id),
        due,
        now,
        title=item.title,
        channel=item.channel,
        rrule=item.rrule,
        after_done=item.after_done,
        series_id=item.series_id or item.id,
        zone=item.tz,  # a series keeps the zone it was made in
    )


def skip_occurrence(
    store: Store, item: Item, now: dt.datetime, *, reason: str | None = None
) -> tuple[Item, Item | None]:
    """Pass over this occurrence (no contact made): it is closed and the next one made."""
    if not item.rrule:
        raise InputError(
            f"#{item.id} does not repeat: 'tickle snooze {item.id} WHEN' puts it off, "
            f"'tickle cancel {item.id}' drops it"
        )
    if not item.is_open:
        raise InputError(f"#{item.id} is already {item.status}: nothing to skip")
    store.items.update(item.id, {"status": "cancelled", "closed_at": now})
    store.events.insert(
        {
            "customer_id": item.customer_id,
            "item_id": item.id,
            "type": "skipped",
            "note": " ".join((reason or "").split()) or None,
            "old_due": item.due,
        },
        now,
    )
    return store.items.get(item.id), advance_series(store, item, now)


@dataclass
class ItemView:
    """One item with who it is for and its own history."""

    item: Item
    customer: Customer
    history: list

    def as_dict(self) -> dict:
        return dict(
            self.item.as_dict(),
            customer=self.customer.contact_dict(),
            reach=self.customer.how_to_reach(self.item.channel),
            history=[event.as_dict() for event in self.history],
        )


def show_item(store: Store, item_id: int) -> ItemView:
    item = get_item(store, item_id)
    return ItemView(item, store.customers.get(item.customer_id), store.events.for_item(item.id))


def edit_item(
    store: Store,
    item: Item,
    now: dt.datetime,
    *,
    title: str | None = None,
    channel: str | None = None,
    note: str | None = None,
) -> Item:
    """Retitle an item, change its channel, or add a note to its history. Its date is not
    edited here: it changes by snooze or move, so that a promise stays honest."""
    if title is None and channel is None and note is None:
        raise InputError("nothing to change: give --title, --channel or --note")
    changes: dict = {}
    if title is not None:
        if not _title(title):
            raise InputError("a title cannot be empty")
        if _title(title) != item.title:
            changes["title"] = _title(title)
    if channel is not None:
        check_channel(channel or None)
        if (channel or None) != item.channel:
            changes["channel"] = channel or None
    if changes:
        store.items.update(item.id, changes)
        said = [f"title was: {item.title}"] if "title" in changes else []
        if "channel" in changes:
            said.append(f"channel was: {item.channel or 'the customer’s'}")
        store.events.insert(
            {
                "customer_id": item.customer_id,
                "item_id": item.id,
                "type": "edited",
                "note": "; ".join(said),
            },
            now,
        )
    if note is not None:
        if not _title(note):
            raise InputError("a note cannot be empty")
        store.events.insert(
            {"customer_id": item.customer_id, "item_id": item.id, "type": "note", "note": note},
            now,
        )
    if not changes and note is None:
        raise InputError(f"#{item.id} already has that title and channel: nothing to change")
    return store.items.get(item.id)
