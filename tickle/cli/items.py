"""Follow-ups and promises: add, do, reschedule, cancel, log, list, history, undo."""

from __future__ import annotations

from enum import Enum
from typing import Annotated

import typer

from tickle.cli import session, views
from tickle.cli.app import app
from tickle.cli.customers import Channel, CustomerArg, OptionalCustomerArg
from tickle.cli.session import AtOption, CompanyOption, FormatOption, ItemId, WidthOption
from tickle.domain import history as history_domain
from tickle.domain import items as domain
from tickle.domain.customers import resolve_company, resolve_customer
from tickle.errors import InputError
from tickle.render import Group, emit, say


class Outcome(str, Enum):
    reached = "reached"
    voicemail = "voicemail"
    no_answer = "no-answer"
    emailed = "emailed"
    met = "met"
    wrong_number = "wrong-number"
    declined = "declined"


class Kind(str, Enum):
    followup = "followup"
    follow_up = "follow-up"  # as the tables show it
    promise = "promise"
    case = "case"

    @property
    def stored(self) -> str:
        return "followup" if self is Kind.follow_up else self.value


class Status(str, Enum):
    open = "open"
    done = "done"
    cancelled = "cancelled"
    all = "all"


NextOpt = Annotated[
    str | None, typer.Option("--next", metavar="WHEN", help="Schedule the next follow-up.")
]
TitleOpt = Annotated[
    str | None,
    typer.Option("--title", metavar="TEXT", help="What the next follow-up is about."),
]
NoteOpt = Annotated[str | None, typer.Option("--note", "-n", help="What was said.")]
OutcomeOpt = Annotated[
    Outcome | None,
    typer.Option("--outcome", "-o", help="How the contact went.", case_sensitive=False),
]


@app.command("add")
def add(
    ctx: typer.Context,
    customer: CustomerArg,
    when: Annotated[
        str,
        typer.Argument(help="When to follow up: tomorrow, fri 10, monday morning, 14/3, in 2w..."),
    ],
    what: Annotated[list[str] | None, typer.Argument(help="What the follow-up is about.")] = None,
    channel: Annotated[
        Channel | None,
        typer.Option("--channel", help="Reach them this way.", case_sensitive=False),
    ] = None,
    every: Annotated[
        str | None,
        typer.Option(
            "--every",
            metavar="RULE",
            help="Repeat: day, weekday, week, 2 weeks, month, 3 months, year, monday,thursday.",
        ),
    ] = None,
    rrule: Annotated[
        str | None,
        typer.Option("--rrule", metavar="RRULE", help="Repeat by an RFC 5545 rule."),
    ] = None,
    after_done: Annotated[
        bool,
        typer.Option("--after-done", help="Repeat counting from the day it is done."),
    ] = False,
    their_time: Annotated[
        bool,
        typer.Option("--their-time", help="WHEN is on the customer's clock (their time zone)."),
    ] = False,
) -> None:
    """Add a follow-up (a tickle): call, write or meet the customer on a date."""
    from tickle.domain.recurrence import rule_from_options

    args = [when, *(what or [])]
    due, rest = (None, []) if their_time else session.leading_when(ctx, args)
    rule = None if their_time else rule_from_options(every, rrule, after_done=after_done, start=due)
    with session.writing(ctx) as store:
        who = resolve_customer(store, customer)
        zone = None
        if their_time:
            from tickle.domain import their_clock

            theirs, rest = _on_their_clock(ctx, who, args)
            # kept on their clock: a series repeats their wall time, on their weekdays
            rule = rule_from_options(every, rrule, after_done=after_done, start=theirs)
            due, zone = their_clock.from_their_clock(theirs, who), who.tz
        item = domain.add_followup(
            store,
            who,
            due,
            session.now(ctx),
            title=" ".join(rest),
            channel=channel.value if channel else None,
            rrule=rule,
            after_done=after_done,
            zone=zone,
        )
    repeats = f", {views.repeats_text(item)}" if item.rrule else ""
    # Read on their clock, it is said on both; otherwise on ours, as it was typed.
    shown_due = (lambda due, now: views.due_text(due, who, now)) if their_time else views.due_label
    say(
        f"Added follow-up #{item.id} with {who.label}: {item.title}, "
        f"due {shown_due(item.due, session.now(ctx))}{repeats}."
    )
    views.warn_if_overdue(item, session.now(ctx))


def _on_their_clock(ctx: typer.Context, who, args: list[str]):
    """The WHEN at the start of `args` read on the customer's clock (their wall time)."""
    from tickle import dates
    from tickle.domain import their_clock

    theirs = their_clock.their_now(session.now(ctx), who)
    return dates.parse_leading_when(
        args, theirs, hours=session.hours(ctx), order=dates.date_order()
    )


@app.command("promise")
def promise(
    ctx: typer.Context,
    customer: CustomerArg,
    what: Annotated[list[str], typer.Argument(help="What you promised.")],
    by: Annotated[str, typer.Option("--by", metavar="WHEN", help="The date you promised.")],
) -> None:
    """Record a promise made to a customer, to keep by a date."""
    due = session.when(ctx, by)
    with session.writing(ctx) as store:
        who = resolve_customer(store, customer)
        item = domain.add_promise(store, who, " ".join(what), due, session.now(ctx))
    say(
        f"Promised #{item.id} to {who.label}: {item.title}, "
        f"by {views.due_label(item.due, session.now(ctx))}."
    )
    views.warn_if_overdue(item, session.now(ctx))


@app.command("done")
def done(
    ctx: typer.Context,
    item_id: ItemId,
    outcome: OutcomeOpt = None,
    note: NoteOpt = None,
    next: NextOpt = None,
    title: TitleOpt = None,
    at: AtOption = None,
) -> None:
    """Mark an item done, or log an attempt (voicemail, no-answer keep it open)."""
    next_when = session.when(ctx, next) if next else None
    happened = session.moment(ctx, at)
    _title_needs_next(title, next)
    with session.writing(ctx) as store:
        result = domain.complete(
            store,
            domain.get_item(store, item_id),
            session.now(ctx),
            outcome=outcome.value if outcome else None,
            note=note,
            next_when=next_when,
            next_title=title,
            at=happened,
        )
    now = session.now(ctx)
    item = result.item
    if not result.closed:
        say(
            f"#{item.id} {result.outcome}: attempt {item.attempts}, "
            f"next try {views.due_label(result.moved_to, now)}."
        )
        views.say_if_switch_channel(item)
    elif item.kind == "promise":
        late = f"{result.days_late} day{'s' if result.days_late != 1 else ''} late"
        say(
            f"Kept promise #{item.id} {'on time' if item.kept == 'on_time' else late}: {item.title}."
        )
    else:
        outcome_text = f" ({result.outcome})" if result.outcome else ""
        say(f"Done #{item.id}: {item.title}{outcome_text}.")
    if result.next_item:
        say(
            f"Next follow-up #{result.next_item.id} due "
            f"{views.due_label(result.next_item.due, now)}."
        )
    if item.rrule and result.closed:
        say(views.series_line(result.next_occurrence, now))


@app.command("snooze")
def snooze(
    ctx: typer.Context,
    item_id: ItemId,
    when: Annotated[str, typer.Argument(help="The new date.")],
    reason: Annotated[str | None, typer.Option("--reason", help="Why (kept in history).")] = None,
) -> None:
    """Put a follow-up off to a later date."""
    new_due = session.when(ctx, when)
    with session.writing(ctx) as store:
        item = domain.snooze(
            store, domain.get_item(store, item_id), new_due, session.now(ctx), reason=reason
        )
    say(f"Snoozed #{item.id} to {views.due_label(item.due, session.now(ctx))}.")


@app.command("move")
def move(
    ctx: typer.Context,
    item_id: ItemId,
    when: Annotated[str, typer.Argument(help="The new date.")],
    reason: Annotated[str, typer.Option("--reason", help="Why it moves (kept in history).")],
) -> None:
    """Move an item to a new date agreed with the customer (the old date stays in history)."""
    new_due = session.when(ctx, when)
    with session.writing(ctx) as store:
        before = domain.get_item(store, item_id)
        item = domain.move(store, before, new_due, session.now(ctx), reason=reason)
    now = session.now(ctx)
    say(
        f"Moved #{item.id} from {views.due_label(before.due, now)} "
        f"to {views.due_label(item.due, now)}."
    )


@app.command("cancel")
def cancel(
    ctx: typer.Context,
    item_id: ItemId,
    reason: Annotated[
        str | None, typer.Option("--reason", help="Why (required for a promise).")
    ] = None,
    end_series: Annotated[
        bool, typer.Option("--end-series", help="A recurring follow-up: stop repeating it.")
    ] = False,
) -> None:
    """Cancel an item, saying why (a recurring one repeats unless --end-series)."""
    with session.writing(ctx) as store:
        item = domain.cancel(
            store,
            domain.get_item(store, item_id),
            session.now(ctx),
            reason=reason,
            end_series=end_series,
        )
        following = store.items.open_in_series(item.series_id) if item.series_id else None
    say(f"Cancelled #{item.id}: {item.title}.")
    if item.rrule:
        ended = "Ended the series." if end_series else None
        say(ended or views.series_line(following, session.now(ctx)))


@app.command("skip")
def skip(
    ctx: typer.Context,
    item_id: ItemId,
    reason: Annotated[str | None, typer.Option("--reason", help="Why (kept in history).")] = None,
) -> None:
    """Skip this occurrence of a recurring follow-up: the next one is scheduled."""
    with session.writing(ctx) as store:
        item, following = domain.skip_occurrence(
            store, domain.get_item(store, item_id), session.now(ctx), reason=reason
        )
    say(f"Skipped #{item.id}: {item.title}.")
    say(views.series_line(following, session.now(ctx)))


@app.command("log")
def log(
    ctx: typer.Context,
    customer: CustomerArg,
    outcome: Annotated[
        Outcome,
        typer.Option("--outcome", "-o", help="How the contact went.", case_sensitive=False),
    ],
    channel: Annotated[
        Channel | None,
        typer.Option("--channel", help="How you talked.", case_sensitive=False),
    ] = None,
    note: NoteOpt = None,
    next: NextOpt = None,
    title: TitleOpt = None,
    at: AtOption = None,
) -> None:
    """Log a contact that was not on the agenda, such as an inbound call."""
    next_when = session.when(ctx, next) if next else None
    happened = session.moment(ctx, at)
    _title_needs_next(title, next)
    with session.writing(ctx) as store:
        result = domain.log_contact(
            store,
            resolve_customer(store, customer),
            session.now(ctx),
            outcome=outcome.value,
            channel=channel.value if channel else None,
            note=note,
            next_when=next_when,
            next_title=title,
            at=happened,
        )
    how = views.contact_text(result.outcome, result.channel)
    say(f"Logged contact with {result.customer.label}: {how}.")
    if result.next_item:
        say(
            f"Next follow-up #{result.next_item.id} due "
            f"{views.due_label(result.next_item.due, session.now(ctx))}."
        )


def _title_needs_next(title: str | None, next: str | None) -> None:
    if title is not None and next is None:
        raise InputError("--title names the next follow-up: give its date with --next WHEN")


@app.command("list")
def list_(
    ctx: typer.Context,
    kind: Annotated[
        Kind | None, typer.Option("--kind", help="Only this kind.", case_sensitive=False)
    ] = None,
    customer: Annotated[
        str | None, typer.Option("--customer", "-c", help="Only this customer's items.")
    ] = None,
    company: CompanyOption = None,
    status: Annotated[
        Status, typer.Option("--status", help="Which items.", case_sensitive=False)
    ] = Status.open,
    format: FormatOption = None,
    width: WidthOption = None,
) -> None:
    """List follow-ups, promises and cases."""
    with session.reading(ctx) as store:
        who = resolve_customer(store, customer) if customer else None
        everyone = resolve_company(store, company) if company else None
        found = domain.list_items(
            store,
            kind=kind.stored if kind else None,
            customer=who,
            customers=everyone,
            status=status.value,
        )
    output = session.fmt(format)
    if not found and output in ("table", "plain"):
        say("Nothing to list.")
        return
    emit(
        [Group("", found)],
        views.item_columns(session.now(ctx)),
        fmt=output,
        to_dict=views.item_dict,
        row_style=lambda pair: views.PROMISE_STYLE if pair[0].kind == "promise" else None,
        width=width,
    )


@app.command("history")
def history(
    ctx: typer.Context,
    customer: OptionalCustomerArg = None,
    company: CompanyOption = None,
    last: Annotated[
        int | None, typer.Option("--last", min=1, help="Only the last N events.")
    ] = None,
    format: FormatOption = None,
    width: WidthOption = None,
) -> None:
    """The timeline of everything with a customer (or a company), oldest first."""
    if (customer is None) == (company is None):
        raise InputError("give a customer, or --company TEXT for everyone at a company")
    with session.reading(ctx) as store:
        who = (
            resolve_customer(store, customer)
            if customer is not None
            else resolve_company(store, company or "")
        )
        events = history_domain.customer_history(store, who, last=last)
    output = session.fmt(format)
    if not events and output in ("table", "plain"):
        label = who.label if not isinstance(who, list) else f"anyone at '{company}'"
        say(f"Nothing recorded with {label} yet.")
        return
    views.emit_events(events, output, width)


@app.command("undo")
def undo(ctx: typer.Context) -> None:
    """Revert the last change (again to go further back)."""
    with session.unrecorded(ctx) as store:
        command = history_domain.undo(store)
    say(f"Undid: {command}")
