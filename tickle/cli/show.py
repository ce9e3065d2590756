"""One item at a time: `tickle show ID` and `tickle edit ID`."""

from __future__ import annotations

from typing import Annotated

import typer

from tickle.cli import session, views
from tickle.cli.app import app
from tickle.cli.customers import Channel
from tickle.cli.session import FormatOption, ItemId, WidthOption
from tickle.domain import items as domain
from tickle.render import say, say_details, say_wrapped, write_json_object


@app.command("show")
def show(
    ctx: typer.Context,
    item_id: ItemId,
    format: FormatOption = None,
    width: WidthOption = None,
) -> None:
    """One item: the customer, how to reach them, due, rule, attempts, its history."""
    with session.reading(ctx) as store:
        view = domain.show_item(store, item_id)
    output = session.fmt(format)
    if output == "json":
        write_json_object(view.as_dict())
        return
    item, customer, now = view.item, view.customer, session.now(ctx)
    say_wrapped(f"#{item.id} {views.kind_text(item)}: {item.title}", width)
    details = [
        ("customer", f"#{customer.id} {customer.label}"),
        ("reach", views.reach_text(customer, item)),
        ("due", views.due_text(item.due, customer, now, item.tz) if item.due else None),
        ("promised", views.due_label(item.promised_due, now) if item.kind == "promise" else None),
        ("repeats", views.repeats_text(item) if item.rrule else None),
        ("status", views.status_text(item)),
        ("attempts", str(item.attempts) if item.attempts else None),
        ("category", item.category),
    ]
    say_details(details, width, label_width=11)
    if view.history:
        say("")
        views.emit_events(view.history, output, width)


@app.command("edit")
def edit(
    ctx: typer.Context,
    item_id: ItemId,
    title: Annotated[str | None, typer.Option("--title", help="A new title.")] = None,
    channel: Annotated[
        Channel | None,
        typer.Option("--channel", help="Reach them this way.", case_sensitive=False),
    ] = None,
    note: Annotated[str | None, typer.Option("--note", help="A note for its history.")] = None,
) -> None:
    """Retitle an item, change its channel or add a note (its date: snooze or move)."""
    with session.writing(ctx) as store:
        item = domain.edit_item(
            store,
            domain.get_item(store, item_id),
            session.now(ctx),
            title=title,
            channel=channel.value if channel else None,
            note=note,
        )
    say(f"Updated #{item.id}: {item.title}.")
