"""A realistic sample book of business, dated around today, for `tickle demo`."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from tickle.dates import When
from tickle.domain import customers, items
from tickle.errors import InputError

if TYPE_CHECKING:
    from tickle.store import Store

CUSTOMERS = [
    dict(
        name="Ana Silva",
        company="Acme Logistics",
        email="ana.silva@acme.example",
        phone="+1 415 555 0142",
        channel="phone",
        best_time="mornings",
        tz="America/Los_Angeles",
        tags=["key-account"],
    ),
    dict(
        name="José Ferreira",
        company="Hooli",
        email="j.ferreira@hooli.example",
        phone="+1 415 555 2806",
        channel="email",
        tags=["lead"],
        note="Asked for the pricing sheet, 'urgent'",
    ),
    dict(
        name="Grace Okafor",
        company="Soylent Foods",
        email="g.okafor@soylent.example",
        phone="415.555.4644",
        channel="phone",
        best_time="after 2pm",
    ),
    dict(
        name="Yuki Brown",
        company="Dunder Mifflin",
        email="y.brown@dunder.example",
        phone="+1 (415) 555-2069",
        channel="sms",
        tags=["renewal"],
    ),
    dict(
        name="Pierre Álvarez",
        company="Pied Piper",
        email="p.alvarez@pied.example",
        phone="+44 20 7946 4277",
        channel="email",
        tz="Europe/London",
    ),
    dict(
        name="Noor Mensah",
        company="Umbrella Health",
        phone="(212) 555-0593 x12",
        channel="phone",
        best_time="Tue/Thu",
        note="5% discount agreed",
    ),
    dict(
        name="Luca García",
        company="Wonka Confections",
        email="l.garcia@wonka.example",
        channel="email",
        tags=["evangelist"],
    ),
    dict(
        name="Aisha Lindqvist",
        company="Tyrell & Sons",
        email="a.lindqvist@tyrell.example",
        phone="+1 (415) 555-5911",
        channel="meeting",
    ),
    dict(
        name="Grace Tanaka",
        company="Stark Industries",
        email="g.tanaka@stark.example",
        phone="(212) 555-8655",
        channel="phone",
        tags=["lead"],
        note="Met at trade show",
    ),
    dict(
        name="Sam O'Brien",
        company="Initech",
        email="s.obrien@initech.example",
        phone="+1 512 555 0199",
        channel="chat",
    ),
    dict(
        name="Maya Patel",
        company="Globex",
        email="maya.patel@globex.example",
        phone="+1 312 555 0117",
        channel="phone",
        best_time="before 11am",
        tags=["key-account", "renewal"],
    ),
    dict(
        name="Tom Becker", company="Vandelay Imports", email="tom@vandelay.example", channel="email"
    ),
]

# (customer index, kind, days from today, time or None, what)
ITEMS = [
    (0, "promise", -2, None, "Send the revised pricing sheet"),
    (2, "followup", -1, "15:00", "Call back about the delivery delay"),
    (5, "followup", -3, None, "Check the replacement unit arrived"),
    (1, "promise", 0, "16:00", "Email the pricing sheet"),
    (3, "followup", 0, "10:30", "Renewal call: confirm seat count"),
    (10, "followup", 0, None, "Quarterly check-in: still happy?"),
    (4, "followup", 1, "09:00", "Demo follow-up: answer security questions"),
    (6, "promise", 2, None, "Send the case study draft"),
    (7, "followup", 3, "14:00", "Meeting: onboarding review"),
    (8, "followup", 4, None, "Follow up on the trade-show demo"),
    (9, "followup", 6, "11:00", "Check they understand the new billing"),
    (11, "promise", 9, None, "Send contract for signature"),
]

# (customer index, days ago, outcome, channel, note)
CONTACTS = [
    (0, 5, "reached", "phone", "Wants pricing for 40 seats"),
    (2, 4, "voicemail", "phone", None),
    (5, 12, "reached", "phone", "Unit was faulty; replacement shipped"),
    (10, 85, "met", "meeting", "Renewed for a year"),
    (3, 30, "emailed", "email", "Sent renewal quote"),
]


def load_demo(store: Store, now: dt.datetime) -> int:
    """Fill an empty database with the sample; returns how many items it added."""
    if not store.is_empty():
        raise InputError(
            "the database already has data: 'tickle demo' only fills an empty one "
            "(try --db /tmp/demo.db)"
        )
    people = [customers.add_customer(store, now, **fields) for fields in CUSTOMERS]
    for index, days_ago, outcome, channel, note in CONTACTS:
        items.log_contact(
            store,
            people[index],
            now - dt.timedelta(days=days_ago),
            outcome=outcome,
            channel=channel,
            note=note,
        )
    today = now.date()
    for index, kind, offset, time, what in ITEMS:
        due = When(today + dt.timedelta(days=offset), dt.time.fromisoformat(time) if time else None)
        created = now - dt.timedelta(days=max(1, -offset + 2))
        if kind == "promise":
            items.add_promise(store, people[index], what, due, created)
        else:
            items.add_followup(store, people[index], due, created, title=what)
    return len(ITEMS)
