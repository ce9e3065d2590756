"""`tickle review`: today's agenda one item at a time, on a terminal.

Each outcome is recorded in its own write transaction through the domain, so
quitting (q, Ctrl-D or Ctrl-C) keeps everything recorded before it.
"""

from __future__ import annotations

import sys
from collections import Counter
from dataclasses import dataclass

import typer

from tickle import dates
from tickle.cli import session, views
from tickle.cli.app import app
from tickle.dates import When
from tickle.domain import items as domain
from tickle.domain.agenda import build_agenda
from tickle.domain.models import CONTACT_EVENTS, Customer, Item
from tickle.errors import EXIT_INTERRUPTED, DateError, InputError, TickleError
from tickle.render import safe_text, say

OUTCOME_KEYS = {
    "r": "reached",
    "v": "voicemail",
    "n": "no-answer",
    "e": "emailed",
    "m": "met",
    "w": "wrong-number",
    "d": "declined",
}
SKIP, SNOOZE, QUIT, KEPT = "s", "z", "q", "k"


class Interrupted(TickleError):
    exit_code = EXIT_INTERRUPTED


@dataclass
class Card:
    item: Item
    customer: Customer
    lines: list[str]


@app.command("review")
def review(ctx: typer.Context) -> None:
    """Walk through today's agenda (overdue first): outcome, note and next date for each."""
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        raise InputError(
            "tickle review needs a terminal: in scripts use 'tickle agenda' and 'tickle done'"
        )
    now = session.now(ctx)
    with session.reading(ctx) as store:
        agenda = build_agenda(store, now, days=0)
    todo = [
        row.item.id
        for row in agenda.rows
        if row.section in ("overdue", "today") and not row.projected
    ]
    if not todo:
        say("Nothing overdue and nothing due today. Enjoy the quiet.")
        return
    tally: Counter[str] = Counter()
    try:
        for position, item_id in enumerate(todo, start=1):
            card = _card(ctx, item_id)
            if card is None:
                continue
            _show(card, position, len(todo))
            try:
                if _review_one(ctx, card, tally) == QUIT:
                    break
            except TickleError as error:
                say(f"#{item_id} not changed: {safe_text(error.message)}")
    except (KeyboardInterrupt, EOFError) as stop:
        typer.echo("")
        say(_summary(tally))
        if isinstance(stop, KeyboardInterrupt):
            raise Interrupted("interrupted: what was recorded before is kept") from None
        return
    say(_summary(tally))


def _card(ctx: typer.Context, item_id: int) -> Card | None:
    """The item as it is now (None if it was closed meanwhile), and who it is with."""
    with session.reading(ctx) as store:
        item = store.items.get(item_id)
        if item is None or not item.is_open:
            return None
        customer = store.customers.get(item.customer_id)
        contacts = store.events.for_customer(customer.id, types=CONTACT_EVENTS, newest=2)
        promises = [p for p in store.items.open_promises(customer.id) if p.id != item.id]
    now = session.now(ctx)
    lines = [f"{customer.label}", f"reach: {views.reach_text(customer, item)}"]
    if customer.note:
        lines.append(f"note: {customer.note}")
    lines.append("")
    lines.append(f"{views.kind_text(item)}: {views.what_text(item)}")
    late = dates.days_overdue(item.due, now) if item.due else 0
    lateness = f" ({late} day{'s' if late != 1 else ''} late)" if late else ""
    lines.append(f"due {views.due_text(item.due, customer, now)}{lateness}")
    if item.attempts:
        lines.append(f"tries so far: {item.attempts}")
    lines.append("")
    if contacts:
        lines.append("last contacts:")
        for event in reversed(contacts):
            note = f" - {event.note}" if event.note else ""
            lines.append(f"  {event.at:%Y-%m-%d} {views.describe_event(event)}{note}")
    else:
        lines.append("no contact recorded yet")
    if promises:
        lines.append("open promises:")
        for promise in promises:
            lines.append(f"  #{promise.id} {promise.title} by {views.due_label(promise.due, now)}")
    return Card(item, customer, lines)


def _show(card: Card, position: int, total: int) -> None:
    from rich.console import Console
    from rich.panel import Panel
    from rich.text import Text

    body = Text("\n".join(safe_text(line) for line in card.lines))
    title = Text(f"#{card.item.id} ({position} of {total})")
    Console(highlight=False).print(Panel(body, title=title, title_align="left", expand=False))


def _ask(question: str) -> str:
    return input(question).strip()


def _choices(item: Item) -> dict[str, str]:
    if item.kind == "promise":
        return {KEPT: "kept", SKIP: "skip", QUIT: "quit"}
    keys = {key: outcome for key, outcome in OUTCOME_KEYS.items()}
    keys.update({SKIP: "skip", SNOOZE: "snooze to tomorrow", QUIT: "quit"})
    return keys


def _ask_choice(item: Item) -> str:
    choices = _choices(item)
    menu = " ".join(f"{key}={label}" for key, label in choices.items())
    while True:
        answer = _ask(f"Outcome [{menu}]: ").lower()
        if answer in choices:
            return answer
        for key, label in choices.items():
            if answer and answer == label:
                return key
        say(f"Unknown choice {safe_text(answer)!r}: type one of the letters, then Enter.")


def _ask_next(ctx: typer.Context) -> When | None:
    while True:
        text = _ask("Next date (WHEN, Enter for none): ")
        if not text:
            return None
        try:
            found = session.when(ctx, text)
            dates.refuse_past(found, session.now(ctx))
            return found
        except DateError as error:
            say(safe_text(error.message))


def _review_one(ctx: typer.Context, card: Card, tally: Counter[str]) -> str:
    item = card.item
    choice = _ask_choice(item)
    if choice == QUIT:
        return QUIT
    now = session.now(ctx)
    if choice == SKIP:
        tally["skipped"] += 1
        say(f"Skipped #{item.id} for now.")
        return choice
    if choice == SNOOZE:
        tomorrow = session.when(ctx, "tomorrow")
        if item.due is not None and item.due.time is not None:
            tomorrow = When(tomorrow.day, item.due.time)
        with session.writing(ctx) as store:
            snoozed = domain.snooze(store, store.items.get(item.id), tomorrow, now, reason="review")
        tally["rescheduled"] += 1
        say(f"Snoozed #{item.id} to {views.due_label(snoozed.due, now)}.")
        return choice
    note = _ask("Note (Enter for none): ") or None
    next_when = _ask_next(ctx)
    outcome = None if choice == KEPT else OUTCOME_KEYS[choice]
    with session.writing(ctx) as store:
        result = domain.complete(
            store, store.items.get(item.id), now, outcome=outcome, note=note, next_when=next_when
        )
    if result.closed:
        tally["done"] += 1
        say(f"Done #{item.id}: {result.item.title}{f' ({outcome})' if outcome else ''}.")
    else:
        tally["rescheduled"] += 1
        say(
            f"#{item.id} {outcome}: attempt {result.item.attempts}, "
            f"next try {views.due_label(result.moved_to, now)}."
        )
    if result.next_item:
        say(
            f"Next follow-up #{result.next_item.id} due "
            f"{views.due_label(result.next_item.due, now)}."
        )
    if result.closed and item.rrule:
        say(views.series_line(result.next_occurrence, now))
    return choice


def _summary(tally: Counter[str]) -> str:
    total = sum(tally.values())
    parts = [f"{tally[key]} {key}" for key in ("done", "rescheduled", "skipped")]
    return f"Reviewed {total}: {', '.join(parts)}."
