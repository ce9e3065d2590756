"""The report: are promises kept, follow-ups done, complaints fixed for good, and who
has gone quiet? Figures over a period, computed by the database; no terminal here.

Things made in the period (promises made, cases opened) count by when they were
made; outcomes (kept, done, resolved, letters) by when they happened.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING

from tickle import dates
from tickle.dates import When
from tickle.errors import InputError

if TYPE_CHECKING:
    from tickle.store import Store

DEFAULT_PERIOD_DAYS = 90
DEFAULT_QUIET_DAYS = 60


@dataclass
class PromiseFigures:
    made: int
    kept_on_time: int
    kept_late: int
    moved: int  # promises moved at least once in the period
    moves: int  # how many times, in all
    broken: int  # cancelled
    open: int
    overdue: int

    @property
    def on_time_rate(self) -> float | None:
        """Kept on time, out of the promises settled in the period (kept or broken)."""
        settled = self.kept_on_time + self.kept_late + self.broken
        return round(self.kept_on_time / settled, 3) if settled else None

    def as_dict(self) -> dict:
        return asdict(self) | {"on_time_rate": self.on_time_rate}


@dataclass
class Week:
    start: dt.date  # its Monday
    due: int
    done: int

    def as_dict(self) -> dict:
        return {"week": self.start.isoformat(), "due": self.due, "done": self.done}


@dataclass
class FollowupFigures:
    done: int
    overdue: int
    median_days_late: float | None
    attempts: int
    outcomes: list[tuple[str, int]] = field(default_factory=list)
    weeks: list[Week] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "done": self.done,
            "overdue": self.overdue,
            "median_days_late": self.median_days_late,
            "attempts": self.attempts,
            "outcomes": [{"outcome": name, "count": count} for name, count in self.outcomes],
            "weeks": [week.as_dict() for week in self.weeks],
        }


@dataclass
class CaseFigures:
    opened: int
    resolved: int
    open: int
    reopened: int
    median_days_to_resolve: float | None
    check_ins_done: int
    check_ins_held: int
    lessons: int
    letters: int
    uncategorised: int
    categories: list[tuple[str, int]] = field(default_factory=list)

    def as_dict(self) -> dict:
        figures = asdict(self)
        figures["categories"] = [
            {"category": name, "count": count} for name, count in self.categories
        ]
        return figures


@dataclass
class QuietCustomer:
    id: int
    name: str
    company: str | None
    last_contact: dt.date | None  # None: never contacted
    days_quiet: int

    @property
    def label(self) -> str:
        return f"{self.name} ({self.company})" if self.company else self.name

    def as_dict(self) -> dict:
        return {
            "id": self.id,
            "name": self.name,
            "company": self.company,
            "last_contact": self.last_contact.isoformat() if self.last_contact else None,
            "days_quiet": self.days_quiet,
        }


@dataclass
class Report:
    since: dt.date
    until: dt.date
    quiet_days: int
    promises: PromiseFigures
    followups: FollowupFigures
    cases: CaseFigures
    quiet: list[QuietCustomer]
    quiet_total: int

    def as_dict(self) -> dict:
        return {
            "since": self.since.isoformat(),
            "until": self.until.isoformat(),
            "promises": self.promises.as_dict(),
            "followups": self.followups.as_dict(),
            "cases": self.cases.as_dict(),
            "quiet": {
                "days": self.quiet_days,
                "total": self.quiet_total,
                "customers": [customer.as_dict() for customer in self.quiet],
            },
        }


def default_since(now: dt.datetime) -> When:
    return When(now.date() - dt.timedelta(days=DEFAULT_PERIOD_DAYS))


def build_report(
    store: Store,
    now: dt.datetime,
    *,
    since: When | None = None,
    quiet_days: int = DEFAULT_QUIET_DAYS,
    quiet_limit: int | None = None,
) -> Report:
    since = since or default_since(now)
    today = now.date()
    if since.day > today:
        raise InputError(
            f"--since {dates.format_when(since)} is in the future: the report looks back"
        )
    if quiet_days < 1:
        raise InputError("--quiet-days must be 1 or more")
    start = _utc(
        dt.datetime.combine(since.day, since.time or dt.time(0), tzinfo=dates.local_zone())
    )
    today_iso = When(today).iso()
    now_local = When(today, now.time().replace(microsecond=0, tzinfo=None)).iso()

    promises = PromiseFigures(**store.report.promises(start, today_iso, now_local))
    followups = FollowupFigures(
        **store.report.followups(start, today_iso, now_local),
        outcomes=store.report.outcomes(start),
        weeks=_weeks(store, start, since.day, today),
    )
    cases = CaseFigures(**store.report.cases(start))
    if followups.median_days_late is not None:
        followups.median_days_late = round(followups.median_days_late, 1)
    if cases.median_days_to_resolve is not None:
        cases.median_days_to_resolve = round(cases.median_days_to_resolve, 1)

    cutoff = _utc(now - dt.timedelta(days=quiet_days))
    rows, total = store.report.quiet_customers(cutoff, quiet_limit)
    quiet = [_quiet(row, now) for row in rows]
    return Report(since.day, today, quiet_days, promises, followups, cases, quiet, total)


def _weeks(store: Store, start: str, first: dt.date, today: dt.date) -> list[Week]:
    """Every week of the period, Monday first, with the weeks that had nothing too."""
    found = store.report.weeks(start, When(first).iso(), When(today + dt.timedelta(days=1)).iso())
    monday = first - dt.timedelta(days=first.weekday())
    weeks = []
    while monday <= today:
        due, done = found.get(monday.isoformat(), (0, 0))
        weeks.append(Week(monday, due, done))
        monday += dt.timedelta(days=7)
    return weeks


def _quiet(row: dict, now: dt.datetime) -> QuietCustomer:
    since = dt.datetime.fromisoformat(row["quiet_since"]).astimezone(now.tzinfo).date()
    last = row["last_contact"]
    return QuietCustomer(
        id=row["id"],
        name=row["name"],
        company=row["company"],
        last_contact=since if last else None,
        days_quiet=(now.date() - since).days,
    )


def _utc(moment: dt.datetime) -> str:
    """The form of created_at, closed_at and events.at, so that text order is time order."""
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
