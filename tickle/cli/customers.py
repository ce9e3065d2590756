"""`tickle customer ...`: the people a rep follows up with."""

from __future__ import annotations

import sys
from enum import Enum
from typing import Annotated

import typer

from tickle.cli import session, views
from tickle.cli.session import FormatOption, WidthOption
from tickle.domain import customers as domain
from tickle.errors import InputError
from tickle.render import Group, emit, say, say_details, say_wrapped, write_json_object

customer_app = typer.Typer(
    help="Add, find, show and edit customers.",
    no_args_is_help=True,
    rich_markup_mode=None,
)


class Channel(str, Enum):
    phone = "phone"
    email = "email"
    sms = "sms"
    meeting = "meeting"
    chat = "chat"


def complete_customer(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    """Shell completion: the active customers whose name starts with what was typed, by
    the rule people are matched (`sofia` offers Sofía Hernández), quoted for the shell."""
    from tickle.cli.completion import completion
    from tickle.store import read_customer_names

    found = []
    for name, company in read_customer_names(ctx.find_root().params.get("db"), incomplete):
        offered = completion(name, incomplete)
        if offered is not None:
            found.append((offered, company))
    return found


CustomerArg = Annotated[
    str,
    typer.Argument(
        help="An id, an email, or part of the name or company.",
        autocompletion=complete_customer,
    ),
]
OptionalCustomerArg = Annotated[
    str | None,
    typer.Argument(
        help="An id, an email, or part of the name or company.",
        autocompletion=complete_customer,
        show_default=False,
    ),
]
Company = Annotated[str | None, typer.Option("--company", help="Their company.")]
Email = Annotated[str | None, typer.Option("--email", help="Email address.")]
Phone = Annotated[str | None, typer.Option("--phone", help="Phone number.")]
ChannelOpt = Annotated[
    Channel | None,
    typer.Option("--channel", help="How they like to be reached.", case_sensitive=False),
]
BestTime = Annotated[
    str | None,
    typer.Option("--best-time", metavar="TEXT", help="When to reach them, e.g. 'mornings'."),
]
Zone = Annotated[
    str | None, typer.Option("--tz", metavar="ZONE", help="Their time zone, e.g. Europe/Paris.")
]
Note = Annotated[str | None, typer.Option("--note", help="Anything worth remembering.")]


@customer_app.command("add")
def add(
    ctx: typer.Context,
    name: Annotated[list[str], typer.Argument(help="Their name.")],
    company: Company = None,
    email: Email = None,
    phone: Phone = None,
    channel: ChannelOpt = None,
    best_time: BestTime = None,
    tz: Zone = None,
    tag: Annotated[list[str] | None, typer.Option("--tag", help="A tag (repeatable).")] = None,
    note: Note = None,
    duplicate: Annotated[
        bool,
        typer.Option("--duplicate", help="Add them even if someone has that name, email or phone."),
    ] = False,
) -> None:
    """Add a customer."""
    from tickle import settings

    with session.writing(ctx) as store:
        customer = domain.add_customer(
            store,
            session.now(ctx),
            duplicate=duplicate,
            name=" ".join(name),
            company=company,
            email=email,
            phone=phone,
            channel=channel.value if channel else settings.get("customers.channel"),
            best_time=best_time,
            tz=tz,
            tags=tag or [],
            note=note,
        )
    say(f"Added customer #{customer.id} {customer.label}.")
    _say_phone_facts(customer, phone is not None)


@customer_app.command("list")
def list_(
    ctx: typer.Context,
    tag: Annotated[str | None, typer.Option("--tag", help="Only customers with this tag.")] = None,
    search: Annotated[
        str | None, typer.Option("--search", help="Text in name, company, email, phone or note.")
    ] = None,
    archived: Annotated[
        bool, typer.Option("--archived", help="Include archived customers.")
    ] = False,
    format: FormatOption = None,
    width: WidthOption = None,
) -> None:
    """List customers."""
    with session.reading(ctx) as store:
        found = store.customers.list(tag=tag, search=search, include_archived=archived)
    output = session.fmt(format)
    if not found and output in ("table", "plain"):
        say(
            "No customers yet: 'tickle customer add NAME' adds one."
            if not (tag or search)
            else "No customer matches."
        )
        return
    emit(
        [Group("", found)],
        views.customer_columns(),
        fmt=output,
        to_dict=lambda c: c.as_dict(),
        width=width,
    )


@customer_app.command("show")
def show(
    ctx: typer.Context,
    customer: CustomerArg,
    format: FormatOption = None,
    width: WidthOption = None,
) -> None:
    """Everything known about a customer: details, open items, last contacts, history."""
    with session.reading(ctx) as store:
        profile = domain.customer_profile(store, domain.resolve_customer(store, customer))
    output = session.fmt(format)
    now = session.now(ctx)
    if output == "json":
        write_json_object(_profile_dict(profile))
        return
    if output == "csv":
        emit([Group("", [profile.customer])], [], fmt=output, to_dict=lambda c: c.as_dict())
        return
    _print_profile(profile, now, output, width)


def _profile_dict(profile: domain.Profile) -> dict:
    return dict(
        profile.customer.as_dict(),
        open_items=[item.as_dict() for item in profile.open_items],
        last_contacts=[event.as_dict() for event in profile.last_contacts],
        history=[event.as_dict() for event in profile.history],
    )


def phone_text(customer) -> str | None:
    """Every phone as typed with its kind, and its E.164 form when that reads differently."""
    described = []
    for entry in customer.phones:
        facts = [entry["kind"]] if entry.get("kind") else []
        e164 = entry.get("e164")
        if e164 and e164 != entry["value"]:
            facts.append(e164)
        described.append(f"{entry['value']} ({', '.join(facts)})" if facts else entry["value"])
    return ", ".join(described) or None


def zone_text(customer) -> str | None:
    if not customer.tz:
        return None
    return f"{customer.tz} (inferred from the phone)" if customer.tz_inferred else customer.tz


def _print_profile(profile: domain.Profile, now, output: str, width: int | None) -> None:
    from tickle.domain.addresses import describe

    c = profile.customer
    details = [
        ("name", c.name),
        ("company", c.company),
        ("email", describe(c.emails)),  # the preferred one first
        ("phone", phone_text(c)),
        ("reach", c.how_to_reach()),
        ("best time", c.best_time),
        ("time zone", zone_text(c)),
        ("tags", ", ".join(c.tags)),
        ("note", c.note),
        ("external id", c.external_id),
        ("archived", "yes" if c.archived_at else None),
    ]
    say_wrapped(f"#{c.id} {c.label}", width)
    say_details(details, width, label_width=13)
    say("")
    items = [(item, c) for item in profile.open_items]
    if items:
        say(f"Open items ({len(items)})")
        emit(
            [Group("", items)],
            views.item_columns(now),
            fmt=output,
            to_dict=views.item_dict,
            width=width,
        )
    else:
        say("No open items.")
    say("")
    if profile.last_contacts:
        last = profile.last_contacts[-1]
        say_wrapped(f"Last contact: {last.at:%Y-%m-%d} ({views.describe_event(last)})", width)
    else:
        say("No contact recorded yet.")
    if profile.history:
        say("")
        say("Recent history")
        views.emit_events(profile.history, output, width)


@customer_app.command("edit")
def edit(
    ctx: typer.Context,
    customer: CustomerArg,
    name: Annotated[str | None, typer.Option("--name", help="Their name.")] = None,
    company: Company = None,
    email: Email = None,
    phone: Phone = None,
    channel: ChannelOpt = None,
    best_time: BestTime = None,
    tz: Zone = None,
    tag: Annotated[
        list[str] | None, typer.Option("--tag", help="Replace the tags (repeatable; '' clears).")
    ] = None,
    note: Note = None,
) -> None:
    """Change a customer's details (an empty value clears a field)."""
    given = {
        "name": name,
        "company": company,
        "email": email,
        "phone": phone,
        "channel": channel.value if channel else None,
        "best_time": best_time,
        "tz": tz,
        "note": note,
    }
    changes = {key: value for key, value in given.items() if value is not None}
    if tag is not None:
        changes["tags"] = tag
    with session.writing(ctx) as store:
        found = domain.resolve_customer(store, customer)
        updated = domain.edit_customer(store, found, session.now(ctx), **changes)
    say(f"Updated customer #{updated.id} {updated.label}.")
    _say_phone_facts(updated, phone is not None and tz is None)


def _say_phone_facts(customer, phone_given: bool) -> None:
    """A warning for a number that cannot reach anyone; the zone the number gave."""
    if not phone_given:
        return
    from tickle.render import warn

    problem = domain.phone_warning(customer)
    if problem:
        warn(problem)
    if customer.tz_inferred:
        say(f"Time zone {customer.tz}, from the phone number (--tz ZONE to set another).")


@customer_app.command("archive")
def archive(
    ctx: typer.Context,
    customer: CustomerArg,
    restore: Annotated[
        bool, typer.Option("--restore", help="Bring an archived customer back.")
    ] = False,
    cancel_open: Annotated[
        bool,
        typer.Option("--cancel-open", help="Cancel their open items ('customer archived')."),
    ] = False,
) -> None:
    """Hide a customer from lists and matching (kept, with their history)."""
    if restore:
        _restore(ctx, customer)
        return
    with session.writing(ctx) as store:
        found = domain.resolve_customer(store, customer)
        updated = domain.archive_customer(store, found, session.now(ctx), cancel_open=cancel_open)
    say(f"Archived customer #{updated.id} {updated.label}.")


@customer_app.command("restore")
def restore(ctx: typer.Context, customer: CustomerArg) -> None:
    """Bring an archived customer back to lists, matching and the agenda."""
    _restore(ctx, customer)


def _restore(ctx: typer.Context, customer: str) -> None:
    with session.writing(ctx) as store:
        found = domain.resolve_customer(store, customer, archived=True)
        updated = domain.restore_customer(store, found, session.now(ctx))
    say(f"Restored customer #{updated.id} {updated.label}.")


@customer_app.command("delete")
def delete(
    ctx: typer.Context,
    customer: CustomerArg,
    purge: Annotated[
        bool, typer.Option("--purge", help="Required: erase the person and all their items.")
    ] = False,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
) -> None:
    """Erase a customer, their items and history for good (cannot be undone)."""
    if not purge:
        raise InputError(
            "deleting erases the person and their whole history: add --purge to confirm "
            "(or 'tickle customer archive' to hide them and keep it)"
        )
    with session.reading(ctx) as store:
        found = domain.resolve_customer(store, customer)
    if not yes:
        if not sys.stdin.isatty():
            raise InputError("not on a terminal: add --yes to confirm the purge")
        typer.confirm(
            f"Erase #{found.id} {found.label} with all their items and history? "
            "This cannot be undone",
            abort=True,
        )
    with session.writing(ctx, scrub=True) as store:
        domain.purge_customer(store, domain.resolve_customer(store, str(found.id)))
    say(f"Erased customer #{found.id} and everything about them.")
