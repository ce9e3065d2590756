"""Storage: the one package that knows SQL.

`Store` (core.py) opens the file and runs transactions; each concern's SQL is a part
of it, in a module of its own: customers (and matching), items and events, cases,
report, imports (bulk writes), tables (export and restore), undo (the undo log),
maintenance (backup, doctor's checks), completion (shell completion lookups);
migrations holds the schema's numbered steps.
"""

from tickle.store.core import Store
from tickle.store.files import busy_timeout, default_path, translate_error
from tickle.store.rows import utc_stamp

__all__ = [
    "Store",
    "busy_timeout",
    "default_path",
    "read_case_categories",
    "read_customer_names",
    "translate_error",
    "utc_stamp",
]


def __getattr__(name: str) -> object:
    # Completion lookups run in their own short process: the other commands never load them.
    if name in ("read_case_categories", "read_customer_names"):
        from tickle.store import completion

        return getattr(completion, name)
    raise AttributeError(f"module 'tickle.store' has no attribute {name!r}")
