"""`tickle search`: find words in customers, items, cases and the history."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from tickle.cli import session
from tickle.cli.app import app
from tickle.cli.session import FormatOption

LIMIT = 50


@app.command("search")
def search(
    ctx: typer.Context,
    words: Annotated[
        list[str],
        typer.Argument(
            metavar="WORDS...",
            help='Words that must all be found; invoi* is a prefix, "late invoice" a phrase.',
        ),
    ],
    customer: Annotated[
        str | None, typer.Option("--customer", "-c", help="Only this customer.")
    ] = None,
    kind: Annotated[
        str | None,
        typer.Option(
            "--kind", "-k", metavar="KIND", help="customer, follow-up, promise, case or note."
        ),
    ] = None,
    limit: Annotated[int, typer.Option("--limit", min=1, help="At most this many hits.")] = LIMIT,
    format: FormatOption = None,
) -> None:
    """Search names, companies, notes, tags, titles, cases and history; best hits first."""
    from tickle.domain import search as domain
    from tickle.domain.customers import resolve_customer

    output = session.fmt(format)
    wanted = domain.kind_of(kind)
    with session.reading(ctx) as store:
        who = resolve_customer(store, customer) if customer else None
        hits = domain.search(
            store, words, customer_id=who.id if who else None, kind=wanted, limit=limit
        )
    if output in ("json", "csv"):
        _write_records(hits, output)
    elif not hits:
        from tickle.render import say

        say(f"Nothing found for {' '.join(words)}.")
    elif output == "plain":
        for hit in hits:
            sys.stdout.write(plain_hit(hit) + "\n")
    else:
        _write_cards(hits)


def hit_heading(hit) -> str:
    """`follow-up #12 · Ana Silva (Acme) · 2026-11-20`"""
    day = hit.day.isoformat() if hit.day else ""
    return " · ".join(part for part in (f"{hit.label} {hit.reference}", hit.customer, day) if part)


def snippet_parts(snippet: str) -> list[tuple[str, bool]]:
    """The snippet as (text, matched) pieces."""
    from tickle.store.search import MARK_END, MARK_START

    pieces: list[tuple[str, bool]] = []
    for chunk in snippet.split(MARK_START):
        matched, sep, rest = chunk.partition(MARK_END)
        if sep:
            pieces.append((matched, True))
            pieces.append((rest, False))
        else:
            pieces.append((chunk, False))
    return [(text, matched) for text, matched in pieces if text]


def plain_hit(hit) -> str:
    from tickle.render import safe_text

    text = "".join(f"[{t}]" if m else t for t, m in snippet_parts(hit.snippet))
    return f"{safe_text(hit_heading(hit))}\n    {safe_text(text)}"


def _write_cards(hits) -> None:
    from rich.text import Text

    from tickle.render import console_for, safe_text

    console = console_for()
    for hit in hits:
        console.print(Text(safe_text(hit_heading(hit)), style="bold"))
        line = Text("    ")
        for text, matched in snippet_parts(hit.snippet):
            line.append(safe_text(text), style="reverse" if matched else "")
        console.print(line)


def hit_dict(hit) -> dict:
    text = ""
    highlights = []
    for piece, matched in snippet_parts(hit.snippet):
        if matched:
            highlights.append([len(text), len(text) + len(piece)])
        text += piece
    return {
        "kind": hit.label,
        "item_id": hit.item_id,
        "customer_id": hit.customer_id,
        "customer": hit.customer,
        "date": hit.day.isoformat() if hit.day else None,
        "snippet": text,
        "highlights": highlights,
        "rank": round(hit.rank, 4),
    }


def _write_records(hits, output: str) -> None:
    from tickle.render import write_csv, write_json

    records = (hit_dict(hit) for hit in hits)
    if output == "json":
        write_json(records, sys.stdout)
    else:
        write_csv(records, sys.stdout)
