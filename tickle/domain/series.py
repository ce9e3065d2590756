"""Recurring follow-ups: one open occurrence per series, the next made when it closes.

An occurrence is a plain follow-up carrying the rule (`rrule`), whether it repeats
from completion (`after_done`) and its series (`series_id`, the id of the first
occurrence). Only closing an occurrence (done, skipped or cancelled) creates the
next one; reading never does, so the agenda shows later occurrences computed, not
stored.

This module computes dates; closing an occurrence and making the next one is in
items.py, which owns the follow-ups.

From the due date (the default), the next occurrence is the first one of the rule
(anchored on the series' first date) after the current due date that falls after
today: a weekly Monday call done late on Friday is next due on Monday, and missed
occurrences are not piled up as overdue copies. With `after_done` the rule is
restarted on the day the occurrence is done, at the same time of day.

A `weekday` series skips the days that are not business days (public holidays, and the
days that are not work days, from the settings).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from tickle import dates
from tickle.dates import When
from tickle.domain import business_days, recurrence
from tickle.domain.business_days import is_workweek_rule
from tickle.domain.models import Item

if TYPE_CHECKING:
    from tickle.store import Store


def next_due(store: Store, item: Item, now: dt.datetime) -> When | None:
    """When the occurrence after `item` is due if it is closed at `now`; None once the
    rule has ended."""
    if not item.rrule or item.due is None:
        return None
    # The rule repeats the wall time of the zone the series was made in.
    due = kept(item.due, item)
    if item.after_done:
        restart = When(clock_of(item, now).date(), due.time)
        found = recurrence.next_occurrence(item.rrule, restart)
        start = restart
    else:
        start = kept(store.items.series_start(item.series_id or item.id) or item.due, item)
        not_before = clock_of(item, now).date() + dt.timedelta(days=1)
        found = recurrence.next_occurrence(item.rrule, due, start=start, not_before=not_before)
    if found is not None and is_workweek_rule(item.rrule):
        days = business_days.from_settings()
        while found is not None and not days.is_business_day(found.day):
            found = recurrence.next_occurrence(item.rrule, found, start=start)
    return None if found is None else dates.from_zone(found, item.tz)


def kept(when: When, item: Item) -> When:
    """A local When as the wall time of the item's own zone."""
    return dates.to_zone(when, item.tz)


def clock_of(item: Item, now: dt.datetime) -> dt.datetime:
    """Now, on the clock of the zone the item keeps its times in."""
    if not dates.is_foreign_zone(item.tz):
        return now
    assert item.tz is not None
    return now.astimezone(dates.zone_named(item.tz))


def projected(
    store: Store, item: Item, today: dt.date, last_day: dt.date, *, limit: int = 50
) -> list[When]:
    """Dates of the occurrences after the open `item` up to `last_day`, computed, never
    stored, as if `item` were done today. A series repeating from completion has no
    such dates: they depend on when it is done."""
    if not item.rrule or item.after_done or item.due is None or not item.is_open:
        return []
    start = kept(store.items.series_start(item.series_id or item.id) or item.due, item)
    found = recurrence.occurrences_between(
        item.rrule,
        kept(item.due, item),
        # a day more, for the dates of that zone that are still ours up to last_day
        last_day + dt.timedelta(days=1) if dates.is_foreign_zone(item.tz) else last_day,
        start=start,
        not_before=today + dt.timedelta(days=1),
        limit=limit,
    )
    if found and is_workweek_rule(item.rrule):
        days = business_days.from_settings()
        found = [when for when in found if days.is_business_day(when.day)]
    here = [dates.from_zone(when, item.tz) for when in found]
    return [when for when in here if today < when.day <= last_day]


@dataclass(frozen=True)
class SeriesDates:
    """What a calendar needs to know of an open occurrence's series: the anchor of its
    rule, the date the occurrence was made for, and the rule's dates a snooze or move
    passed over (from that date up to, not including, the new one)."""

    anchor: When
    made_for: When
    passed_over: tuple[When, ...] = ()
    earlier: int = 0  # how many of the rule's dates came before `made_for` (for COUNT)
    # a `weekday` series' dates in the coming year that are not business days (holidays)
    days_off: tuple[When, ...] = ()


# How far ahead a calendar is told of the holidays a `weekday` series passes over.
DAYS_OFF_AHEAD = dt.timedelta(days=366)


def series_dates(store: Store, item: Item) -> SeriesDates | None:
    if not item.rrule or item.after_done or item.due is None:
        return None
    anchor = kept(store.items.series_start(item.series_id or item.id) or item.due, item)
    made_for = kept(store.items.series_start(item.id) or item.due, item)
    due = kept(item.due, item)
    passed: list[When] = []
    if due > made_for:
        before = When(made_for.day - dt.timedelta(days=1), made_for.time)
        found = recurrence.occurrences_between(
            item.rrule, before, due.day, start=anchor, limit=1000
        )
        passed = [when for when in found if made_for <= when < due]
    earlier = 0
    if "COUNT=" in item.rrule and made_for > anchor:
        before = When(anchor.day - dt.timedelta(days=1), anchor.time)
        found = recurrence.occurrences_between(
            item.rrule, before, made_for.day, start=anchor, limit=100_000
        )
        earlier = sum(1 for when in found if when < made_for)
    off = _days_off(item.rrule, due, anchor)
    here = [dates.from_zone(when, item.tz) for when in (anchor, made_for, *passed, *off)]
    split = 2 + len(passed)
    return SeriesDates(here[0], here[1], tuple(here[2:split]), earlier, tuple(here[split:]))


def _days_off(rule: str, due: When, anchor: When) -> list[When]:
    """The dates of a `weekday` rule after `due`, for a year, that next_due passes over."""
    if not is_workweek_rule(rule):
        return []
    days = business_days.from_settings()
    if not days.country and days.work_days == business_days.MONDAY_TO_FRIDAY:
        return []
    found = recurrence.occurrences_between(
        rule, due, due.day + DAYS_OFF_AHEAD, start=anchor, limit=400
    )
    return [when for when in found if not days.is_business_day(when.day)]
