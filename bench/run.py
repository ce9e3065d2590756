"""Time whole tickle processes side by side with the floor, and print the ratios.

    python bench/run.py [--sizes 100,10000,100000,1000000] [--runs 7] [--keep]

Each command runs once to warm the page cache, then --runs times; the figures are the
median wall time and the peak resident memory of the child process. Databases are
generated in bench/out/ (kept between runs with --keep). This is a tool to run by hand,
not part of the test suite.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "out"
PYTHON = sys.executable
TODAY = dt.date.today()
ENV = dict(os.environ, TICKLE_NOW=f"{TODAY.isoformat()}T09:30:00", NO_COLOR="1")
# An installed program runs from cached bytecode, its output buffered: measure it that way.
ENV.pop("PYTHONDONTWRITEBYTECODE", None)
ENV.pop("PYTHONUNBUFFERED", None)
ENV.pop("COLUMNS", None)  # piped: the 80 columns of a cron mail


def measure(
    argv: list[str], runs: int, *, setup=None, stdin: Path | None = None
) -> tuple[float, float]:
    """Median seconds and peak RSS (MB) of `argv`, after one warm-up run."""
    times, peaks = [], []
    for attempt in range(runs + 1):
        if setup:
            setup()
        with open(stdin, "rb") if stdin else open(os.devnull, "rb") as source:
            start = time.perf_counter()
            child = subprocess.Popen(
                argv, stdin=source, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=ENV
            )
            _, status, usage = os.wait4(child.pid, 0)
            elapsed = time.perf_counter() - start
        child.returncode = os.waitstatus_to_exitcode(status)
        if child.returncode not in (0, 1):
            raise SystemExit(f"{' '.join(argv)} failed: {child.stderr.read().decode()}")
        child.stderr.close()
        if attempt:
            times.append(elapsed)
            peaks.append(usage.ru_maxrss / 1024)
    return statistics.median(times), max(peaks)


def tickle(db: Path, *args: str) -> list[str]:
    return [PYTHON, "-m", "tickle", "--db", str(db), *args]


def has_command(name: str) -> bool:
    result = subprocess.run(
        [PYTHON, "-m", "tickle", name, "--help"], capture_output=True, env=ENV, check=False
    )
    return result.returncode == 0


def database(items: int, keep: bool) -> Path:
    OUT.mkdir(exist_ok=True)
    path = OUT / f"bench-{items}.db"
    if not (keep and path.exists()):
        print(f"  generating {items:,} items...", file=sys.stderr)
        # In a child of its own: a forked child's peak memory counts what its parent held.
        subprocess.run(
            [PYTHON, str(HERE / "generate.py"), str(path), str(items)],
            check=True,
            stdout=subprocess.DEVNULL,
        )
    return path


def copy_of(path: Path) -> Path:
    target = OUT / f"scratch-{path.name}"
    shutil.copyfile(path, target)
    return target


def twenty_items(keep: bool) -> Path:
    path = OUT / "bench-20.db"
    if not (keep and path.exists()):
        path.unlink(missing_ok=True)
        subprocess.run(
            tickle(
                path,
                "customer",
                "add",
                "Ana Silva",
                "--company",
                "Acme",
                "--phone",
                "+1 415 555 0142",
            ),
            env=ENV,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        conn = sqlite3.connect(path)
        conn.executemany(
            "INSERT INTO items (kind, customer_id, title, due, created_at) VALUES (?, 1, ?, ?, ?)",
            [
                ("followup", f"call back {n}", TODAY.isoformat(), "2026-01-01T00:00:00Z")
                for n in range(20)
            ],
        )
        conn.commit()
        conn.close()
    return path


def first_open_item(db: Path) -> int:
    conn = sqlite3.connect(db)
    try:
        return conn.execute("SELECT min(id) FROM items WHERE status = 'open'").fetchone()[0]
    finally:
        conn.close()


def customers_csv(rows: int) -> Path:
    path = OUT / f"customers-{rows}.csv"
    if not path.exists():
        with path.open("w", newline="") as out:
            writer = csv.writer(out)
            writer.writerow(["First Name", "Last Name", "Email", "Phone Number", "Company Name"])
            for n in range(rows):
                writer.writerow(
                    [
                        f"First{n}",
                        f"Last{n}",
                        f"p{n}@example.com",
                        f"+1 415 555 {n % 10000:04d}",
                        f"Company {n % 500}",
                    ]
                )
    return path


def followups_csv(rows: int, customers: int) -> Path:
    path = OUT / f"followups-{rows}.csv"
    if not path.exists():
        with path.open("w", newline="") as out:
            writer = csv.writer(out)
            writer.writerow(["Subject", "Due Date", "Contact Email"])
            for n in range(rows):
                due = TODAY + dt.timedelta(days=n % 60)
                writer.writerow([f"call {n}", due.isoformat(), f"p{n % customers}@example.com"])
    return path


def floor_import(mode: str, source: Path, target: Path, setup) -> float:
    """An import floor (bench/floor_import.py): start Python, read the CSV, executemany."""
    argv = [PYTHON, str(HERE / "floor_import.py"), mode, str(source), str(target)]
    return measure(argv, 3, setup=setup)[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100,10000,100000,1000000")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--keep", action="store_true", help="Reuse databases in bench/out/.")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    runs = args.runs
    results: list[tuple[str, str, float, float]] = []

    def record(size: str, command: str, figures: tuple[float, float]) -> float:
        results.append((size, command, *figures))
        print(
            f"{size:>9}  {command:<28} {figures[0] * 1000:8.1f} ms {figures[1]:7.1f} MB", flush=True
        )
        return figures[0]

    floor = record(
        "-", "floor: typer+rich 20 rows", measure([PYTHON, str(HERE / "floor_app.py")], runs)
    )
    small = twenty_items(args.keep)
    agenda20 = record("20", "agenda", measure(tickle(small, "agenda"), runs))
    table20 = record(
        "20", "agenda --format table", measure(tickle(small, "agenda", "--format", "table"), runs)
    )

    empty = OUT / "empty.db"

    def fresh_empty():
        empty.unlink(missing_ok=True)
        subprocess.run(
            tickle(empty, "customer", "add", "Ana"), env=ENV, check=True, stdout=subprocess.DEVNULL
        )

    add_empty = record(
        "0", "add", measure(tickle(empty, "add", "1", "tomorrow", "call"), runs, setup=fresh_empty)
    )
    figures: dict[tuple[int, str], float] = {}
    peak_agenda: dict[int, float] = {}
    for size in sizes:
        db = database(size, args.keep)
        label = f"{size:,}"
        seconds, peak = measure(tickle(db, "agenda"), runs)
        record(label, "agenda", (seconds, peak))
        figures[(size, "agenda")] = seconds
        peak_agenda[size] = peak
        scratch = OUT / "scratch.db"

        def fresh_copy(db: Path = db, scratch: Path = scratch) -> None:
            shutil.copyfile(db, scratch)
            for suffix in ("-wal", "-shm"):
                Path(f"{scratch}{suffix}").unlink(missing_ok=True)
            os.sync()  # the copy's writeback is not the command's time

        figures[(size, "add")] = record(
            label,
            "add",
            measure(tickle(scratch, "add", "1", "tomorrow", "call"), runs, setup=fresh_copy),
        )
        open_id = str(first_open_item(db))
        record(
            label,
            "done",
            measure(tickle(scratch, "done", open_id, "-o", "reached"), runs, setup=fresh_copy),
        )
        record(label, "customer show", measure(tickle(db, "customer", "show", "1"), runs))
        figures[(size, "history")] = record(
            label, "history", measure(tickle(db, "history", "1"), runs)
        )
        if has_command("report"):
            figures[(size, "report")] = record(label, "report", measure(tickle(db, "report"), runs))
        if size == 100_000 and has_command("export"):
            record(label, "export all", measure(tickle(db, "export", "all", "--format", "json"), 3))

    if has_command("import"):
        rows = 100_000
        target = OUT / "import.db"
        customers, followups = customers_csv(rows), followups_csv(rows, rows)

        def fresh_import():
            for suffix in ("", "-wal", "-shm"):
                Path(f"{target}{suffix}").unlink(missing_ok=True)

        def book_from(source: Path):
            """A setup: a fresh database made by `tickle import customers source`."""

            def setup() -> None:
                fresh_import()
                subprocess.run(
                    tickle(target, "import", "customers", str(source)),
                    env=ENV,
                    check=True,
                    stdout=subprocess.DEVNULL,
                )
                os.sync()

            return setup

        header = OUT / "header.csv"
        header.write_text("name\n")
        with_customers = book_from(customers)
        empty_book = book_from(header)  # tickle's tables and indexes, no rows

        size = f"{rows:,}"
        imported = record(
            size,
            "import customers",
            measure(tickle(target, "import", "customers", str(customers)), 3, setup=fresh_import),
        )
        bare = record(
            size, "floor: bare table", (floor_import("bare", customers, target, fresh_import), 0)
        )
        own = record(
            size,
            "floor: customers table",
            (floor_import("customers", customers, target, empty_book), 0),
        )
        imported_followups = record(
            size,
            "import followups",
            measure(tickle(target, "import", "followups", str(followups)), 3, setup=with_customers),
        )
        own_followups = record(
            size,
            "floor: items+events tables",
            (floor_import("followups", followups, target, with_customers), 0),
        )
        print(
            f"\nimport customers / floor into the same table: {imported / own:.2f}x "
            f"(target < 1.5x); / bare table: {imported / bare:.2f}x"
        )
        print(
            f"import followups / floor into the same tables: "
            f"{imported_followups / own_followups:.2f}x (target < 1.5x); "
            f"/ bare table: {imported_followups / bare:.2f}x"
        )

    print(f"\nagenda (20 items) / floor: {agenda20 / floor:.2f}x (target < 1x)")
    print(f"agenda --format table (20 items) / floor: {table20 / floor:.2f}x (target <= 1.3x)")
    biggest = max(sizes)
    print(
        f"agenda ({biggest:,}) / agenda (20): {figures[(biggest, 'agenda')] / agenda20:.2f}x "
        f"(target <= 1.2x); peak {peak_agenda[biggest]:.1f} MB (target < 60 MB)"
    )
    print(
        f"add ({biggest:,}) / add (empty): {figures[(biggest, 'add')] / add_empty:.2f}x "
        "(target <= 1.1x)"
    )
    print(f"history ({biggest:,}): {figures[(biggest, 'history')] * 1000:.0f} ms (target < 500 ms)")
    if (biggest, "report") in figures:
        print(
            f"report ({biggest:,}): {figures[(biggest, 'report')] * 1000:.0f} ms (target < 500 ms)"
        )
    for scratch in OUT.glob("scratch*"):
        scratch.unlink()


if __name__ == "__main__":
    main()
