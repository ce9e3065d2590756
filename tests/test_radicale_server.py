"""The test Radicale server answers CalDAV and keeps what a client PUTs."""

import caldav
import pytest
from caldav.lib.error import AuthorizationError
from radicale_server import PASSWORD, USER

VTODO = """BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//tickle tests//EN
BEGIN:VTODO
UID:smoke-1@tickle.test
DTSTAMP:20261123T150000Z
SUMMARY:Call Ana Silva (Acme)
DUE;VALUE=DATE:20261124
END:VTODO
END:VCALENDAR
"""


def test_a_vtodo_list_takes_a_task(radicale):
    url = radicale.new_calendar_url()
    with caldav.DAVClient(url=radicale.url, username=USER, password=PASSWORD) as client:
        principal = client.principal()
        calendar = principal.make_calendar(
            name="Smoke",
            cal_id=url.rstrip("/").rsplit("/", 1)[1],
            supported_calendar_component_set=["VTODO"],
        )
        calendar.save_todo(ical=VTODO)
        todos = calendar.todos()
    assert [str(t.icalendar_component["summary"]) for t in todos] == ["Call Ana Silva (Acme)"]
    put = ("PUT", url.removeprefix(radicale.url) + "smoke-1@tickle.test.ics")
    assert put in radicale.requests()


def test_a_wrong_password_is_refused(radicale):
    client = caldav.DAVClient(url=radicale.url, username=USER, password="wrong")
    with client, pytest.raises(AuthorizationError):
        client.principal()
