"""When things are due: the WHEN grammar, its canonical text, and the local clock.

Everything here is relative to an injectable ``now`` so that tests (and the
``TICKLE_NOW`` environment variable) can pin the clock.  The grammar is a small,
strict, hand-written one: text that is not clearly a date is refused with a
:class:`~tickle.errors.DateError`, never guessed at.

A :class:`When` is a local calendar day, optionally with a local wall time.  It
is stored as ISO text without an offset (``2026-12-01`` or
``2026-12-01T09:15:00``) so that plain string order is chronological order.

Only the standard library is imported at module level: this module is on the
path of every command.  ``dateutil`` is imported lazily, for month arithmetic.
"""

from __future__ import annotations

import datetime as _dt
import os
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from tickle.errors import DateError

__all__ = [
    "ACCEPTED_FORMS",
    "HOURS",
    "DateOrder",
    "Hours",
    "When",
    "date_order",
    "date_orders",
    "days_overdue",
    "describe",
    "format_when",
    "is_overdue",
    "is_past",
    "local_zone",
    "local_zone_name",
    "looks_like_time",
    "next_business_day",
    "now",
    "parse_leading_when",
    "parse_when",
    "refuse_past",
]

ACCEPTED_FORMS = (
    "today, tomorrow, fri, next fri, in 3 days, 2w, eom, 2026-12-01, dec 5, 14/3; "
    "add a time: tomorrow 10am, fri 14:30, fri 10, wed 14h, monday morning, eod"
)

MIN_YEAR = 1900
MAX_YEAR = 2999
_PLAIN_DATE = re.compile(r"\s*(\d{4})-(\d\d)-(\d\d)\s*", re.ASCII)

_WEEKDAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_WEEKDAY_FULL = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTH_NAMES = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_MONTH_FULL = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip

_WEEKDAYS = {
    "mon": 0, "monday": 0,
    "tue": 1, "tues": 1, "tuesday": 1,
    "wed": 2, "weds": 2, "wednesday": 2,
    "thu": 3, "thur": 3, "thurs": 3, "thursday": 3,
    "fri": 4, "friday": 4,
    "sat": 5, "saturday": 5,
    "sun": 6, "sunday": 6,
}  # fmt: skip

_MONTHS = {
    "jan": 1, "january": 1,
    "feb": 2, "february": 2,
    "mar": 3, "march": 3,
    "apr": 4, "april": 4,
    "may": 5,
    "jun": 6, "june": 6,
    "jul": 7, "july": 7,
    "aug": 8, "august": 8,
    "sep": 9, "sept": 9, "september": 9,
    "oct": 10, "october": 10,
    "nov": 11, "november": 11,
    "dec": 12, "december": 12,
}  # fmt: skip

_DAYS_IN_MONTH = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _is_leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def _month_length(year: int, month: int) -> int:
    if month == 2 and _is_leap(year):
        return 29
    return _DAYS_IN_MONTH[month - 1]


# --------------------------------------------------------------------------
# The value


@dataclass(frozen=True)
class When:
    """A local calendar day, optionally at a local wall time (second precision).

    ``time`` is ``None`` for an all-day item.  Ordering is chronological, with
    an all-day item sorting before the timed items of the same day.
    """

    day: _dt.date
    time: _dt.time | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.day, _dt.date) or isinstance(self.day, _dt.datetime):
            raise TypeError(f"When.day must be a datetime.date, not {type(self.day).__name__}")
        if self.time is not None:
            if not isinstance(self.time, _dt.time):
                raise TypeError(
                    f"When.time must be a datetime.time or None, not {type(self.time).__name__}"
                )
            if self.time.tzinfo is not None:
                raise ValueError("When.time is a local wall time: it must not carry a tzinfo")
            if self.time.microsecond or self.time.fold:
                # Second precision; an ambiguous wall time always means its first occurrence.
                object.__setattr__(self, "time", self.time.replace(microsecond=0, fold=0))

    # Ordering is written out because a generated one would compare None with a time.
    def _sort_key(self) -> tuple[_dt.date, int, _dt.time]:
        if self.time is None:
            return (self.day, 0, _dt.time.min)
        return (self.day, 1, self.time)

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, When):
            return NotImplemented
        return self._sort_key() < other._sort_key()

    def __le__(self, other: object) -> bool:
        if not isinstance(other, When):
            return NotImplemented
        return self._sort_key() <= other._sort_key()

    def __gt__(self, other: object) -> bool:
        if not isinstance(other, When):
            return NotImplemented
        return self._sort_key() > other._sort_key()

    def __ge__(self, other: object) -> bool:
        if not isinstance(other, When):
            return NotImplemented
        return self._sort_key() >= other._sort_key()

    @property
    def all_day(self) -> bool:
        return self.time is None

    def iso(self) -> str:
        """Storage form: ``2026-12-01`` or ``2026-12-01T09:15:00`` (local wall time)."""
        if self.time is None:
            return self.day.isoformat()
        return f"{self.day.isoformat()}T{self.time.isoformat(timespec='seconds')}"

    @classmethod
    def from_iso(cls, text: str) -> When:
        """Inverse of :meth:`iso`: ``YYYY-MM-DD`` or ``YYYY-MM-DDTHH:MM[:SS]``."""
        m = re.match(_STORED_RE, text) if isinstance(text, str) else None
        if m is None:
            raise DateError(f"not a stored date: {_quote(text)} (expected YYYY-MM-DD[THH:MM[:SS]])")
        year, month, day, hour, minute, second = m.groups()
        try:
            d = _dt.date(int(year), int(month), int(day))
            t = None
            if hour is not None:
                t = _dt.time(int(hour), int(minute), int(second or 0))
        except ValueError as exc:
            raise DateError(f"not a stored date: {_quote(text)} ({exc})") from None
        return cls(d, t)

    def local_datetime(self) -> _dt.datetime | None:
        """The aware moment in the local zone for a timed item, None for an all-day one."""
        if self.time is None:
            return None
        return _dt.datetime.combine(self.day, self.time, tzinfo=local_zone())

    def iso_with_offset(self) -> str:
        """JSON form: ``2026-12-01`` or ``2026-12-01T09:15:00-05:00`` (offset at that moment)."""
        moment = self.local_datetime()
        if moment is None:
            return self.day.isoformat()
        return moment.isoformat(timespec="seconds")


_STORED_RE = r"([0-9]{4})-([0-9]{2})-([0-9]{2})(?:T([0-9]{2}):([0-9]{2})(?::([0-9]{2}))?)?\Z"


# --------------------------------------------------------------------------
# Conventions: what the words for parts of the day mean, and the day/month order

DAY_PARTS = ("noon", "midday", "morning", "afternoon", "evening", "eod")


@dataclass(frozen=True)
class Hours:
    """The times `morning`, `noon`, `afternoon`, `evening` and `eod` stand for, and the
    business hours a bare hour is read within (`fri 10` is 10:00, `tomorrow 3` 15:00).

    A bare hour from `opens` to 12 is the morning's, 1 to `closes - 12` the afternoon's,
    13 to `closes` as written; any other is refused rather than guessed."""

    morning: _dt.time = _dt.time(9)
    noon: _dt.time = _dt.time(12)
    afternoon: _dt.time = _dt.time(14)
    evening: _dt.time = _dt.time(18)
    eod: _dt.time = _dt.time(17)
    opens: int = 7
    closes: int = 18

    def __post_init__(self) -> None:
        if not (1 <= self.opens <= 12 and 13 <= self.closes <= 23):
            raise ValueError("business hours open at 1..12 and close at 13..23")
        if self.closes - 12 >= self.opens:
            raise ValueError("business hours must be shorter than 12 hours to read a bare hour")

    def named(self, word: str) -> _dt.time:
        """The time a word of DAY_PARTS stands for."""
        return self.noon if word == "midday" else getattr(self, word)

    def bare(self, hour: int) -> int | None:
        """The hour of the day a bare number means, or None outside business hours."""
        if self.opens <= hour <= 12 or 13 <= hour <= self.closes:
            return hour
        if 1 <= hour <= self.closes - 12:
            return hour + 12
        return None


HOURS = Hours()

DateOrder = str  # "dmy" or "mdy": how a numeric date that reads both ways is meant
DATE_ORDERS = ("dmy", "mdy")


def date_order() -> DateOrder | None:
    """The day/month order (dmy or mdy) from ``$TICKLE_DATE_ORDER``, else the `dates.order`
    setting; None when neither says."""
    value = os.environ.get("TICKLE_DATE_ORDER", "").strip().lower()
    if not value:
        from tickle import settings

        return settings.get("dates.order")
    if value not in DATE_ORDERS:
        raise DateError(
            f"TICKLE_DATE_ORDER={_quote(value)} is not a date order: set it to dmy "
            "(03/04 is 3 April) or mdy (03/04 is 4 March)"
        )
    return value


# --------------------------------------------------------------------------
# The clock and the local zone

_zone_cache: dict[str | None, tuple[_dt.tzinfo, str]] = {}


def _key_from_path(path: str) -> str | None:
    """``/usr/share/zoneinfo/Europe/Paris`` -> ``Europe/Paris``."""
    marker = "zoneinfo/"
    at = path.rfind(marker)
    if at < 0:
        return None
    key = path[at + len(marker) :]
    for prefix in ("posix/", "right/"):
        key = key.removeprefix(prefix)
    return key or None


def _zone_for_key(key: str | None) -> ZoneInfo | None:
    if not key:
        return None
    try:
        return ZoneInfo(key)
    except (KeyError, ValueError, OSError):  # ZoneInfoNotFoundError is a KeyError
        return None


def _resolve_zone(tz: str | None) -> tuple[_dt.tzinfo, str]:
    if tz is not None:
        # An explicit $TZ wins; one that names no zone means UTC, as for the C library.
        key = tz.removeprefix(":")
        if key.startswith("/"):
            key = _key_from_path(key) or ""
        zone = _zone_for_key(key)
        if zone is not None:
            return zone, key
        return _dt.UTC, "UTC"
    try:
        key = _key_from_path(os.readlink("/etc/localtime"))
    except OSError:
        key = None
    if key is None:
        try:
            with open("/etc/timezone", encoding="utf-8") as fh:
                key = fh.read().strip()
        except OSError:
            key = None
    zone = _zone_for_key(key)
    if zone is not None and key is not None:
        return zone, key
    return _dt.UTC, "UTC"


def _zone_and_name() -> tuple[_dt.tzinfo, str]:
    tz = os.environ.get("TZ")
    hit = _zone_cache.get(tz)
    if hit is None:
        hit = _zone_cache[tz] = _resolve_zone(tz)
    return hit


def local_zone() -> _dt.tzinfo:
    """The local zone: from $TZ, else /etc/localtime, else UTC."""
    return _zone_and_name()[0]


def local_zone_name() -> str:
    """The IANA key of the local zone ("Europe/Paris"), or "UTC" when unknown."""
    return _zone_and_name()[1]


def is_foreign_zone(zone: str | None) -> bool:
    """Whether a wall time kept in `zone` reads otherwise here (None: the local zone)."""
    return zone is not None and zone != local_zone_name()


def zone_named(zone: str) -> _dt.tzinfo:
    """The zone of an IANA key, resolved the way $TZ is (an unknown one is UTC)."""
    hit = _zone_cache.get(zone)
    if hit is None:
        hit = _zone_cache[zone] = _resolve_zone(zone)
    return hit[0]


def from_zone(when: When, zone: str | None) -> When:
    """A wall time kept in `zone`, as the local wall time of the same moment.

    A timed item keeps the wall time of the zone it was made in: 11:00 made in London
    is 06:00 in New York. An all-day item is a calendar day wherever one is."""
    if when.time is None or not is_foreign_zone(zone):
        return when
    assert zone is not None
    kept = _dt.datetime.combine(when.day, when.time, tzinfo=zone_named(zone))
    here = kept.astimezone(local_zone())
    return When(here.date(), here.time().replace(tzinfo=None))


def to_zone(when: When, zone: str | None) -> When:
    """A local wall time as the wall time of the same moment in `zone` (from_zone's
    inverse)."""
    if when.time is None or not is_foreign_zone(zone):
        return when
    assert zone is not None
    here = _dt.datetime.combine(when.day, when.time, tzinfo=local_zone())
    kept = here.astimezone(zone_named(zone))
    return When(kept.date(), kept.time().replace(tzinfo=None))


def now() -> _dt.datetime:
    """The current moment, aware, in the local zone; ``$TICKLE_NOW`` pins it."""
    zone = local_zone()
    pinned = os.environ.get("TICKLE_NOW")
    if not pinned:
        return _dt.datetime.now(zone)
    try:
        moment = _dt.datetime.fromisoformat(pinned.strip())
        if moment.tzinfo is None:
            return moment.replace(tzinfo=zone)
        return moment.astimezone(zone)
    except (ValueError, OverflowError):
        raise DateError(f"TICKLE_NOW={pinned!r} is not an ISO 8601 date or datetime") from None


def _local(moment: _dt.datetime) -> _dt.datetime:
    """``moment`` as an aware local datetime (a naive one is taken as local wall time)."""
    zone = local_zone()
    if moment.tzinfo is None:
        return moment.replace(tzinfo=zone)
    return moment.astimezone(zone)


# --------------------------------------------------------------------------
# Parsing

# Patterns are plain strings: re compiles and caches them on first use, which keeps
# them off the import path of commands that never parse a date.
_TIME_AMPM_RE = r"([0-9]{1,2})(?::([0-9]{2})(?::([0-9]{2}))?)?(am|pm|a\.m\.|p\.m\.)\Z"
_TIME_24_RE = r"([0-9]{1,2}):([0-9]{2})(?::([0-9]{2}))?\Z"
_TIME_BARE_RE = r"[0-9]{1,2}(?::[0-9]{2}(?::[0-9]{2})?)?\Z"
_TIME_H_RE = r"([0-9]{1,2})h([0-9]{2})?\Z"  # 14h, 9h30: the French and German way
_HOUR_RE = r"[0-9]{1,2}\Z"
_AMPM = {"am": "am", "pm": "pm", "a.m.": "am", "p.m.": "pm"}

_ISO_RE = (
    r"(?:(?P<wd>[a-z]+) )?"
    r"(?P<y>[0-9]{4})-(?P<mo>[0-9]{1,2})-(?P<d>[0-9]{1,2})"
    r"(?:[t ](?P<h>[0-9]{1,2}):(?P<mi>[0-9]{2})(?::(?P<s>[0-9]{2})(?:\.[0-9]{1,9})?)?"
    r"(?P<off>z|[+-][0-9]{2}(?::?[0-9]{2})?)?)?\Z"
)
_DAY = r"(?P<d>[0-9]{1,2})(?:st|nd|rd|th)?"
_MONTH_DAY_RE = rf"(?:(?P<wd>[a-z]+) )?(?P<m>[a-z]+) {_DAY}(?: (?P<y>[0-9]+))?\Z"
_DAY_MONTH_RE = rf"(?:(?P<wd>[a-z]+) )?{_DAY} (?P<m>[a-z]+)(?: (?P<y>[0-9]+))?\Z"
_WEEKDAY_RE = r"(?:(?P<which>next|last) )?(?P<wd>[a-z]+)\Z"
_IN_RE = r"in (?P<n>[0-9]+|an?) (?P<unit>[a-z]+)\Z"
_AGO_RE = r"(?P<n>[0-9]+|an?) (?P<unit>[a-z]+) ago\Z"
_SHORT_RE = r"(?P<sign>[+-]?)(?P<n>[0-9]+)(?P<unit>[dwmy])\Z"
_NUMERIC_RE = r"([0-9]{1,4})([/.])([0-9]{1,4})(?:\2([0-9]{1,4}))?\Z"
_BARE_NUMBER_RE = r"[+-]?[0-9]+\Z"

_UNITS = {
    "day": "days", "days": "days",
    "wk": "weeks", "wks": "weeks", "week": "weeks", "weeks": "weeks",
    "month": "months", "months": "months",
    "yr": "years", "yrs": "years", "year": "years", "years": "years",
    "hr": "hours", "hrs": "hours", "hour": "hours", "hours": "hours",
    "min": "minutes", "mins": "minutes", "minute": "minutes", "minutes": "minutes",
}  # fmt: skip
_SHORT_UNITS = {"d": "days", "w": "weeks", "m": "months", "y": "years"}

_MAX_AMOUNT_DIGITS = 6


def _quote(text: object, limit: int = 60) -> str:
    """A one-line, escaped rendering of user text for an error message."""
    if isinstance(text, str) and len(text) > limit:
        text = text[: limit - 1] + "…"
    return repr(text)


def _refuse(problem: str) -> DateError:
    return DateError(f"{problem}. Try: {ACCEPTED_FORMS}")


def _out_of_range(text: str) -> DateError:
    return _refuse(f"{_quote(text)} is out of range: the year must be {MIN_YEAR}..{MAX_YEAR}")


def _tokens(text: str) -> list[str]:
    """Lower-cased words; a comma may separate two words but stand nowhere else.
    `end of day` is one word, `eod`."""
    raw = text.lower().replace(",", " , ").split()
    words: list[str] = []
    for i, tok in enumerate(raw):
        if tok == ",":
            if i == 0 or i == len(raw) - 1 or raw[i - 1] == ",":
                raise _refuse(f"not a date: {_quote(text)} (stray comma)")
            continue
        words.append(tok)
        if words[-3:] == ["end", "of", "day"]:
            words[-3:] = ["eod"]
        elif words[-4:] == ["end", "of", "the", "day"]:
            words[-4:] = ["eod"]
    return words


def _is_time_token(tok: str) -> bool:
    return tok in DAY_PARTS or bool(
        re.match(_TIME_AMPM_RE, tok) or re.match(_TIME_24_RE, tok) or re.match(_TIME_H_RE, tok)
    )


def looks_like_time(word: str) -> bool:
    """Whether a word left after a date would be read as a time of day: `10`, `9:30`,
    `14h`, `3pm`, `noon`... (a title must not start with one: it was meant as the time)."""
    word = word.lower()
    if re.match(_HOUR_RE, word):
        return int(word) < 60  # an hour, or the minutes of one (`fri 10 30`)
    return word in _AMPM or _is_time_token(word)


def _take_time(words: list[str], at_end: bool) -> tuple[list[str], list[str]]:
    """Split a time (and an "at" before it) off one end: (time words, remaining words)."""
    if at_end:
        if len(words) >= 2 and words[-1] in _AMPM and re.match(_TIME_BARE_RE, words[-2]):
            span = 2
        elif words and _is_time_token(words[-1]):
            span = 1
        else:
            return [], words
        rest = words[:-span]
        if rest and rest[-1] == "at":
            rest = rest[:-1]
        return words[-span:], rest
    start = 1 if words and words[0] == "at" else 0
    if (
        len(words) >= start + 2
        and words[start + 1] in _AMPM
        and re.match(_TIME_BARE_RE, words[start])
    ):
        span = 2
    elif len(words) > start and _is_time_token(words[start]):
        span = 1
    else:
        return [], words
    return words[start : start + span], words[start + span :]


def _hms(shown: str, hour: str, minute: str | None, second: str | None) -> tuple[int, int, int]:
    h, mi, s = int(hour), int(minute or 0), int(second or 0)
    if mi > 59:
        raise _refuse(f"{shown} is not a time: the minutes must be 00..59")
    if s > 59:
        raise _refuse(f"{shown} is not a time: the seconds must be 00..59")
    return h, mi, s


def _time_24(shown: str, hour: str, minute: str | None, second: str | None) -> _dt.time:
    h, mi, s = _hms(shown, hour, minute, second)
    if h > 23:
        raise _refuse(f"{shown} is not a time: the hour must be 0..23")
    return _dt.time(h, mi, s)


def _parse_time(words: list[str], hours: Hours) -> _dt.time:
    shown = " ".join(words)
    if shown in DAY_PARTS:
        return hours.named(shown)
    joined = "".join(words)
    m = re.match(_TIME_H_RE, joined)
    if m:
        return _time_24(shown, m.group(1), m.group(2), None)
    m = re.match(_TIME_AMPM_RE, joined)
    if m:
        h, mi, s = _hms(shown, m.group(1), m.group(2), m.group(3))
        if not 1 <= h <= 12:
            raise _refuse(f"{shown} is not a time: with am/pm the hour must be 1..12")
        h = h % 12 + (12 if _AMPM[m.group(4)] == "pm" else 0)
        return _dt.time(h, mi, s)
    m = re.match(_TIME_24_RE, joined)
    if m is None:  # pragma: no cover - _take_time only hands over time words
        raise _refuse(f"{shown} is not a time")
    return _time_24(shown, m.group(1), m.group(2), m.group(3))


def _make_date(year: int, month: int, day: int, shown: str) -> _dt.date:
    """A date from its parts, or a refusal saying which part is impossible."""
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise _refuse(f"{shown} is out of range: the year must be {MIN_YEAR}..{MAX_YEAR}")
    if not 1 <= month <= 12:
        raise _refuse(f"{shown} is not a date: there is no month {month}")
    length = _month_length(year, month)
    if day == 0:
        raise _refuse(f"{shown} is not a date: there is no day 0")
    if day > length:
        raise _refuse(f"{shown} is not a date: {_MONTH_FULL[month - 1]} {year} has {length} days")
    return _dt.date(year, month, day)


def _amount(n: str, text: str) -> int:
    if n in ("a", "an"):
        return 1
    if len(n) > _MAX_AMOUNT_DIGITS:
        raise _out_of_range(text)
    return int(n)


def _relative(local_now: _dt.datetime, amount: int, unit: str, text: str) -> When:
    """``local_now`` moved by a signed amount of ``unit``: timed for hours/minutes only."""
    if unit in ("hours", "minutes"):
        delta = _dt.timedelta(**{unit: amount})
        # Through UTC, so that "in 2 hours" is two real hours across a clock change.
        moment = (local_now.astimezone(_dt.UTC) + delta).astimezone(local_now.tzinfo)
        return When(moment.date(), moment.time().replace(second=0, microsecond=0))
    today = local_now.date()
    if unit == "days":
        return When(today + _dt.timedelta(days=amount))
    if unit == "weeks":
        return When(today + _dt.timedelta(weeks=amount))
    from dateutil.relativedelta import relativedelta  # lazily: it is not needed at import

    try:
        return When(today + relativedelta(**{unit: amount}))
    except ValueError:  # a year past 9999
        raise _out_of_range(text) from None


def _weekday_after(today: _dt.date, weekday: int) -> _dt.date:
    return today + _dt.timedelta(days=(weekday - today.weekday() - 1) % 7 + 1)


def _weekday_before(today: _dt.date, weekday: int) -> _dt.date:
    return today - _dt.timedelta(days=(today.weekday() - weekday - 1) % 7 + 1)


def _nearest(today: _dt.date, month: int, day: int, past: bool) -> _dt.date | None:
    """The nearest ``month``-``day`` on or after today (on or before, if ``past``)."""
    step = -1 if past else 1
    for offset in range(9):  # 29 February can be eight years away
        year = today.year + step * offset
        if not MIN_YEAR <= year <= MAX_YEAR:
            return None
        if not 1 <= day <= _month_length(year, month):
            continue
        candidate = _dt.date(year, month, day)
        if (candidate <= today) if past else (candidate >= today):
            return candidate
    return None


def _check_weekday(name: str | None, day: _dt.date, shown: str) -> None:
    if name is not None and _WEEKDAYS[name] != day.weekday():
        weekday = _WEEKDAY_FULL[day.weekday()]
        raise _refuse(f"{_quote(shown)} does not add up: {day.isoformat()} is a {weekday}")


def _month_name_date(m: re.Match[str], today: _dt.date, prefer_past: bool, s: str) -> When | None:
    wd, name, day_text, year_text = m.group("wd"), m.group("m"), m.group("d"), m.group("y")
    if name not in _MONTHS or (wd is not None and wd not in _WEEKDAYS):
        return None
    month, day = _MONTHS[name], int(day_text)
    label = f"{_MONTH_NAMES[month - 1].lower()} {day}"
    if year_text is not None:
        if len(year_text) != 4:
            raise _refuse(f"not a date: {_quote(s)} (write the year with 4 digits)")
        found = _make_date(int(year_text), month, day, f"{label} {year_text}")
        _check_weekday(wd, found, s)
        return When(found)
    most = 29 if month == 2 else _DAYS_IN_MONTH[month - 1]
    if day == 0:
        raise _refuse(f"{label} is not a date: there is no day 0")
    if day > most:
        at_most = "at most " if month == 2 else ""
        raise _refuse(f"{label} is not a date: {_MONTH_FULL[month - 1]} has {at_most}{most} days")
    nearest = _nearest(today, month, day, prefer_past)
    if wd is not None:
        # A weekday alongside tells which year is meant, even if it is the other way.
        for candidate in (nearest, _nearest(today, month, day, not prefer_past)):
            if candidate is not None and candidate.weekday() == _WEEKDAYS[wd]:
                return When(candidate)
        if nearest is not None:
            _check_weekday(wd, nearest, s)
    if nearest is None:
        raise _out_of_range(s)
    return When(nearest)


def _readings(m: re.Match[str]) -> tuple[int | None, dict[DateOrder, tuple[int, int]]] | None:
    """A day/month date's year (None if not written) and its (month, day) in each order
    that makes it a real day; None if it is not written as day and month (14.3, 3/14/2027)."""
    a, _, b, c = m.groups()
    if len(a) > 2 or len(b) > 2 or (c is not None and len(c) != 4):
        return None
    year = int(c) if c is not None else None
    readings: dict[DateOrder, tuple[int, int]] = {}
    for order, (day, month) in (("dmy", (int(a), int(b))), ("mdy", (int(b), int(a)))):
        if 1 <= month <= 12:
            if year is not None:
                longest = _month_length(year, month)
            else:
                longest = 29 if month == 2 else _DAYS_IN_MONTH[month - 1]
            if 1 <= day <= longest:
                readings[order] = (month, day)
    return year, readings


def date_orders(text: str) -> frozenset[DateOrder] | None:
    """The day/month orders in which a numeric date in ``text`` is a real day, when the
    order matters: {'dmy'} for 14/03/2026, both for 03/04/2026; None for 05/05/2026, an
    ISO date or text with no numeric date (for reading a whole column in one order)."""
    for word in text.lower().split():
        m = re.match(_NUMERIC_RE, word)
        found = _readings(m) if m else None
        if found is not None:
            orders = found[1]
            if len(orders) == 1 or len(set(orders.values())) > 1:
                return frozenset(orders)
    return None


def _numeric_date(
    m: re.Match[str], today: _dt.date, prefer_past: bool, order: DateOrder | None, s: str
) -> When:
    """14/3, 3/14/2027, 14.03.2026: whichever order makes a real day; 03/04/2026 in
    ``order``, refused without one."""
    a, _, b, c = m.groups()
    if len(a) == 4 and c is not None and len(b) <= 2 and len(c) <= 2:
        return When(_make_date(int(a), int(b), int(c), s))  # year first is only ever y/m/d
    found = _readings(m)
    if found is None:
        if c is not None and len(c) == 2 and len(a) <= 2 and len(b) <= 2:
            raise _refuse(f"not a date: {_quote(s)} (write the year with 4 digits)")
        raise _refuse(f"not a date: {_quote(s)} (write dates as YYYY-MM-DD, e.g. 2026-12-01)")
    year, readings = found
    if not readings:
        raise _refuse(f"not a date: {_quote(s)} (write dates as YYYY-MM-DD, e.g. 2026-12-01)")
    if len(set(readings.values())) > 1 and order is None:
        month, day = readings["dmy"]
        when = _dt.date(year, month, day) if year else _nearest(today, month, day, past=False)
        iso = when.isoformat() if when else f"YYYY-{month:02}-{day:02}"
        name = f"{day} {_MONTH_NAMES[month - 1].lower()}" + ("" if year is None else f" {year}")
        raise _refuse(
            f"{_quote(s)} is ambiguous (day/month order): write {iso} or {name}, "
            "or set TICKLE_DATE_ORDER=dmy or mdy"
        )
    month, day = readings[order] if order in readings else next(iter(readings.values()))
    if year is not None:
        return When(_make_date(year, month, day, s))
    nearest = _nearest(today, month, day, prefer_past)
    if nearest is None:
        raise _out_of_range(s)
    return When(nearest)


def _iso(m: re.Match[str], s: str) -> When:
    shown = f"{m.group('y')}-{m.group('mo')}-{m.group('d')}"
    day = _make_date(int(m.group("y")), int(m.group("mo")), int(m.group("d")), shown)
    _check_weekday(m.group("wd"), day, s)
    if m.group("h") is None:
        return When(day)
    shown = f"{m.group('h')}:{m.group('mi')}" + (f":{m.group('s')}" if m.group("s") else "")
    wall = _dt.datetime.combine(day, _time_24(shown, m.group("h"), m.group("mi"), m.group("s")))
    off = m.group("off")
    if off is None:
        return When(day, wall.time())
    if off == "z":
        zone: _dt.tzinfo = _dt.UTC
    else:
        digits = off[1:].replace(":", "")
        oh, om = int(digits[:2]), int(digits[2:] or 0)
        if oh > 23 or om > 59:
            raise _refuse(f"{off.upper()} is not a UTC offset")
        delta = _dt.timedelta(hours=oh, minutes=om)
        zone = _dt.timezone(-delta if off[0] == "-" else delta)
    moment = wall.replace(tzinfo=zone).astimezone(local_zone())
    return When(moment.date(), moment.time())


def _parse_date_part(
    s: str, local_now: _dt.datetime, prefer_past: bool, order: DateOrder | None
) -> When | None:
    """The date words, joined by single spaces, as a When (timed if the words carry a time)."""
    today = local_now.date()
    if s == "today":
        return When(today)
    if s == "tomorrow":
        return When(today + _dt.timedelta(days=1))
    if s == "yesterday":
        return When(today - _dt.timedelta(days=1))
    if s == "now":
        return When(today, local_now.time().replace(second=0, microsecond=0))
    if s in ("eow", "end of week", "end of the week"):
        if today.weekday() <= 4:
            return When(today + _dt.timedelta(days=4 - today.weekday()))
        return When(_weekday_after(today, 4))
    if s in ("eom", "end of month", "end of the month"):
        return When(today.replace(day=_month_length(today.year, today.month)))
    if s in ("eoy", "end of year", "end of the year"):
        return When(today.replace(month=12, day=31))
    if s == "next week":
        return When(today + _dt.timedelta(days=7 - today.weekday()))
    if s == "next month":
        if today.month == 12:
            return When(_make_date(today.year + 1, 1, 1, s))
        return When(today.replace(month=today.month + 1, day=1))
    if s == "next year":
        return When(_make_date(today.year + 1, 1, 1, s))

    m = re.match(_WEEKDAY_RE, s)
    if m and m.group("wd") in _WEEKDAYS:
        weekday, which = _WEEKDAYS[m.group("wd")], m.group("which")
        if which == "last" or (which is None and prefer_past):
            return When(_weekday_before(today, weekday))
        return When(_weekday_after(today, weekday))

    for regex, sign in ((_IN_RE, 1), (_AGO_RE, -1)):
        m = re.match(regex, s)
        if m and m.group("unit") in _UNITS:
            return _relative(local_now, sign * _amount(m.group("n"), s), _UNITS[m.group("unit")], s)
    m = re.match(_SHORT_RE, s)
    if m:
        sign = -1 if m.group("sign") == "-" else 1
        return _relative(
            local_now, sign * _amount(m.group("n"), s), _SHORT_UNITS[m.group("unit")], s
        )

    m = re.match(_ISO_RE, s)
    if m and (m.group("wd") is None or m.group("wd") in _WEEKDAYS):
        return _iso(m, s)

    for regex in (_MONTH_DAY_RE, _DAY_MONTH_RE):
        m = re.match(regex, s)
        if m:
            found = _month_name_date(m, today, prefer_past, s)
            if found is not None:
                return found

    m = re.match(_NUMERIC_RE, s)
    if m:
        return _numeric_date(m, today, prefer_past, order, s)
    if re.match(_BARE_NUMBER_RE, s):
        raise _refuse(f"not a date: {_quote(s)} (a bare number is not a date)")
    return None


def _check_exists(when: When) -> None:
    """Refuse a local wall time that a clock change skips (a repeated one means the first)."""
    if when.time is None:
        return
    zone = local_zone()
    wall = _dt.datetime.combine(when.day, when.time)
    aware = wall.replace(tzinfo=zone)
    real = aware.astimezone(_dt.UTC).astimezone(zone).replace(tzinfo=None)
    if real == wall:
        return
    before, after = aware.utcoffset(), aware.replace(fold=1).utcoffset()
    minutes = abs(int((after - before).total_seconds())) // 60 if before and after else 60
    hours, rest = divmod(minutes, 60)
    amount = f"{minutes} minutes" if rest else ("1 hour" if hours == 1 else f"{hours} hours")
    raise _refuse(
        f"{when.day.isoformat()} {when.time:%H:%M} does not exist in {local_zone_name()}: "
        f"the clocks go forward {amount} that night, so use {real:%H:%M}"
    )


def parse_when(
    text: str,
    now: _dt.datetime,
    *,
    prefer_past: bool = False,
    hours: Hours = HOURS,
    order: DateOrder | None = None,
) -> When:
    """Read a WHEN (see ``ACCEPTED_FORMS``) relative to ``now``, the whole text or nothing.

    ``prefer_past`` makes a bare weekday, or a month and day without a year, mean
    the most recent one rather than the next.  ``hours`` says what `morning`, `eod` and
    a bare hour (`fri 10`) mean; ``order`` (dmy or mdy) how to read a numeric date that
    could be two days (03/04/2026), refused without it.  Anything else is a DateError.
    """
    if not isinstance(text, str):
        raise TypeError(f"parse_when() wants text, not {type(text).__name__}")
    plain = _PLAIN_DATE.fullmatch(text)
    if plain:  # the common case of an import, without the grammar's cost
        y, mo, d = (int(part) for part in plain.groups())
        if MIN_YEAR <= y <= MAX_YEAR and 1 <= mo <= 12 and 1 <= d <= _month_length(y, mo):
            return When(_dt.date(y, mo, d))
    words = _tokens(text)
    if not words:
        raise _refuse("no date given")
    found = _read(words, _Reading(_local(now), prefer_past, hours, order, text))
    if not MIN_YEAR <= found.day.year <= MAX_YEAR:
        raise _out_of_range(text)
    _check_exists(found)
    return found


@dataclass(frozen=True)
class _Reading:
    """What reading one WHEN depends on, besides its words."""

    now: _dt.datetime  # local
    prefer_past: bool
    hours: Hours
    order: DateOrder | None
    text: str  # as given, for messages


def _read(words: list[str], how: _Reading) -> When:
    timed = _with_bare_hour(words, how)
    if timed is not None:
        return timed
    text = how.text
    time_words, rest = _take_time(words, at_end=True)
    front_words, front_rest = _take_time(rest, at_end=False)
    if time_words and front_words:
        raise _refuse(f"not a date: {_quote(text)} (more than one time)")
    if not time_words:
        time_words, rest = front_words, front_rest
    had_on = bool(rest) and rest[0] == "on"
    if had_on:
        rest = rest[1:]
    clock = _parse_time(time_words, how.hours) if time_words else None
    if rest == ["this"] and " ".join(time_words) in DAY_PARTS:
        rest = []  # this morning, this afternoon

    try:
        if rest:
            found = _parse_date_part(" ".join(rest), how.now, how.prefer_past, how.order)
        elif clock is not None and not had_on:
            found = When(how.now.date())
        else:
            found = None
    except OverflowError:
        raise _out_of_range(text) from None
    if found is None:
        if len(rest) >= 2 and rest[-2] == "at" and rest[-1].isdigit() and len(rest[-1]) <= 2:
            raise _refuse(f"not a date: {_quote(text)} ({rest[-1]} is not an hour: 0..23)")
        if clock is not None and len(rest) >= 2 and looks_like_time(rest[-1]):
            raise _refuse(f"not a date: {_quote(text)} (more than one time)")
        raise _refuse(f"not a date: {_quote(text)}")
    if clock is not None:
        if found.time is not None:
            raise _refuse(f"not a date: {_quote(text)} (more than one time)")
        found = When(found.day, clock)
    return found


def _with_bare_hour(words: list[str], how: _Reading) -> When | None:
    """`fri 10`, `tomorrow at 3`, `at 9`: a date (today if none) at a bare hour, read within
    business hours; None when the last word is no bare hour after a date (`dec 5`)."""
    last = words[-1]
    if len(words) < 2 or not re.match(_HOUR_RE, last) or int(last) > 23:
        return None
    at = words[-2] == "at"
    head = words[:-2] if at else words[:-1]
    if not head:
        found = When(how.now.date())
    else:
        try:
            found = _read(head, how)
        except DateError as error:
            if at or not _is_garbage(error):
                raise
            return None  # `dec 5` is the fifth of December, not `dec` at 5
    if found.time is not None:
        raise _refuse(f"not a date: {_quote(how.text)} (more than one time)")
    hour = how.hours.bare(int(last))
    if hour is None:
        h = int(last)
        hint = (
            "00:00 or 12am" if h == 0 else f"{h}:00 or {h - 12}pm" if h > 12 else f"{h}am or {h}pm"
        )
        raise _refuse(
            f"{_quote(how.text)}: {last} is outside business hours "
            f"({how.hours.opens}-{how.hours.closes}), so write {hint}"
        )
    return When(found.day, _dt.time(hour))


# --------------------------------------------------------------------------
# Formatting and questions about a When


def format_when(when: When) -> str:
    """Canonical text that :func:`parse_when` reads back to the same When."""
    if when.time is None:
        return when.day.isoformat()
    spec = "seconds" if when.time.second else "minutes"
    return f"{when.day.isoformat()} {when.time.isoformat(timespec=spec)}"


def describe(when: When, now: _dt.datetime) -> str:
    """A short label: "today", "tomorrow 10:00", "Fri 27 Nov", "Fri 27 Nov 2027 09:00"."""
    today = _local(now).date()
    delta = (when.day - today).days
    if delta == 0:
        label = "today"
    elif delta == 1:
        label = "tomorrow"
    elif delta == -1:
        label = "yesterday"
    else:
        d = when.day
        label = f"{_WEEKDAY_NAMES[d.weekday()]} {d.day} {_MONTH_NAMES[d.month - 1]}"
        if d.year != today.year:
            label += f" {d.year}"
    if when.time is not None:
        label += f" {when.time:%H:%M}"
    return label


def is_overdue(when: When, now: _dt.datetime) -> bool:
    """All-day: once its day has ended. Timed: once its local moment has passed."""
    local_now = _local(now)
    moment = when.local_datetime()
    if moment is None:
        return when.day < local_now.date()
    return moment < local_now


def is_past(when: When, now: _dt.datetime) -> bool:
    """A day before today, or a time before this minute (`now` and today are not past)."""
    local_now = _local(now)
    if when.time is None:
        return when.day < local_now.date()
    return when.local_datetime() < local_now.replace(second=0, microsecond=0)


def refuse_past(when: When, now: _dt.datetime) -> None:
    """A DateError for a new date that is already past, suggesting the likely future one:
    tomorrow for yesterday or an hour gone by today, next week's day for last week's,
    next month's 1st for this month's, the coming 5 Dec for last year's."""
    if not is_past(when, now):
        return
    today = _local(now).date()
    late = (today - when.day).days
    if late <= 1:
        day = today + _dt.timedelta(days=1)
    elif late <= 7:
        day = when.day + _dt.timedelta(days=7)
    elif when.day.year < today.year:
        day = _nearest(today + _dt.timedelta(days=1), when.day.month, when.day.day, False) or today
    else:
        day, year, month = when.day, when.day.year, when.day.month
        while day <= today:  # the same day of a later month (a 31st skips short months)
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
            if when.day.day <= _month_length(year, month):
                day = _dt.date(year, month, when.day.day)
    suggestion = When(day, when.time)
    raise DateError(
        f"that is in the past ({describe(when, now)}): did you mean {describe(suggestion, now)}?"
    )


def days_overdue(when: When, now: _dt.datetime) -> int:
    """Whole calendar days late (0 for something late only by hours today), 0 if not late."""
    if not is_overdue(when, now):
        return 0
    return max(0, (_local(now).date() - when.day).days)


def next_business_day(day: _dt.date) -> _dt.date:
    """The next Monday-to-Friday strictly after ``day``."""
    day += _dt.timedelta(days=1)
    while day.weekday() >= 5:
        day += _dt.timedelta(days=1)
    return day


MAX_WHEN_WORDS = 6


def parse_leading_when(
    args: list[str],
    now: _dt.datetime,
    *,
    hours: Hours = HOURS,
    order: DateOrder | None = None,
) -> tuple[When, list[str]]:
    """The WHEN at the start of `tickle add`'s arguments, and the words after it.

    A first argument of several words (`"fri 10"`) is the whole WHEN or an error, never
    a date and the start of a title. Otherwise the longest run of leading one-word
    arguments that is a date is the WHEN: `tomorrow 10am call back` is due tomorrow at
    10:00, about 'call back'. What follows must not start with a time (`fri 10am 30`,
    `fri at 25`): that is refused rather than left in the title.

    A longer run that looked like a date but is impossible (`fri 13pm`, a time the
    clocks skip) is reported, rather than quietly falling back to a shorter one."""
    if args and len(args[0].split()) > 1:
        found = parse_when(args[0], now, hours=hours, order=order)
        return found, _no_time_left(args[0], found, args[1:], now)
    words: list[str] = []
    for arg in args[:MAX_WHEN_WORDS]:
        if len(arg.split()) != 1:
            break
        words.append(arg.strip())
    if not words:
        raise _refuse("no date given")
    specific: DateError | None = None
    for length in range(len(words), 0, -1):
        text = " ".join(words[:length])
        try:
            found = parse_when(text, now, hours=hours, order=order)
        except DateError as error:
            if specific is None and not _is_garbage(error):
                specific = error
            if length == 1:
                raise specific or error from None
            continue
        if specific is not None:
            raise specific
        return found, _no_time_left(text, found, args[length:], now)
    raise _refuse("no date given")  # pragma: no cover - the loop returns or raises


def _no_time_left(when_text: str, found: When, rest: list[str], now: _dt.datetime) -> list[str]:
    """The words after a WHEN, refused when the first one-word argument is a time."""
    span = 2 if len(rest) > 1 and rest[0].strip().lower() == "at" else 1
    candidate = rest[span - 1].split() if rest else []
    if len(candidate) == 1 and looks_like_time(candidate[0]):
        shown = " ".join(arg.strip() for arg in rest[:span])
        raise DateError(
            f"{_quote(shown)} after {_quote(when_text)} ({describe(found, now)}) looks like a "
            "time: write the date and time as one quoted WHEN, or quote the title"
        )
    return [part for arg in rest for part in arg.split()]


def _is_garbage(error: DateError) -> bool:
    return error.message.startswith(("not a date", "no date given"))
