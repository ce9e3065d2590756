"""One CalDAV task list, over the caldav library.

Reads go through the library's sync-collection REPORT (RFC 6578; it falls back to
listing every object where a server has no sync tokens) and calendar-multiget.
Writes use its client's `put` and `delete` with the precondition headers written
here rather than `Todo.save()`: `save(no_overwrite=True)` searches the list for the
UID before every PUT (a second request per new task), while `If-None-Match: *` alone
makes the server refuse to overwrite (RFC 4791 section 5.3.2), in one request.

The library does its HTTP with niquests when it can import it, else with requests
(`caldav.lib.http_sync`); `load_caldav` has it take requests when that is installed.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from importlib.util import find_spec

from tickle.sync.errors import CredentialsRefused, ServerError, ServerUnreachable

ICAL = {"Content-Type": "text/calendar; charset=utf-8"}
TIMEOUT = 30


@dataclass
class Changes:
    """What the server reports since a sync token: changed objects with their ETags,
    removed ones, and whether the list is complete (every object, so that any object
    not in it is gone)."""

    token: str | None
    changed: dict[str, str | None] = field(default_factory=dict)  # href -> etag
    deleted: set[str] = field(default_factory=set)
    complete: bool = False


class Refused(Exception):
    """A conditional write the server refused: the object changed, exists or is gone."""

    def __init__(self, status: int) -> None:
        super().__init__(status)
        self.status = status


def load_caldav():
    """The caldav library, doing its HTTP with requests when requests is installed.

    caldav picks niquests whenever it can import it, and falls back to requests,
    which speaks the same API to it and is the lighter import of the two (0.12 s
    against 0.15 s on a 2-core machine, both over the urllib3-future that niquests
    installs in place of urllib3). So niquests is hidden from caldav's one import
    of it for its sync client, in
    `caldav.lib.http_sync`. A process that imported that module already (a caller
    of the library's own) keeps the library it chose.
    """
    chosen = "caldav.lib.http_sync" in sys.modules or "niquests" in sys.modules
    if not chosen and find_spec("requests") is not None:
        sys.modules["niquests"] = None  # `import niquests` raises ImportError
        try:
            import caldav.lib.http_sync
        finally:
            del sys.modules["niquests"]
    import caldav

    return caldav


class TaskList:
    def __init__(
        self, url: str, user: str | None, password: str | None, *, auth: str | None = "basic"
    ) -> None:
        caldav = load_caldav()

        self.url = url if url.endswith("/") else url + "/"
        self.client = caldav.DAVClient(
            url=self.url,
            username=user,
            password=password,
            # Named up front, the first request carries the credentials instead of
            # being answered 401 and sent again.
            auth_type=auth if user else None,
            timeout=TIMEOUT,
        )
        self.calendar = self.client.calendar(url=self.url)
        self.requests = 0

    def close(self) -> None:
        self.client.close()

    def href(self, name: str) -> str:
        return str(self.calendar.url.join(name).canonical())

    # -- reads --------------------------------------------------------------------

    def changes(
        self, token: str | None, known: Callable[[], set[tuple[str, str]]] = set
    ) -> Changes:
        """What changed since `token`. `known` gives the (href, ETag) pairs already
        in step: a report that lists only those says nothing new."""
        if token and not token.startswith("fake-") and self._has_sync_tokens():
            unchanged = self._unchanged_since(token, known)
            if unchanged is not None:
                return unchanged
        with translated(self.url):
            self.requests += 1
            found = self.calendar.objects_by_sync_token(sync_token=token, load_objects=False)
        new_token = found.sync_token
        fake = isinstance(new_token, str) and new_token.startswith("fake-")
        if fake and new_token == token:
            return Changes(new_token)  # no sync tokens, and nothing changed
        deleted = {str(url) for url in found.deleted_urls}
        changed = {
            str(obj.url.canonical()): obj.etag
            for obj in found
            if str(obj.url.canonical()) not in deleted
        }
        return Changes(new_token, changed, deleted, complete=token is None or fake)

    def _has_sync_tokens(self) -> bool:
        support = self.client.features.is_supported("sync-token", return_type=dict)
        return support.get("support") != "unsupported"

    def _unchanged_since(
        self, token: str, known: Callable[[], set[tuple[str, str]]]
    ) -> Changes | None:
        """The changes since `token` when the server lists nothing new: no member, or
        only members at the ETags in `known` (the tasks the last sync sent itself).
        None for any other answer (a change, a removal, a truncated or refused
        report): the library's `objects_by_sync_token` reads it then.

        This path sends the same sync-collection REPORT through the client's `report`
        and reads it with the response's own `parse_sync_collection`, instead of
        `objects_by_sync_token`: that asks `is_async_client`, which imports
        `caldav.async_davclient` and niquests with it (see `load_caldav`), and makes
        an object of every member listed. A member it lists is taken only when its
        href, made the way `href()` makes one, is known already, so every href kept
        comes from the library's own listing or from `href()`.
        """
        from urllib.parse import quote

        from caldav.elements import dav
        from caldav.lib import error
        from lxml import etree

        query = dav.SyncCollection() + [
            dav.SyncToken(value=token),
            dav.SyncLevel(value="1"),
            dav.Prop() + [dav.GetEtag()],
        ]
        body = etree.tostring(query.xmlelement(), encoding="utf-8", xml_declaration=True)
        with translated(self.url):
            self.requests += 1
            try:
                response = self.client.report(str(self.calendar.url), body, depth=1)
            except error.AuthorizationError as refused:
                if not getattr(refused, "preconditions", None):  # the credentials
                    raise
                return None  # a token the server no longer knows, among others
            if response.status != 207 or not hasattr(response, "parse_sync_collection"):
                return None  # (a caldav older than 3.x has no parser of its own)
            found = response.parse_sync_collection()
        if found.deleted or found.truncated or not found.sync_token:
            return None
        listed = {
            (str(self.calendar.url.join(quote(m.href)).canonical()), m.etag) for m in found.changed
        }
        listed.discard((str(self.calendar.url.canonical()), None))  # the list itself (iCloud)
        if listed and not listed <= known():
            return None
        return Changes(found.sync_token, dict(listed))

    def fetch(self, hrefs: Iterable[str]) -> dict[str, tuple[str | None, bytes]]:
        """The data and ETag of each object (calendar-multiget), by href."""
        from caldav.lib.url import URL

        wanted = list(hrefs)
        if not wanted:
            return {}
        with translated(self.url):
            self.requests += 1
            found = self.calendar.multiget([URL.objectify(h) for h in wanted])
        return {str(obj.url.canonical()): (obj.etag, _bytes(obj.data)) for obj in found}

    def get(self, href: str) -> tuple[str | None, bytes] | None:
        with translated(self.url):
            self.requests += 1
            response = self.client.request(href, "GET")
        if response.status == 404:
            return None
        _check(response)
        return response.headers.get("ETag"), _bytes(response.raw)

    # -- writes -------------------------------------------------------------------

    def create(self, href: str, body: bytes) -> str | None:
        """PUT a new object; Refused(412) if one is there already. Returns its ETag."""
        return self._put(href, body, {"If-None-Match": "*"})

    def update(self, href: str, etag: str, body: bytes) -> str | None:
        """PUT over the version with `etag` only; Refused(412) if it changed since."""
        return self._put(href, body, {"If-Match": etag})

    def delete(self, href: str, etag: str | None) -> None:
        """DELETE the version with `etag` (any version when None); gone already is fine."""
        headers = {"If-Match": etag} if etag else {}
        with translated(self.url):
            self.requests += 1
            response = self.client.delete(href, headers)
        if response.status in (404, 410):
            return
        _check(response)

    def _put(self, href: str, body: bytes, condition: dict[str, str]) -> str | None:
        with translated(self.url):
            self.requests += 1
            response = self.client.put(href, body, ICAL | condition)
        _check(response)
        return response.headers.get("ETag")


def _check(response) -> None:
    if response.status in (404, 409, 412):
        raise Refused(response.status)
    if response.status >= 300:
        raise ServerError(f"the server answered {response.status} {response.reason}")


def _bytes(data) -> bytes:
    if data is None:
        return b""
    return data.encode() if isinstance(data, str) else bytes(data)


@contextmanager
def translated(url: str) -> Iterator[None]:
    """The library's and the network's failures as tickle's errors."""
    from caldav.lib import error
    from caldav.lib.http_sync import requests as http  # requests or niquests

    try:
        yield
    except error.AuthorizationError as failure:
        if getattr(failure, "reason", "") == "Forbidden" or "403" in str(failure):
            raise CredentialsRefused(
                f"{url} refused access to this list (403): check the user and the list URL"
            ) from None
        raise CredentialsRefused(
            f"{url} refused the credentials: check the user and the password "
            "($TICKLE_SYNC_PASSWORD or the password command)"
        ) from None
    except error.NotFoundError:
        raise ServerError(
            f"{url} is not there (404): check the list URL with 'tickle sync setup'"
        ) from None
    except (http.exceptions.ConnectionError, http.exceptions.Timeout) as failure:
        raise ServerUnreachable(f"cannot reach {url}: {_reason(failure)}") from None
    except error.DAVError as failure:
        raise ServerError(f"{url} answered with an error: {failure}") from None


def _reason(failure: Exception) -> str:
    text = str(failure)
    for known in ("Connection refused", "Name or service not known", "timed out"):
        if known in text:
            return known.lower()
    return text.split(":")[-1].strip(" )'\"") or type(failure).__name__
