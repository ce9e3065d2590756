"""Write a realistic tickle database of any size, for the benchmark.

    python bench/generate.py OUT.db ITEMS [--seed N]

Customers (one per ten items, at least ten), follow-ups, promises and cases: 10% open
with due dates around today, the rest done over the past three years, each with the
events a real history has (created, attempts, done/kept). Rows go in with executemany
in one transaction, through the same schema the program creates.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tickle.dates import local_zone_name
from tickle.store import Store

FIRST = [
    "Ana",
    "Bob",
    "Chen",
    "Dana",
    "Eli",
    "Fatima",
    "Grace",
    "Hugo",
    "Ines",
    "José",
    "Kofi",
    "Lena",
    "Maya",
    "Noor",
    "Omar",
    "Pia",
    "Ravi",
    "Sara",
    "Tomás",
    "Yuki",
]
LAST = [
    "Silva",
    "Stone",
    "Okafor",
    "Tanaka",
    "Brown",
    "García",
    "Mensah",
    "Patel",
    "Lindqvist",
    "Becker",
    "O'Brien",
    "Álvarez",
    "Nguyen",
    "Kowalski",
    "Haddad",
]
COMPANIES = [
    "Acme",
    "Hooli",
    "Globex",
    "Initech",
    "Umbrella",
    "Stark",
    "Wonka",
    "Tyrell",
    "Pied Piper",
    "Dunder Mifflin",
    "Soylent",
    "Vandelay",
    "Cyberdyne",
    "Wayne",
]
WHAT = [
    "call back about pricing",
    "check the replacement arrived",
    "renewal call",
    "send the pricing sheet",
    "quarterly check-in",
    "demo follow-up",
    "confirm delivery date",
    "send contract",
    "onboarding review",
]
OUTCOMES = [
    "reached",
    "reached",
    "reached",
    "emailed",
    "met",
    "voicemail",
    "no-answer",
    "declined",
    "wrong-number",
]
CHANNELS = ["phone", "email", "sms", "meeting", "chat"]


# What tickle records for an item made here (a rep's items are in their own zone).
ZONE = local_zone_name()


def stamp(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def generate(path: Path, items: int, seed: int = 7, today: dt.date | None = None) -> None:
    rng = random.Random(seed)
    today = today or dt.date.today()
    now = dt.datetime.combine(today, dt.time(9, 0)).astimezone()
    if path.exists():
        path.unlink()
    store = Store.open(path, write=True, undoable=False)
    conn = store.conn
    customer_count = max(10, items // 10)
    customers = []
    for cid in range(1, customer_count + 1):
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        company = f"{rng.choice(COMPANIES)} {cid % 97}"
        created = stamp(now - dt.timedelta(days=rng.randint(30, 1500)))
        customers.append(
            (
                cid,
                name,
                company,
                f"c{cid}@example.com",
                f"+1 415 555 {cid % 10000:04d}",
                rng.choice(CHANNELS),
                "[]",
                created,
                created,
            )
        )
    item_rows, event_rows = [], []
    event_id = 0
    for item_id in range(1, items + 1):
        customer_id = rng.randint(1, customer_count)
        roll = rng.random()
        kind = "followup" if roll < 0.70 else "promise" if roll < 0.95 else "case"
        is_open = rng.random() < 0.10
        if is_open:
            due_day = today + dt.timedelta(days=rng.randint(-30, 60))
        else:
            due_day = today - dt.timedelta(days=rng.randint(1, 1100))
        timed = rng.random() < 0.4
        due = due_day.isoformat() + (
            f"T{rng.randint(8, 17):02d}:{rng.choice([0, 30]):02d}:00" if timed else ""
        )
        created_at = now - dt.timedelta(days=(today - due_day).days + rng.randint(1, 20))
        attempts = rng.choice([0, 0, 0, 1, 1, 2, 3])
        status, outcome, kept, closed_at = "open", None, None, None
        if not is_open:
            status = "done" if rng.random() < 0.93 else "cancelled"
            late = rng.choice([0, 0, 0, 0, 1, 2, 5])
            closed = dt.datetime.combine(
                due_day + dt.timedelta(days=late), dt.time(15)
            ).astimezone()
            closed_at = stamp(closed)
            if status == "done":
                outcome = rng.choice(OUTCOMES[:5])
                if kind == "promise":
                    kept = "on_time" if late == 0 else "late"
        item_rows.append(
            (
                item_id,
                kind,
                customer_id,
                rng.choice(WHAT),
                due,
                ZONE,  # the zone the dates above are wall times of
                status,
                attempts,
                outcome,
                due if kind == "promise" else None,
                kept,
                stamp(created_at),
                closed_at,
            )
        )
        event_id += 1
        event_rows.append(
            (event_id, customer_id, item_id, stamp(created_at), "created", None, None, None, due)
        )
        for attempt in range(attempts):
            event_id += 1
            event_rows.append(
                (
                    event_id,
                    customer_id,
                    item_id,
                    stamp(created_at + dt.timedelta(days=attempt + 1)),
                    "attempt",
                    rng.choice(["voicemail", "no-answer"]),
                    "phone",
                    None,
                    None,
                )
            )
        if closed_at:
            event_id += 1
            event_rows.append(
                (
                    event_id,
                    customer_id,
                    item_id,
                    closed_at,
                    "kept" if kind == "promise" else "done" if status == "done" else "cancelled",
                    outcome,
                    "phone" if outcome else None,
                    None,
                    None,
                )
            )
    with store.immediate():
        conn.executemany(
            "INSERT INTO customers (id, name, company, email, phone, channel, tags, created_at,"
            " updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            customers,
        )
        conn.executemany(
            "INSERT INTO items (id, kind, customer_id, title, due, tz, status, attempts, outcome,"
            " promised_due, kept, created_at, closed_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            item_rows,
        )
        conn.executemany(
            "INSERT INTO events (id, customer_id, item_id, at, type, outcome, channel, note,"
            " new_due) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            event_rows,
        )
    # No ANALYZE: a user's database never has statistics, so the plans measured here
    # are the plans users get.
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("items", type=int)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    generate(args.out, args.items, args.seed)
    print(f"wrote {args.items} items to {args.out}")


if __name__ == "__main__":
    main()
