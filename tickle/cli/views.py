"""How agenda items, customers and events read on screen: columns and sentences."""

from __future__ import annotations

import datetime as dt

from tickle import dates
from tickle.dates import When
from tickle.domain.agenda import AgendaRow
from tickle.domain.models import Customer, Event, Item
from tickle.render import Column, Group, emit, warn

PROMISE_STYLE = "yellow"
OVERDUE_STYLE = "bold red"


def due_label(due: When | None, now: dt.datetime) -> str:
    if due is None:
        return "-"
    return dates.describe(due, now)


def due_text(
    due: When | None, customer: Customer, now: dt.datetime, zone: str | None = None
) -> str:
    """`tomorrow 10:00 · 15:00 for Ana`: when it is due, on their clock too if it differs,
    else on the clock of the item's own `zone` if that is not ours."""
    from tickle.domain.their_clock import both_clocks

    return both_clocks(due, customer, due_label(due, now), zone)


def reach_text(customer: Customer, item: Item | None = None) -> str:
    """How to reach them, and a word when the item's time is their night or outside
    their best time: `phone +81 3 1234 5678 (mornings) — their night`."""
    from tickle.domain.their_clock import reach_warning

    text = customer.how_to_reach(item.channel if item else None)
    warning = reach_warning(item.due, customer) if item is not None else None
    return f"{text} — {warning}" if warning else text


def warn_if_overdue(item: Item, now: dt.datetime) -> None:
    """A new item dated in the past is kept (a late entry), with a word that it is late."""
    if item.due is not None and dates.is_overdue(item.due, now):
        warn(f"#{item.id} is already overdue: it was due {due_label(item.due, now)}")


def lateness(row: AgendaRow) -> str:
    """How late an overdue item is, in the words a rep would use."""
    if row.days_overdue == 1:
        return "1 day late"
    if row.days_overdue > 1:
        return f"{row.days_overdue} days late"
    moment = row.item.due.local_datetime() if row.item.due else None
    return f"since {moment:%H:%M}" if moment else "today"


def open_age(days: int) -> str:
    """How long a case has been open: "open today", "open 12 days"."""
    if days == 0:
        return "open today"
    return f"open {days} day{'s' if days != 1 else ''}"


def kind_text(item: Item) -> str:
    return "PROMISE" if item.kind == "promise" else item.kind_label


def agenda_columns(now: dt.datetime) -> list[Column]:
    def when(row: AgendaRow) -> str:
        if row.section == "overdue":
            return lateness(row)
        if row.age_days is not None:
            return open_age(row.age_days)
        return due_text(row.item.due, row.customer, now, row.item.tz)

    return [
        Column("id", lambda r: "" if r.projected else f"#{r.item.id}", justify="right"),
        Column(
            "when", when, cell_style=lambda r: OVERDUE_STYLE if r.section == "overdue" else None
        ),
        Column("kind", lambda r: "repeat" if r.projected else kind_text(r.item), cell_style=_loud),
        Column("customer", lambda r: r.customer.label, fit="wrap", min_width=24),
        # In a row, the what and how to reach them wrap only when long: narrower than
        # this, a card per item reads better than a table of broken cells.
        Column("what", lambda r: what_text(r.item), fit="wrap", min_width=36, line=1),
        Column(
            "reach",
            lambda r: reach_text(r.customer, r.item),
            fit="wrap",
            min_width=40,
            line=2,
        ),
        Column("tries", tries_text, justify="right", fit="wrap", line=2, card=tries_words),
    ]


def _loud(row: AgendaRow) -> str | None:
    return "bold" if row.item.kind == "promise" else None


def what_text(item: Item) -> str:
    """The title, and for a recurring follow-up its rule in words."""
    return f"{item.title} ({repeats_text(item)})" if item.rrule else item.title


def repeats_text(item: Item) -> str:
    from tickle.domain.recurrence import describe_rule
    from tickle.domain.series import kept

    start = item.series_anchor or item.due  # the series' weekday, not a snoozed one's
    if start is not None:
        start = kept(start, item)  # and the weekday of the zone it repeats in
    return describe_rule(item.rrule or "", start=start, after_done=item.after_done)


def tries_text(row: AgendaRow) -> str | int:
    if row.switch_channel:
        return f"{row.item.attempts} — try another channel"
    return row.item.attempts or ""


def tries_words(row: AgendaRow) -> str:
    """The tries as a card says them: "2 tries", "5 tries — try another channel"."""
    text = attempts_words(row.item.attempts)
    return f"{text} — try another channel" if row.switch_channel else text


def attempts_words(count: int) -> str:
    return f"{count} {'try' if count == 1 else 'tries'}" if count else ""


def agenda_row_style(row: AgendaRow) -> str | None:
    return PROMISE_STYLE if row.item.kind == "promise" else None


def item_columns(now: dt.datetime) -> list[Column]:
    return [
        Column("id", lambda r: f"#{r[0].id}", justify="right"),
        Column("due", lambda r: due_text(r[0].due, r[1], now, r[0].tz)),
        Column("kind", lambda r: kind_text(r[0])),
        Column("status", lambda r: status_text(r[0])),
        Column("customer", lambda r: r[1].label, fit="wrap", min_width=16),
        Column("what", lambda r: what_text(r[0]), fit="wrap", min_width=24, line=1),
        Column(
            "tries",
            lambda r: r[0].attempts or "",
            justify="right",
            line=2,
            card=lambda r: attempts_words(r[0].attempts),
        ),
    ]


def status_text(item: Item) -> str:
    if item.kind == "case" and item.status == "done":
        return "resolved"
    if item.kind == "promise" and item.kept:
        return "kept on time" if item.kept == "on_time" else "kept late"
    if item.status == "done" and item.outcome:
        return f"done ({item.outcome})"
    return item.status


def item_dict(pair: tuple[Item, Customer]) -> dict:
    item, customer = pair
    return dict(item.as_dict(), customer=customer.contact_dict())


def customer_columns() -> list[Column]:
    return [
        Column("id", lambda c: f"#{c.id}", justify="right"),
        Column("name", lambda c: c.name, fit="wrap", min_width=14),
        Column("company", lambda c: c.company or "", fit="wrap", min_width=12),
        Column("reach", lambda c: c.how_to_reach(), fit="wrap", min_width=20, line=1),
        Column("tags", lambda c: ", ".join(c.tags), fit="cut", min_width=8, line=1),
    ]


def emit_events(events: list[Event], output: str, width: int | None) -> None:
    """A history: what happened when, as a table or in the chosen format."""
    emit([Group("", events)], event_columns(), fmt=output, to_dict=Event.as_dict, width=width)


def event_columns() -> list[Column]:
    return [
        Column("when", lambda e: f"{e.at:%Y-%m-%d %H:%M}"),
        Column("what happened", describe_event, fit="wrap", min_width=24),
        Column(
            "note",
            lambda e: e.note or "",
            fit="wrap",
            min_width=20,
            line=1,
            card=lambda e: f"note: {e.note}" if e.note else "",
        ),
    ]


def describe_event(event: Event) -> str:
    """One line for a timeline entry."""
    item = f"#{event.item_id} {event.item_title}" if event.item_id else ""
    kind = {"followup": "follow-up", "promise": "promise", "case": "case"}.get(
        event.item_kind or "", "item"
    )
    new_due = dates.format_when(event.new_due) if event.new_due else ""
    old_due = dates.format_when(event.old_due) if event.old_due else ""
    how = contact_text(event.outcome, event.channel)
    match event.type:
        case "created":
            return f"{kind} {item} due {new_due}".strip()
        case "contact":
            return f"contact: {how}"
        case "attempt":
            return f"{how} on {item}; next try {new_due}"
        case "done":
            outcome = f" ({how})" if event.outcome else ""
            return f"done {item}{outcome}"
        case "kept":
            return f"promise kept: {item}"
        case "snoozed":
            return f"snoozed {item} from {old_due} to {new_due}"
        case "moved":
            return f"moved {item} from {old_due} to {new_due}"
        case "cancelled":
            return f"cancelled {item}"
        case "opened" | "resolved" | "reopened":
            return f"{event.type} case {item}"
        case "noted":
            return f"note on case {item}"
        case "lesson":
            return f"lesson from case {item}"
        case "letter":
            return f"letter of thanks on case {item}"
        case "note":
            return f"note on {kind} {item}"
        case "edited":
            return f"edited {kind} {item}"
        case _:
            return f"{event.type} {item}".strip()


def contact_text(outcome: str | None, channel: str | None) -> str:
    """How a contact went, in words: "reached by phone", "emailed" (an outcome that says
    its channel is not repeated: never "voicemail by email")."""
    from tickle.domain.models import OUTCOME_CHANNELS

    if not outcome:
        return f"by {channel}" if channel else ""
    if outcome in OUTCOME_CHANNELS or not channel:
        return outcome
    return f"{outcome} by {channel}"


def series_line(following: Item | None, now: dt.datetime) -> str:
    """What became of a recurring follow-up's series once an occurrence closed."""
    if following is None:
        return "The series has ended: its rule gives no later date."
    return (
        f"Next occurrence #{following.id} due {due_label(following.due, now)} "
        f"({repeats_text(following)})."
    )


def say_if_switch_channel(item: Item) -> None:
    from tickle.domain.agenda import max_attempts
    from tickle.render import say

    if item.kind == "followup" and item.attempts >= max_attempts():
        say(f"{item.attempts} tries without reaching them: try another channel.")
