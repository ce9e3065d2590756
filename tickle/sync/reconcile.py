"""What one item's two copies say, and which side each field is taken from.

Sync remembers, per item, a hash of each tracked field (summary, due, status) as both
sides last agreed. A field that only the phone changed comes down; one only tickle
changed goes up; one both changed goes to the later change (the phone's LAST-MODIFIED
against the item's last event), except a promise's date: it is a commitment moved
with the customer (`tickle move`), so in a conflict tickle's date stays. Only an open
item takes anything from the phone: a closed one sends its state up.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from tickle.dates import When
from tickle.sync.mapping import CANCELLED, COMPLETED, TRACKED, Task, title_from_summary
from tickle.sync.state import LocalItem

DELETE_KEEPS_PROMISE = "put back"
DELETE_CANCELS = "cancel"
DELETE_FORGETS = "forget"


@dataclass
class Takes:
    """What an item takes from the phone's copy."""

    title: str | None = None
    due: When | None = None
    status: str | None = None  # COMPLETED or CANCELLED
    completed_at: dt.datetime | None = None
    kept_promise_date: bool = False  # both moved a promise's date: tickle's stays

    def __bool__(self) -> bool:
        return bool(self.title or self.due or self.status)


def merge(local: LocalItem, ours: Task, agreed: dict[str, str], theirs: Task) -> Takes:
    takes = Takes()
    item = local.item
    if not item.is_open or not agreed:
        # Closed here, or never agreed (a copy an interrupted run sent): tickle's goes up.
        return takes
    mine, yours = ours.field_hashes(), theirs.field_hashes()
    for name in TRACKED:
        if mine[name] == yours[name] or yours[name] == agreed.get(name):
            continue
        if mine[name] != agreed.get(name):  # changed on both sides
            if name == "due" and item.kind == "promise":
                takes.kept_promise_date = True
                continue
            if not _phone_is_later(theirs, local):
                continue
        _take(takes, name, local, theirs)
    return takes


def _take(takes: Takes, name: str, local: LocalItem, theirs: Task) -> None:
    if name == "summary":
        title = title_from_summary(theirs.summary, local.item, local.customer)
        if title != local.item.title:
            takes.title = title
    elif name == "due":
        takes.due = theirs.due  # None (the phone dropped the date) is not taken
    elif name == "status" and theirs.status in (COMPLETED, CANCELLED):
        takes.status = theirs.status
        takes.completed_at = theirs.completed


def _phone_is_later(theirs: Task, local: LocalItem) -> bool:
    if theirs.last_modified is None:
        return False
    if local.changed_at is None:
        return True
    return theirs.last_modified > local.changed_at


def on_deletion(local: LocalItem | None) -> str:
    """What a deletion on the phone does: an open follow-up is cancelled, an open promise
    is never cancelled by it (it is put back), anything else is only forgotten."""
    if local is None or not local.item.is_open:
        return DELETE_FORGETS
    if local.item.kind == "promise":
        return DELETE_KEEPS_PROMISE
    return DELETE_CANCELS
