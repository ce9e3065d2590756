"""Recurring follow-ups: one open occurrence per series, the next made when it closes.

An occurrence is a plain follow-up carrying the rule (`rrule`), whether it repeats
from completion (`after_done`) and its series (`series_id`, the id of the first
occurrence). Only closing an occurrence (done, skipped or cancelled) creates the
next one; reading never does, so the agenda shows later occurrences computed, not
stored.

From the due date (the default), the next occurrence is the first one of the rule
(anchored on the series' first date) after the current due date that falls after
today: a weekly Monday call done late on Friday is next due on Monday, and missed
occurrences are not piled up as overdue copies. With `after_done` the rule is
restarted on the day the occurrence is done, at the same time of day.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from tickle.dates import When
from tickle.domain import recurrence
from tickle.domain.models import Item
from tickle.errors import InputError

if TYPE_CHECKING:
    from tickle.store import Store


def next_due(store: Store, item: Item, now: dt.datetime) -> When | None:
    """When the occurrence after `item` is due if it is closed at `now`; None once the
    rule has ended."""
    if not item.rrule or item.due is None:
        return None
    if item.after_done:
        restart = When(now.date(), item.due.time)
        return recurrence.next_occurrence(item.rrule, restart)
    start = store.series_start(item.series_id or item.id) or item.due
    return recurrence.next_occurrence(
        item.rrule, item.due, start=start, not_before=now.date() + dt.timedelta(days=1)
    )


def advance(store: Store, item: Item, now: dt.datetime) -> Item | None:
    """Create the next occurrence of a recurring follow-up that was just closed."""
    from tickle.domain.items import add_followup

    due = next_due(store, item, now)
    if due is None:
        return None
    return add_followup(
        store,
        store.customer(item.customer_id),
        due,
        now,
        title=item.title,
        channel=item.channel,
        rrule=item.rrule,
        after_done=item.after_done,
        series_id=item.series_id or item.id,
    )


def skip(
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
    store.update_item(item.id, {"status": "cancelled", "closed_at": now})
    store.insert_event(
        {
            "customer_id": item.customer_id,
            "item_id": item.id,
            "type": "skipped",
            "note": " ".join((reason or "").split()) or None,
            "old_due": item.due,
        },
        now,
    )
    return store.item(item.id), advance(store, item, now)


def projected(
    store: Store, item: Item, today: dt.date, last_day: dt.date, *, limit: int = 50
) -> list[When]:
    """Dates of the occurrences after the open `item` up to `last_day`, computed, never
    stored, as if `item` were done today. A series repeating from completion has no
    such dates: they depend on when it is done."""
    if not item.rrule or item.after_done or item.due is None or not item.is_open:
        return []
    start = store.series_start(item.series_id or item.id) or item.due
    return recurrence.occurrences_between(
        item.rrule,
        item.due,
        last_day,
        start=start,
        not_before=today + dt.timedelta(days=1),
        limit=limit,
    )
