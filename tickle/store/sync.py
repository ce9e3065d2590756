"""Sync state (tickle sync): the lists, each item's copy on the server, the phone's own
tasks already reported, and the items a sync compares."""

from __future__ import annotations

import datetime as dt
import json
import secrets
import sqlite3

from tickle.store import rows
from tickle.store.rows import ITEM_WITH_CUSTOMER, from_stamp, utc_stamp
from tickle.sync.state import ItemState, ListState, LocalItem

# The last thing the customer was told or said (a contact with an outcome and a note),
# and when the item itself last changed: for the description and for "later wins".
_EXTRAS = (
    ", (SELECT e.note FROM events e WHERE e.customer_id = i.customer_id "
    "AND e.outcome IS NOT NULL AND e.note IS NOT NULL ORDER BY e.at DESC, e.id DESC LIMIT 1)"
    " AS last_note, (SELECT max(e.at) FROM events e WHERE e.item_id = i.id) AS changed_at"
)
_WITH_EXTRAS = ITEM_WITH_CUSTOMER.replace(" FROM items i", _EXTRAS + " FROM items i", 1)
SYNCED_KINDS = "i.kind IN ('followup', 'promise')"


class SyncState:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    # -- lists --------------------------------------------------------------------

    def find_list(self, url: str) -> ListState | None:
        row = self.conn.execute("SELECT * FROM sync_lists WHERE url = ?", (url,)).fetchone()
        return _list(row) if row else None

    def list_for(self, url: str) -> ListState:
        """The list at `url`, remembered from now on if it is new."""
        found = self.find_list(url)
        if found:
            return found
        self.conn.execute(
            "INSERT INTO sync_lists (url, uid_key) VALUES (?, ?)", (url, secrets.token_hex(6))
        )
        return self.find_list(url)

    def save_token(self, list_id: int, token: str | None, at: dt.datetime | None) -> None:
        self.conn.execute(
            "UPDATE sync_lists SET sync_token = ?, last_synced_at = coalesce(?, last_synced_at) "
            "WHERE id = ?",
            (token, utc_stamp(at) if at else None, list_id),
        )

    # -- items --------------------------------------------------------------------

    def items(self, list_id: int) -> dict[int, ItemState]:
        found = self.conn.execute("SELECT * FROM sync_items WHERE list_id = ?", (list_id,))
        return {row["item_id"]: _item_state(row) for row in found}

    def save(self, list_id: int, states: list[ItemState]) -> None:
        self.conn.executemany(
            "INSERT OR REPLACE INTO sync_items "
            "(list_id, item_id, uid, href, etag, hash, fields, closed) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    list_id,
                    s.item_id,
                    s.uid,
                    s.href,
                    s.etag,
                    s.hash,
                    json.dumps(s.fields, sort_keys=True),
                    int(s.closed),
                )
                for s in states
            ],
        )

    def forget(self, list_id: int, item_ids: list[int]) -> None:
        self.conn.executemany(
            "DELETE FROM sync_items WHERE list_id = ? AND item_id = ?",
            [(list_id, item_id) for item_id in item_ids],
        )

    def local_items(self, list_id: int) -> dict[int, LocalItem]:
        """Every open dated follow-up and promise, and every item whose server copy is
        still open (closed here since, or to be compared once more)."""
        found = self.conn.execute(
            f"{_WITH_EXTRAS} WHERE i.status = 'open' AND i.due IS NOT NULL AND {SYNCED_KINDS} "
            f"UNION ALL {_WITH_EXTRAS} WHERE i.id IN (SELECT item_id FROM sync_items "
            "WHERE list_id = :list AND closed = 0) "
            f"AND NOT (i.status = 'open' AND i.due IS NOT NULL AND {SYNCED_KINDS})",
            {"list": list_id},
        )
        result = {}
        for row in found:
            item, customer = rows.item_with_customer(row)
            changed = from_stamp(row["changed_at"]) if row["changed_at"] else None
            result[item.id] = LocalItem(item, customer, row["last_note"], changed)
        return result

    def pending(self, list_id: int) -> dict[str, int]:
        """How much a sync would have to look at: items never sent, and copies of items
        gone from the tickle file (purged)."""
        never_sent = self.conn.execute(
            "SELECT count(*) FROM items i WHERE i.status = 'open' AND i.due IS NOT NULL "
            f"AND {SYNCED_KINDS} AND i.id NOT IN "
            "(SELECT item_id FROM sync_items WHERE list_id = ?)",
            (list_id,),
        ).fetchone()[0]
        gone = self.conn.execute(
            "SELECT count(*) FROM sync_items s WHERE list_id = ? "
            "AND NOT EXISTS (SELECT 1 FROM items WHERE id = s.item_id)",
            (list_id,),
        ).fetchone()[0]
        return {"never_sent": never_sent, "gone": gone}

    def missing_items(self, list_id: int) -> list[ItemState]:
        """Server copies of items no longer in the tickle file (a customer purged)."""
        found = self.conn.execute(
            "SELECT * FROM sync_items s WHERE list_id = ? "
            "AND NOT EXISTS (SELECT 1 FROM items WHERE id = s.item_id)",
            (list_id,),
        )
        return [_item_state(row) for row in found]

    def drop_change_if_empty(self) -> None:
        """A sync that changed nothing here leaves nothing for `tickle undo` to revert."""
        self.conn.execute(
            "DELETE FROM changes WHERE id = (SELECT max(id) FROM changes) "
            "AND NOT EXISTS (SELECT 1 FROM undo_log WHERE change_id = changes.id)"
        )

    # -- the phone's own tasks ----------------------------------------------------

    def foreign(self, list_id: int) -> dict[str, str | None]:
        found = self.conn.execute(
            "SELECT href, etag FROM sync_foreign WHERE list_id = ?", (list_id,)
        )
        return {row["href"]: row["etag"] for row in found}

    def save_foreign(self, list_id: int, href: str, etag: str | None) -> None:
        self.conn.execute(
            "INSERT OR REPLACE INTO sync_foreign (list_id, href, etag) VALUES (?, ?, ?)",
            (list_id, href, etag),
        )

    def forget_foreign(self, list_id: int, href: str) -> None:
        self.conn.execute(
            "DELETE FROM sync_foreign WHERE list_id = ? AND href = ?", (list_id, href)
        )


def _list(row: sqlite3.Row) -> ListState:
    return ListState(
        id=row["id"],
        url=row["url"],
        uid_key=row["uid_key"],
        sync_token=row["sync_token"],
        last_synced_at=from_stamp(row["last_synced_at"]) if row["last_synced_at"] else None,
    )


def _item_state(row: sqlite3.Row) -> ItemState:
    return ItemState(
        item_id=row["item_id"],
        uid=row["uid"],
        href=row["href"],
        etag=row["etag"],
        hash=row["hash"],
        fields=json.loads(row["fields"] or "{}"),
        closed=bool(row["closed"]),
    )
