"""`tickle case ...`: complaint cases, from opening to the letter of thanks."""

from __future__ import annotations

from enum import Enum
from typing import Annotated

import typer

from tickle import dates
from tickle.cli import session, views
from tickle.cli.customers import CustomerArg
from tickle.cli.session import FormatOption, WidthOption
from tickle.domain import cases as domain
from tickle.domain.customers import resolve_customer
from tickle.render import (
    Column,
    Group,
    emit,
    say,
    say_details,
    say_wrapped,
    write_json_object,
)

case_app = typer.Typer(
    help="Complaint cases: open, note, resolve, check the fix held, learn from them.",
    no_args_is_help=True,
    rich_markup_mode=None,
)


def complete_category(ctx: typer.Context, incomplete: str) -> list[str]:
    """Shell completion of --category from the categories already used (read-only)."""
    from tickle.store import read_case_categories

    return read_case_categories(ctx.find_root().params.get("db"), incomplete)


CaseId = Annotated[
    int,
    typer.Argument(parser=session.item_number, metavar="ID", help="The case's number (#12 is 12)."),
]
CategoryOpt = Annotated[
    str | None,
    typer.Option(
        "--category",
        help="What the complaint is about, in a word or two (counted in the report).",
        autocompletion=complete_category,
    ),
]


class CaseStatus(str, Enum):
    open = "open"
    resolved = "resolved"
    cancelled = "cancelled"
    all = "all"


@case_app.command("open")
def open_(
    ctx: typer.Context,
    customer: CustomerArg,
    problem: Annotated[list[str], typer.Argument(help="What the customer complains about.")],
    category: CategoryOpt = None,
) -> None:
    """Open a complaint case: you own it until it is fixed."""
    with session.writing(ctx) as store:
        who = resolve_customer(store, customer)
        case = domain.open_case(store, who, " ".join(problem), session.now(ctx), category=category)
    about = f" [{case.category}]" if case.category else ""
    say(f"Opened case #{case.id} for {who.label}: {case.title}{about}.")


@case_app.command("note")
def note(
    ctx: typer.Context,
    case_id: CaseId,
    text: Annotated[list[str], typer.Argument(help="What happened (kept in the history).")],
) -> None:
    """Add a status update to a case."""
    with session.writing(ctx) as store:
        case = domain.add_note(
            store, domain.get_case(store, case_id), " ".join(text), session.now(ctx)
        )
    say(f"Noted on case #{case.id}.")


@case_app.command("resolve")
def resolve(
    ctx: typer.Context,
    case_id: CaseId,
    resolution: Annotated[str, typer.Option("--resolution", help="How it was fixed.")],
    check_in: Annotated[
        str | None,
        typer.Option(
            "--check-in",
            metavar="WHEN",
            help="When to check the fix held (default: cases.check_in, in 2 weeks; 'none': no check-in).",
        ),
    ] = None,
) -> None:
    """Close a case and schedule the satisfaction check-in with the customer."""
    now = session.now(ctx)
    when = domain.check_in_when(check_in, now, hours=session.hours(ctx), order=dates.date_order())
    with session.writing(ctx) as store:
        result = domain.resolve(
            store, domain.get_case(store, case_id), now, resolution=resolution, check_in=when
        )
    say(f"Resolved case #{result.case.id}: {result.case.resolution}.")
    if result.check_in:
        say(
            f"Check-in #{result.check_in.id} due {views.due_label(result.check_in.due, now)}: "
            "did the fix hold?"
        )


@case_app.command("reopen")
def reopen(
    ctx: typer.Context,
    case_id: CaseId,
    reason: Annotated[
        str | None, typer.Option("--reason", help="Why the fix did not hold.")
    ] = None,
) -> None:
    """Reopen a case whose fix did not hold."""
    with session.writing(ctx) as store:
        result = domain.reopen(
            store, domain.get_case(store, case_id), session.now(ctx), reason=reason
        )
    say(f"Reopened case #{result.case.id}: {result.case.title}.")
    for check_in in result.cancelled_check_ins:
        say(f"Cancelled check-in #{check_in.id}.")


@case_app.command("lesson")
def lesson(
    ctx: typer.Context,
    case_id: CaseId,
    text: Annotated[list[str], typer.Argument(help="What would prevent it next time.")],
) -> None:
    """Record what would prevent this complaint next time."""
    with session.writing(ctx) as store:
        case = domain.record_lesson(
            store, domain.get_case(store, case_id), " ".join(text), session.now(ctx)
        )
    say(f"Lesson recorded on case #{case.id}.")


@case_app.command("letter")
def letter(
    ctx: typer.Context,
    case_id: CaseId,
    quote: Annotated[str | None, typer.Option("--quote", help="What the customer wrote.")] = None,
) -> None:
    """Record that the customer wrote back that they are satisfied."""
    with session.writing(ctx) as store:
        case = domain.record_letter(
            store, domain.get_case(store, case_id), session.now(ctx), quote=quote
        )
    say(f"Letter of thanks recorded on case #{case.id}.")


@case_app.command("list")
def list_(
    ctx: typer.Context,
    open_only: Annotated[bool, typer.Option("--open", help="Open cases (the default).")] = False,
    all_cases: Annotated[bool, typer.Option("--all", help="Every case, closed ones too.")] = False,
    status: Annotated[
        CaseStatus | None, typer.Option("--status", help="Only cases in this state.")
    ] = None,
    category: CategoryOpt = None,
    customer: Annotated[
        str | None, typer.Option("--customer", "-c", help="Only this customer's cases.")
    ] = None,
    categories: Annotated[
        bool, typer.Option("--categories", help="The categories used, most frequent first.")
    ] = False,
    format: FormatOption = None,
    width: WidthOption = None,
) -> None:
    """List cases (open ones by default), or the categories with their counts."""
    output = session.fmt(format)
    if categories:
        _list_categories(ctx, output, width)
        return
    wanted = _status(open_only, all_cases, status)
    now = session.now(ctx)
    with session.reading(ctx) as store:
        who = resolve_customer(store, customer) if customer else None
        found = domain.list_cases(store, now, status=wanted, category=category, customer=who)
    if not found and output in ("table", "plain"):
        say("No cases." if wanted != "open" else "No open cases.")
        return
    emit(
        [Group("", found)],
        _case_columns(now),
        fmt=output,
        to_dict=lambda v: v.as_dict(),
        width=width,
    )


def _status(open_only: bool, all_cases: bool, status: CaseStatus | None) -> str:
    from tickle.errors import InputError

    if sum([open_only, all_cases, status is not None]) > 1:
        raise InputError("use just one of --open, --all and --status")
    if all_cases:
        return "all"
    if status is None or status == CaseStatus.open:
        return "open"
    return {"resolved": "done", "cancelled": "cancelled", "all": "all"}[status.value]


def _list_categories(ctx: typer.Context, output: str, width: int | None) -> None:
    with session.reading(ctx) as store:
        found = domain.categories(store)
    if not found and output in ("table", "plain"):
        say("No categories yet: 'tickle case open CUSTOMER PROBLEM --category WORD' adds one.")
        return
    columns = [
        Column("category", lambda r: r[0]),
        Column("cases", lambda r: r[1], justify="right"),
        Column("open", lambda r: r[2], justify="right"),
    ]
    emit(
        [Group("", found)],
        columns,
        fmt=output,
        to_dict=lambda r: {"category": r[0], "cases": r[1], "open": r[2]},
        width=width,
    )


def _case_columns(now) -> list[Column]:
    return [
        Column("id", lambda v: f"#{v.case.id}", justify="right"),
        Column("age", lambda v: age_text(v)),
        Column("customer", lambda v: v.customer.label, fit="wrap", min_width=16),
        Column("problem", lambda v: v.case.title, fit="wrap", min_width=24, line=1),
        Column("category", lambda v: v.case.category or "", fit="wrap", min_width=10, line=2),
        Column("state", lambda v: v.state, line=2),
        Column("check-in", lambda v: check_in_text(v, now), fit="wrap", min_width=16, line=2),
    ]


def age_text(view: domain.CaseView) -> str:
    if view.case.is_open:
        return views.open_age(view.age_days)
    return f"took {view.age_days} day{'s' if view.age_days != 1 else ''}"


def check_in_text(view: domain.CaseView, now) -> str:
    """What the satisfaction check-in found, or when it is due."""
    check_in = view.check_in
    if check_in is None:
        return ""
    if check_in.is_open:
        return f"#{check_in.id} due {views.due_label(check_in.due, now)}"
    if check_in.status == "done":
        found = f" ({check_in.outcome})" if check_in.outcome else ""
        held = "held" if view.case.status == "done" else "did not hold"
        return f"#{check_in.id} {held}{found}"
    return f"#{check_in.id} {check_in.status}"


@case_app.command("show")
def show(
    ctx: typer.Context,
    case_id: CaseId,
    format: FormatOption = None,
    width: WidthOption = None,
) -> None:
    """A case in full: the problem, its resolution, check-ins, lesson, letter, history."""
    now = session.now(ctx)
    with session.reading(ctx) as store:
        view, events = domain.show_case(store, domain.get_case(store, case_id), now)
    output = session.fmt(format)
    if output == "json":
        write_json_object(dict(view.as_dict(), history=[e.as_dict() for e in events]))
        return
    case = view.case
    age = age_text(view)
    say_wrapped(f"Case #{case.id} with {view.customer.label}: {case.title}", width)
    details = [
        ("state", f"{view.state} ({age})"),
        ("category", case.category),
        ("resolution", case.resolution),
        ("check-in", check_in_text(view, now)),
        ("lesson", case.lesson),
        (
            "letter",
            (f'"{case.letter_quote}"' if case.letter_quote else "received")
            if case.letter_at
            else None,
        ),
    ]
    say_details(details, width, label_width=12)
    if events:
        say("")
        views.emit_events(events, output, width)
