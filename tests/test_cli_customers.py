"""`tickle customer ...` through the CLI, as a user runs it."""

import stat


def test_customer_add_confirms_with_id(tickle):
    out = tickle.ok("customer", "add", "Ana", "Silva", "--company", "Acme")
    assert out == "Added customer #1 Ana Silva (Acme).\n"


def test_customer_add_stores_every_field(tickle):
    tickle.ok(
        "customer",
        "add",
        "Ana Silva",
        "--company",
        "Acme",
        "--email",
        "ana@acme.example",
        "--phone",
        "+1 415 555 0142",
        "--channel",
        "sms",
        "--best-time",
        "after 2pm",
        "--tz",
        "Europe/Paris",
        "--tag",
        "vip",
        "--tag",
        "renewal",
        "--note",
        "likes tea",
    )
    [customer] = tickle.json("customer", "list")
    assert customer["company"] == "Acme"
    assert customer["email"] == "ana@acme.example"
    assert customer["phone"] == "+1 415 555 0142"
    assert customer["channel"] == "sms"
    assert customer["best_time"] == "after 2pm"
    assert customer["tz"] == "Europe/Paris"
    assert customer["tags"] == ["vip", "renewal"]
    assert customer["note"] == "likes tea"


def test_customer_add_refuses_a_bad_email(tickle):
    result = tickle("customer", "add", "Ana", "--email", "not-an-email")
    assert result.code == 2
    assert result.err == "tickle: 'not-an-email' is not an email address\n"
    assert not tickle.db.exists() or tickle.rows("SELECT count(*) FROM customers") == [(0,)]


def test_customer_add_refuses_an_unknown_zone(tickle):
    result = tickle("customer", "add", "Ana", "--tz", "Mars/Olympus")
    assert result.code == 2
    assert "unknown time zone 'Mars/Olympus'" in result.err


def test_customer_add_refuses_a_bad_channel(tickle):
    result = tickle("customer", "add", "Ana", "--channel", "pigeon")
    assert result.code == 2
    assert "pigeon" in result.err
    assert result.err.count("\n") == 1


def test_customer_email_is_unique_ignoring_case(book):
    result = book("customer", "add", "Other", "--email", "ANA@acme.example")
    assert result.code == 2
    assert "already belongs to #1 Ana Silva" in result.err


def test_customer_list_filters_by_tag_and_search(tickle):
    tickle.ok("customer", "add", "Ana", "--tag", "vip")
    tickle.ok("customer", "add", "Bob", "--company", "Hooli")
    assert [c["name"] for c in tickle.json("customer", "list", "--tag", "VIP")] == ["Ana"]
    assert [c["name"] for c in tickle.json("customer", "list", "--search", "hoo")] == ["Bob"]


def test_customer_list_empty_says_so(tickle):
    assert "No customers yet" in tickle.ok("customer", "list")


def test_customer_show_tells_everything(book):
    book.ok("add", "Ana Silva", "fri", "call", "back")
    book.ok("promise", "1", "pricing", "sheet", "--by", "wed")
    book.ok("log", "1", "--outcome", "reached", "--note", "asked for pricing")
    out = book.ok("customer", "show", "ana silva")
    assert "#1 Ana Silva (Acme)" in out
    assert "ana@acme.example" in out
    assert "phone +1 415 555 0142 (mornings)" in out
    assert "call back" in out and "pricing sheet" in out
    assert "Last contact: 2026-11-23" in out
    assert "asked for pricing" in out


def test_customer_show_json_has_open_items_and_history(book):
    book.ok("add", "1", "fri", "call")
    profile = book.json("customer", "show", "1")
    assert profile["name"] == "Ana Silva"
    assert [item["title"] for item in profile["open_items"]] == ["call"]
    assert profile["history"][0]["type"] == "created"


def test_customer_edit_changes_and_clears_fields(book):
    book.ok("customer", "edit", "bob", "--phone", "555 0199", "--note", "new note")
    book.ok("customer", "edit", "bob", "--note", "")
    bob = book.json("customer", "show", "bob")
    assert bob["phone"] == "555 0199"
    assert bob["note"] is None


def test_customer_edit_needs_a_change(book):
    result = book("customer", "edit", "bob")
    assert result.code == 2
    assert "nothing to change" in result.err


def test_customer_archive_hides_from_lists_and_matching(book):
    book.ok("customer", "archive", "bob")
    assert "Bob" not in book.ok("customer", "list")
    assert "Bob" in book.ok("customer", "list", "--archived")
    result = book("add", "bob", "tomorrow")
    assert result.code == 2
    assert "#2 Bob Stone (Hooli) is archived: 'tickle customer restore 2'" in result.err
    assert "Bob Stone" in book.ok("customer", "show", "2")  # still reachable by id
    result = book("add", "2", "tomorrow")  # but given no new items
    assert result.code == 2
    assert "is archived" in result.err
    book.ok("customer", "archive", "bob", "--restore")
    assert "Bob" in book.ok("customer", "list")
    book.ok("add", "bob", "tomorrow")


def test_customer_delete_needs_purge(book):
    result = book("customer", "delete", "bob")
    assert result.code == 2
    assert "--purge" in result.err
    assert book.rows("SELECT count(*) FROM customers") == [(3,)]


def test_customer_delete_off_a_terminal_needs_yes(book):
    result = book("customer", "delete", "bob", "--purge")
    assert result.code == 2
    assert "--yes" in result.err
    assert book.rows("SELECT count(*) FROM customers") == [(3,)]


def test_customer_purge_erases_person_items_and_trace(book):
    book.ok("add", "bob", "tomorrow", "call")
    book.ok("log", "bob", "--outcome", "emailed")
    out = book.ok("customer", "delete", "bob", "--purge", "--yes")
    assert "Erased customer #2" in out
    assert book.rows("SELECT count(*) FROM customers WHERE id = 2") == [(0,)]
    assert book.rows("SELECT count(*) FROM items") == [(0,)]
    assert book.rows("SELECT count(*) FROM events WHERE customer_id = 2") == [(0,)]
    for path in (book.db, book.db.with_name(book.db.name + "-wal")):
        if path.exists():
            assert b"bob@hooli.example" not in path.read_bytes()


def test_unknown_customer_suggests_nearest_names(book):
    result = book("add", "Ana Silvia", "tomorrow")
    assert result.code == 2
    assert "no customer matches 'Ana Silvia'" in result.err
    assert "#1 Ana Silva" in result.err


def test_ambiguous_customer_lists_candidates(book):
    result = book("add", "ana", "tomorrow")
    assert result.code == 2
    assert "#1 Ana Silva (Acme)" in result.err
    assert "#3 Anabel Cruz (Globex)" in result.err


def test_customer_found_by_email_company_or_exact_name(book):
    book.ok("add", "BOB@hooli.example", "tomorrow", "by email")
    book.ok("add", "globex", "tomorrow", "by company")
    book.ok("add", "Ana Silva", "tomorrow", "exact name beats the longer match")
    rows = book.rows("SELECT customer_id, title FROM items ORDER BY id")
    assert rows == [(2, "by email"), (3, "by company"), (1, "exact name beats the longer match")]


def test_database_is_private(book):
    assert stat.S_IMODE(book.db.stat().st_mode) == 0o600


def test_customer_names_complete_in_the_shell(book):
    from tickle.cli import app

    result = book.runner.invoke(
        app,
        [],
        env={
            "_TICKLE_COMPLETE": "complete_bash",
            "COMP_WORDS": f"tickle --db {book.db} add ana",
            "COMP_CWORD": "4",
        },
        prog_name="tickle",
    )
    assert result.stdout.split("\n")[:2] == ["ana\\ Silva", "anabel\\ Cruz"]
    assert "Bob" not in result.stdout
