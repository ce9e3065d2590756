"""`tickle search`: full-text over customers, items, cases and history, ranked and folded."""

from __future__ import annotations

import pytest

from tickle.domain.search import search_query
from tickle.errors import InputError
from tickle.store import Store


@pytest.fixture
def notes(book):
    book.ok("customer", "edit", "ana silva", "--note", "prefers invoices by post")
    book.ok("customer", "add", "Chloé Dubois", "--company", "Société Générale", "--tag", "vip")
    book.ok("add", "bob", "tomorrow", "ask about the late invoice")
    book.ok("promise", "ana silva", "send the invoice copy", "--by", "fri")
    book.ok("add", "anabel", "fri", "call about renewal")
    book.ok("done", "3", "--outcome", "reached", "--note", "Invoice paid, wants a discount")
    book.ok("case", "open", "bob", "printer jams on invoices")
    book.ok("case", "resolve", "4", "--resolution", "replaced the roller", "--check-in", "none")
    return book


def hits(book, *args):
    return book.json("search", *args)


def test_search_finds_every_kind_of_text_with_its_customer_and_date(notes):
    found = hits(notes, "invoice*")
    kinds = {(h["kind"], h["customer"]) for h in found}
    assert kinds == {
        ("customer", "Ana Silva (Acme)"),
        ("follow-up", "Bob Stone (Hooli)"),
        ("promise", "Ana Silva (Acme)"),
        ("note", "Anabel Cruz (Globex)"),
        ("case", "Bob Stone (Hooli)"),
    }
    promise = next(h for h in found if h["kind"] == "promise")
    assert (promise["item_id"], promise["date"]) == (2, "2026-11-27")
    note = next(h for h in found if h["kind"] == "note")
    assert note["date"] == "2026-11-23" and note["item_id"] == 3


def test_matching_words_are_highlighted(notes):
    [hit] = hits(notes, "roller", "--kind", "case")
    assert hit["snippet"] == "replaced the roller"
    assert [hit["snippet"][a:b] for a, b in hit["highlights"]] == ["roller"]
    assert notes.ok("search", "roller", "--kind", "case", "--format", "plain") == (
        "case #4 · Bob Stone (Hooli) · 2026-11-23\n    replaced the [roller]\n"
    )


def test_accents_and_case_do_not_matter(notes):
    for words in (["chloe"], ["CHLOÉ"], ["societe", "generale"], ["SOCIÉTÉ"]):
        [hit] = hits(notes, *words)
        assert hit["customer"] == "Chloé Dubois (Société Générale)"
    [hit] = hits(notes, "VIP")
    assert hit["kind"] == "customer"


def test_every_word_must_be_found_and_a_phrase_in_order(notes):
    assert {h["item_id"] for h in hits(notes, "late", "invoice")} == {1}
    assert {h["item_id"] for h in hits(notes, "invoice late")} == set()
    assert {h["item_id"] for h in hits(notes, "late invoice")} == {1}
    assert {h["item_id"] for h in hits(notes, '"late invoice"')} == {1}
    assert hits(notes, "invoic") == []
    assert len(hits(notes, "invoic*")) == 5


def test_or_takes_either_word(notes):
    found = {h["item_id"] for h in hits(notes, "roller", "OR", "renewal", "--kind", "case")}
    assert found == {4}
    found = {h["item_id"] for h in hits(notes, "roller", "OR", "renewal", "--kind", "follow-up")}
    assert found == {3}


def test_the_best_match_comes_first(book):
    book.ok("add", "bob", "tomorrow", "invoice invoice invoice")
    book.ok("add", "bob", "tomorrow", "call about the invoice and the contract and the rest")
    assert [h["item_id"] for h in hits(book, "invoice")] == [1, 2]


def test_customer_and_kind_narrow_the_search(notes):
    assert {h["customer"] for h in hits(notes, "invoice*", "--customer", "bob")} == {
        "Bob Stone (Hooli)"
    }
    assert [h["kind"] for h in hits(notes, "invoice*", "--kind", "case")] == ["case"]
    assert [h["kind"] for h in hits(notes, "invoice*", "--kind", "Follow-up")] == ["follow-up"]
    assert [h["kind"] for h in hits(notes, "invoice*", "--kind", "note")] == ["note"]
    assert hits(notes, "invoice*", "--kind", "promise", "--customer", "bob") == []


def test_the_index_follows_edits_undo_and_purge(notes):
    def followups(*words):
        return [h["item_id"] for h in hits(notes, *words, "--kind", "follow-up")]

    notes.ok("edit", "1", "--title", "ask about the overdue bill")
    assert followups("late") == []
    assert followups("overdue", "bill") == [1]
    notes.ok("undo")
    assert followups("late") == [1]
    notes.ok("customer", "delete", "bob", "--purge", "--yes")
    assert {h["customer"] for h in hits(notes, "invoice*")} == {
        "Ana Silva (Acme)",
        "Anabel Cruz (Globex)",
    }
    assert notes.rows("PRAGMA integrity_check") == [("ok",)]
    for table in ("customers", "items", "events"):
        notes.rows(f"INSERT INTO {table}_fts ({table}_fts) VALUES ('integrity-check')")


def test_a_purged_customers_words_leave_the_index(book):
    book.ok("customer", "add", "Zebulon Quartzfeld", "--note", "xylophonist")
    book.ok("customer", "delete", "zebulon", "--purge", "--yes")
    for path in (book.db, book.db.with_name(book.db.name + "-wal")):
        if path.exists():
            data = path.read_bytes()
            assert b"quartzfeld" not in data.lower() and b"xylophonist" not in data


def test_nothing_found_says_so(notes):
    assert notes.ok("search", "zeppelin") == "Nothing found for zeppelin.\n"
    assert hits(notes, "zeppelin") == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--", "-"), "give words to search for"),
        (("...",), "give words to search for"),
        (("invoice", "--kind", "memo"), "unknown kind 'memo'"),
        (("invoice", "--customer", "nobody"), "no customer matches 'nobody'"),
    ],
)
def test_bad_searches_are_one_line(notes, args, message):
    result = notes("search", *args)
    assert result.code == 2
    assert message in result.err and result.err.count("\n") == 1


def test_fts_syntax_in_the_words_is_only_text(notes):
    for words in (["NEAR(invoice"], ["title:invoice"], ["-invoice"], ["invoice", "AND"]):
        result = notes("search", "--format", "json", "--", *words)
        assert result.code == 0, result


def test_search_query_quotes_every_word():
    assert search_query(["invoi*", "late payment", "o'connor"]) == (
        '"invoi"* "late payment" "o connor"'
    )
    assert search_query(["OR", "a", "OR", "OR", "b", "OR"]) == '"a" OR "b"'
    with pytest.raises(InputError):
        search_query(["*", "'"])


def test_search_on_a_missing_database_finds_nothing(tickle):
    assert tickle.json("search", "anything") == []
    assert not tickle.db.exists()


def test_the_store_ranks_within_the_limit(notes):
    store = Store.open(notes.db, write=False)
    try:
        found = store.search.find('"invoice"*', limit=2)
    finally:
        store.close()
    assert len(found) == 2
    assert found[0].rank <= found[1].rank


def test_a_customer_with_many_hits_has_them_all_ranked_as_in_the_whole_book(book):
    """A customer's many matching rows are ranked in one pass (not one ranking of the
    whole index per row), with the scores the search of the whole book gives them."""
    for words in range(1, 9):
        book.ok("add", "bob", "tomorrow", " ".join(["invoice", *["and more"] * words]))
        book.ok("add", "ana silva", "tomorrow", "invoice " + "x " * words)
    for word in ("invoice", "invoi*"):  # a prefix too, which is never looked up row by row
        narrowed = hits(book, word, "--customer", "bob")
        everyone = [h for h in hits(book, word) if h["customer"] == "Bob Stone (Hooli)"]
        assert len(narrowed) == 8
        assert [(h["item_id"], h["rank"]) for h in narrowed] == [
            (h["item_id"], h["rank"]) for h in everyone
        ]
        assert [h["item_id"] for h in narrowed] == [1, 3, 5, 7, 9, 11, 13, 15]
    [one] = hits(book, "invoice", "--customer", "bob", "--kind", "follow-up", "--limit", "1")
    assert one["item_id"] == 1


def test_of_hits_that_score_alike_the_newest_are_kept(book):
    for _ in range(4):
        book.ok("add", "bob", "tomorrow", "call about the invoice")
    book.ok("promise", "bob", "call about the invoice", "--by", "fri")
    assert [h["item_id"] for h in hits(book, "invoice", "--limit", "2")] == [4, 5]
    assert [h["item_id"] for h in hits(book, "invoice", "--kind", "follow-up", "--limit", "2")] == [
        3,
        4,
    ]
