"""tickle sync against a real Radicale server, with a second caldav client as the phone."""

from __future__ import annotations

import datetime as dt
import re
import stat

import pytest
from caldav_phone import Phone, make_list
from radicale_server import PASSWORD, USER


@pytest.fixture
def dav(radicale, monkeypatch) -> str:
    monkeypatch.setenv("TICKLE_SYNC_PASSWORD", PASSWORD)
    return make_list(radicale)


@pytest.fixture
def phone(dav):
    phone = Phone(dav)
    yield phone
    phone.close()


@pytest.fixture
def synced(busy, dav):
    """The busy book (#1 follow-up tried once, #2 promise), set up and synced once."""
    busy.ok("sync", "setup", dav, "--user", USER)
    busy.ok("sync")
    return busy


def sent(radicale, since: int, method: str = "PUT") -> list[str]:
    return [path for verb, path in radicale.requests()[since:] if verb == method]


# -- setup ----------------------------------------------------------------------------


def test_setup_saves_the_list_but_never_the_password(busy, dav, tmp_path):
    out = busy.ok("sync", "setup", dav, "--user", USER, "--password-command", "echo x")
    assert f"at {dav}" in out
    config = tmp_path / "xdg-config" / "tickle" / "config.toml"
    text = config.read_text()
    assert f'url = "{dav}"' in text and f'user = "{USER}"' in text
    assert 'password_command = "echo x"' in text
    assert PASSWORD not in text
    assert stat.S_IMODE(config.stat().st_mode) == 0o600


def test_setup_finds_or_makes_a_task_list_by_name_in_the_account(book, radicale, monkeypatch):
    monkeypatch.setenv("TICKLE_SYNC_PASSWORD", PASSWORD)
    name = f"Calls {id(book)}"
    first = book.ok("sync", "setup", radicale.user_url, "--user", USER, "--calendar", name)
    assert "(made for tickle)" in first
    again = book.ok("sync", "setup", radicale.user_url, "--user", USER, "--calendar", name)
    assert "(made for tickle)" not in again
    assert re.search(r" at (\S+?)[ ;]", first)[1] == re.search(r" at (\S+?)[ ;]", again)[1]


def test_setup_refuses_a_calendar_that_takes_no_tasks(book, radicale, monkeypatch):
    import caldav

    monkeypatch.setenv("TICKLE_SYNC_PASSWORD", PASSWORD)
    url = radicale.new_calendar_url()
    with caldav.DAVClient(url=radicale.url, username=USER, password=PASSWORD) as client:
        client.principal().make_calendar(
            name="Events", cal_id=url.rstrip("/").rsplit("/", 1)[1],
            supported_calendar_component_set=["VEVENT"],
        )  # fmt: skip
    result = book("sync", "setup", url, "--user", USER)
    assert result.code == 2
    assert "does not take tasks (it holds VEVENT)" in result.err


def test_sync_before_setup_names_the_settings_file_and_key(book):
    result = book("sync")
    assert result.code == 78
    assert "config.toml: sync.url is not set" in result.err


def test_a_bad_sync_setting_is_refused_with_its_file_and_key(book, tmp_path):
    config = tmp_path / "xdg-config" / "tickle" / "config.toml"
    config.parent.mkdir(parents=True)
    config.write_text('[sync]\nurl = "ftp://example.com/tasks"\n')
    result = book("sync")
    assert result.code == 78
    assert f"{config}: sync.url = " in result.err


# -- what goes up ---------------------------------------------------------------------


def test_first_sync_sends_every_open_dated_item_as_a_task_a_phone_rings_for(synced, phone):
    assert phone.summaries() == [
        "Call Ana Silva (Acme): call back about pricing",
        "Promise to Bob Stone (Hooli): pricing sheet",
    ]
    call = phone.component("call back")
    assert call["due"].dt == dt.datetime(2026, 11, 24, 10, 0, tzinfo=call["due"].dt.tzinfo)
    assert str(call["due"].params["TZID"]) == "America/New_York"
    assert [str(c) for c in call["categories"].cats] == ["follow-up"]
    description = str(call["description"])
    assert "tel:+14155550142" in description and "mailto:ana@acme.example" in description
    assert "Best time: mornings" in description and "tickle #1" in description
    alarm = next(iter(call.walk("VALARM")))
    assert alarm["trigger"].dt == dt.timedelta(0)
    promise = phone.component("pricing sheet")
    assert promise["due"].dt == dt.date(2026, 11, 27)
    assert int(promise["priority"]) == 1
    # an all-day item rings at 09:00 on its day
    assert next(iter(promise.walk("VALARM")))["trigger"].dt == dt.timedelta(hours=9)


def test_the_last_contacts_note_travels_in_the_description(synced, phone):
    synced.ok("log", "bob", "--outcome", "reached", "--note", "wants it in euros")
    synced.ok("sync")
    assert "Last contact: wants it in euros" in str(phone.component("pricing sheet")["description"])


def test_a_sync_with_nothing_changed_sends_no_put_and_one_request(synced, radicale):
    before = len(radicale.requests())
    out = synced.ok("sync")
    assert "Synced: 0 sent, 0 updated" in out
    assert len(radicale.requests()) - before <= 2
    assert sent(radicale, before) == []


def test_quiet_prints_nothing_when_nothing_changed(synced):
    assert synced.ok("sync", "--quiet") == ""
    synced.ok("add", "bob", "fri", "ask about the renewal")
    assert "1 sent" in synced.ok("sync", "--quiet")


def test_done_and_cancelled_here_are_completed_and_cancelled_there(synced, phone):
    synced.ok("done", "1", "--outcome", "reached")
    synced.ok("cancel", "2", "--reason", "customer withdrew")
    synced.ok("sync")
    assert str(phone.component("call back")["status"]) == "COMPLETED"
    assert str(phone.component("pricing sheet")["status"]) == "CANCELLED"


def test_a_changed_item_is_sent_with_if_match(synced, phone, radicale):
    synced.ok("snooze", "1", "mon")
    before = len(radicale.requests())
    assert "1 updated" in synced.ok("sync")
    assert len(sent(radicale, before)) == 1
    # snooze keeps the 10:00 call at 10:00
    due = phone.component("call back")["due"].dt
    assert (due.date(), due.time(), str(due.tzinfo)) == (
        dt.date(2026, 11, 30),
        dt.time(10, 0),
        "America/New_York",
    )


def test_a_purged_customers_items_are_deleted_on_the_server(synced, phone):
    synced.ok("customer", "delete", "bob", "--purge", "--yes")
    assert "1 deleted on the server" in synced.ok("sync")
    assert phone.summaries() == ["Call Ana Silva (Acme): call back about pricing"]
    assert synced.rows("SELECT count(*) FROM sync_items") == [(1,)]


# -- what comes down ------------------------------------------------------------------


def test_completed_on_the_phone_is_done_here_without_an_invented_outcome(synced, phone):
    phone.complete("call back")
    out = synced.ok("sync")
    assert "#1 follow-up for Ana Silva (Acme): done (completed on a synced device)" in out
    assert synced.rows("SELECT status, outcome FROM items WHERE id = 1") == [("done", None)]
    assert synced.rows("SELECT note FROM events WHERE item_id = 1 AND type = 'done'") == [
        ("completed on a synced device",)
    ]


def test_undo_reverts_one_syncs_changes_as_one_step(synced, phone):
    phone.complete("call back")
    phone.retitle("pricing sheet", "Promise to Bob Stone (Hooli): pricing sheet v2")
    synced.ok("sync")
    assert synced.rows("SELECT status FROM items WHERE id = 1") == [("done",)]
    synced.ok("undo")
    assert synced.rows("SELECT id, status, title FROM items ORDER BY id") == [
        (1, "open", "call back about pricing"),
        (2, "open", "pricing sheet"),
    ]


def test_a_recurring_series_advances_and_is_one_open_task_at_a_time(book, dav, phone):
    book.ok("add", "ana silva", "mon", "weekly check", "--every", "week")
    book.ok("sync", "setup", dav, "--user", USER)
    book.ok("sync")
    phone.complete("weekly check")
    book.ok("sync")
    assert book.rows("SELECT id, status, due FROM items ORDER BY id") == [
        (1, "done", "2026-11-30"),
        (2, "open", "2026-12-07"),
    ]
    open_tasks = [
        t for t in phone.todos() if str(t.icalendar_component["status"]) == "NEEDS-ACTION"
    ]
    assert len(open_tasks) == 1
    assert open_tasks[0].icalendar_component["due"].dt == dt.date(2026, 12, 7)


def test_a_due_date_moved_on_the_phone_snoozes_a_follow_up_and_moves_a_promise(synced, phone):
    phone.set_due("call back", dt.date(2026, 12, 1))
    phone.set_due("pricing sheet", dt.date(2026, 12, 4))
    synced.ok("sync")
    assert synced.rows("SELECT id, due FROM items ORDER BY id") == [
        (1, "2026-12-01"),
        (2, "2026-12-04"),
    ]
    assert synced.rows(
        "SELECT item_id, type, note FROM events WHERE type IN ('snoozed', 'moved') ORDER BY id"
    ) == [(1, "snoozed", "moved on a synced device"), (2, "moved", "moved on a synced device")]


def test_a_title_changed_on_the_phone_is_the_new_title(synced, phone):
    phone.retitle("call back", "Call Ana Silva (Acme): call back about the discount")
    synced.ok("sync")
    assert synced.rows("SELECT title FROM items WHERE id = 1") == [
        ("call back about the discount",)
    ]


def test_deleted_on_the_phone_cancels_a_follow_up_but_puts_a_promise_back(synced, phone):
    phone.delete("call back")
    phone.delete("pricing sheet")
    result = synced("sync")
    assert result.code == 0
    assert synced.rows("SELECT id, status FROM items ORDER BY id") == [
        (1, "cancelled"),
        (2, "open"),
    ]
    assert "#2 promise for Bob Stone (Hooli) was deleted on the phone" in result.out
    assert "put back" in result.out
    assert phone.summaries() == ["Promise to Bob Stone (Hooli): pricing sheet"]
    assert synced.rows("SELECT note FROM events WHERE item_id = 1 AND type = 'cancelled'") == [
        ("deleted on a synced device",)
    ]


# -- a task saved again under another href ----------------------------------------------


def _completed(c):
    c.pop("status", None)
    c.add("status", "COMPLETED")


def test_a_task_the_phone_saves_again_under_a_new_href_is_the_same_item(synced, phone):
    href = phone.recreate("call back")
    out = synced.ok("sync")
    assert "Synced: 0 sent, 0 updated, 0 deleted on the server; 0 changed here." in out
    assert synced.rows("SELECT status FROM items WHERE id = 1") == [("open",)]
    assert synced.rows("SELECT href FROM sync_items WHERE item_id = 1") == [(href,)]
    assert len(phone.summaries()) == 2
    synced.ok("done", "1", "--outcome", "reached")
    assert "1 updated" in synced.ok("sync")
    assert len(phone.summaries()) == 2
    assert str(phone.component("call back")["status"]) == "COMPLETED"


def test_a_task_saved_again_with_a_change_brings_the_change_once(synced, phone):
    phone.recreate("call back", _completed)
    out = synced.ok("sync")
    assert "#1 follow-up for Ana Silva (Acme): done (completed on a synced device)" in out
    assert "cancelled" not in out
    assert synced.rows("SELECT status FROM items WHERE id = 1") == [("done",)]
    assert len(phone.summaries()) == 2
    assert "Synced: 0 sent, 0 updated" in synced.ok("sync")


def test_a_promise_saved_again_under_a_new_href_is_not_put_back_a_second_time(synced, phone):
    phone.recreate("pricing sheet")
    out = synced.ok("sync")
    assert "put back" not in out
    assert "Synced: 0 sent" in out
    assert phone.summaries() == [
        "Call Ana Silva (Acme): call back about pricing",
        "Promise to Bob Stone (Hooli): pricing sheet",
    ]


def test_a_phone_task_made_a_follow_up_and_saved_again_is_not_a_second_follow_up(synced, phone):
    phone.add("Call Anabel about the invoice", due=dt.date(2026, 11, 26))
    synced.ok("sync")
    assert synced.rows("SELECT count(*) FROM items WHERE status = 'open'") == [(3,)]
    phone.recreate("Anabel")
    out = synced.ok("sync")
    assert "from the phone" not in out and "cancelled" not in out
    assert synced.rows("SELECT count(*), count(*) FILTER (WHERE status = 'open') FROM items") == [
        (3, 3)
    ]
    assert len(phone.summaries()) == 3


def test_a_task_made_on_the_phone_naming_one_customer_becomes_a_follow_up(synced, phone):
    phone.add("Call Anabel about the invoice", due=dt.date(2026, 11, 26))
    out = synced.ok("sync")
    assert "follow-up for Anabel Cruz (Globex) from the phone" in out
    assert synced.rows("SELECT customer_id, title, due FROM items WHERE id = 3") == [
        (3, "Call Anabel about the invoice", "2026-11-26")
    ]
    # the phone's words stay as typed, and the next sync has nothing to do
    assert "Call Anabel about the invoice" in phone.summaries()
    assert "Synced: 0 sent, 0 updated" in synced.ok("sync")


def test_a_phone_task_naming_no_single_customer_is_left_alone_and_reported_once(synced, phone):
    phone.add("Buy milk")
    phone.add("Lunch with Ana and Bob")
    out = synced.ok("sync")
    assert out.count("left alone on the server") == 2
    assert synced.rows("SELECT count(*) FROM items") == [(2,)]
    assert "left alone" not in synced.ok("sync")
    assert "Buy milk" in phone.summaries()


# -- both sides -----------------------------------------------------------------------


def test_changes_to_different_fields_on_both_sides_are_both_kept(synced, phone):
    synced.ok("snooze", "1", "mon")
    phone.retitle("call back", "Call Ana Silva (Acme): call about the discount")
    synced.ok("sync")
    assert synced.rows("SELECT title, due FROM items WHERE id = 1") == [
        ("call about the discount", "2026-11-30T10:00:00")
    ]
    due = phone.component("discount")["due"].dt
    assert (due.date(), due.time()) == (dt.date(2026, 11, 30), dt.time(10, 0))


def test_the_later_change_to_the_same_field_wins(synced, phone):
    synced.ok("edit", "1", "--title", "changed here first")
    phone.retitle(
        "call back",
        "Call Ana Silva (Acme): changed on the phone later",
        at=dt.datetime(2026, 11, 23, 16, 0, tzinfo=dt.UTC),
    )
    synced.ok("sync")
    assert synced.rows("SELECT title FROM items WHERE id = 1") == [("changed on the phone later",)]
    assert "changed on the phone later" in phone.summaries()[0]


def test_an_older_phone_change_loses_to_a_later_change_here(synced, phone):
    synced.ok("edit", "1", "--title", "changed here later")
    phone.retitle(
        "call back",
        "Call Ana Silva (Acme): changed on the phone earlier",
        at=dt.datetime(2026, 11, 23, 14, 0, tzinfo=dt.UTC),
    )
    synced.ok("sync")
    assert synced.rows("SELECT title FROM items WHERE id = 1") == [("changed here later",)]
    assert phone.summaries()[0] == "Call Ana Silva (Acme): changed here later"


def test_a_promise_moved_on_both_sides_keeps_the_date_moved_here(synced, phone):
    synced.ok("move", "2", "dec 2", "--reason", "customer asked")
    phone.set_due(
        "pricing sheet", dt.date(2026, 12, 9), at=dt.datetime(2026, 11, 23, 18, 0, tzinfo=dt.UTC)
    )
    out = synced.ok("sync")
    assert synced.rows("SELECT due FROM items WHERE id = 2") == [("2026-12-02",)]
    assert "a promise keeps the date moved in tickle" in out
    assert phone.component("pricing sheet")["due"].dt == dt.date(2026, 12, 2)


# -- dry run and failures -------------------------------------------------------------


def test_dry_run_changes_nothing_on_either_side(synced, phone, radicale):
    phone.complete("call back")
    synced.ok("add", "bob", "fri", "renewal")
    before_db = synced.snapshot()
    before = len(radicale.requests())
    out = synced.ok("sync", "--dry-run")
    assert "would: #1 follow-up for Ana Silva (Acme): done" in out
    assert "1 would be sent" in out
    assert synced.snapshot() == before_db
    assert sent(radicale, before) == []


def test_a_wrong_password_exits_77_and_changes_nothing(synced, monkeypatch):
    synced.ok("add", "bob", "fri", "renewal")
    monkeypatch.setenv("TICKLE_SYNC_PASSWORD", "wrong")
    before = synced.snapshot()
    result = synced("sync")
    assert result.code == 77
    assert result.err.count("\n") == 1 and "refused the credentials" in result.err
    assert synced.snapshot() == before


def test_a_server_that_cannot_be_reached_exits_69_and_changes_nothing(busy, tmp_path):
    from radicale_server import free_port

    config = tmp_path / "xdg-config" / "tickle" / "config.toml"
    config.parent.mkdir(parents=True)
    config.write_text(f'[sync]\nurl = "http://127.0.0.1:{free_port()}/rep/tasks/"\n')
    before = busy.snapshot()
    result = busy("sync")
    assert result.code == 69
    assert result.err.count("\n") == 1 and "cannot reach" in result.err
    assert busy.snapshot() == before


# -- as a process, as cron runs it ------------------------------------------------------


def _sync_process(book, tmp_path, *args: str, password: str = PASSWORD):
    """`tickle sync` as its own process, with the imports it made (`-X importtime`)."""
    import subprocess
    import sys

    import tickle_process

    env = tickle_process.environment(
        tmp_path, XDG_CONFIG_HOME=str(tmp_path / "xdg-config"), TICKLE_SYNC_PASSWORD=password
    )
    done = subprocess.run(
        [sys.executable, "-X", "importtime", *tickle_process.command(book.db, "sync", *args)[1:]],
        env=env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    lines = done.stderr.splitlines()
    imported = {line.rsplit("|", 1)[1].strip() for line in lines if line.startswith("import time:")}
    said = "".join(f"{line}\n" for line in lines if not line.startswith("import time:"))
    return done.returncode, done.stdout, said, imported


def test_a_sync_process_with_nothing_to_do_sends_one_request_and_needs_no_niquests(
    synced, tmp_path, radicale
):
    # The report lists the two tasks the first sync sent: they are in step already.
    before = len(radicale.requests())
    code, out, err, imported = _sync_process(synced, tmp_path)
    assert (code, err) == (0, "")
    assert "Synced: 0 sent, 0 updated" in out
    assert len(radicale.requests()) - before == 1
    # caldav's HTTP goes through requests; niquests (caldav's first choice, and its
    # async client's) is not imported: its one line is caldav's attempt, refused.
    assert "requests" in imported and "caldav" in imported
    assert "niquests.sessions" not in imported and "caldav.async_davclient" not in imported
    synced.ok("add", "bob", "fri", "renewal")
    code, out, err, _ = _sync_process(synced, tmp_path)
    assert (code, err) == (0, "") and "Synced: 1 sent" in out


def test_a_sync_process_tells_a_refused_password_and_an_unreachable_server(synced, tmp_path):
    from radicale_server import free_port

    before = synced.snapshot()
    code, _, err, _ = _sync_process(synced, tmp_path, password="wrong")
    assert code == 77, err
    assert err.count("\n") == 1 and "refused the credentials" in err
    config = tmp_path / "xdg-config" / "tickle" / "config.toml"
    config.write_text(f'[sync]\nurl = "http://127.0.0.1:{free_port()}/rep/tasks/"\n')
    code, _, err, _ = _sync_process(synced, tmp_path)
    assert code == 69 and err.count("\n") == 1 and "cannot reach" in err
    assert synced.snapshot() == before


# -- a database that is not there yet ---------------------------------------------------


@pytest.fixture
def unborn(tmp_path, dav):
    """A tickle with its list set up and a database (and folder) not made yet."""
    from conftest import Tickle

    unborn = Tickle(tmp_path / "new" / "tickle.db")
    unborn.ok("sync", "setup", dav, "--user", USER)
    assert not (tmp_path / "new").exists()
    return unborn


def _config(tmp_path):
    return tmp_path / "xdg-config" / "tickle" / "config.toml"


def test_a_sync_that_cannot_reach_the_server_makes_no_database(unborn, tmp_path):
    from radicale_server import free_port

    _config(tmp_path).write_text(f'[sync]\nurl = "http://127.0.0.1:{free_port()}/rep/t/"\n')
    result = unborn("sync")
    assert result.code == 69 and "cannot reach" in result.err
    assert not (tmp_path / "new").exists()


def test_a_sync_refused_its_password_makes_no_database(unborn, tmp_path, monkeypatch):
    monkeypatch.setenv("TICKLE_SYNC_PASSWORD", "wrong")
    result = unborn("sync")
    assert result.code == 77 and "refused the credentials" in result.err
    assert not (tmp_path / "new").exists()


def test_a_dry_run_into_a_new_database_makes_none(unborn, phone, tmp_path):
    phone.add("Lunch with someone nobody here knows")
    out = unborn.ok("sync", "--dry-run")
    assert "Dry run: 0 would be sent" in out
    assert not (tmp_path / "new").exists()


def test_the_first_sync_into_a_new_database_makes_it_once_the_server_answered(
    unborn, phone, radicale
):
    phone.add("Lunch with someone nobody here knows")
    before = len(radicale.requests())
    out = unborn.ok("sync")
    assert "left alone on the server: 'Lunch with someone nobody here knows'" in out
    assert unborn.db.exists()
    assert len(unborn.rows("SELECT * FROM sync_lists")) == 1
    assert "Synced: 0 sent, 0 updated, 0 deleted on the server; 0 changed here." in unborn.ok(
        "sync"
    )
    assert [verb for verb, _ in radicale.requests()[before:]] == ["REPORT", "REPORT", "REPORT"]


def test_status_shows_the_list_the_password_source_and_what_waits(synced, dav):
    synced.ok("add", "bob", "fri", "renewal")
    synced.ok("snooze", "1", "mon")
    out = synced.ok("sync", "status")
    assert f"Server: {dav} (as {USER})" in out
    assert "Password: $TICKLE_SYNC_PASSWORD" in out
    assert "Last sync: 2026-11-23 10:07" in out
    assert "Pending: 1 to send, 1 changed since, 0 to delete on the server" in out


# -- killed in the middle -------------------------------------------------------------


def _many_followups(db, count: int) -> None:
    from tickle import dates
    from tickle.dates import When
    from tickle.domain.items import add_followup
    from tickle.store import Store

    store = Store.open(db, write=True)
    try:
        with store.transaction("fill", dates.now()):
            customer = store.customers.get(1)
            for n in range(count):
                day = When(dt.date(2026, 11, 24) + dt.timedelta(days=n % 60))
                add_followup(store, customer, day, dates.now(), title=f"call number {n}")
    finally:
        store.close()


@pytest.mark.slow
def test_a_sync_killed_in_the_middle_is_finished_by_the_next_without_duplicates(
    book, dav, phone, radicale, tmp_path
):
    import signal
    import time

    import tickle_process

    _many_followups(book.db, 500)
    book.ok("sync", "setup", dav, "--user", USER)
    env = tickle_process.environment(
        tmp_path,
        XDG_CONFIG_HOME=str(tmp_path / "xdg-config"),
        TICKLE_SYNC_PASSWORD=PASSWORD,
    )
    before = len(radicale.requests())
    process = tickle_process.start(book.db, "sync", env=env)
    deadline = time.monotonic() + 60
    while len(sent(radicale, before)) < 120 and time.monotonic() < deadline:
        time.sleep(0.02)
    process.send_signal(signal.SIGKILL)
    process.wait()
    first_run = len(sent(radicale, before))
    assert 120 <= first_run < 500

    rerun = tickle_process.run(book.db, "sync", env=env, timeout=120)
    assert rerun.returncode == 0, rerun.stderr

    uids = [str(t.icalendar_component["uid"]) for t in phone.todos()]
    assert len(uids) == 500 == len(set(uids))
    titles = sorted(str(t.icalendar_component["summary"]).split(": ")[1] for t in phone.todos())
    assert titles == sorted(f"call number {n}" for n in range(500))
    assert book.rows("SELECT count(*), count(DISTINCT href) FROM sync_items") == [(500, 500)]
    assert book.rows("SELECT count(*) FROM items WHERE status = 'open'") == [(500,)]
    again = len(radicale.requests())
    assert "Synced: 0 sent, 0 updated" in book.ok("sync")
    assert sent(radicale, again) == []


def test_a_title_changed_and_a_promise_moved_here_go_up(synced, phone):
    synced.ok("edit", "1", "--title", "call back about the discount")
    synced.ok("move", "2", "dec 4", "--reason", "customer asked")
    assert "2 updated" in synced.ok("sync")
    assert phone.summaries() == [
        "Call Ana Silva (Acme): call back about the discount",
        "Promise to Bob Stone (Hooli): pricing sheet",
    ]
    assert phone.component("pricing sheet")["due"].dt == dt.date(2026, 12, 4)


def test_every_write_is_conditional_so_a_phone_change_is_never_overwritten(synced, phone, dav):
    from tickle.sync.client import Refused, TaskList

    href = str(phone.find("call back").url.canonical())
    etag_before = synced.rows("SELECT etag FROM sync_items WHERE item_id = 1")[0][0]
    phone.retitle("call back", "Call Ana Silva (Acme): changed on the phone")
    tasks = TaskList(dav, USER, PASSWORD)
    body = phone.find("changed on the phone").data.replace("changed on the phone", "stale")
    with pytest.raises(Refused) as stale:
        tasks.update(href, etag_before, body.encode())
    assert stale.value.status == 412
    with pytest.raises(Refused) as exists:
        tasks.create(href, body.encode())
    assert exists.value.status == 412
    tasks.close()
    assert "Call Ana Silva (Acme): changed on the phone" in phone.summaries()


def test_a_server_without_sync_tokens_is_synced_by_etags(synced, phone, dav):
    from tickle import dates
    from tickle.store import Store
    from tickle.sync.client import TaskList
    from tickle.sync.engine import Sync

    def run():
        tasks = TaskList(dav, USER, PASSWORD)
        tasks.client.features.set_feature("sync-token", {"support": "unsupported"})
        store = Store.open(synced.db, write=True)
        try:
            return Sync(store, tasks, dates.now()).run()
        finally:
            store.close()
            tasks.close()

    assert not run().changed
    phone.complete("call back")
    phone.set_due("pricing sheet", dt.date(2026, 12, 4))
    report = run()
    assert report.local == [
        "#1 follow-up for Ana Silva (Acme): done (completed on a synced device)",
        "#2 promise for Bob Stone (Hooli): now due Fri 4 Dec (moved on a synced device)",
    ]
    again = run()
    assert not again.changed and again.requests <= 2


def test_a_sync_token_the_server_no_longer_knows_is_a_full_listing(synced, phone, radicale):
    import sqlite3

    phone.complete("call back")
    conn = sqlite3.connect(synced.db)
    with conn:
        conn.execute("UPDATE sync_lists SET sync_token = 'http://radicale.org/ns/sync/0000'")
    conn.close()
    out = synced.ok("sync")
    assert "#1 follow-up for Ana Silva (Acme): done (completed on a synced device)" in out
    before = len(radicale.requests())
    assert "Synced: 0 sent, 0 updated, 0 deleted on the server; 0 changed here." in synced.ok(
        "sync"
    )
    assert len(radicale.requests()) - before == 1


def test_a_date_moved_into_the_past_on_the_phone_is_refused_and_put_right(synced, phone):
    phone.set_due("call back", dt.date(2026, 11, 20))
    out = synced.ok("sync")
    assert "#1 follow-up for Ana Silva (Acme): not moved to Fri 20 Nov" in out
    assert synced.rows("SELECT due FROM items WHERE id = 1") == [("2026-11-24T10:00:00",)]
    assert phone.component("call back")["due"].dt.date() == dt.date(2026, 11, 24)


def test_on_an_80_column_terminal_every_line_is_folded_at_words(synced, phone, tmp_path):
    import os
    import sys

    import pexpect

    phone.add("Lunch with the whole procurement team of a company nobody here knows")
    phone.complete("call back")
    # The terminal's own size, not the COLUMNS the other tests run with.
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    env.update(TERM="dumb", XDG_CONFIG_HOME=str(tmp_path / "xdg-config"))
    child = pexpect.spawn(
        sys.executable,
        ["-m", "tickle", "--db", str(synced.db), "sync"],
        env=env,
        encoding="utf-8",
        timeout=60,
        dimensions=(24, 80),
    )
    child.expect(pexpect.EOF)
    lines = child.before.replace("\r", "").splitlines()
    assert lines[-1] == "Synced: 0 sent, 0 updated, 0 deleted on the server; 1 changed here."
    assert max(len(line) for line in lines) <= 80, lines
    assert "  one in it to make it a follow-up)" in lines
    assert "#1 follow-up for Ana Silva (Acme): done (completed on a synced device)" in lines


def test_the_password_command_gives_the_password_when_the_environment_does_not(
    busy, dav, monkeypatch
):
    monkeypatch.delenv("TICKLE_SYNC_PASSWORD")
    busy.ok("sync", "setup", dav, "--user", USER, "--password-command", f"echo {PASSWORD}")
    assert "Synced: 2 sent" in busy.ok("sync")
    assert "Password: the password command" in busy.ok("sync", "status")


def test_a_failing_password_command_exits_77_and_says_so(busy, dav, monkeypatch):
    busy.ok("sync", "setup", dav, "--user", USER, "--password-command", "false")
    monkeypatch.delenv("TICKLE_SYNC_PASSWORD")
    before = busy.snapshot()
    result = busy("sync")
    assert result.code == 77
    assert "the password command 'false' failed" in result.err
    assert busy.snapshot() == before


def test_a_cases_check_in_goes_up_as_a_check_in_and_the_open_case_does_not(synced, phone):
    synced.ok("case", "open", "bob", "login fails")
    synced.ok("sync")
    assert len(phone.summaries()) == 2  # a case is undated: not a task
    synced.ok("case", "resolve", "3", "--resolution", "reset the password")
    synced.ok("sync")
    check_in = phone.component("did the fix hold")
    assert [str(c) for c in check_in["categories"].cats] == ["check-in"]
    assert check_in["due"].dt == dt.date(2026, 12, 7)


def test_undoing_the_follow_up_made_from_a_phone_task_leaves_the_task_on_the_phone(synced, phone):
    phone.add("Call Anabel about the invoice", due=dt.date(2026, 11, 26))
    synced.ok("sync")
    synced.ok("undo")
    assert synced.rows("SELECT count(*) FROM items") == [(2,)]
    out = synced.ok("sync")
    assert "Synced: 0 sent, 0 updated, 0 deleted on the server; 0 changed here." in out
    assert "Call Anabel about the invoice" in phone.summaries()
    assert "Synced: 0 sent" in synced.ok("sync")
    assert synced.rows("SELECT count(*) FROM items") == [(2,)]
