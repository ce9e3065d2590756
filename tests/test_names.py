"""Finding people by what a tired rep types: one rule for every place a customer is named."""

from __future__ import annotations

import datetime as dt
import json
import unicodedata
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tickle.domain import customers as domain
from tickle.domain.names import NameIndex, fold, match_key, terms
from tickle.errors import Ambiguous, NotFound
from tickle.store import Store

NOW = dt.datetime(2026, 11, 23, 10, 7, 33, tzinfo=ZoneInfo("America/New_York"))

PEOPLE = [
    ("Chloé Dubois", "Société Générale"),
    ("Sofía Hernández", "Acme"),
    ("José Martínez-López", None),
    ("Zoë Quinn", None),
    ("Björn Åkesson", "Nordkraft"),
    ("Tomáš Novák", None),
    ("Seán O’Connor", "Acme"),
    ("Anna-Lena Weiß", None),
    ("Søren Kierkegaard", None),
]


@pytest.fixture
def people(tickle):
    for name, company in PEOPLE:
        tickle.ok("customer", "add", name, *(["--company", company] if company else []))
    return tickle


def _found(tickle, typed: str) -> str:
    return json.loads(tickle.ok("customer", "show", typed, "--format", "json"))["name"]


@pytest.mark.parametrize(
    ("typed", "name"),
    [
        ("chloe", "Chloé Dubois"),
        ("CHLOE", "Chloé Dubois"),
        ("CHLOÉ", "Chloé Dubois"),
        ("chloe dub", "Chloé Dubois"),
        ("sofia", "Sofía Hernández"),
        ("jose", "José Martínez-López"),
        ("martinez-lopez", "José Martínez-López"),
        ("martinez lopez", "José Martínez-López"),
        ("lopez", "José Martínez-López"),
        ("zoe", "Zoë Quinn"),
        ("bjorn", "Björn Åkesson"),
        ("åkesson", "Björn Åkesson"),
        ("Åkesson", "Björn Åkesson"),
        ("akesson", "Björn Åkesson"),
        ("tomas", "Tomáš Novák"),
        ("oconnor", "Seán O’Connor"),
        ("o'connor", "Seán O’Connor"),
        ("O’Connor", "Seán O’Connor"),
        ("connor", "Seán O’Connor"),
        ("anna lena", "Anna-Lena Weiß"),
        ("anna-lena", "Anna-Lena Weiß"),
        ("annalena", "Anna-Lena Weiß"),
        ("weiss", "Anna-Lena Weiß"),
        ("soren", "Søren Kierkegaard"),
        ("sofia acme", "Sofía Hernández"),
        ("#4", "Zoë Quinn"),
    ],
)
def test_a_name_is_found_the_way_a_rep_types_it(people, typed, name):
    assert _found(people, typed) == name


def test_several_matches_list_the_candidates_with_their_ids(people):
    result = people("add", "acme", "tomorrow", "call")
    assert result.code == 2
    assert result.err == (
        "tickle: 'acme' matches several customers: #7 Seán O’Connor (Acme); "
        "#2 Sofía Hernández (Acme). Use the id\n"
    )


def test_a_word_inside_a_word_is_not_a_match(people):
    result = people("customer", "show", "loe")
    assert result.code == 2
    assert "no customer matches 'loe'" in result.err


def test_an_unknown_name_suggests_the_nearest_folded_names_not_customer_add(people):
    result = people("customer", "show", "chloee")
    assert result.code == 2
    assert "Did you mean: #1 Chloé Dubois?" in result.err
    assert "customer add" not in result.err


def test_an_archived_match_says_so_and_how_to_restore(people):
    people.ok("customer", "archive", "zoe")
    result = people("add", "zoe", "tomorrow", "call")
    assert result.code == 2
    assert result.err == (
        "tickle: #4 Zoë Quinn is archived: 'tickle customer restore 4' brings them back\n"
    )
    assert people.ok("customer", "restore", "zoe") == "Restored customer #4 Zoë Quinn.\n"
    people.ok("add", "zoe", "tomorrow", "call")


def test_restore_of_a_customer_who_is_not_archived_is_refused(people):
    result = people("customer", "restore", "4")
    assert result.code == 2
    assert "is not archived" in result.err


def test_customer_list_search_folds_as_matching_does(people):
    for typed in ("chloe", "CHLOÉ", "dubois", "generale"):
        names = [c["name"] for c in people.json("customer", "list", "--search", typed)]
        assert names == ["Chloé Dubois"], typed


def test_customer_list_search_still_finds_emails_and_notes(tickle):
    tickle.ok("customer", "add", "Ana", "--email", "ana@acme.example", "--note", "likes tea")
    assert [c["name"] for c in tickle.json("customer", "list", "--search", "acme.ex")] == ["Ana"]
    assert [c["name"] for c in tickle.json("customer", "list", "--search", "tea")] == ["Ana"]


def test_a_renamed_customer_is_found_by_the_new_name(people):
    people.ok("customer", "edit", "zoe", "--name", "Zoé Ørsted")
    assert _found(people, "orsted") == "Zoé Ørsted"
    assert people("customer", "show", "quinn").code == 2
    people.ok("undo")
    assert _found(people, "quinn") == "Zoë Quinn"


def test_a_customer_added_by_another_program_is_still_found(people):
    people.rows("SELECT 1")  # the file exists
    import sqlite3

    conn = sqlite3.connect(people.db)
    conn.execute(
        "INSERT INTO customers (name, created_at, updated_at) VALUES ('Ümit Yılmaz', 'x', 'x')"
    )
    conn.commit()
    conn.close()
    assert _found(people, "umit") == "Ümit Yılmaz"


def test_the_migration_fills_the_keys_of_existing_customers(tmp_path):
    import sqlite3

    from tickle.store import migrations

    path = tmp_path / "old.db"
    conn = sqlite3.connect(path, isolation_level=None)
    for step in migrations.MIGRATIONS[:5]:
        step(conn)
    conn.execute(f"PRAGMA application_id = {migrations.APPLICATION_ID}")
    conn.execute("PRAGMA user_version = 5")
    conn.execute(
        "INSERT INTO customers (name, company, created_at, updated_at) "
        "VALUES ('Chloé Dubois', 'Acme', 'x', 'x')"
    )
    conn.close()
    store = Store.open(path, write=True)
    try:
        [(key,)] = store.conn.execute("SELECT match_key FROM customers").fetchall()
        assert key == " chloe dubois acme"
        assert domain.resolve_customer(store, "CHLOÉ").name == "Chloé Dubois"
    finally:
        store.close()


def test_matching_reads_the_narrow_match_index_not_every_row():
    store = Store._empty()
    traced: list[str] = []
    store.conn.set_trace_callback(traced.append)
    store.customers.matching(["ana", "sil"])
    [query] = [sql for sql in traced if "match_key" in sql]
    plan = store.conn.execute("EXPLAIN QUERY PLAN " + query).fetchall()
    assert any("USING INDEX customers_match" in row[-1] for row in plan), [tuple(r) for r in plan]


# -- the rule itself -----------------------------------------------------------------


def test_fold_takes_case_and_accents_away():
    assert fold("Chloé ØRSTED Weiß Åsa Łukasz") == "chloe orsted weiss asa lukasz"


def test_terms_join_apostrophes_and_split_on_hyphens():
    assert terms("O’Connor anna-lena  d'Angelo") == ["oconnor", "anna", "lena", "dangelo"]


def test_the_match_key_has_each_word_and_each_joined_word():
    assert match_key("Anna-Lena O'Connor", "Acme") == " anna lena annalena o connor oconnor acme"
    assert match_key("Ana Silva", None) == " ana silva"


def test_the_name_index_finds_by_the_same_rule():
    index = NameIndex([(1, match_key("Chloé Dubois")), (2, match_key("Chloe Martin", "Dub"))])
    assert index.find(terms("chloe dub")) == {1, 2}
    assert index.find(terms("dubois")) == {1}
    assert index.find(terms("zed")) == set()


def test_the_domain_resolves_and_refuses_directly():
    store = Store._empty()
    domain.add_customer(store, NOW, name="Chloé Dubois")
    domain.add_customer(store, NOW, name="Chloé Martin")
    assert domain.resolve_customer(store, "chloe dub").name == "Chloé Dubois"
    with pytest.raises(Ambiguous):
        domain.resolve_customer(store, "chloe")
    with pytest.raises(NotFound):
        domain.resolve_customer(store, "99999999999999999999")


# -- property: any one customer's name, typed folded or in ASCII, finds them ----------------

_LETTERS = "abcdefghijklmnopqrstuvwxyzéèàöøåñçßüÅÉØÖÑíóúšžłæ"
_WORD = st.text(alphabet=_LETTERS, min_size=1, max_size=8)
_JOINER = st.sampled_from([" ", "-", "'", "’", " "])


@st.composite
def _names(draw) -> str:
    words = draw(st.lists(_WORD, min_size=1, max_size=4))
    name = words[0]
    for word in words[1:]:
        name += draw(_JOINER) + word
    return name[0].upper() + name[1:]


def _ascii_typed(name: str) -> str:
    """What a rep types on a keyboard without accents: no marks, no apostrophes, spaces
    for hyphens, in any case."""
    text = fold(name).replace("'", "").replace("’", "").replace("-", " ")
    return "".join(ch for ch in unicodedata.normalize("NFKD", text) if ch.isascii())


@settings(
    max_examples=60,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(names=st.lists(_names(), min_size=1, max_size=5), which=st.integers(0, 4))
def test_the_folded_or_ascii_typed_name_of_any_customer_finds_them(names, which):
    store = Store._empty()
    distinct = {}
    for name in names:
        distinct.setdefault(" ".join(terms(name)), name)
    added = [domain.add_customer(store, NOW, name=name) for name in distinct.values()]
    wanted = added[which % len(added)]
    for typed in (fold(wanted.name), _ascii_typed(wanted.name), wanted.name.upper()):
        assert domain.resolve_customer(store, typed).id == wanted.id, typed
