"""Open items as an iCalendar file: one VTODO each, that calendar programs accept.

The icalendar library does the escaping, the 75-octet line folding and the CRLF line
endings. UIDs are stable (`item-12@tickle`) so that a calendar re-importing the file
updates its to-dos instead of duplicating them. An all-day item is DUE as a DATE; a
timed one as its local wall time with a TZID (and the VTIMEZONE that defines it).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from tickle import __version__, dates
from tickle.domain.models import Customer, Item

PRODID = f"-//tickle//tickle {__version__}//EN"


def uid(item: Item) -> str:
    return f"item-{item.id}@tickle"


def calendar(rows: Sequence[tuple[Item, Customer]], now: dt.datetime) -> bytes:
    from icalendar import Calendar, Todo, vRecur

    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    stamp = now.astimezone(dt.UTC).replace(microsecond=0)
    for item, customer in rows:
        todo = Todo()
        todo.add("uid", uid(item))
        todo.add("dtstamp", stamp)
        todo.add("summary", _summary(item, customer))
        todo.add("description", f"{customer.label}: {customer.how_to_reach(item.channel)}")
        todo.add("status", "NEEDS-ACTION")
        todo.add("categories", [item.kind_label])
        if item.due is not None:
            todo.add("due", _due(item))
        if item.rrule:
            todo.add("rrule", vRecur.from_ical(item.rrule.removeprefix("RRULE:")))
        cal.add_component(todo)
    cal.add_missing_timezones()
    return cal.to_ical()


def _summary(item: Item, customer: Customer) -> str:
    if item.kind == "promise":
        return f"Promise to {customer.label}: {item.title}"
    if item.kind == "case":
        return f"Case for {customer.label}: {item.title}"
    return f"Follow up with {customer.label}: {item.title}"


def _due(item: Item) -> dt.date | dt.datetime:
    assert item.due is not None
    if item.due.time is None:
        return item.due.day
    try:
        zone = ZoneInfo(item.tz) if item.tz and item.tz != "UTC" else None
    except (ZoneInfoNotFoundError, ValueError):
        zone = None
    if zone is None:
        local = dt.datetime.combine(item.due.day, item.due.time, tzinfo=dates.local_zone())
        if isinstance(dates.local_zone(), ZoneInfo):
            return local
        return local.astimezone(dt.UTC)
    return dt.datetime.combine(item.due.day, item.due.time, tzinfo=zone)
