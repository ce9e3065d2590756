"""Regenerate the README's picture of the agenda at 80 columns from a real run.

    python scripts/readme_capture.py          # rewrite the block in README.md
    python scripts/readme_capture.py --check  # exit 1 if the README's copy is stale

The sample is `tickle demo` on a fixed morning, so the capture only changes when the
agenda's layout (or the sample) does.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

README = Path(__file__).resolve().parent.parent / "README.md"
START = "<!-- agenda at 80 columns: scripts/readme_capture.py -->"
END = "<!-- end of capture -->"
MORNING = "2026-03-03T09:30:00"
ZONE = "America/New_York"


def capture() -> str:
    """`tickle agenda` at 80 columns on the demo's sample, as a rep would see it piped."""
    with tempfile.TemporaryDirectory() as folder:
        env = {k: v for k, v in os.environ.items() if not k.startswith("TICKLE_")}
        env.update(TICKLE_NOW=MORNING, TZ=ZONE, TICKLE_DB=str(Path(folder) / "demo.db"))
        env.update(XDG_CONFIG_HOME=folder, XDG_DATA_HOME=folder, NO_COLOR="1")
        run = [sys.executable, "-m", "tickle"]
        subprocess.run([*run, "demo"], env=env, check=True, capture_output=True)
        shown = subprocess.run(
            [*run, "agenda", "--width", "80", "--format", "plain"],
            env=env,
            check=True,
            capture_output=True,
            text=True,
        )
    return shown.stdout.rstrip("\n") + "\n"


def block(agenda: str) -> str:
    return f"{START}\n```console\n$ tickle agenda\n{agenda}```\n{END}"


def current_block(readme: str) -> str:
    start, end = readme.index(START), readme.index(END) + len(END)
    return readme[start:end]


def main() -> int:
    readme = README.read_text(encoding="utf-8")
    fresh = block(capture())
    if "--check" in sys.argv[1:]:
        if current_block(readme) != fresh:
            print("README.md: the agenda capture is stale: run scripts/readme_capture.py")
            return 1
        return 0
    README.write_text(readme.replace(current_block(readme), fresh), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
