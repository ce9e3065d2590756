"""How long `tickle search` takes, whole process, on a generated database.

    python bench/search.py DB [--runs 7]

DB is made by bench/generate.py (1,000,000 items for the target: under 0.2 s). Prints
the median wall time and the number of hits of each query, after the start-up alone
(`tickle --version`) and the floor (bench/floor_app.py: typer and rich printing a
table), to compare with on a machine whose speed varies. A tool to run by hand.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

QUERIES = [
    ["okafor"],  # a surname: about 1 customer in 20, and their items' notes
    ["okafor", "wonka"],  # two words, both needed
    ["renew*"],  # a prefix in one title in nine (about 110,000 items)
    ["pricing sheet"],  # a phrase
    ["pricing"],  # a word in two titles in nine (about 220,000 items)
    ["pricing", "--customer", "1"],  # narrowed to one customer
    ["renew*", "--customer", "5"],  # a prefix, narrowed (14 items, one found)
    ["pricing", "--kind", "promise"],  # one kind of item
    ["zeppelin"],  # nothing
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("db")
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    env = dict(os.environ, NO_COLOR="1")
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    base = [sys.executable, "-m", "tickle", "--db", args.db, "search"]
    print(f"{'query':<28} {'median':>8} {'hits':>5}")
    floor = [sys.executable, str(Path(__file__).with_name("floor_app.py"))]
    for label, argv in (
        ("floor: typer + rich table", floor),
        ("tickle --version", [sys.executable, "-m", "tickle", "--version"]),
    ):
        print(f"{label:<28} {_median(argv, env, args.runs) * 1000:>6.0f}ms")
    for query in QUERIES:
        argv = [*base, *query, "--format", "json"]
        found = json.loads(subprocess.run(argv, env=env, capture_output=True, check=True).stdout)
        median = _median(argv, env, args.runs)
        print(f"{' '.join(query):<28} {median * 1000:>6.0f}ms {len(found):>5}")


def _median(argv: list[str], env: dict, runs: int) -> float:
    subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, check=True)  # warm-up
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, check=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


if __name__ == "__main__":
    main()
