"""What sync remembers between runs: per list its sync token, per item where its copy
lives on the server, that copy's ETag and the hashes of its fields as last agreed."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from tickle.domain.models import Customer, Item


@dataclass
class ListState:
    id: int
    url: str
    uid_key: str  # makes this database's UIDs unique on a shared server
    sync_token: str | None = None
    last_synced_at: dt.datetime | None = None

    def uid_for(self, item_id: int) -> str:
        return f"tickle-{item_id}-{self.uid_key}@tickle"

    def item_id_of(self, uid: str) -> int | None:
        """The item a UID of this list names, None for a task made elsewhere."""
        head, _, tail = uid.partition("-")
        number, _, rest = tail.partition("-")
        if head == "tickle" and number.isdigit() and rest == f"{self.uid_key}@tickle":
            return int(number)
        return None


@dataclass
class ItemState:
    item_id: int
    uid: str
    href: str
    etag: str | None = None
    hash: str | None = None  # fingerprint of what the server holds, as last agreed
    fields: dict[str, str] = field(default_factory=dict)  # tracked field -> hash
    closed: bool = False  # done or cancelled on both sides: nothing left to compare


@dataclass
class LocalItem:
    """An item as sync sees it: who it is for, the last thing said, when it last changed."""

    item: Item
    customer: Customer
    last_note: str | None
    changed_at: dt.datetime | None
