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
from tickle.render import safe_text
from tickle.render import say_wrapped as say  # on a terminal: never a word broken

OUTCOME_KEYS = {
    "r": "reached",
    "v": "voicemail",
    "n": "no-answer",
    "e": "emailed",
    "m": "met",
    "w": "wrong-number",
    "d": "declined",
}
SKIP, SNOOZE, QUIT, KEPT, MOVE, CANCEL = "s", "z", "q", "k", "m", "c"
PROMISE_KEYS = {KEPT: "kept", MOVE: "move", CANCEL: "cancel", SKIP: "skip", QUIT: "quit"}
# The closing summary: every item the review touched, by what became of it.
TALLIES = ("done", "kept", "moved", "cancelled", "rescheduled", "skipped")
SHOWN_ALWAYS = ("done", "rescheduled", "skipped")


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
    from tickle.domain.agenda import max_attempts
    from tickle.domain.cases import list_cases

    now = session.now(ctx)
    with session.reading(ctx) as store:
        item = store.items.get(item_id)
        if item is None or not item.is_open:
            return None
        customer = store.customers.get(item.customer_id)
        contacts = store.events.for_customer(customer.id, types=CONTACT_EVENTS, newest=2)
        promises = [p for p in store.items.open_promises(customer.id) if p.id != item.id]
        cases = [v for v in list_cases(store, now, customer=customer) if v.case.id != item.id]
    lines = [f"{customer.label}", f"reach: {views.reach_text(customer, item)}"]
    if customer.note:
        lines.append(f"note: {customer.note}")
    lines.append("")
    lines.append(f"{views.kind_text(item)}: {views.what_text(item)}")
    late = dates.days_overdue(item.due, now) if item.due else 0
    lateness = f" ({late} day{'s' if late != 1 else ''} late)" if late else ""
    lines.append(f"due {views.due_text(item.due, customer, now, item.tz)}{lateness}")
    if item.attempts:
        switch = item.kind == "followup" and item.attempts >= max_attempts()
        advice = " without an answer: try another channel" if switch else ""
        lines.append(f"tries so far: {item.attempts}{advice}")
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
    if cases:
        lines.append("open cases:")
        for view in cases:
            lines.append(f"  #{view.case.id} {view.case.title} ({views.open_age(view.age_days)})")
    return Card(item, customer, lines)


def _screen_width() -> int:
    from tickle.layout import screen_width

    return screen_width(None, sys.stdout) or 80


def _show(card: Card, position: int, total: int) -> None:
    """The card in a frame, its lines wrapped at spaces to fit inside it: rich would
    wrap them too, but could break a phone number or a date."""
    from rich.console import Console
    from rich.panel import Panel
    from rich.text import Text

    from tickle.layout import wrap

    inside = max(_screen_width() - 4, 20)  # two borders and a space either side
    lines = []
    for line in card.lines:
        text = safe_text(line)
        lead = len(text) - len(text.lstrip(" "))
        wrapped = wrap(text.lstrip(" "), inside - lead, 4) if text else [""]
        lines += [" " * lead + part for part in wrapped]
    body = Text("\n".join(lines), no_wrap=True)
    title = Text(f"#{card.item.id} ({position} of {total})")
    Console(highlight=False).print(Panel(body, title=title, title_align="left", expand=False))


def _ask(question: str) -> str:
    """A question whose text fits the screen: what does not fit on the prompt's line is
    printed above it, broken at spaces."""
    from tickle.layout import wrap

    lines = wrap(question.rstrip(), _screen_width() - 1)
    for line in lines[:-1]:
        typer.echo(line)
    return input(lines[-1] + " ").strip()


def _choices(item: Item) -> dict[str, str]:
    if item.kind == "promise":
        return dict(PROMISE_KEYS)
    keys = {key: outcome for key, outcome in OUTCOME_KEYS.items()}
    keys.update({SKIP: "skip", SNOOZE: "snooze to tomorrow", QUIT: "quit"})
    return keys


def _ask_choice(item: Item) -> str:
    from tickle.layout import GLUE

    choices = _choices(item)
    menu = " ".join(f"{key}={label}".replace(" ", GLUE) for key, label in choices.items())
    while True:
        answer = _ask(f"Outcome [{menu}]:").lower()
        if answer in choices:
            return answer
        for key, label in choices.items():
            if answer and answer == label:
                return key
        say(f"Unknown choice {safe_text(answer)!r}: type one of the letters, then Enter.")


def _ask_date(ctx: typer.Context, question: str) -> When | None:
    while True:
        text = _ask(question)
        if not text:
            return None
        try:
            found = session.when(ctx, text)
            dates.refuse_past(found, session.now(ctx))
            return found
        except DateError as error:
            say(safe_text(error.message))


def _ask_reason(question: str) -> str:
    while True:
        reason = _ask(question)
        if reason:
            return reason
        say("A promise keeps its history honest: say why, in a few words.")


def _review_one(ctx: typer.Context, card: Card, tally: Counter[str]) -> str:
    item = card.item
    choice = _ask_choice(item)
    if choice == QUIT:
        return QUIT
    if choice == SKIP:
        tally["skipped"] += 1
        say(f"Skipped #{item.id} for now.")
    elif choice == SNOOZE:
        _snooze(ctx, item, tally)
    elif item.kind == "promise" and choice == MOVE:
        _move(ctx, item, tally)
    elif item.kind == "promise" and choice == CANCEL:
        _cancel(ctx, item, tally)
    else:
        _complete(ctx, item, None if choice == KEPT else OUTCOME_KEYS[choice], tally)
    return choice


def _snooze(ctx: typer.Context, item: Item, tally: Counter[str]) -> None:
    now = session.now(ctx)
    tomorrow = session.when(ctx, "tomorrow")
    if item.due is not None and item.due.time is not None:
        tomorrow = When(tomorrow.day, item.due.time)
    with session.writing(ctx) as store:
        snoozed = domain.snooze(store, store.items.get(item.id), tomorrow, now, reason="review")
    tally["rescheduled"] += 1
    say(f"Snoozed #{item.id} to {views.due_label(snoozed.due, now)}.")


def _move(ctx: typer.Context, item: Item, tally: Counter[str]) -> None:
    now = session.now(ctx)
    new_due = None
    while new_due is None:
        new_due = _ask_date(ctx, "Move to (WHEN agreed with the customer):")
    reason = _ask_reason("Why it moves (kept in the history):")
    with session.writing(ctx) as store:
        moved = domain.move(store, store.items.get(item.id), new_due, now, reason=reason)
    tally["moved"] += 1
    say(
        f"Moved #{item.id} from {views.due_label(item.due, now)} to {views.due_label(moved.due, now)}."
    )


def _cancel(ctx: typer.Context, item: Item, tally: Counter[str]) -> None:
    reason = _ask_reason("Why it is cancelled (kept in the history):")
    with session.writing(ctx) as store:
        domain.cancel(store, store.items.get(item.id), session.now(ctx), reason=reason)
    tally["cancelled"] += 1
    say(f"Cancelled #{item.id}: {item.title}.")


def _complete(ctx: typer.Context, item: Item, outcome: str | None, tally: Counter[str]) -> None:
    """The outcome chosen, with a note and a next date if given. Stopped at either
    question (Ctrl-D, Ctrl-C), the outcome is saved all the same, then the stop goes on."""
    note, next_when, stopped = None, None, None
    try:
        note = _ask("Note (Enter for none):") or None
        next_when = _ask_date(ctx, "Next date (WHEN, Enter for none):")
    except (KeyboardInterrupt, EOFError) as stop:
        stopped = stop
        typer.echo("")
    now = session.now(ctx)
    with session.writing(ctx) as store:
        result = domain.complete(
            store, store.items.get(item.id), now, outcome=outcome, note=note, next_when=next_when
        )
    if stopped is not None:
        say(f"Saved #{item.id} as {outcome or 'kept'} before stopping.")
    if result.closed and item.kind == "promise":
        tally["kept"] += 1
        late = f"{result.days_late} day{'s' if result.days_late != 1 else ''} late"
        on_time = "on time" if result.item.kept == "on_time" else late
        say(f"Kept promise #{item.id} {on_time}: {result.item.title}.")
    elif result.closed:
        tally["done"] += 1
        say(f"Done #{item.id}: {result.item.title}{f' ({outcome})' if outcome else ''}.")
    else:
        tally["rescheduled"] += 1
        say(
            f"#{item.id} {outcome}: attempt {result.item.attempts}, "
            f"next try {views.due_label(result.moved_to, now)}."
        )
        views.say_if_switch_channel(result.item)
    if result.next_item:
        say(
            f"Next follow-up #{result.next_item.id} due "
            f"{views.due_label(result.next_item.due, now)}."
        )
    if result.closed and item.rrule:
        say(views.series_line(result.next_occurrence, now))
    if stopped is not None:
        raise stopped


def _summary(tally: Counter[str]) -> str:
    total = sum(tally.values())
    parts = [f"{tally[key]} {key}" for key in TALLIES if key in SHOWN_ALWAYS or tally[key]]
    return f"Reviewed {total}: {', '.join(parts)}."
