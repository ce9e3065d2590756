"""Open items as an iCalendar file: one VTODO each, that calendar programs accept.

The icalendar library does the escaping, the 75-octet line folding and the CRLF line
endings. UIDs are stable (`item-12@tickle`) so that a calendar re-importing the file
updates its to-dos instead of duplicating them. An all-day item is DUE as a DATE; a
timed one as its local wall time with a TZID (and the VTIMEZONE that defines it).

A recurring follow-up is its series (RFC 5545 3.8.5): RRULE is the series' rule, with
UNTIL in UTC when DTSTART has a zone (3.3.10); DTSTART is the date of the series the
open occurrence was made for (the rule anchored where the series started, so a snooze
never moves it), DUE the open occurrence. The occurrences before it are done: starting
the rule at the first one would put them back on a calendar as open to-dos (a COUNT is
lowered by as many). An occurrence snoozed or moved later than its date is an
exception, not a new rule: the rule's dates it passes over are EXDATEs and its own
date, if the rule does not give it, an RDATE. Expanded, the to-do falls on the dates
`tickle agenda` shows. A series repeating from completion (`--after-done`) has no dates
to give in advance: it is exported as its one open occurrence, without RRULE.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from tickle import __version__, dates
from tickle.dates import When
from tickle.domain.models import Customer, Item
from tickle.domain.series import SeriesDates

PRODID = f"-//tickle//tickle {__version__}//EN"


def uid(item: Item) -> str:
    return f"item-{item.id}@tickle"


def calendar(
    rows: Sequence[tuple[Item, Customer]],
    now: dt.datetime,
    series: Mapping[int, SeriesDates] | None = None,
) -> bytes:
    from icalendar import Calendar, Todo

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
        if item.rrule and not item.after_done and item.due is not None:
            # Without what the store knows of the series, the occurrence is its anchor.
            found = (series or {}).get(item.id) or SeriesDates(item.due, item.due)
            _add_series(todo, item, found)
        cal.add_component(todo)
    cal.add_missing_timezones()
    return cal.to_ical()


def _summary(item: Item, customer: Customer) -> str:
    if item.kind == "promise":
        return f"Promise to {customer.label}: {item.title}"
    if item.kind == "case":
        return f"Case for {customer.label}: {item.title}"
    return f"Follow up with {customer.label}: {item.title}"


def _add_series(todo, item: Item, found: SeriesDates) -> None:
    from icalendar import vRecur

    start = _moment(found.made_for, item.tz)
    todo.add("dtstart", start)
    rule = vRecur.from_ical(item.rrule.removeprefix("RRULE:"))
    if "UNTIL" in rule:
        rule["UNTIL"] = [_until(rule["UNTIL"][0], start)]
    if "COUNT" in rule and found.earlier:
        rule["COUNT"] = [max(1, int(rule["COUNT"][0]) - found.earlier)]
    todo.add("rrule", rule)
    skipped = (*found.passed_over, *found.days_off)
    if skipped:
        todo.add("exdate", [_moment(when, item.tz) for when in skipped])
    if item.due != found.made_for and not _on_rule(item, found):
        todo.add("rdate", [_moment(item.due, item.tz)])


def _on_rule(item: Item, found: SeriesDates) -> bool:
    from tickle.domain.recurrence import next_occurrence
    from tickle.domain.series import kept

    assert item.due is not None and item.rrule
    due = kept(item.due, item)
    before = When(due.day - dt.timedelta(days=1), due.time)
    return next_occurrence(item.rrule, before, start=kept(found.anchor, item)) == due


def _until(until: dt.date | dt.datetime, start: dt.date | dt.datetime) -> dt.date | dt.datetime:
    """UNTIL in the value type of DTSTART, in UTC when DTSTART has a zone."""
    if not isinstance(start, dt.datetime):
        return until.date() if isinstance(until, dt.datetime) else until
    if not isinstance(until, dt.datetime):
        until = dt.datetime.combine(until, dt.time(23, 59, 59))
    if until.tzinfo is None:
        until = until.replace(tzinfo=start.tzinfo)
    return until.astimezone(dt.UTC)


def _due(item: Item) -> dt.date | dt.datetime:
    assert item.due is not None
    return _moment(item.due, item.tz)


def _moment(when: When, tz: str | None) -> dt.date | dt.datetime:
    if when.time is None:
        return when.day
    try:
        zone = ZoneInfo(tz) if tz and tz != "UTC" else None
    except (ZoneInfoNotFoundError, ValueError):
        zone = None
    local = dt.datetime.combine(when.day, when.time, tzinfo=dates.local_zone())
    if zone is None:
        if isinstance(dates.local_zone(), ZoneInfo):
            return local
        return local.astimezone(dt.UTC)
    # the item's zone: its rule repeats that zone's wall time
    return local.astimezone(zone)
