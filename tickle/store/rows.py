"""Between rows and the domain's records: column values in, models out, and the
query fragments that several parts of the store share."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3

from tickle import dates
from tickle.dates import When
from tickle.domain.models import Customer, Event, Item

ITEM_WITH_CUSTOMER = (
    "SELECT i.*, c.id AS c_id, c.name AS c_name, c.company AS c_company, c.email AS c_email, "
    "c.phone AS c_phone, c.channel AS c_channel, c.best_time AS c_best_time, c.tz AS c_tz, "
    "c.phone_e164 AS c_phone_e164, c.tz_source AS c_tz_source, "
    # The date a recurring item's series started on: its rule's anchor, which says the
    # weekday of "every week" whatever date a snooze gave this occurrence.
    "CASE WHEN i.rrule IS NULL THEN NULL ELSE (SELECT e.new_due FROM events e "
    "WHERE e.item_id = coalesce(i.series_id, i.id) AND e.type = 'created' "
    "ORDER BY e.id LIMIT 1) END AS series_anchor "
    "FROM items i JOIN customers c ON c.id = i.customer_id"
)

# An open item is overdue once its all-day date has passed, or its time has: now as
# the wall time of the zone the item keeps its times in (kept_wall, for the rare item
# made in another zone than ours).
OVERDUE = (
    "(CASE WHEN due IS NULL THEN 0 WHEN length(due) = 10 THEN due < :today "
    "WHEN tz IS NULL OR tz = :zone THEN due < :now_local "
    # no zone is more than 26 hours from another: only a due near now needs the function
    "ELSE due < :now_local_early OR (due < :now_local_late AND due < kept_wall(:now_local, tz)) "
    "END)"
)


def overdue_params(today: str, now_local: str) -> dict:
    """What OVERDUE reads, for `today` and now as local wall times: and now give or take
    26 hours, so that a due earlier than the first is past in any zone, one later than
    the second not yet due in any."""
    now = dt.datetime.fromisoformat(now_local)
    span = dt.timedelta(hours=26)
    return {
        "today": today,
        "now_local": now_local,
        "zone": dates.local_zone_name(),
        "now_local_early": (now - span).isoformat(timespec="seconds"),
        "now_local_late": (now + span).isoformat(timespec="seconds"),
    }


def kept_wall(local_wall: str, zone: str) -> str:
    """The SQL function kept_wall: a local wall time as the wall time of `zone`."""
    return dates.to_zone(When.from_iso(local_wall), zone).iso()


def utc_stamp(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def from_stamp(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).astimezone()


def escape_like(text: str) -> str:
    """`text` matched literally by LIKE ... ESCAPE '\\'."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def to_column(value: object) -> object:
    if isinstance(value, When):
        return value.iso()
    if isinstance(value, dt.datetime):
        return utc_stamp(value)
    if isinstance(value, bool):
        return int(value)
    return value


def import_column(column: str, value: object) -> object:
    if column == "tags":
        return json.dumps(value or [])
    if column in ("emails", "phones"):
        return stored_addresses(value)  # type: ignore[arg-type]
    return to_column(value)


def when(text: str | None, zone: str | None = None) -> When | None:
    """A stored date, or a wall time kept in the item's `zone`, as a local When."""
    if not text:
        return None
    return dates.from_zone(When.from_iso(text), zone)


def stored_when(value: When, zone: str | None) -> str:
    """A local When as stored for an item made in `zone` (when()'s inverse)."""
    return dates.to_zone(value, zone).iso()


def customer(row: sqlite3.Row) -> Customer:
    from tickle.domain.addresses import entries

    return Customer(
        id=row["id"],
        name=row["name"],
        company=row["company"],
        email=row["email"],
        phone=row["phone"],
        channel=row["channel"],
        best_time=row["best_time"],
        tz=row["tz"],
        tags=json.loads(row["tags"] or "[]"),
        note=row["note"],
        external_id=row["external_id"],
        archived_at=row["archived_at"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
        emails=entries(addresses(row["emails"]), row["email"]),
        phones=entries(addresses(row["phones"]), row["phone"], row["phone_e164"]),
        phone_e164=row["phone_e164"],
        tz_source=row["tz_source"],
    )


def addresses(text: str | None) -> list[dict] | None:
    return json.loads(text) if text else None


def stored_addresses(items: list[dict] | None) -> str | None:
    """A customer's list as stored (tickle.domain.addresses.worth_storing)."""
    from tickle.domain.addresses import worth_storing

    kept = worth_storing(items)
    return None if kept is None else json.dumps(kept, ensure_ascii=False)


def item(row: sqlite3.Row) -> Item:
    zone = row["tz"]
    return Item(
        id=row["id"],
        kind=row["kind"],
        customer_id=row["customer_id"],
        title=row["title"],
        due=when(row["due"], zone),
        status=row["status"],
        tz=zone,
        channel=row["channel"],
        attempts=row["attempts"],
        outcome=row["outcome"],
        promised_due=when(row["promised_due"], zone),
        kept=row["kept"],
        rrule=row["rrule"],
        after_done=bool(row["after_done"]),
        series_id=row["series_id"],
        parent_id=row["parent_id"],
        created_at=row["created_at"],
        closed_at=row["closed_at"],
        category=row["category"],
        resolution=row["resolution"],
        resolved_at=row["resolved_at"],
        lesson=row["lesson"],
        letter_quote=row["letter_quote"],
        letter_at=row["letter_at"],
        series_anchor=when(row["series_anchor"], zone) if "series_anchor" in row.keys() else None,  # noqa: SIM118 - sqlite3.Row: `in` looks at values
    )


def item_with_customer(row: sqlite3.Row) -> tuple[Item, Customer]:
    """A row of ITEM_WITH_CUSTOMER: the item, and the customer's contact details."""
    return item(row), Customer(
        id=row["c_id"],
        name=row["c_name"],
        company=row["c_company"],
        email=row["c_email"],
        phone=row["c_phone"],
        channel=row["c_channel"],
        best_time=row["c_best_time"],
        tz=row["c_tz"],
        phone_e164=row["c_phone_e164"],
        tz_source=row["c_tz_source"],
    )


def event(row: sqlite3.Row) -> Event:
    return Event(
        id=row["id"],
        customer_id=row["customer_id"],
        item_id=row["item_id"],
        at=from_stamp(row["at"]),
        type=row["type"],
        outcome=row["outcome"],
        channel=row["channel"],
        note=row["note"],
        old_due=when(row["old_due"], row["item_tz"]),
        new_due=when(row["new_due"], row["item_tz"]),
        item_title=row["item_title"],
        item_kind=row["item_kind"],
    )
