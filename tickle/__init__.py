"""tickle: a command-line tickle file for promises and follow-ups."""

__version__ = "0.1.0"
