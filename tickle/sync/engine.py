"""One sync run: what changed on the server comes down, then what changed here goes up.

1. Ask the server what changed since the list's sync token (nothing is written yet:
   a server that cannot be reached leaves the tickle file as it was).
2. In one transaction, undoable as one step: apply the phone's changes through the
   same domain operations a rep uses (marked "on a synced device" in the history),
   remember the new token and ETags, and plan what to send.
3. Send each change with a precondition (If-None-Match: * for a new task, If-Match
   for a known one), recording every few results in the database.

A run cut short anywhere leaves both sides consistent: each item's server copy is at
a URL made from its id, so a task sent but not recorded is found there again (its
creation is refused, or the next run's changes list it) and taken as it is when it
says what tickle would send.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from tickle import dates
from tickle.dates import When
from tickle.domain import items as domain
from tickle.errors import InputError
from tickle.sync import reconcile
from tickle.sync.client import Changes, Refused, TaskList
from tickle.sync.mapping import CANCELLED, COMPLETED, OPEN, Task, from_ical, task_for
from tickle.sync.phone_tasks import customer_named
from tickle.sync.state import ItemState, ListState, LocalItem

if TYPE_CHECKING:
    from tickle.store import Store

SYNCED = "on a synced device"
BATCH = 50  # results recorded per transaction while sending


@dataclass
class Push:
    action: str  # "create", "update" or "delete"
    item_id: int
    href: str
    task: Task | None = None
    state: ItemState | None = None


@dataclass
class SyncReport:
    server: str
    dry_run: bool = False
    local: list[str] = field(default_factory=list)  # what changed in the tickle file
    notices: list[str] = field(default_factory=list)  # what the rep should know
    created: int = 0
    updated: int = 0
    deleted: int = 0
    deferred: int = 0  # changed on the server while this run sent: the next run takes them
    requests: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.local or self.notices or self.created or self.updated or self.deleted)


class _DryRun(Exception):
    """Raised to roll back what a dry run applied."""


class Sync:
    def __init__(
        self,
        store: Store,
        tasks: TaskList,
        now: dt.datetime,
        command: str = "tickle sync",
        on_saved: Callable[[], None] = lambda: None,
    ) -> None:
        self.store = store
        self.tasks = tasks
        self.now = now
        self.command = command
        self.on_saved = on_saved  # the phone's changes are committed here

    def run(self, *, dry_run: bool = False, changes: Changes | None = None) -> SyncReport:
        """One sync; `changes` the server's full listing when the caller asked for it
        already (before making a new database)."""
        report = SyncReport(self.tasks.url, dry_run=dry_run)
        known = self.store.sync.find_list(self.tasks.url)
        if changes is None:
            changes = self.tasks.changes(
                known.sync_token if known else None, lambda: self._in_step(known.id)
            )
        if not known:
            changes.complete = True
        try:
            plan = self._pull(changes, report, dry_run)
        except _DryRun as stopped:
            report.local, report.notices = stopped.args[0]
            plan = stopped.args[1]
            _count(report, plan)
            report.requests = self.tasks.requests
            return report
        self.on_saved()
        self._send(plan, report)
        with self.store.immediate():
            self.store.sync.save_token(self.list.id, changes.token, self.now)
        report.requests = self.tasks.requests
        return report

    def _in_step(self, list_id: int) -> set[tuple[str, str]]:
        """The (href, ETag) of every task the server holds as tickle last saw it."""
        sync = self.store.sync
        pairs = {(s.href, s.etag) for s in sync.items(list_id).values() if s.etag}
        return pairs | {(href, etag) for href, etag in sync.foreign(list_id).items() if etag}

    # -- down -----------------------------------------------------------------------

    def _pull(self, changes, report: SyncReport, dry_run: bool) -> list[Push]:
        with self.store.transaction(self.command, self.now):
            self.list: ListState = self.store.sync.list_for(self.tasks.url)
            self.states = self.store.sync.items(self.list.id)
            self.dirty: set[int] = set()
            self.forgotten: set[int] = set()
            by_href = {state.href: state for state in self.states.values()}
            foreign = self.store.sync.foreign(self.list.id)
            wanted = [
                href
                for href, etag in changes.changed.items()
                if not etag or etag not in (getattr(by_href.get(href), "etag", None),
                                            foreign.get(href))
            ]  # fmt: skip
            deleted = set(changes.deleted)
            if changes.complete:
                deleted |= {href for href in by_href if href not in changes.changed}
                for href in foreign:
                    if href not in changes.changed:
                        self.store.sync.forget_foreign(self.list.id, href)
            fetched = self.tasks.fetch(wanted) if wanted else {}
            arrived = {href: (etag, from_ical(data)) for href, (etag, data) in fetched.items()}
            local = self.store.sync.local_items(self.list.id)
            moved = _moved_copies(arrived, by_href)
            for href in sorted(arrived, key=lambda h: _order(by_href.get(h), h)):
                etag, theirs = arrived[href]
                state = by_href.get(href) or moved.get(href)
                self._arrived(href, etag, theirs, state, local, report)
            left = {state.href for state in moved.values()}
            for href in sorted(deleted - left):
                if href in by_href:
                    self._removed(by_href[href], local, report)
                else:
                    self.store.sync.forget_foreign(self.list.id, href)
            self._save_states()
            self.store.sync.save_token(self.list.id, changes.token, None)
            if report.local:  # changed here: read again, with any next occurrence made
                local = self.store.sync.local_items(self.list.id)
            plan = self._plan(local)
            self._save_states()
            self.store.sync.drop_change_if_empty()
            if dry_run:
                raise _DryRun((report.local, report.notices), plan)
        return plan

    def _arrived(
        self,
        href: str,
        etag: str | None,
        theirs: Task | None,
        state: ItemState | None,
        local: dict[int, LocalItem],
        report: SyncReport,
    ) -> None:
        item_id = state.item_id if state else self.list.item_id_of(theirs.uid) if theirs else None
        if item_id is None:
            self._phone_task(href, etag, theirs, local, report)
            return
        if theirs is None:  # not a task any more: keep tickle's copy
            return
        here = local.get(item_id)
        if state is not None and here is not None:
            takes = reconcile.merge(here, self._task(here, state.uid), state.fields, theirs)
            self._apply(here, takes, report)
        self.states[item_id] = ItemState(
            item_id,
            uid=theirs.uid,
            href=href,
            etag=etag,
            hash=theirs.fingerprint(),
            fields=theirs.field_hashes(),
            closed=state.closed if state else False,
        )
        self.dirty.add(item_id)

    def _apply(self, here: LocalItem, takes: reconcile.Takes, report: SyncReport) -> None:
        item = here.item
        label = f"#{item.id} {item.kind_label} for {here.customer.label}"
        if takes.kept_promise_date:
            report.notices.append(
                f"{label}: its date was moved here and on the phone; "
                "a promise keeps the date moved in tickle"
            )
        if takes.title:
            domain.edit_item(
                self.store, item, self.now, title=takes.title, note=f"title changed {SYNCED}"
            )
            report.local.append(f"{label}: title now '{takes.title}'")
            item = self.store.items.get(item.id)
        if takes.due and takes.status is None:
            item = self._moved(item, takes.due, label, report)
        if takes.status == COMPLETED:
            done_at = takes.completed_at
            if done_at is None or done_at > self.now:
                done_at = self.now
            domain.complete(self.store, item, self.now, note=f"completed {SYNCED}", at=done_at)
            report.local.append(f"{label}: done (completed {SYNCED})")
        elif takes.status == CANCELLED:
            if item.kind == "promise":
                report.notices.append(
                    f"{label}: cancelled on the phone, kept open here: a promise is kept, "
                    "moved or cancelled in tickle ('tickle cancel ID --reason TEXT')"
                )
            else:
                domain.cancel(self.store, item, self.now, reason=f"cancelled {SYNCED}")
                report.local.append(f"{label}: cancelled {SYNCED}")

    def _moved(self, item, due: When, label: str, report: SyncReport):
        # The phone's DUE is the whole new due: a date there is a day, all day.
        reason = f"moved {SYNCED}"
        try:
            if item.kind == "promise":
                item = domain.move(self.store, item, due, self.now, reason=reason, keep_time=False)
            else:
                item = domain.snooze(
                    self.store, item, due, self.now, reason=reason, keep_time=False
                )
        except InputError as refused:
            report.notices.append(
                f"{label}: not moved to {dates.describe(due, self.now)}: {refused}"
            )
            return item
        report.local.append(f"{label}: now due {dates.describe(due, self.now)} (moved {SYNCED})")
        return item

    def _removed(self, state: ItemState, local: dict[int, LocalItem], report) -> None:
        here = local.get(state.item_id)
        verdict = reconcile.on_deletion(here)
        if verdict == reconcile.DELETE_KEEPS_PROMISE:
            report.notices.append(
                f"#{here.item.id} promise for {here.customer.label} was deleted on the phone: "
                "a promise is kept, moved or cancelled in tickle, so it is put back"
            )
            state.etag, state.hash = None, None  # sent again as a new task
            self.dirty.add(state.item_id)
            return
        if verdict == reconcile.DELETE_CANCELS:
            domain.cancel(self.store, here.item, self.now, reason=f"deleted {SYNCED}")
            report.local.append(
                f"#{here.item.id} follow-up for {here.customer.label}: cancelled (deleted {SYNCED})"
            )
        self.forgotten.add(state.item_id)
        self.states.pop(state.item_id, None)

    def _phone_task(self, href, etag, theirs: Task | None, local, report: SyncReport) -> None:
        if theirs is None or theirs.status != OPEN or not theirs.summary:
            self.store.sync.save_foreign(self.list.id, href, etag)
            return
        customer = customer_named(self.store, theirs.summary)
        if customer is None:
            self.store.sync.save_foreign(self.list.id, href, etag)
            report.notices.append(
                f"left alone on the server: '{theirs.summary}', made on the phone, names no "
                "single customer (name one in it to make it a follow-up)"
            )
            return
        due = theirs.due or When(self.now.date())
        item = domain.add_followup(self.store, customer, due, self.now, title=theirs.summary)
        self.store.sync.forget_foreign(self.list.id, href)
        here = LocalItem(item, customer, None, None)
        ours = task_for(item, customer, None, theirs.uid)
        # Agreed as tickle would write it: the phone's words stay as the rep typed them
        # until the item changes here.
        self.states[item.id] = ItemState(
            item.id, theirs.uid, href, etag, hash=ours.fingerprint(), fields=ours.field_hashes()
        )
        self.dirty.add(item.id)
        local[item.id] = here
        report.local.append(
            f"#{item.id} follow-up for {customer.label} from the phone: {theirs.summary}"
        )

    # -- up -------------------------------------------------------------------------

    def _task(self, here: LocalItem, uid: str | None = None) -> Task:
        item = here.item
        return task_for(item, here.customer, here.last_note, uid or self.list.uid_for(item.id))

    def _plan(self, local: dict[int, LocalItem]) -> list[Push]:
        plan = []
        for item_id, here in local.items():
            state = self.states.get(item_id)
            if state is not None and state.closed:
                continue
            task = self._task(here, state.uid if state else None)
            if state is None:
                if here.item.is_open:
                    href = self.tasks.href(f"{task.uid.partition('@')[0]}.ics")
                    plan.append(Push("create", item_id, href, task))
            elif state.hash is None:
                plan.append(Push("create", item_id, state.href, task, state))
            elif task.fingerprint() != state.hash:
                plan.append(Push("update", item_id, state.href, task, state))
            elif not here.item.is_open:
                state.closed = True
                self.dirty.add(item_id)
        for state in self.store.sync.missing_items(self.list.id):
            if self.list.item_id_of(state.uid) is None:
                # Typed on the phone, and its follow-up undone here: the task is the
                # rep's own again, left as it is.
                self.store.sync.save_foreign(self.list.id, state.href, state.etag)
                self.forgotten.add(state.item_id)
                self.states.pop(state.item_id, None)
                continue
            plan.append(Push("delete", state.item_id, state.href, state=state))
        return plan

    def _send(self, plan: list[Push], report: SyncReport) -> None:
        for start in range(0, len(plan), BATCH):
            try:
                for push in plan[start : start + BATCH]:
                    self._send_one(push, report)
            finally:  # the network went away: what was sent is recorded all the same
                with self.store.immediate():
                    self._save_states()

    def _send_one(self, push: Push, report: SyncReport) -> None:
        if push.action == "delete":
            try:
                self.tasks.delete(push.href, push.state.etag)
            except Refused:  # changed on the phone since: the customer was erased all the same
                self.tasks.delete(push.href, None)
            self.forgotten.add(push.item_id)
            report.deleted += 1
            return
        task = push.task
        body = _ical(task, self.now)
        try:
            if push.action == "create":
                etag = self._create(push, body)
                report.created += 1
            else:
                etag = self.tasks.update(push.href, self._known_etag(push), body)
                report.updated += 1
        except Refused:
            report.deferred += 1
            return
        self.states[push.item_id] = ItemState(
            push.item_id,
            task.uid,
            push.href,
            etag,
            hash=task.fingerprint(),
            fields=task.field_hashes(),
            closed=task.status != OPEN,
        )
        self.dirty.add(push.item_id)

    def _known_etag(self, push: Push) -> str:
        if push.state.etag:
            return push.state.etag
        # The server sent no ETag with the last PUT (RFC 4791 allows it): ask for it.
        found = self.tasks.get(push.href)
        if found is None or not found[0]:
            raise Refused(404)
        return found[0]

    def _create(self, push: Push, body: bytes) -> str | None:
        try:
            return self.tasks.create(push.href, body)
        except Refused as refused:
            if refused.status != 412:
                raise
        # There already: sent by a run that stopped before recording it.
        found = self.tasks.get(push.href)
        if found is None:
            return self.tasks.create(push.href, body)
        etag, data = found
        there = from_ical(data)
        if there is not None and there.fingerprint() == push.task.fingerprint() and etag:
            return etag
        return self.tasks.update(push.href, etag, body)

    def _save_states(self) -> None:
        sync = self.store.sync
        if self.forgotten:
            sync.forget(self.list.id, sorted(self.forgotten))
            self.forgotten.clear()
        if self.dirty:
            sync.save(
                self.list.id, [self.states[i] for i in sorted(self.dirty) if i in self.states]
            )
            self.dirty.clear()


@dataclass
class Pending:
    new: int = 0
    changed: int = 0
    gone: int = 0
    last_synced_at: dt.datetime | None = None


def pending(store: Store, url: str) -> Pending:
    """What a sync would send: items never sent, items changed since, copies to delete."""
    known = store.sync.find_list(url)
    if known is None:
        local = store.sync.local_items(0)
        return Pending(new=sum(1 for here in local.values() if here.item.is_open))
    states = store.sync.items(known.id)
    found = Pending(last_synced_at=known.last_synced_at)
    for item_id, here in store.sync.local_items(known.id).items():
        state = states.get(item_id)
        if state is None:
            found.new += here.item.is_open
        elif not state.closed:
            task = task_for(here.item, here.customer, here.last_note, state.uid)
            found.changed += task.fingerprint() != state.hash
    found.gone = len(store.sync.missing_items(known.id))
    return found


def _moved_copies(
    arrived: dict[str, tuple[str | None, Task | None]], by_href: dict[str, ItemState]
) -> dict[str, ItemState]:
    """The tasks at a new href whose UID is an item's copy at another: saved again by
    the phone (moved out of the list and back, say), and still that item's copy. By
    new href, the item's state as it was at the old one (whose removal is no news)."""
    by_uid = {state.uid: state for state in by_href.values()}
    return {
        href: by_uid[theirs.uid]
        for href, (_, theirs) in arrived.items()
        if href not in by_href and theirs is not None and theirs.uid in by_uid
    }


def _order(state: ItemState | None, href: str) -> tuple[int, str]:
    """Tickle's items in the order they were made, then the phone's own tasks."""
    return (state.item_id if state else 2**63, href)


def _ical(task: Task, now: dt.datetime) -> bytes:
    from tickle.sync.mapping import to_ical

    return to_ical(task, now)


def _count(report: SyncReport, plan: list[Push]) -> None:
    for push in plan:
        if push.action == "create":
            report.created += 1
        elif push.action == "update":
            report.updated += 1
        else:
            report.deleted += 1
