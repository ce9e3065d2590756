"""What a settings file costs: `agenda` and `add` with and without one, interleaved.

    python bench/settings_cost.py [--items 10000] [--runs 21]

Runs each command alternately with no settings file and with a full one (every table of
the README's example), and prints the medians and their ratio. The target: within 5%.
A tool to run by hand, not part of the test suite.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import generate

FULL_FILE = """\
# every table, as a rep would keep it
[calendar]
work_days = ["mon", "tue", "wed", "thu", "fri"]
holidays = "US"
region = "CA"

[retry]
voicemail = "next business day"
no-answer = "in 2 hours"

[followups]
max_attempts = 4

[cases]
check_in = "in 10 days"

[agenda]
days = 7

[hours]
morning = "08:30"
afternoon = "14:00"
evening = "18:00"
eod = "17:30"

[dates]
order = "mdy"

[customers]
channel = "phone"

[report]
quiet_days = 45

[phones]
region = "US"

[database]
busy_timeout = 5.0

[mail]
from = "Ana <ana@example.com>"
to = "ana@example.com"
"""


def run(argv: list[str], env: dict) -> float:
    start = time.perf_counter()
    subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=21)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="tickle-settings-"))
    try:
        db = folder / "tickle.db"
        generate(db, args.items)
        config = folder / "config.toml"
        config.write_text(FULL_FILE)
        base = dict(os.environ, NO_COLOR="1")
        base.pop("PYTHONDONTWRITEBYTECODE", None)
        without = dict(base, TICKLE_CONFIG=str(folder / "absent.toml"))
        with_file = dict(base, TICKLE_CONFIG=str(config))
        tickle = [sys.executable, "-m", "tickle", "--db", str(db)]
        commands = {
            "agenda": [*tickle, "agenda"],
            "add": [*tickle, "add", "1", "tomorrow", "call", "back"],
        }
        print(f"{args.items} items, {args.runs} runs each, medians")
        print(f"{'command':<8} {'no file':>9} {'with file':>10} {'ratio':>7}")
        for name, argv in commands.items():
            run(argv, without), run(argv, with_file)  # warm the page cache and bytecode
            plain, configured = [], []
            for _ in range(args.runs):
                plain.append(run(argv, without))
                configured.append(run(argv, with_file))
            a, b = statistics.median(plain), statistics.median(configured)
            print(f"{name:<8} {a * 1000:>7.1f}ms {b * 1000:>8.1f}ms {b / a:>7.3f}")
    finally:
        shutil.rmtree(folder)


if __name__ == "__main__":
    main()
