"""The nouns of the trade: customers, agenda items (follow-ups, promises, cases), events."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from tickle.dates import When

CHANNELS = ("phone", "email", "sms", "meeting", "chat")
KINDS = ("followup", "promise", "case")
STATUSES = ("open", "done", "cancelled")

# Outcomes of a contact. The ones that did not reach the person keep a follow-up open.
OUTCOMES = ("reached", "voicemail", "no-answer", "emailed", "met", "wrong-number", "declined")
UNREACHED = frozenset({"voicemail", "no-answer"})
# The channel an outcome can only have happened on.
OUTCOME_CHANNELS = {
    "voicemail": "phone",
    "no-answer": "phone",
    "wrong-number": "phone",
    "emailed": "email",
    "met": "meeting",
}

# Event types that are a contact with the customer: the one meaning of "last contact"
# (customer show, the review card, the report's customers gone quiet). Any outcome of a
# follow-up, a logged contact, a promise kept, and work on a case.
CONTACT_EVENTS = ("contact", "attempt", "done", "kept", "opened", "noted", "resolved")

KIND_LABELS = {"followup": "follow-up", "promise": "promise", "case": "case"}


@dataclass
class Customer:
    id: int
    name: str
    company: str | None = None
    email: str | None = None
    phone: str | None = None
    channel: str | None = None
    best_time: str | None = None
    tz: str | None = None
    tags: list[str] = field(default_factory=list)
    note: str | None = None
    external_id: str | None = None
    archived_at: str | None = None
    created_at: str | None = None
    updated_at: str | None = None
    # Every address and number with its kind, the preferred (`email`, `phone`) first
    # (tickle.domain.addresses).
    emails: list[dict] = field(default_factory=list)
    phones: list[dict] = field(default_factory=list)
    phone_e164: str | None = None  # the phone as +14155550142, when it can be read
    tz_source: str | None = None  # "phone": the zone was inferred from the phone number

    @property
    def tz_inferred(self) -> bool:
        return self.tz is not None and self.tz_source == "phone"

    @property
    def tel(self) -> str | None:
        """The phone as a `tel:` link, when the number could be read."""
        return f"tel:{self.phone_e164}" if self.phone_e164 else None

    @property
    def label(self) -> str:
        return f"{self.name} ({self.company})" if self.company else self.name

    def preferred_channel(self, override: str | None = None) -> str | None:
        """The channel to use: the item's, else the customer's, else what we can reach."""
        if override:
            return override
        if self.channel:
            return self.channel
        if self.phone:
            return "phone"
        if self.email:
            return "email"
        return None

    def address_for(self, channel: str | None) -> str | None:
        """The phone number or email address that reaches them on `channel`."""
        if channel in ("phone", "sms"):
            return self.phone or self.email
        if channel in ("email", "chat"):
            return self.email or self.phone
        return self.phone or self.email

    def how_to_reach(self, override: str | None = None) -> str:
        channel = self.preferred_channel(override)
        if channel is None:
            return "no contact details"
        parts = [channel]
        address = self.address_for(channel)
        if address:
            parts.append(address)
        text = " ".join(parts)
        if self.best_time:
            text += f" ({self.best_time})"
        return text

    def as_dict(self) -> dict:
        return {
            "id": self.id,
            "name": self.name,
            "company": self.company,
            "email": self.email,
            "phone": self.phone,
            "channel": self.channel,
            "best_time": self.best_time,
            "phone_e164": self.phone_e164,
            "tel": self.tel,
            "tz": self.tz,
            "tz_inferred": self.tz_inferred,
            "tags": list(self.tags),
            "note": self.note,
            "external_id": self.external_id,
            "emails": [dict(e) for e in self.emails],
            "phones": [dict(p) for p in self.phones],
            "archived": self.archived_at is not None,
            "created_at": self.created_at,
            "updated_at": self.updated_at,
        }

    def contact_dict(self) -> dict:
        """The customer as agenda rows carry it."""
        return {
            "id": self.id,
            "name": self.name,
            "company": self.company,
            "email": self.email,
            "phone": self.phone,
            "phone_e164": self.phone_e164,
            "tz": self.tz,
            "channel": self.preferred_channel(),
        }


@dataclass
class Item:
    id: int
    kind: str
    customer_id: int
    title: str
    due: When | None
    status: str = "open"
    tz: str | None = None
    channel: str | None = None
    attempts: int = 0
    outcome: str | None = None
    promised_due: When | None = None
    kept: str | None = None
    rrule: str | None = None
    after_done: bool = False
    series_id: int | None = None
    parent_id: int | None = None
    created_at: str | None = None
    closed_at: str | None = None
    category: str | None = None
    resolution: str | None = None
    resolved_at: str | None = None
    lesson: str | None = None
    letter_quote: str | None = None
    letter_at: str | None = None
    # Where a recurring item's rule is anchored (its series' first date), when known.
    series_anchor: When | None = None

    @property
    def is_open(self) -> bool:
        return self.status == "open"

    @property
    def kind_label(self) -> str:
        return KIND_LABELS[self.kind]

    def as_dict(self) -> dict:
        return {
            "id": self.id,
            "kind": self.kind,
            "customer_id": self.customer_id,
            "title": self.title,
            "due": self.due.iso_with_offset() if self.due else None,
            "zone": self.tz,
            "status": self.status,
            "channel": self.channel,
            "attempts": self.attempts,
            "outcome": self.outcome,
            "promised_due": self.promised_due.iso_with_offset() if self.promised_due else None,
            "kept": self.kept,
            "recurrence": self.rrule,
            "after_done": self.after_done,
            "series_id": self.series_id,
            "parent_id": self.parent_id,
            "created_at": self.created_at,
            "closed_at": self.closed_at,
            "category": self.category,
            "resolution": self.resolution,
            "resolved_at": self.resolved_at,
            "lesson": self.lesson,
            "letter_quote": self.letter_quote,
            "letter_at": self.letter_at,
        }


@dataclass
class Event:
    id: int
    customer_id: int
    item_id: int | None
    at: dt.datetime
    type: str
    outcome: str | None = None
    channel: str | None = None
    note: str | None = None
    old_due: When | None = None
    new_due: When | None = None
    item_title: str | None = None
    item_kind: str | None = None

    def as_dict(self) -> dict:
        return {
            "id": self.id,
            "customer_id": self.customer_id,
            "item_id": self.item_id,
            "at": self.at.isoformat(timespec="seconds"),
            "type": self.type,
            "outcome": self.outcome,
            "channel": self.channel,
            "note": self.note,
            "old_due": self.old_due.iso_with_offset() if self.old_due else None,
            "new_due": self.new_due.iso_with_offset() if self.new_due else None,
            "item_title": self.item_title,
            "item_kind": self.item_kind,
        }
