"""The iCalendar export, put to a real Radicale server (tests/radicale_server.py): each
VTODO is accepted, and a time-range REPORT finds the items due in it."""

from __future__ import annotations

import base64
import urllib.error
import urllib.request

from icalendar import Calendar
from radicale_server import PASSWORD, USER

AUTH = "Basic " + base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()

MKCALENDAR = b"""<?xml version="1.0" encoding="utf-8"?>
<C:mkcalendar xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav">
  <D:set><D:prop><C:supported-calendar-component-set><C:comp name="VTODO"/>
  </C:supported-calendar-component-set></D:prop></D:set>
</C:mkcalendar>"""

REPORT = """<?xml version="1.0" encoding="utf-8"?>
<C:calendar-query xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav">
  <D:prop><D:getetag/><C:calendar-data/></D:prop>
  <C:filter><C:comp-filter name="VCALENDAR"><C:comp-filter name="VTODO">
    <C:time-range start="{start}" end="{end}"/>
  </C:comp-filter></C:comp-filter></C:filter>
</C:calendar-query>"""


def _send(method: str, url: str, body: bytes, content_type: str, depth: str | None = None):
    request = urllib.request.Request(url, data=body, method=method)
    request.add_header("Authorization", AUTH)
    request.add_header("Content-Type", content_type)
    if depth is not None:
        request.add_header("Depth", depth)
    try:
        with urllib.request.urlopen(request, timeout=20) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8", "replace")


def test_every_exported_todo_is_accepted_and_found_by_time_range(book, radicale):
    varied = book
    varied.ok("add", "ana silva", "tomorrow 10am", "call back about pricing")  # 1
    varied.ok("promise", "bob", "pricing sheet", "--by", "fri")  # 2
    varied.ok("add", "bob", "thu 9am", "weekly call", "--every", "week")  # 3
    varied.ok("snooze", "3", "mon")  # an exception of the series, at 9:00 still
    varied.ok("add", "anabel", "fri", "pricing review", "--rrule", "FREQ=MONTHLY;UNTIL=20270301")
    varied.ok("add", "ana silva", "tomorrow", "still happy?", "--every", "month", "--after-done")
    varied.ok("add", "anabel", "in 3 weeks", "after the holidays")  # 6: outside the week
    calendar = radicale.new_calendar_url()
    status, _ = _send("MKCALENDAR", calendar, MKCALENDAR, "application/xml")
    assert status == 201

    exported = Calendar.from_ical(varied.ok("export", "items", "--format", "ics"))
    zones = [c for c in exported.subcomponents if c.name == "VTIMEZONE"]
    uids = []
    for todo in exported.walk("VTODO"):
        one = Calendar()
        for key in ("prodid", "version", "calscale"):
            one.add(key, exported[key])
        for zone in zones:
            one.add_component(zone)
        one.add_component(todo)
        uid = str(todo["uid"])
        uids.append(uid)
        status, body = _send(
            "PUT", f"{calendar}{uid}.ics", one.to_ical(), "text/calendar; charset=utf-8"
        )
        assert status == 201, (uid, body)
    assert len(uids) == 6

    # the next seven days of the agenda (2026-11-23 to 2026-11-30), as UTC
    status, body = _send(
        "REPORT",
        calendar,
        REPORT.format(start="20261123T050000Z", end="20261201T050000Z").encode(),
        "application/xml",
        depth="1",
    )
    assert status == 207, body
    hrefs = body.replace("%40", "@")
    found = sorted(uid for uid in uids if f"/{uid}.ics<" in hrefs)
    agenda = varied.json("agenda", "--days", "7")
    due = sorted(f"item-{row['id']}@tickle" for row in agenda if row["id"] is not None)
    assert found == due
    assert len(found) == 5 and "item-6@tickle" not in found
