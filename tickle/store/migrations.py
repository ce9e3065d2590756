"""The schema's history: numbered steps, each run once, in order, in its own transaction.

`PRAGMA user_version` records the last step applied; `PRAGMA application_id` marks
the file as a tickle database so that another program's SQLite file is never
mistaken for ours (or migrated).
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable

APPLICATION_ID = 0x7469636B  # "tick"

Migration = Callable[[sqlite3.Connection], None]
MIGRATIONS: list[Migration] = []


def migration(step: Migration) -> Migration:
    MIGRATIONS.append(step)
    return step


def latest_version() -> int:
    return len(MIGRATIONS)


@migration
def m001_initial(conn: sqlite3.Connection) -> None:
    statements = [
        """
        CREATE TABLE customers (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            name TEXT NOT NULL,
            company TEXT,
            email TEXT,
            phone TEXT,
            channel TEXT CHECK (channel IN ('phone', 'email', 'sms', 'meeting', 'chat')),
            best_time TEXT,
            tz TEXT,
            tags TEXT NOT NULL DEFAULT '[]',
            note TEXT,
            external_id TEXT,
            archived_at TEXT,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        )
        """,
        (
            "CREATE UNIQUE INDEX customers_email ON customers (email COLLATE NOCASE)"
            " WHERE email IS NOT NULL"
        ),
        (
            "CREATE INDEX customers_external_id ON customers (external_id)"
            " WHERE external_id IS NOT NULL"
        ),
        # One id space for follow-ups, promises and cases; AUTOINCREMENT so that an
        # id is never handed out twice, even after an undo removed the newest item.
        """
        CREATE TABLE items (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            kind TEXT NOT NULL CHECK (kind IN ('followup', 'promise', 'case')),
            customer_id INTEGER NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
            title TEXT NOT NULL,
            due TEXT,
            tz TEXT,
            channel TEXT CHECK (channel IN ('phone', 'email', 'sms', 'meeting', 'chat')),
            status TEXT NOT NULL DEFAULT 'open'
                CHECK (status IN ('open', 'done', 'cancelled')),
            attempts INTEGER NOT NULL DEFAULT 0,
            outcome TEXT,
            promised_due TEXT,
            kept TEXT CHECK (kept IN ('on_time', 'late')),
            rrule TEXT,
            after_done INTEGER NOT NULL DEFAULT 0,
            series_id INTEGER,
            parent_id INTEGER REFERENCES items (id) ON DELETE SET NULL,
            created_at TEXT NOT NULL,
            closed_at TEXT
        )
        """,
        "CREATE INDEX items_agenda ON items (status, due)",
        "CREATE INDEX items_customer ON items (customer_id, status, due)",
        "CREATE INDEX items_parent ON items (parent_id) WHERE parent_id IS NOT NULL",
        # The per-customer timeline: every contact, outcome and change of date.
        """
        CREATE TABLE events (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            customer_id INTEGER NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
            item_id INTEGER REFERENCES items (id) ON DELETE CASCADE,
            at TEXT NOT NULL,
            type TEXT NOT NULL,
            outcome TEXT,
            channel TEXT,
            note TEXT,
            old_due TEXT,
            new_due TEXT
        )
        """,
        "CREATE INDEX events_customer ON events (customer_id, at)",
        "CREATE INDEX events_item ON events (item_id) WHERE item_id IS NOT NULL",
        # Undo: one row per write command, and the before-image of every row it touched.
        """
        CREATE TABLE changes (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            command TEXT NOT NULL,
            at TEXT NOT NULL
        )
        """,
        """
        CREATE TABLE undo_log (
            seq INTEGER PRIMARY KEY,
            change_id INTEGER NOT NULL REFERENCES changes (id) ON DELETE CASCADE,
            tbl TEXT NOT NULL,
            row_id INTEGER NOT NULL,
            op TEXT NOT NULL CHECK (op IN ('insert', 'update', 'delete')),
            old TEXT
        )
        """,
        "CREATE INDEX undo_log_change ON undo_log (change_id)",
    ]
    for statement in statements:
        conn.execute(statement)


@migration
def m002_cases(conn: sqlite3.Connection) -> None:
    """Complaint cases: what they are about, how they were fixed, and what was learnt."""
    for column in ("category", "resolution", "resolved_at", "lesson", "letter_quote", "letter_at"):
        conn.execute(f"ALTER TABLE items ADD COLUMN {column} TEXT")
    # Repeated complaints are counted by category; the report counts events by type
    # over a period.
    conn.execute("CREATE INDEX items_category ON items (category) WHERE category IS NOT NULL")
    conn.execute("CREATE INDEX events_type_at ON events (type, at)")


@migration
def m003_checks_without_in_lists(conn: sqlite3.Connection) -> None:
    """The same CHECK constraints, spelled `x = 'a' OR x = 'b'`.

    SQLite builds a temporary table for a CHECK's `IN (...)` list on every row it
    inserts: that made a 100k-row import half a second slower. Only the stored
    CREATE TABLE text changes, by the procedure SQLite's ALTER TABLE documentation
    gives for changing CHECK constraints; no row is rewritten, so it is instant.
    """
    version = conn.execute("PRAGMA schema_version").fetchone()[0]
    tables = conn.execute("SELECT name, sql FROM sqlite_schema WHERE type = 'table'").fetchall()
    conn.execute("PRAGMA writable_schema = ON")
    try:
        for name, sql in tables:
            rewritten = _IN_LIST_CHECK.sub(_as_comparisons, sql or "")
            if rewritten != sql:
                conn.execute(
                    "UPDATE sqlite_schema SET sql = ? WHERE type = 'table' AND name = ?",
                    (rewritten, name),
                )
        conn.execute(f"PRAGMA schema_version = {version + 1}")
    finally:
        conn.execute("PRAGMA writable_schema = OFF")


_IN_LIST_CHECK = re.compile(r"CHECK \((\w+) IN \(((?:'[a-z_]+'(?:, )?)+)\)\)")


def _as_comparisons(match: re.Match[str]) -> str:
    column, values = match.group(1), re.findall(r"'[a-z_]+'", match.group(2))
    return "CHECK (" + " OR ".join(f"{column} = {value}" for value in values) + ")"


@migration
def m004_report_indexes(conn: sqlite3.Connection) -> None:
    """Indexes that let the report read a period instead of the whole history: items by
    when they were created and closed, and by kind and status.
    At a million items they take a few seconds to build, once."""
    statements = [
        "CREATE INDEX items_created ON items (kind, created_at)",
        # Wide, so that the figures about what was closed in a period never read a row.
        "CREATE INDEX items_closed ON items (kind, closed_at, status, kept, due, parent_id)",
        "DROP INDEX events_type_at",
        "CREATE INDEX events_type_at ON events (type, at, outcome)",
        "CREATE INDEX items_kind ON items (kind, status, due)",
    ]
    for statement in statements:
        conn.execute(statement)


@migration
def m005_last_contact(conn: sqlite3.Connection) -> None:
    """Each customer's last contact, kept up to date as contacts are recorded (the store
    does it, not a trigger: a trigger cost every imported row 2.5 us): who has gone
    quiet is then one index range, not a search of every customer's history."""
    conn.execute("ALTER TABLE customers ADD COLUMN last_contact_at TEXT")
    conn.execute(
        "UPDATE customers SET last_contact_at = latest.at FROM "
        f"(SELECT customer_id, max(at) AS at FROM events WHERE {_M005_CONTACT_TYPES} "
        "GROUP BY customer_id) AS latest WHERE latest.customer_id = customers.id"
    )
    conn.execute(
        f"CREATE INDEX customers_quiet ON customers ({QUIET_SINCE}, id) WHERE archived_at IS NULL"
    )


# The event types that were contacts when m005 was written.
_M005_CONTACT_TYPES = "(type = 'contact' OR type = 'attempt' OR type = 'done')"
# Since when a customer has been quiet; queries repeat it word for word to use the index.
QUIET_SINCE = "coalesce(last_contact_at, created_at)"


@migration
def m006_match_keys(conn: sqlite3.Connection) -> None:
    """Each customer's name and company folded as people are matched (tickle.domain.names),
    kept by the store, so that finding `chloe dub` reads one narrow index, not every name."""
    from tickle.domain.names import match_key

    conn.execute("ALTER TABLE customers ADD COLUMN match_key TEXT")
    rows = conn.execute("SELECT id, name, company FROM customers").fetchall()
    conn.executemany(
        "UPDATE customers SET match_key = ? WHERE id = ?",
        [(match_key(name, company), cid) for cid, name, company in rows],
    )
    conn.execute("CREATE INDEX customers_match ON customers (match_key) WHERE archived_at IS NULL")


@migration
def m007_last_contact_of_every_kind(conn: sqlite3.Connection) -> None:
    """A promise kept and work on a case are contacts too: each customer's last contact
    again from the whole history, by the one definition (models.CONTACT_EVENTS)."""
    conn.execute(
        "UPDATE customers SET last_contact_at = (SELECT max(at) FROM events "
        f"WHERE events.customer_id = customers.id AND {CONTACT_TYPES})"
    )


# The event types that are contacts, as models.CONTACT_EVENTS has them since m007.
CONTACT_TYPES = (
    "(type = 'contact' OR type = 'attempt' OR type = 'done' OR type = 'kept' "
    "OR type = 'opened' OR type = 'noted' OR type = 'resolved')"
)


@migration
def m008_every_email_and_phone(conn: sqlite3.Connection) -> None:
    """Every email address and phone number of a customer with its kind, as JSON lists
    (tickle.domain.addresses), the preferred one first; `email` and `phone` stay the
    preferred ones, so that everything that reads them still does. NULL is a list of
    the one `email` or `phone`."""
    conn.execute("ALTER TABLE customers ADD COLUMN emails TEXT")
    conn.execute("ALTER TABLE customers ADD COLUMN phones TEXT")


# What `tickle search` reads, by table: a full-text index (FTS5) over each.
SEARCHED_COLUMNS = {
    "customers": ("name", "company", "note", "tags"),
    "items": ("title", "resolution", "lesson", "letter_quote"),
    "events": ("note",),
}
# Case and accents folded: `chloe` finds Chloé, `akesson` Åkesson.
SEARCH_TOKENIZER = "unicode61 remove_diacritics 2"


@migration
def m009_search(conn: sqlite3.Connection) -> None:
    """Full-text indexes for `tickle search`, kept current by triggers.

    sqlite-utils builds them (external-content FTS5 tables named `<table>_fts` with
    `_ai`/`_ad`/`_au` triggers, a layout Datasette and `sqlite-utils search` also
    understand). Inside a transaction, sqlite-utils 4.2 runs its scripts statement by
    statement instead of through executescript(), which would commit this step half-done.
    Its update trigger fires on every update; ours only when searched text changes, so
    that moving, snoozing and closing items do not rewrite the index."""
    from sqlite_utils import Database

    database = Database(conn)
    for table, columns in SEARCHED_COLUMNS.items():
        database[table].enable_fts(columns, create_triggers=True, tokenize=SEARCH_TOKENIZER)
        listed = ", ".join(columns)
        old = ", ".join(f"old.{column}" for column in columns)
        new = ", ".join(f"new.{column}" for column in columns)
        conn.execute(f"DROP TRIGGER {table}_au")
        conn.execute(
            f"CREATE TRIGGER {table}_au AFTER UPDATE OF {listed} ON {table} BEGIN "
            f"INSERT INTO {table}_fts ({table}_fts, rowid, {listed}) "
            f"VALUES ('delete', old.rowid, {old}); "
            f"INSERT INTO {table}_fts (rowid, {listed}) VALUES (new.rowid, {new}); END"
        )
    _phone_facts(conn)


def _phone_facts(conn: sqlite3.Connection) -> None:
    """Beside each phone as typed: its E.164 form, for matching and dialling; and the
    customer's time zone, when none was given and the number has exactly one
    (`tz_source` = 'phone' says that it was inferred)."""
    from tickle.domain.phones import read_phone
    from tickle.settings import get

    conn.execute("ALTER TABLE customers ADD COLUMN phone_e164 TEXT")
    conn.execute("ALTER TABLE customers ADD COLUMN tz_source TEXT")
    conn.execute(
        "CREATE INDEX customers_phone_e164 ON customers (phone_e164) WHERE phone_e164 IS NOT NULL"
    )
    region = get("phones.region")
    found = conn.execute("SELECT id, phone, tz FROM customers WHERE phone IS NOT NULL")
    for customer_id, phone, tz in found.fetchall():
        facts = read_phone(phone, region)
        inferred = facts.zone if tz is None else None
        conn.execute(
            "UPDATE customers SET phone_e164 = ?, tz = coalesce(tz, ?), "
            "tz_source = CASE WHEN ? IS NULL THEN tz_source ELSE 'phone' END WHERE id = ?",
            (facts.e164, inferred, inferred, customer_id),
        )


@migration
def m010_sync_state(conn: sqlite3.Connection) -> None:
    """What `tickle sync` last agreed with a CalDAV task list: per list its sync token
    (RFC 6578), per item the object's href and ETag and a hash of each field as last
    synced, and the phone's own tasks already reported. No foreign key to items: when
    an item is gone (a customer purged), its row is how the server copy is found and
    deleted. Rows hold hashes, never the text of a title or a note."""
    conn.execute(
        """
        CREATE TABLE sync_lists (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            url TEXT NOT NULL UNIQUE,
            uid_key TEXT NOT NULL,
            sync_token TEXT,
            last_synced_at TEXT
        )
        """
    )
    conn.execute(
        """
        CREATE TABLE sync_items (
            list_id INTEGER NOT NULL REFERENCES sync_lists (id) ON DELETE CASCADE,
            item_id INTEGER NOT NULL,
            uid TEXT NOT NULL,
            href TEXT NOT NULL,
            etag TEXT,
            hash TEXT,
            fields TEXT NOT NULL DEFAULT '{}',
            closed INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (list_id, item_id)
        )
        """
    )
    conn.execute("CREATE UNIQUE INDEX sync_items_href ON sync_items (list_id, href)")
    conn.execute(
        "CREATE INDEX sync_items_pending ON sync_items (list_id, item_id) WHERE closed = 0"
    )
    conn.execute(
        """
        CREATE TABLE sync_foreign (
            list_id INTEGER NOT NULL REFERENCES sync_lists (id) ON DELETE CASCADE,
            href TEXT NOT NULL,
            etag TEXT,
            PRIMARY KEY (list_id, href)
        )
        """
    )


@migration
def m011_phone_list_e164(conn: sqlite3.Connection) -> None:
    """Every number of a customer's list of phones with its E.164 form beside it
    (`"e164"` in each entry, when it can be read in phones.region), as the preferred one
    has in `phone_e164`; and that column for a preferred number that an import wrote
    without it. No column: the forms live in the list (tickle.domain.addresses)."""
    import json

    from tickle.domain.phones import e164_of
    from tickle.settings import get

    region = get("phones.region")
    found = conn.execute(
        "SELECT id, phone, phones, phone_e164 FROM customers "
        "WHERE phones IS NOT NULL OR (phone IS NOT NULL AND phone_e164 IS NULL)"
    )
    for customer_id, phone, phones, e164 in found.fetchall():
        listed = json.loads(phones) if phones else None
        if isinstance(listed, list):
            for entry in listed:
                if isinstance(entry, dict) and isinstance(entry.get("value"), str):
                    entry.pop("e164", None)
                    form = e164_of(entry["value"], region)
                    if form:
                        entry["e164"] = form
            phones = json.dumps(listed, ensure_ascii=False)
        if e164 is None and phone:
            e164 = e164_of(phone, region)
        conn.execute(
            "UPDATE customers SET phones = ?, phone_e164 = ? WHERE id = ?",
            (phones, e164, customer_id),
        )
