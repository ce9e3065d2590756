"""`tickle sync setup`: find (or make) the task list and check that it takes tasks."""

from __future__ import annotations

from dataclasses import dataclass

from tickle.errors import InputError
from tickle.sync.client import TIMEOUT, load_caldav, translated


@dataclass(frozen=True)
class FoundList:
    url: str
    name: str | None
    auth: str  # "basic" or "digest": what the server asked for
    created: bool = False


def find_list(url: str, user: str | None, password: str | None, calendar: str | None) -> FoundList:
    """The task list at `url`, or the one named `calendar` in the account at `url`
    (made with MKCALENDAR for tasks when the account has none of that name)."""
    caldav = load_caldav()
    client = caldav.DAVClient(url=url, username=user, password=password, timeout=TIMEOUT)
    created = False
    with translated(url):
        if calendar:
            principal = client.principal()
            chosen = next(
                (c for c in principal.calendars() if (c.get_display_name() or "") == calendar),
                None,
            )
            if chosen is None:
                chosen = principal.make_calendar(
                    name=calendar, supported_calendar_component_set=["VTODO"]
                )
                created = True
        else:
            chosen = client.calendar(url=url)
        components = _components(chosen, url)
        name = chosen.get_display_name()
    if "VTODO" not in components:
        holds = ", ".join(components) or "no tasks"
        raise InputError(
            f"{chosen.url} does not take tasks (it holds {holds}): give the URL of a task "
            "list, or the account's URL with --calendar NAME to find or make one"
        )
    auth = "digest" if "Digest" in type(client.auth).__name__ else "basic"
    client.close()
    return FoundList(str(chosen.url.canonical()), name, auth, created)


def _components(calendar, url: str) -> list[str]:
    from caldav.lib import error

    try:
        return list(calendar.get_supported_components())
    except (error.DAVError, KeyError, ValueError):
        raise InputError(
            f"{url} is not a calendar collection: give the URL of a task list, or the "
            "account's URL with --calendar NAME"
        ) from None
