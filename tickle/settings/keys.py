"""tickle's own settings: the rules of a rep's day that used to be fixed in code.

The checks here run on every command that finds a settings file, so they stay cheap:
a holiday country is checked for its form here and against the `holidays` package
only when `config set` writes it or a business day is computed.
"""

from __future__ import annotations

import datetime as dt
import re

from tickle.settings.registry import BOOLEAN, INTEGER, NUMBER, TEXT, WORDS, Setting, declare

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
NEXT_BUSINESS_DAY = "next business day"
CHANNELS = ("phone", "email", "meeting", "sms", "chat")
_REFERENCE = dt.datetime(2026, 1, 5, 12, 0, tzinfo=dt.UTC)  # any moment will do to check a WHEN


def _weekdays(words: list[str]) -> tuple[int, ...]:
    found = tuple(sorted({WEEKDAYS.index(word.strip().lower()[:3]) for word in words}))
    if not found or any(word.strip().lower()[:3] not in WEEKDAYS for word in words):
        raise ValueError(words)
    return found


def _country(code: str) -> str:
    code = code.strip().upper()
    if code and not re.fullmatch(r"[A-Z]{2,3}", code):
        raise ValueError(code)
    return code


def _known_country(code: str) -> None:
    if code:
        from tickle.io.public_holidays import check_country

        check_country(code)


def _known_region(code: str) -> None:
    from tickle import settings

    country = settings.get("calendar.holidays")
    if code and not country:
        raise ValueError("set calendar.holidays to its country first")
    if code:
        from tickle.io.public_holidays import check_country

        check_country(country, code)


def _region(code: str) -> str:
    code = code.strip().upper()
    if code and not re.fullmatch(r"[A-Z0-9]{1,4}", code):
        raise ValueError(code)
    return code


def _when(text: str) -> str:
    """A WHEN as typed after `--next`, or `next business day`."""
    from tickle import dates
    from tickle.errors import DateError

    text = " ".join(text.split()).lower()
    if text != NEXT_BUSINESS_DAY:
        try:
            dates.parse_when(text, _REFERENCE)
        except DateError as error:
            raise ValueError(text) from error
    return text


def _check_in(text: str) -> str:
    return "none" if text.strip().lower() == "none" else _when(text)


def _whole(low: int, high: int):
    def check(value: int) -> int:
        if not low <= value <= high:
            raise ValueError(value)
        return value

    return check


def _clock(text: str) -> dt.time:
    match = re.fullmatch(r"([01]?\d|2[0-3]):([0-5]\d)", text.strip())
    if match is None:
        raise ValueError(text)
    return dt.time(int(match[1]), int(match[2]))


def _date_order(text: str) -> str | None:
    word = text.strip().lower()
    if word not in ("", "dmy", "mdy"):
        raise ValueError(text)
    return word or None


def _channel(text: str) -> str | None:
    word = text.strip().lower()
    if word and word not in CHANNELS:
        raise ValueError(text)
    return word or None


def _seconds(value: float) -> float:
    if not 0 <= value <= 3600:
        raise ValueError(value)
    return float(value)


def _address(text: str) -> str:
    text = text.strip()
    if text and ("@" not in text or any(c in text for c in "\r\n")):
        raise ValueError(text)
    return text


WHEN_ACCEPTED = "'next business day' or a WHEN such as 'in 2 hours', 'tomorrow 9am', 'in 3 days'"

for setting in (
    Setting(
        "calendar.work_days", WORDS, list(WEEKDAYS[:5]),
        "days of the week such as [\"mon\", \"tue\", \"wed\", \"thu\", \"fri\"]",
        "The days a business day can be (retries, weekday series).", _weekdays,
    ),
    Setting(
        "calendar.holidays", TEXT, "",
        "a country code such as \"US\", \"GB\", \"FR\", or \"\" for none",
        "Public holidays of this country are not business days.", _country,
        verify=_known_country,
    ),
    Setting(
        "calendar.region", TEXT, "",
        "a subdivision code of the holiday country such as \"CA\" (California), or \"\"",
        "The state or region whose own holidays count as well.", _region,
        verify=_known_region,
    ),
    Setting(
        "retry.voicemail", TEXT, NEXT_BUSINESS_DAY, WHEN_ACCEPTED,
        "When a follow-up that reached voicemail is tried again.", _when,
    ),
    Setting(
        "retry.no-answer", TEXT, NEXT_BUSINESS_DAY, WHEN_ACCEPTED,
        "When a follow-up nobody answered is tried again.", _when,
    ),
    Setting(
        "followups.max_attempts", INTEGER, 5, "a whole number from 1 to 100",
        "Unanswered tries before a follow-up is flagged to try another channel.",
        _whole(1, 100), env="TICKLE_MAX_ATTEMPTS",
    ),
    Setting(
        "cases.check_in", TEXT, "in 2 weeks", "a WHEN such as 'in 2 weeks', or 'none'",
        "When to check that a resolved case's fix held.", _check_in,
    ),
    Setting(
        "agenda.days", INTEGER, 7, "a whole number of days from 1 to 366",
        "How many days ahead the agenda looks.", _whole(1, 366),
    ),
    Setting(
        "hours.morning", TEXT, "09:00", "a time of day as HH:MM, such as \"09:00\"",
        "The time 'morning' means (tomorrow morning).", _clock,
    ),
    Setting(
        "hours.afternoon", TEXT, "14:00", "a time of day as HH:MM, such as \"14:00\"",
        "The time 'afternoon' means.", _clock,
    ),
    Setting(
        "hours.evening", TEXT, "18:00", "a time of day as HH:MM, such as \"18:00\"",
        "The time 'evening' means.", _clock,
    ),
    Setting(
        "hours.eod", TEXT, "17:00", "a time of day as HH:MM, such as \"17:00\"",
        "The time 'eod' (end of day) means.", _clock,
    ),
    Setting(
        "dates.order", TEXT, "", "\"dmy\" (03/04 is 3 April), \"mdy\" (4 March) or \"\"",
        "How a numeric date that reads both ways is meant; unset, it is refused.",
        _date_order, env="TICKLE_DATE_ORDER",
    ),
    Setting(
        "customers.channel", TEXT, "", f"one of {', '.join(CHANNELS)}, or \"\"",
        "The channel of a new customer added without --channel.", _channel,
    ),
    Setting(
        "report.quiet_days", INTEGER, 60, "a whole number of days from 1 to 3650",
        "A customer with no contact for this many days has gone quiet.", _whole(1, 3650),
    ),
    Setting(
        "phones.region", TEXT, "", "a country code such as \"US\" or \"GB\", or \"\"",
        "Where a phone number typed without +country is from.", _country,
    ),
    Setting(
        "database.busy_timeout", NUMBER, 5.0, "a number of seconds from 0 to 3600",
        "How long to wait for another tickle that is writing.", _seconds,
        env="TICKLE_BUSY_TIMEOUT",
    ),
    Setting(
        "mail.from", TEXT, "", "an address such as \"Ana <ana@example.com>\", or \"\"",
        "The From of 'tickle agenda --mail' (default: you at this host).", _address,
    ),
    Setting(
        "mail.to", TEXT, "", "an address such as \"ana@example.com\", or \"\"",
        "The To of 'tickle agenda --mail' (default: you at this host).", _address,
    ),
):  # fmt: skip
    declare(setting)

__all__ = ["BOOLEAN", "NEXT_BUSINESS_DAY", "WEEKDAYS"]
