"""The program's entry point: it runs before any of tickle is imported, so that Ctrl-C
during those first tenths of a second is one line too, not Python's traceback."""

import sys

EXIT_INTERRUPTED = 130  # tickle.errors.EXIT_INTERRUPTED: importing it could be interrupted


def main() -> None:
    try:
        from tickle.cli import main as run
    except KeyboardInterrupt:
        sys.stderr.write("tickle: interrupted: nothing was changed\n")
        raise SystemExit(EXIT_INTERRUPTED) from None
    run()
