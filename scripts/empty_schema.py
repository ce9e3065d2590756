"""Write tickle/store/empty_schema.py: the schema the migrations make, as statements.

python scripts/empty_schema.py           # after adding a migration
python scripts/empty_schema.py --check   # exit 1 when the file is out of date
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
from pathlib import Path

from tickle.store import migrations, schema

TARGET = Path(__file__).resolve().parent.parent / "tickle" / "store" / "empty_schema.py"


def snapshot() -> str:
    conn = sqlite3.connect(":memory:", isolation_level=None)
    for step in migrations.MIGRATIONS:
        step(conn)
    found = schema.statements(conn)
    conn.close()
    lines = [
        '"""The schema of an empty book, as the migrations make it (written by',
        'scripts/empty_schema.py: do not edit; see tickle/store/schema.py)."""',
        "",
        "# fmt: off",
        f"VERSION = {migrations.latest_version()}",
        "STATEMENTS = (",
        *(f"    {sql!r}," for sql in found),
        ")",
        "",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()
    text = snapshot()
    if args.check:
        if TARGET.read_text() != text:
            sys.exit(f"{TARGET} is out of date: run python scripts/empty_schema.py")
        return
    TARGET.write_text(text)


if __name__ == "__main__":
    main()
