"""tickle sync against a local Radicale: the first sync of N open items next to a bare
caldav-library loop that PUTs the same N tasks, and a sync with nothing changed.

    python bench/sync.py [--items 1000] [--runs 3]

Prints the median wall time of each (whole `tickle sync` processes, start-up
included), the requests the server received, and the ratios against the goals:
first sync within 1.5x of the bare loop, no-change sync under 1 s in two requests.
Bytecode caches matter to start-up: run it without PYTHONDONTWRITEBYTECODE, as a
user's installed tickle runs.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from caldav_phone import make_list
from radicale_server import PASSWORD, USER, RadicaleServer

NOW = "2026-11-23T10:07:33"
ZONE = "America/New_York"


def fill(db: Path, count: int) -> None:
    """`count` open follow-ups and promises for 100 customers, half of them timed."""
    from tickle import dates
    from tickle.dates import When
    from tickle.domain.customers import add_customer
    from tickle.domain.items import add_followup, add_promise
    from tickle.store import Store

    store = Store.open(db, write=True)
    now = dates.now()
    with store.transaction("bench", now):
        customers = [
            add_customer(
                store,
                now,
                name=f"Customer {n}",
                company=f"Company {n % 17}",
                email=f"c{n}@example.com",
                phone=f"+1 415 555 {n:04d}",
            )
            for n in range(100)
        ]
        for n in range(count):
            day = dt.date(2026, 11, 24) + dt.timedelta(days=n % 90)
            when = When(day, dt.time(9 + n % 8) if n % 2 else None)
            customer = customers[n % len(customers)]
            if n % 5 == 0:
                add_promise(store, customer, f"promise number {n}", when, now)
            else:
                add_followup(store, customer, when, now, title=f"call number {n}")
    store.close()


def tickle(db: Path, env: dict, *args: str) -> float:
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "tickle", "--db", str(db), *args],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"tickle {' '.join(args)} failed: {done.stderr}")
    return elapsed


def in_process(db: Path, requests, env: dict) -> float:
    """A no-change sync without the process start-up and imports around it."""
    import caldav.davclient  # noqa: F401 - imported before the clock starts

    from tickle import dates, settings
    from tickle.store import Store
    from tickle.sync.client import TaskList
    from tickle.sync.engine import Sync

    os.environ["TICKLE_CONFIG"] = env["TICKLE_CONFIG"]
    settings.forget()
    url = settings.get("sync.url")
    started = time.perf_counter()
    tasks = TaskList(url, USER, PASSWORD)
    store = Store.open(db, write=True)
    report = Sync(store, tasks, dates.now()).run()
    store.close()
    tasks.close()
    elapsed = time.perf_counter() - started
    assert not report.changed, report
    return elapsed


def bare_loop(url: str, bodies: list[str]) -> float:
    """What the caldav library does with no sync logic: one save_todo per task."""
    code = (
        "import sys, caldav, json\n"
        "url, user, password, path = sys.argv[1:]\n"
        "bodies = json.load(open(path))\n"
        "client = caldav.DAVClient(url=url, username=user, password=password)\n"
        "calendar = client.calendar(url=url)\n"
        "for body in bodies:\n"
        "    calendar.save_todo(ical=body)\n"
    )
    import json

    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as out:
        json.dump(bodies, out)
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", code, url, USER, PASSWORD, out.name], check=True)
    return time.perf_counter() - started


def bare_report(db: Path, url: str) -> float:
    """What the caldav library alone costs a process that asks for the changes since
    the sync token the last sync saved: start-up, imports and one REPORT."""
    import sqlite3

    conn = sqlite3.connect(db)
    token = conn.execute("SELECT sync_token FROM sync_lists").fetchone()[0]
    conn.close()
    code = (
        "import sys, caldav\n"
        "url, user, password, token = sys.argv[1:]\n"
        "client = caldav.DAVClient(url=url, username=user, password=password, "
        "auth_type='basic')\n"
        "found = client.calendar(url=url).objects_by_sync_token(sync_token=token)\n"
        "assert not list(found)\n"
    )
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", code, url, USER, PASSWORD, token], check=True)
    return time.perf_counter() - started


def bodies_of(db: Path) -> list[str]:
    """The tasks tickle sends for the items of `db`, as text."""
    from tickle import dates
    from tickle.store import Store
    from tickle.sync.mapping import task_for, to_ical

    store = Store.open(db, write=False)
    local = store.sync.local_items(0)
    store.close()
    return [
        to_ical(
            task_for(h.item, h.customer, h.last_note, f"bare-{h.item.id}@bench"), dates.now()
        ).decode()
        for h in local.values()
    ]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--items", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    options = parser.parse_args()
    os.environ.update(TICKLE_NOW=NOW, TZ=ZONE)
    time.tzset()
    work = Path(tempfile.mkdtemp(prefix="tickle-bench-sync-"))
    first, bare, quiet, quiet_requests, first_requests = [], [], [], [], []
    engine, startup, after_first, floor = [], [], [], []
    with RadicaleServer(work / "radicale") as server:
        for run in range(options.runs):
            db = work / f"run{run}.db"
            fill(db, options.items)
            config = work / f"config{run}.toml"
            env = dict(os.environ, TICKLE_CONFIG=str(config), TICKLE_SYNC_PASSWORD=PASSWORD)
            env.pop("TICKLE_DB", None)
            url = make_list(server)
            tickle(db, env, "sync", "setup", url, "--user", USER)

            before = len(server.requests())
            first.append(tickle(db, env, "sync", "--quiet"))
            first_requests.append(len(server.requests()) - before)

            # The first sync-collection after many writes costs Radicale more (it builds
            # its history of the list); the next ones are what cron pays every 15 minutes.
            after_first.append(tickle(db, env, "sync", "--quiet"))
            before = len(server.requests())
            quiet.append(tickle(db, env, "sync", "--quiet"))
            quiet_requests.append(len(server.requests()) - before)
            engine.append(in_process(db, server.requests, env))
            startup.append(tickle(db, env, "--version"))
            floor.append(bare_report(db, url))

            bare.append(bare_loop(make_list(server), bodies_of(db)))
    n = options.items
    first_s, bare_s, quiet_s = (statistics.median(x) for x in (first, bare, quiet))
    print(f"first sync of {n} open items: {first_s:.2f} s, {max(first_requests)} requests")
    print(f"bare caldav loop PUTting the same {n} tasks: {bare_s:.2f} s")
    print(f"  ratio {first_s / bare_s:.2f}x (goal: within 1.5x)")
    print(
        f"no-change sync of {n} items: {quiet_s * 1000:.0f} ms, "
        f"{max(quiet_requests)} request(s) (goal: under 1 s, at most 2)"
    )
    print(f"  (the first one after the first sync: {statistics.median(after_first):.2f} s)")
    print(
        f"  of which the sync itself (in one process, the caldav library imported): "
        f"{statistics.median(engine) * 1000:.0f} ms; 'tickle --version': "
        f"{statistics.median(startup) * 1000:.0f} ms"
    )
    print(
        f"  a bare caldav-library process asking for the same changes: "
        f"{statistics.median(floor) * 1000:.0f} ms"
    )
    print(f"(median of {options.runs} runs; Radicale {server_version()}, storage with fsync)")


def server_version() -> str:
    from importlib.metadata import version

    return version("radicale")


if __name__ == "__main__":
    main()
