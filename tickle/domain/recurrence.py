"""Repeat rules for recurring follow-ups: `--every` words, RFC 5545 RRULEs, and dates.

`--every` words are translated into an RRULE, so that one engine (dateutil's) serves
both. Rules are expanded in naive local wall time: a weekly call at 9am stays at 9am
across daylight-saving changes, because the wall time, not an instant, repeats.
Monthly rules follow RFC 5545: a month without the day asked for is skipped.

Only the standard library is imported at module level; dateutil.rrule is imported by
the functions that expand a rule.
"""

from __future__ import annotations

import datetime as dt
import re
from itertools import islice

from tickle.dates import When
from tickle.errors import InputError

EVERY_FORMS = "day, weekday, week, 2 weeks, month, 3 months, year, monday,thursday"
FREQUENCIES = {"DAILY": "day", "WEEKLY": "week", "MONTHLY": "month", "YEARLY": "year"}
UNIT_FREQ = {unit: freq for freq, unit in FREQUENCIES.items()}
MAX_INTERVAL = 1000

_DAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_WEEKDAY_WORDS = {
    "mon": "MO", "monday": "MO", "mondays": "MO",
    "tue": "TU", "tues": "TU", "tuesday": "TU", "tuesdays": "TU",
    "wed": "WE", "weds": "WE", "wednesday": "WE", "wednesdays": "WE",
    "thu": "TH", "thur": "TH", "thurs": "TH", "thursday": "TH", "thursdays": "TH",
    "fri": "FR", "friday": "FR", "fridays": "FR",
    "sat": "SA", "saturday": "SA", "saturdays": "SA",
    "sun": "SU", "sunday": "SU", "sundays": "SU",
}  # fmt: skip
_UNIT_WORDS = {
    "day": "day", "days": "day", "daily": "day",
    "week": "week", "weeks": "week", "weekly": "week",
    "month": "month", "months": "month", "monthly": "month",
    "year": "year", "years": "year", "yearly": "year", "annually": "year",
}  # fmt: skip
_WORKWEEK = "MO,TU,WE,TH,FR"
_EVERY_RE = r"(?:(?P<n>[0-9]+) ?)?(?P<unit>[a-z]+)(?: on (?P<days>.+))?\Z"
# Parts we describe in words; a rule with any other part is shown as the rule itself.
_DESCRIBED = {"FREQ", "INTERVAL", "BYDAY", "BYMONTHDAY", "COUNT", "UNTIL"}
_RRULE_PARTS = {
    "FREQ", "UNTIL", "COUNT", "INTERVAL", "BYSECOND", "BYMINUTE", "BYHOUR", "BYDAY",
    "BYMONTHDAY", "BYYEARDAY", "BYWEEKNO", "BYMONTH", "BYSETPOS", "WKST",
}  # fmt: skip


def _bad_every(text: str, why: str = "") -> InputError:
    reason = f" ({why})" if why else ""
    return InputError(
        f"not a repeat rule: {text!r}{reason}. Try --every with: {EVERY_FORMS}; "
        "or --rrule with an RFC 5545 rule such as FREQ=MONTHLY;BYMONTHDAY=1"
    )


def _weekday_codes(text: str, original: str) -> list[str]:
    words = [w for w in re.split(r"\s*(?:,|\band\b|&)\s*", text) if w]
    if not words:
        raise _bad_every(original)
    codes = set()
    for word in words:
        if word not in _WEEKDAY_WORDS:
            raise _bad_every(original, f"{word!r} is not a day of the week")
        codes.add(_WEEKDAY_WORDS[word])
    return [code for code in _DAY_CODES if code in codes]


def parse_every(text: str) -> str:
    """`--every` words as a canonical RRULE: `2 weeks` -> `FREQ=WEEKLY;INTERVAL=2`."""
    words = " ".join(text.lower().replace(",", " , ").split()).replace(" ,", ",")
    words = words.removeprefix("every ").strip()
    if not words:
        raise _bad_every(text)
    if words in ("weekday", "weekdays", "business day", "business days", "workday", "workdays"):
        return f"FREQ=WEEKLY;BYDAY={_WORKWEEK}"
    if all(w in _WEEKDAY_WORDS for w in re.split(r"\s*(?:,|\band\b|&)\s*", words) if w):
        return f"FREQ=WEEKLY;BYDAY={','.join(_weekday_codes(words, text))}"
    m = re.match(_EVERY_RE, words)
    if m is None or m.group("unit") not in _UNIT_WORDS:
        raise _bad_every(text)
    unit = _UNIT_WORDS[m.group("unit")]
    interval = int(m.group("n")) if m.group("n") is not None else 1
    if not 1 <= interval <= MAX_INTERVAL:
        raise _bad_every(text, f"the number must be 1 to {MAX_INTERVAL}")
    parts = [f"FREQ={UNIT_FREQ[unit]}"]
    if interval != 1:
        parts.append(f"INTERVAL={interval}")
    if m.group("days") is not None:
        if unit != "week":
            raise _bad_every(text, "'on' names days of the week: every 2 weeks on monday")
        parts.append(f"BYDAY={','.join(_weekday_codes(m.group('days'), text))}")
    return ";".join(parts)


def _parts(rule: str) -> dict[str, str]:
    parts: dict[str, str] = {}
    for chunk in rule.split(";"):
        key, sep, value = chunk.partition("=")
        if not sep or not key or not value:
            raise _bad_rrule(rule, f"{chunk!r} is not NAME=VALUE")
        if key in parts:
            raise _bad_rrule(rule, f"{key} is given twice")
        parts[key] = value
    return parts


def _bad_rrule(rule: str, why: str) -> InputError:
    return InputError(
        f"not a valid RRULE: {rule!r} ({why}). Example: FREQ=WEEKLY;INTERVAL=2;BYDAY=MO"
    )


def validate_rrule(text: str, start: When | None = None, *, after_done: bool = False) -> str:
    """An RFC 5545 RRULE checked and tidied (upper case, no `RRULE:` prefix), or an
    InputError. With `start` (the first due date) it must give a date after it."""
    rule = "".join(text.split()).upper().removeprefix("RRULE:")
    if not rule:
        raise _bad_rrule(text, "it is empty")
    parts = _parts(rule)
    unknown = sorted(set(parts) - _RRULE_PARTS)
    if unknown:
        raise _bad_rrule(rule, f"unknown part {unknown[0]}")
    freq = parts.get("FREQ")
    if freq is None:
        raise _bad_rrule(rule, "FREQ is required")
    if freq not in FREQUENCIES:
        hint = ": a follow-up repeats at most daily" if freq.endswith("LY") else ""
        raise _bad_rrule(rule, f"FREQ must be DAILY, WEEKLY, MONTHLY or YEARLY{hint}")
    for key in ("INTERVAL", "COUNT"):
        if key in parts and not (parts[key].isdigit() and 1 <= int(parts[key]) <= 10_000):
            raise _bad_rrule(rule, f"{key} must be a whole number of 1 or more")
    if "COUNT" in parts and "UNTIL" in parts:
        raise _bad_rrule(rule, "use COUNT or UNTIL, not both")
    if parts.get("UNTIL", "").endswith("Z"):
        raise _bad_rrule(rule, "UNTIL is local time here: write it without Z, e.g. 20271231")
    if after_done and "COUNT" in parts:
        raise _bad_rrule(rule, "COUNT cannot be counted from when items are done: use UNTIL")
    anchor = start or When(dt.date(2026, 1, 1))
    try:
        expanded = _expand(rule, anchor)
        first = next(iter(expanded.xafter(_naive(anchor), count=1, inc=False)), None)
    except (ValueError, TypeError, OverflowError) as error:
        raise _bad_rrule(rule, str(error)) from None
    if start is not None and first is None:
        raise _bad_rrule(rule, f"it gives no date after {start.iso()}")
    return rule


def _naive(when: When) -> dt.datetime:
    return dt.datetime.combine(when.day, when.time or dt.time(0))


def _expand(rule: str, start: When):
    from dateutil.rrule import rrulestr

    return rrulestr(rule, dtstart=_naive(start))


def _as_when(moment: dt.datetime, start: When) -> When:
    return When(moment.date(), moment.time() if start.time is not None else None)


def _first_after(after: When, not_before: dt.date | None) -> dt.datetime:
    threshold = _naive(after)
    if not_before is not None:
        # Just before midnight of `not_before`, so that an occurrence at 00:00 counts.
        threshold = max(threshold, dt.datetime.combine(not_before, dt.time(0)) - _TICK)
    return threshold


_TICK = dt.timedelta(microseconds=1)


def next_occurrence(
    rrule: str, after: When, *, start: When | None = None, not_before: dt.date | None = None
) -> When | None:
    """The first occurrence strictly after `after` (and on or after `not_before`) of the
    rule started at `start` (default: `after`); None once the rule has ended."""
    start = start or after
    found = next(
        iter(_expand(rrule, start).xafter(_first_after(after, not_before), count=1, inc=False)),
        None,
    )
    return _as_when(found, start) if found is not None else None


def occurrences_between(
    rrule: str,
    after: When,
    last_day: dt.date,
    *,
    start: When | None = None,
    not_before: dt.date | None = None,
    limit: int = 100,
) -> list[When]:
    """Occurrences strictly after `after`, on or after `not_before`, up to `last_day`
    included; at most `limit` of them."""
    start = start or after
    found = []
    moments = _expand(rrule, start).xafter(_first_after(after, not_before), inc=False)
    for moment in islice(moments, limit):
        if moment.date() > last_day:
            break
        found.append(_as_when(moment, start))
    return found


def _ordinal(n: int) -> str:
    if n < 0:
        return "last day" if n == -1 else f"{_ordinal(-n)} last day"
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _join(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def describe_rule(rrule: str, *, start: When | None = None, after_done: bool = False) -> str:
    """The rule in words: "every 2 weeks on Monday", "every weekday", "every month on
    the 31st". `start` (a due date) names the day a plain weekly or monthly rule keeps."""
    try:
        parts = _parts(rrule)
    except InputError:
        return f"by the rule {rrule}"
    freq = parts.get("FREQ")
    byday = parts.get("BYDAY", "")
    days = byday.split(",") if byday else []
    if (
        set(parts) - _DESCRIBED
        or freq not in FREQUENCIES
        or not parts.get("INTERVAL", "1").isdigit()
        or any(code not in _DAY_CODES for code in days)
        or (days and freq != "WEEKLY")
    ):
        return f"by the rule {rrule}"
    unit = FREQUENCIES[freq]
    interval = int(parts.get("INTERVAL", "1"))
    if freq == "WEEKLY" and byday == _WORKWEEK and interval == 1:
        text = "every weekday"
    else:
        text = f"every {unit}" if interval == 1 else f"every {interval} {unit}s"
        if days:
            text += " on " + _join([_DAY_NAMES[_DAY_CODES.index(code)] for code in days])
        elif "BYMONTHDAY" in parts and freq == "MONTHLY":
            try:
                numbers = [int(n) for n in parts["BYMONTHDAY"].split(",")]
            except ValueError:
                return f"by the rule {rrule}"
            text += " on the " + _join([_ordinal(n) for n in numbers])
        elif start is not None and not after_done and "BYMONTHDAY" not in parts:
            if freq == "WEEKLY":
                text += f" on {_DAY_NAMES[start.day.weekday()]}"
            elif freq == "MONTHLY":
                text += f" on the {_ordinal(start.day.day)}"
    if "COUNT" in parts:
        text += f", {parts['COUNT']} times"
    if "UNTIL" in parts:
        until = parts["UNTIL"][:8]
        text += f", until {until[:4]}-{until[4:6]}-{until[6:8]}"
    if after_done:
        text += ", from when done"
    return text


def rule_from_options(
    every: str | None, rrule: str | None, *, after_done: bool, start: When
) -> str | None:
    """The RRULE that `--every` or `--rrule` asks for (None for neither), checked
    against the first due date `start`."""
    if every is not None and rrule is not None:
        raise InputError("use --every or --rrule, not both")
    if every is None and rrule is None:
        if after_done:
            raise InputError("--after-done needs a rule: add --every or --rrule")
        return None
    rule = parse_every(every) if every is not None else rrule
    return validate_rrule(rule, start, after_done=after_done)
