"""An agenda item as a VTODO a phone shows and rings for, and a VTODO read back.

A `Task` holds the fields that travel. The phone's one line is the SUMMARY, "Call Ana
Silva (Acme): pricing sheet"; what sync compares between runs are hashes of three
fields the phone can change (summary, due, status) and a fingerprint of all of them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field
from functools import cache

from tickle import dates
from tickle.dates import When
from tickle.domain.models import Customer, Item

OPEN, COMPLETED, CANCELLED = "NEEDS-ACTION", "COMPLETED", "CANCELLED"
STATUS_OF = {"open": OPEN, "done": COMPLETED, "cancelled": CANCELLED}
TRACKED = ("summary", "due", "status")  # the fields a phone edits and sync merges
ALL_DAY_ALARM = dt.time(9)
PRODID = "-//tickle//tickle sync//EN"

_VERBS = {
    "phone": "Call",
    "sms": "Text",
    "email": "Email",
    "meeting": "Meet",
    "chat": "Message",
}


@dataclass(frozen=True)
class Task:
    uid: str
    summary: str
    due: When | None
    status: str = OPEN
    description: str = ""
    categories: tuple[str, ...] = ()
    priority: int = 0
    # Read from the server only: when the phone completed or last changed it.
    completed: dt.datetime | None = field(default=None, compare=False)
    last_modified: dt.datetime | None = field(default=None, compare=False)

    def values(self) -> dict[str, str]:
        """The tracked fields as text, the way they are compared and hashed."""
        return {
            "summary": self.summary,
            "due": self.due.iso() if self.due else "",
            "status": self.status,
        }

    def field_hashes(self) -> dict[str, str]:
        return {name: _digest(value) for name, value in self.values().items()}

    def fingerprint(self) -> str:
        """A hash of everything tickle writes: equal fingerprints need no PUT."""
        content = [
            *self.values().values(),
            self.description,
            list(self.categories),
            self.priority,
            dates.local_zone_name() if self.due and self.due.time else "",
        ]
        return _digest(json.dumps(content, ensure_ascii=False))


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:32]


# -- from tickle to the phone -------------------------------------------------------


def summary_prefix(item: Item, customer: Customer) -> str:
    """What comes before the title: "Call Ana Silva (Acme): ", "Promise to Bob Stone: "."""
    if item.kind == "promise":
        return f"Promise to {customer.label}: "
    verb = _VERBS.get(customer.preferred_channel(item.channel) or "", "Follow up with")
    return f"{verb} {customer.label}: "


def title_from_summary(summary: str, item: Item, customer: Customer) -> str:
    """The title a summary edited on the phone gives: what follows the prefix, or the
    whole line when the phone changed the prefix too."""
    text = " ".join(summary.split())
    prefix = summary_prefix(item, customer).strip()
    if text.startswith(prefix):
        return text[len(prefix) :].strip() or item.title
    return text or item.title


def task_for(item: Item, customer: Customer, last_note: str | None, uid: str) -> Task:
    return Task(
        uid=uid,
        summary=summary_prefix(item, customer) + item.title,
        due=item.due,
        status=STATUS_OF[item.status],
        description=_description(item, customer, last_note),
        categories=(_category(item),),
        priority=1 if item.kind == "promise" else 0,
    )


def _category(item: Item) -> str:
    if item.kind == "promise":
        return "promise"
    return "check-in" if item.parent_id and item.title.startswith("check-in") else "follow-up"


def _description(item: Item, customer: Customer, last_note: str | None) -> str:
    lines = []
    if customer.phone:
        lines.append(f"Phone: tel:{''.join(customer.phone.split())}")
    if customer.email:
        lines.append(f"Email: mailto:{customer.email}")
    if customer.best_time:
        lines.append(f"Best time: {customer.best_time}")
    if last_note:
        lines.append(f"Last contact: {' '.join(last_note.split())}")
    lines.append(f"tickle #{item.id}")
    return "\n".join(lines)


def to_ical(task: Task, stamp: dt.datetime) -> bytes:
    from icalendar import Alarm
    from icalendar import Todo as VTodo

    todo = VTodo()
    todo.add("uid", task.uid)
    todo.add("dtstamp", stamp.astimezone(dt.UTC))
    todo.add("summary", task.summary)
    todo.add("status", task.status)
    if task.status == COMPLETED:
        todo.add("completed", stamp.astimezone(dt.UTC))
        todo.add("percent-complete", 100)
    if task.due is not None:
        moment = task.due.local_datetime()
        todo.add("due", moment if moment else task.due.day)
        if task.status == OPEN:
            alarm = Alarm()
            alarm.add("action", "DISPLAY")
            alarm.add("description", task.summary)
            # Relative to DUE (RELATED=END on a VTODO): the alarm moves with the date
            # when the phone moves it. An all-day DUE is that day's midnight.
            offset = dt.timedelta(0) if moment else _since_midnight(ALL_DAY_ALARM)
            alarm.add("trigger", offset, parameters={"RELATED": "END"})
            todo.add_component(alarm)
    todo.add("description", task.description)
    todo.add("categories", list(task.categories))
    if task.priority:
        todo.add("priority", task.priority)
    body = todo.to_ical()
    zone = _timezone_block() if task.due is not None and task.due.time else b""
    # The envelope is written out so that the zone's VTIMEZONE, the same in every
    # object, is built once per run (icalendar takes 8 ms to build one each time).
    return (
        b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:" + PRODID.encode() + b"\r\n"
        + zone + body + b"END:VCALENDAR\r\n"
    )  # fmt: skip


def _since_midnight(time: dt.time) -> dt.timedelta:
    return dt.timedelta(hours=time.hour, minutes=time.minute)


@cache
def _timezone_block() -> bytes:
    from icalendar import Timezone

    today = dt.date.today()
    zone = Timezone.from_tzinfo(
        dates.local_zone(),
        tzid=dates.local_zone_name(),
        first_date=today.replace(year=today.year - 2, month=1, day=1),
        last_date=today.replace(year=today.year + 10, month=1, day=1),
    )
    return zone.to_ical()


# -- from the phone to tickle -------------------------------------------------------


def from_ical(data: bytes | str) -> Task | None:
    """The first VTODO of an object's data, or None when it holds none (an event)."""
    from icalendar import Calendar

    try:
        calendar = Calendar.from_ical(data)
    except ValueError:
        return None
    for todo in calendar.walk("VTODO"):
        return Task(
            uid=str(todo.get("uid", "")),
            summary=" ".join(str(todo.get("summary", "")).split()),
            due=_when(todo.get("due")),
            status=_status(todo),
            description=str(todo.get("description", "")),
            categories=tuple(_categories(todo)),
            priority=int(todo.get("priority", 0) or 0) if todo.get("priority") else 0,
            completed=_moment(todo.get("completed")),
            last_modified=_moment(todo.get("last-modified")) or _moment(todo.get("dtstamp")),
        )
    return None


def _status(todo) -> str:
    status = str(todo.get("status", "")).upper()
    if status == CANCELLED:
        return CANCELLED
    if status == COMPLETED or todo.get("completed") is not None:
        return COMPLETED
    if str(todo.get("percent-complete", "")) == "100":
        return COMPLETED
    return OPEN


def _categories(todo) -> list[str]:
    found = todo.get("categories")
    if found is None:
        return []
    groups = found if isinstance(found, list) else [found]
    return [str(name) for group in groups for name in getattr(group, "cats", [group])]


def _when(prop) -> When | None:
    if prop is None:
        return None
    value = prop.dt
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(dates.local_zone())
        return When(value.date(), value.time().replace(tzinfo=None, microsecond=0))
    if isinstance(value, dt.date):
        return When(value)
    return None


def _moment(prop) -> dt.datetime | None:
    if prop is None:
        return None
    value = prop.dt
    if isinstance(value, dt.datetime):
        return value if value.tzinfo else value.replace(tzinfo=dates.local_zone())
    return None
