"""Every email address and phone number of a customer, each with its kind (work, home,
mobile...), the preferred one first.

The preferred one is also the customer's `email` and `phone`, which is what every
listing, the agenda's "reach" and the JSON's `email`/`phone` show. A customer who has
only ever had one address stores no list: `entries()` makes it from that one.
Phones are kept as typed; two are the same number when their digits are.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

KINDS = ("work", "home", "mobile", "fax", "pager", "other")

Entry = dict  # {"value": "ana@acme.example", "kind": "work"}; "kind" only when known


def entries(stored: Sequence[Entry] | None, preferred: str | None) -> list[Entry]:
    """The stored list, or the one preferred value when there is none."""
    if stored:
        return [dict(entry) for entry in stored]
    return [{"value": preferred}] if preferred else []


def worth_storing(items: Sequence[Entry] | None) -> list[Entry] | None:
    """The list to store: none when it says no more than the one `email` or `phone`."""
    if not items or (len(items) == 1 and not items[0].get("kind")):
        return None
    return [dict(item) for item in items]


def entry(value: str, kind: str | None = None) -> Entry:
    return {"value": value, "kind": kind} if kind else {"value": value}


def same_key(field: str, value: str) -> str:
    """What makes two addresses (case aside) or two numbers (digits only) the same."""
    if field == "phones":
        digits = "".join(ch for ch in value if ch.isdigit())
        return digits or value.strip().lower()
    return value.strip().lower()


def merged(
    field: str, first: Iterable[Entry], then: Iterable[Entry], *, spelling: Iterable[Entry] = ()
) -> list[Entry]:
    """`first` in its order, then what `then` brings that it lacks; a kind learnt for an
    address already listed is kept; an address in `spelling` keeps how it is written
    there (`Ana@Acme.example` stays so when a file writes it in lower case)."""
    written = {same_key(field, item["value"]): item["value"] for item in spelling}
    result: dict[str, Entry] = {}
    for item in (*first, *then):
        key = same_key(field, item["value"])
        if key not in result:
            result[key] = dict(item, value=written.get(key, item["value"]))
        elif "kind" in item and "kind" not in result[key]:
            result[key]["kind"] = item["kind"]
    return list(result.values())


def with_preferred(
    field: str, current: Sequence[Entry], value: str | None, *, replacing: str | None
) -> list[Entry]:
    """The list after the preferred address `replacing` was changed to `value` (by
    `tickle customer edit`): the new one first (with its kind if it was already listed),
    the old one gone, the others kept."""
    gone = {same_key(field, replacing)} if replacing else set()
    rest = [e for e in current if same_key(field, e["value"]) not in gone]
    if not value:
        return rest
    known = [e for e in rest if same_key(field, e["value"]) == same_key(field, value)]
    others = [e for e in rest if e not in known]
    first = dict(known[0], value=value) if known else {"value": value}
    return [first, *others]


def describe(items: Sequence[Entry]) -> str:
    """`ana@acme.example (work), ana@home.example (home)`."""
    return ", ".join(f"{e['value']} ({e['kind']})" if e.get("kind") else e["value"] for e in items)
