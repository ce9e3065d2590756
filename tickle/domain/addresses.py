"""Every email address and phone number of a customer, each with its kind (work, home,
mobile...), the preferred one first.

The preferred one is also the customer's `email` and `phone`, which is what every
listing, the agenda's "reach" and the JSON's `email`/`phone` show. A customer who has
only ever had one address stores no list: `entries()` makes it from that one.
Phones are kept as typed, each with its E.164 form beside it (`"e164"`) when it can be
read (tickle.domain.phones); two are the same number when their E.164 forms are, else
when their digits are.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

KINDS = ("work", "home", "mobile", "fax", "pager", "other")

# {"value": "ana@acme.example", "kind": "work"}; "kind" only when known; a phone's
# {"value": "(415) 555-0142", "e164": "+14155550142"}, "e164" only when it can be read.
Entry = dict


def entries(
    stored: Sequence[Entry] | None, preferred: str | None, e164: str | None = None
) -> list[Entry]:
    """The stored list, or the one preferred value (with its E.164 form) when there is none."""
    if stored:
        return [dict(entry) for entry in stored]
    if not preferred:
        return []
    return [{"value": preferred, "e164": e164}] if e164 else [{"value": preferred}]


def worth_storing(items: Sequence[Entry] | None) -> list[Entry] | None:
    """The list to store: none when it says no more than the one `email` or `phone`."""
    if not items or (len(items) == 1 and not items[0].get("kind")):
        return None
    return [dict(item) for item in items]


def entry(value: str, kind: str | None = None) -> Entry:
    return {"value": value, "kind": kind} if kind else {"value": value}


def same_key(field: str, value: str | Entry) -> str:
    """What makes two addresses (case aside) or two numbers the same: for an entry of
    phones the digits of its E.164 form, else (a number that cannot be read) its own
    digits, so that `14155550142` is still `+1 415 555 0142`."""
    if isinstance(value, dict):
        if field == "phones" and value.get("e164"):
            return value["e164"].lstrip("+")
        value = value["value"]
    if field == "phones":
        digits = "".join(ch for ch in value if ch.isdigit())
        return digits or value.strip().lower()
    return value.strip().lower()


def with_e164(items: Iterable[Entry], region: str | None) -> list[Entry]:
    """Phone entries, each with the E.164 form of its number when it can be read (in
    `region` when it has no +country)."""
    from tickle.domain.phones import e164_of

    found = []
    for item in items:
        e164 = e164_of(item["value"], region)
        item = {k: v for k, v in item.items() if k != "e164"}
        found.append(dict(item, e164=e164) if e164 else item)
    return found


def merged(
    field: str, first: Iterable[Entry], then: Iterable[Entry], *, spelling: Iterable[Entry] = ()
) -> list[Entry]:
    """`first` in its order, then what `then` brings that it lacks; a kind learnt for an
    address already listed is kept; an address in `spelling` keeps how it is written
    there (`Ana@Acme.example` stays so when a file writes it in lower case)."""
    written = {same_key(field, item): item["value"] for item in spelling}
    result: dict[str, Entry] = {}
    for item in (*first, *then):
        key = same_key(field, item)
        if key not in result:
            result[key] = dict(item, value=written.get(key, item["value"]))
        elif "kind" in item and "kind" not in result[key]:
            result[key]["kind"] = item["kind"]
    return list(result.values())


def with_preferred(
    field: str,
    current: Sequence[Entry],
    value: str | None,
    *,
    replacing: str | None,
    e164: str | None = None,
) -> list[Entry]:
    """The list after the preferred address `replacing` was changed to `value` (by
    `tickle customer edit`): the new one first (with its kind if it was already listed,
    and a number with its E.164 form `e164`), the old one gone, the others kept."""
    old = next((e for e in current if e["value"] == replacing), replacing)
    gone = {same_key(field, old)} if replacing else set()
    rest = [e for e in current if same_key(field, e) not in gone]
    if not value:
        return rest
    new = {"value": value, "e164": e164} if e164 else {"value": value}
    known = [e for e in rest if same_key(field, e) == same_key(field, new)]
    others = [e for e in rest if e not in known]
    first = dict(known[0], **new) if known else new
    if not e164:
        first.pop("e164", None)
    return [first, *others]


def describe(items: Sequence[Entry]) -> str:
    """`ana@acme.example (work), ana@home.example (home)`."""
    return ", ".join(f"{e['value']} ({e['kind']})" if e.get("kind") else e["value"] for e in items)
