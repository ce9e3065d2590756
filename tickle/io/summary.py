"""The one line that ends an import: what was (or would be) created, updated, left alone."""

from __future__ import annotations


def summary_line(
    what: str,
    source: str,
    *,
    created: int,
    updated: int,
    unchanged: int,
    rejected: int = 0,
    merged: int = 0,
    ignored: list[str] | None = None,
    dry_run: bool = False,
) -> str:
    counts = f"{created} created, {updated} updated, {unchanged} unchanged"
    if rejected:
        counts += f", {rejected} rejected"
    if merged:
        counts += f" ({merged} duplicate row{'s' if merged != 1 else ''} merged)"
    head = f"Dry run, nothing written: {what}" if dry_run else f"Imported {what}"
    line = f"{head} from {source}: {counts}."
    if ignored:
        line += f" Ignored columns: {', '.join(ignored)} (--map 'Column=field' keeps one)."
    return line
