"""Business days: the work days of the week, less the public holidays, from the settings.

"Next business day" (the retry after voicemail, by default) and a `weekday` series both
land only on business days. Holidays are looked up only when a country is set.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from tickle.errors import ConfigError

_MOST_DAYS_OFF = 60  # more days in a row without a business day is a wrong setting
MONDAY_TO_FRIDAY = (0, 1, 2, 3, 4)  # Monday is 0


@dataclass
class BusinessDays:
    work_days: tuple[int, ...] = MONDAY_TO_FRIDAY
    country: str = ""
    region: str = ""
    _years: dict[int, dict[dt.date, str]] = field(default_factory=dict, repr=False)

    def holiday(self, day: dt.date) -> str | None:
        """The name of the public holiday on `day`, None on any other day."""
        if not self.country:
            return None
        if day.year not in self._years:
            self._years[day.year] = self._holidays_of(day.year)
        return self._years[day.year].get(day)

    def is_business_day(self, day: dt.date) -> bool:
        return day.weekday() in self.work_days and self.holiday(day) is None

    def next_after(self, day: dt.date) -> dt.date:
        """The first business day strictly after `day`."""
        for _ in range(_MOST_DAYS_OFF):
            day += dt.timedelta(days=1)
            if self.is_business_day(day):
                return day
        raise ConfigError(
            f"no business day in the {_MOST_DAYS_OFF} days after {day.isoformat()}: "
            "check calendar.work_days and calendar.holidays ('tickle config')"
        )

    def _holidays_of(self, year: int) -> dict[dt.date, str]:
        from tickle.io.public_holidays import UnknownCalendar, holidays_in

        try:
            return holidays_in(self.country, self.region, year)
        except UnknownCalendar as error:
            from tickle import settings

            key = (
                "calendar.region" if self.region and "region" in str(error) else "calendar.holidays"
            )
            raise ConfigError(f"{settings.config_path()}: {key}: {error}") from None


def from_settings() -> BusinessDays:
    from tickle import settings

    return BusinessDays(
        settings.get("calendar.work_days"),
        settings.get("calendar.holidays"),
        settings.get("calendar.region"),
    )


def is_workweek_rule(rrule: str | None) -> bool:
    """A `weekday` series (every Monday to Friday), whose occurrences are business days."""
    if not rrule:
        return False
    parts = dict(part.partition("=")[::2] for part in rrule.upper().split(";"))
    return (
        parts.get("FREQ") == "WEEKLY"
        and parts.get("BYDAY") == "MO,TU,WE,TH,FR"
        and parts.get("INTERVAL", "1") == "1"
        and set(parts) <= {"FREQ", "BYDAY", "INTERVAL", "COUNT", "UNTIL", "WKST"}
    )
