"""The day/month order of an imported date column, from the values themselves.

A CRM export writes every date the same way, so one value that can only be read one
way (14/03/2026) tells how to read the others (03/04/2026 is then 3 April). A column
whose every value reads both ways is refused rather than guessed: `--date-order` says.
The typist's TICKLE_DATE_ORDER is not used here, on purpose: a file's order is the
habit of the system that wrote it, not of the person importing it.
"""

from __future__ import annotations

from tickle import dates
from tickle.errors import InputError

OPTION = "--date-order dmy (03/04/2026 is 3 April) or --date-order mdy (4 March)"


def column_order(
    values: list[str | None], given: dates.DateOrder | None, column: str = "due"
) -> dates.DateOrder | None:
    """The order to read the column in: `given`, else the one order every value fits;
    None when no value needs one. An InputError when the values leave it open or clash."""
    if given is not None:
        return given
    fitting = set(dates.DATE_ORDERS)
    ambiguous: str | None = None
    seen: dict[dates.DateOrder, str] = {}
    for value in dict.fromkeys(values):  # in file order, so the message names the first
        orders = dates.date_orders(value) if value else None
        if orders is None:
            continue
        if len(orders) > 1:
            ambiguous = ambiguous or value
        else:
            seen.setdefault(next(iter(orders)), value)
        fitting &= orders
    if ambiguous is None:
        return None  # every date reads one way only (or not at all: a row error each)
    if len(fitting) == 1:
        return fitting.pop()
    if not fitting:
        raise InputError(
            f"the {column} column mixes day/month orders ({seen['dmy']!r} is day first, "
            f"{seen['mdy']!r} month first): say how to read {ambiguous!r} with {OPTION}"
        )
    raise InputError(
        f"the {column} column's dates read both ways (is {ambiguous!r} day/month or "
        f"month/day?): say which with {OPTION}"
    )
