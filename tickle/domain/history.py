"""A customer's timeline, and undoing the last change."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tickle.domain.models import Customer, Event
from tickle.errors import InputError

if TYPE_CHECKING:
    from tickle.store import Store


def customer_history(
    store: Store, customer: Customer | list[Customer], *, last: int | None = None
) -> list[Event]:
    """Everything that happened with the customer (or everyone at a company), in the
    order it happened."""
    if isinstance(customer, list):
        return store.events.for_customer([c.id for c in customer], newest=last)
    return store.events.for_customer(customer.id, newest=last)


def undo(store: Store) -> str:
    """Revert the last write command; returns what it was."""
    command = store.undo_last_change()
    if command is None:
        raise InputError("nothing to undo")
    return command
