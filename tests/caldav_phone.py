"""The "phone": a second CalDAV client that edits the same task list as a rep's phone
would, with the caldav library (its own connection, its own ETags)."""

from __future__ import annotations

import datetime as dt
import uuid

import caldav
from radicale_server import PASSWORD, USER

# Phone edits happen after the tests' fixed clock (2026-11-23 10:07:33 New York).
PHONE_CLOCK = dt.datetime(2026, 11, 23, 15, 30, tzinfo=dt.UTC)


def make_list(server, name: str = "Tickle") -> str:
    """A new VTODO list on the server; returns its URL."""
    url = server.new_calendar_url()
    with caldav.DAVClient(url=server.url, username=USER, password=PASSWORD) as client:
        client.principal().make_calendar(
            name=name,
            cal_id=url.rstrip("/").rsplit("/", 1)[1],
            supported_calendar_component_set=["VTODO"],
        )
    return url


class Phone:
    def __init__(self, url: str) -> None:
        self.client = caldav.DAVClient(url=url, username=USER, password=PASSWORD)
        self.calendar = self.client.calendar(url=url)

    def close(self) -> None:
        self.client.close()

    def todos(self) -> list:
        return self.calendar.todos(include_completed=True)

    def summaries(self) -> list[str]:
        return sorted(str(t.icalendar_component["summary"]) for t in self.todos())

    def find(self, fragment: str):
        found = [t for t in self.todos() if fragment in str(t.icalendar_component["summary"])]
        assert len(found) == 1, [str(t.icalendar_component["summary"]) for t in self.todos()]
        return found[0]

    def component(self, fragment: str):
        return self.find(fragment).icalendar_component

    def _edit(self, fragment: str, change, at: dt.datetime = PHONE_CLOCK) -> None:
        todo = self.find(fragment)
        component = todo.icalendar_component
        change(component)
        component.pop("last-modified", None)
        component.add("last-modified", at)
        todo.save(increase_seqno=False)

    def complete(self, fragment: str, at: dt.datetime = PHONE_CLOCK) -> None:
        def done(c):
            c.pop("status", None)
            c.add("status", "COMPLETED")
            c.pop("completed", None)
            c.add("completed", at)

        self._edit(fragment, done, at)

    def set_due(self, fragment: str, due: dt.date | dt.datetime, at=PHONE_CLOCK) -> None:
        def moved(c):
            c.pop("due", None)
            c.add("due", due)

        self._edit(fragment, moved, at)

    def retitle(self, fragment: str, summary: str, at: dt.datetime = PHONE_CLOCK) -> None:
        def retitled(c):
            c.pop("summary", None)
            c.add("summary", summary)

        self._edit(fragment, retitled, at)

    def delete(self, fragment: str) -> None:
        self.find(fragment).delete()

    def recreate(self, fragment: str, change=None) -> str:
        """Delete a task and save it again, the same UID under a new href, as a phone
        does that moves a task out of the list and back; returns the new href."""
        todo = self.find(fragment)
        if change is not None:
            component = todo.icalendar_component
            change(component)
            component.pop("last-modified", None)
            component.add("last-modified", PHONE_CLOCK)
        data = todo.data
        todo.delete()
        href = str(self.calendar.url.join(f"moved-{uuid.uuid4().hex}.ics").canonical())
        response = self.client.put(href, data, {"Content-Type": "text/calendar; charset=utf-8"})
        assert response.status in (201, 204), response.status
        return href

    def add(self, summary: str, due: dt.date | None = None) -> str:
        uid = f"phone-{uuid.uuid4().hex}"
        lines = [
            "BEGIN:VCALENDAR",
            "VERSION:2.0",
            "PRODID:-//phone//EN",
            "BEGIN:VTODO",
            f"UID:{uid}",
            "DTSTAMP:20261123T153000Z",
            f"SUMMARY:{summary}",
        ]
        if due:
            lines.append(f"DUE;VALUE=DATE:{due:%Y%m%d}")
        lines += ["END:VTODO", "END:VCALENDAR", ""]
        self.calendar.save_todo(ical="\r\n".join(lines))
        return uid
