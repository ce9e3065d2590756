"""The customer's clock: a WHEN read in their time zone, and a timed item shown in both.

A follow-up keeps the wall time of the zone it was made in; one made with
`--their-time` is read on their clock and kept in their zone, so that a series repeats
their wall time. A customer's zone is the one given (`--tz`), else the one their
phone number belongs to (inferred when the number has exactly one).
"""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

from tickle import dates
from tickle.dates import When
from tickle.domain.models import Customer
from tickle.errors import InputError

NIGHT_STARTS = dt.time(21)
NIGHT_ENDS = dt.time(8)
# The hours a best time in words stands for (`mornings`, `afternoon`, `evenings`).
BEST_HOURS = {
    "morning": (dt.time(8), dt.time(12)),
    "afternoon": (dt.time(12), dt.time(17)),
    "evening": (dt.time(17), dt.time(21)),
}


def zone_of(customer: Customer) -> ZoneInfo | None:
    if not customer.tz:
        return None
    try:
        return ZoneInfo(customer.tz)
    except (KeyError, ValueError):
        return None


def their_now(now: dt.datetime, customer: Customer) -> dt.datetime:
    """What their clock says now, as a naive wall time (the WHEN grammar reads a naive
    moment as the clock to count from)."""
    zone = zone_of(customer)
    if zone is None:
        raise InputError(
            f"#{customer.id} {customer.label} has no time zone: "
            f"'tickle customer edit {customer.id} --tz ZONE' first (e.g. Europe/Paris)"
        )
    return now.astimezone(zone).replace(tzinfo=None)


def from_their_clock(when: When, customer: Customer) -> When:
    """A WHEN they meant on their clock, as our local wall time (the same moment)."""
    if when.time is None:
        return when
    zone = zone_of(customer)
    assert zone is not None
    moment = dt.datetime.combine(when.day, when.time, tzinfo=zone).astimezone(dates.local_zone())
    return When(moment.date(), moment.time())


def their_moment(due: When | None, customer: Customer) -> dt.datetime | None:
    """A timed item's moment on their clock; None when untimed or their zone is unknown."""
    zone = zone_of(customer)
    moment = due.local_datetime() if due is not None else None
    if zone is None or moment is None:
        return None
    return moment.astimezone(zone)


def their_time_text(due: When | None, customer: Customer) -> str | None:
    """`15:00 for Ana` when their clock reads otherwise than ours at that moment (their
    day too when it is another one: `Tue 01:00 for Kenji`); None when it reads the same."""
    theirs = their_moment(due, customer)
    if theirs is None:
        return None
    ours = due.local_datetime()
    if theirs.replace(tzinfo=None) == ours.replace(tzinfo=None):
        return None
    first_name = customer.name.split()[0]
    clock = f"{theirs:%H:%M}"
    if theirs.date() != ours.date():
        clock = f"{theirs:%a} {clock}"
    return f"{clock} for {first_name}"


def both_clocks(due: When | None, customer: Customer, ours: str, zone: str | None = None) -> str:
    """`10:00 · 15:00 for Ana`: our text for the due time, with theirs when it differs;
    else, for an item made in another zone than ours, that zone's (`06:00 · 11:00 London`)."""
    theirs = their_time_text(due, customer) or kept_time_text(due, zone)
    return f"{ours} · {theirs}" if theirs else ours


def kept_time_text(due: When | None, zone: str | None) -> str | None:
    """`11:00 London`: a timed item's time in the zone it was made in, when not ours."""
    if due is None or due.time is None or not dates.is_foreign_zone(zone):
        return None
    assert zone is not None
    kept = dates.to_zone(due, zone)
    if kept.time == due.time and kept.day == due.day:
        return None
    clock = f"{kept.time:%H:%M}"
    if kept.day != due.day:
        clock = f"{kept.day:%a} {clock}"
    return f"{clock} {zone.rsplit('/', 1)[-1].replace('_', ' ')}"


def reach_warning(due: When | None, customer: Customer) -> str | None:
    """`their night` or `outside their best time (mornings)`, for a timed item."""
    theirs = their_moment(due, customer)
    if theirs is None:
        if due is None or due.time is None or not customer.best_time:
            return None
        theirs = due.local_datetime()  # no zone known: their best time on our clock
    clock = theirs.time()
    if zone_of(customer) is not None and (clock >= NIGHT_STARTS or clock < NIGHT_ENDS):
        return "their night"
    window = _best_window(customer.best_time)
    if window is not None and not window[0] <= clock < window[1]:
        return f"outside their best time ({customer.best_time})"
    return None


def _best_window(best_time: str | None) -> tuple[dt.time, dt.time] | None:
    if not best_time:
        return None
    words = set(re.findall(r"[a-z]+", best_time.lower()))
    found = [hours for word, hours in BEST_HOURS.items() if word in words or f"{word}s" in words]
    if len(found) != 1:
        return None
    return found[0]
