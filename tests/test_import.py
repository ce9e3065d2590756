"""`tickle import`: customers, follow-ups and promises from CRMs, spreadsheets and phones."""

from __future__ import annotations

from pathlib import Path

import pytest

from tickle.errors import InputError
from tickle.io import readers
from tickle.io.customers_import import plan_customers
from tickle.store import Store

FIXTURES = Path(__file__).parent / "fixtures"
HUBSPOT = str(FIXTURES / "hubspot_contacts.csv")
GOOGLE = str(FIXTURES / "google_contacts.csv")
PHONE = str(FIXTURES / "phone_contacts.vcf")
TASKS = str(FIXTURES / "crm_tasks.csv")
HUBSPOT_IGNORED = (
    " Ignored columns: Lifecycle Stage, Contact owner, Create Date, Last Activity Date "
    "(--map 'Column=field' keeps one)."
)


def write(tmp_path, name: str, text: str | bytes) -> str:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return str(path)


# -- the HubSpot export: BOM, CRLF, quoted newlines, a duplicate in another case ----------


def test_hubspot_export_imports_every_contact(tickle):
    out = tickle.ok("import", "customers", HUBSPOT)
    assert out == (
        f"Imported customers from {HUBSPOT}: 40 created, 0 updated, 0 unchanged "
        f"(1 duplicate row merged).{HUBSPOT_IGNORED}\n"
    )
    assert tickle.rows("SELECT count(*) FROM customers") == [(40,)]


def test_hubspot_bom_and_first_plus_last_name(tickle):
    tickle.ok("import", "customers", HUBSPOT)
    [row] = tickle.rows("SELECT name, company, external_id FROM customers WHERE id = 1")
    assert row == ("Noor Mensah", "Umbrella Health", "1000")


def test_quoted_newline_stays_in_the_note(tickle):
    tickle.ok("import", "customers", HUBSPOT)
    [(note,)] = tickle.rows("SELECT note FROM customers WHERE external_id = '1006'")
    assert note == "Met at trade show\nwants a demo in Q1"


def test_duplicate_in_another_case_merges_into_one_customer(tickle):
    tickle.ok("import", "customers", HUBSPOT)
    rows = tickle.rows(
        "SELECT email, note, external_id FROM customers WHERE email = 'g.tanaka3@stark.example' "
        "COLLATE NOCASE"
    )
    assert rows == [("g.tanaka3@stark.example", "duplicate row", "1040")]


def test_rows_without_email_are_kept_by_their_record_id(tickle):
    tickle.ok("import", "customers", HUBSPOT)
    assert tickle.rows("SELECT name FROM customers WHERE email IS NULL ORDER BY id") == [
        ("Noor Mensah",),
        ("Priya Rossi",),
        ("Aisha van der Berg",),
    ]


def test_importing_the_same_file_twice_changes_nothing(tickle):
    tickle.ok("import", "customers", HUBSPOT)
    before = tickle.rows("SELECT * FROM customers ORDER BY id")
    out = tickle.ok("import", "customers", HUBSPOT)
    assert "0 created, 0 updated, 40 unchanged" in out
    assert tickle.rows("SELECT * FROM customers ORDER BY id") == before


def test_a_row_updates_the_customer_with_its_email_in_any_case(book, tmp_path):
    path = write(
        tmp_path, "c.csv", "name,email,phone\nAna Silva,ANA@ACME.EXAMPLE,+1 415 555 0199\n"
    )
    out = book.ok("import", "customers", path)
    assert "0 created, 1 updated, 0 unchanged" in out
    assert book.rows("SELECT id, phone FROM customers WHERE id = 1") == [(1, "+1 415 555 0199")]
    assert book.rows("SELECT count(*) FROM customers") == [(3,)]


def test_a_row_matches_by_external_id_when_it_has_no_email(tickle, tmp_path):
    tickle.ok("import", "customers", HUBSPOT)
    path = write(tmp_path, "c.csv", "Record ID,Company Name\n1000,Umbrella Corp\n")
    assert "0 created, 1 updated, 0 unchanged" in tickle.ok("import", "customers", path)
    assert tickle.rows("SELECT company FROM customers WHERE external_id = '1000'") == [
        ("Umbrella Corp",)
    ]


def test_empty_cells_never_erase_what_is_known(book, tmp_path):
    path = write(tmp_path, "c.csv", "name,email,phone,company\nAna Silva,ana@acme.example,,\n")
    assert "0 created, 0 updated, 1 unchanged" in book.ok("import", "customers", path)
    assert book.rows("SELECT phone, company FROM customers WHERE id = 1") == [
        ("+1 415 555 0142", "Acme")
    ]


def test_google_contacts_headers(tickle):
    tickle.ok("import", "customers", GOOGLE)
    assert tickle.rows(
        "SELECT name, email, phone, company FROM customers WHERE email LIKE 'e.tanaka8%'"
    ) == [("Emma Tanaka", "e.tanaka8@globex.example", "+1 (415) 555-7521", "Globex, Inc.")]


def test_map_reads_another_column_and_keeps_it_in_the_note(tickle):
    tickle.ok("import", "customers", HUBSPOT, "--map", "Lifecycle Stage=note")
    [(note,)] = tickle.rows("SELECT note FROM customers WHERE external_id = '1008'")
    assert note == "Lifecycle Stage: lead"


def test_map_to_an_unknown_field_is_refused(tickle):
    result = tickle("import", "customers", HUBSPOT, "--map", "Lifecycle Stage=stage")
    assert result.code == 2
    assert result.err.startswith("tickle: --map 'Lifecycle Stage=stage': unknown field 'stage'")


# -- bad rows ----------------------------------------------------------------------------

BAD = "name,email\nAna,ana@x.example\nBob,bob@x.example\nCy,not-an-email\nDee,dee@x.example\n"


def test_a_bad_row_rejects_the_file_with_its_line_and_writes_nothing(book, tmp_path):
    path = write(tmp_path, "bad.csv", BAD)
    before = book.snapshot()
    result = book("import", "customers", path)
    assert result.code == 2
    assert result.err == (
        "tickle: line 4: 'not-an-email' is not an email address. Nothing was imported: "
        "fix it, or --skip-invalid imports the rest\n"
    )
    assert result.out == ""
    assert book.snapshot() == before


def test_line_numbers_count_quoted_newlines(tickle, tmp_path):
    path = write(tmp_path, "bad.csv", 'name,email,note\nAna,a@x.example,"two\nlines"\nB,nope,\n')
    result = tickle("import", "customers", path)
    assert result.err.startswith("tickle: line 4: 'nope' is not an email address.")


def test_a_row_longer_than_the_header_is_refused_unless_the_extra_fields_are_empty(
    tickle, tmp_path
):
    trailing = write(tmp_path, "tb.csv", "name,email\nAna,a@x.example,\nBo,b@x.example,,\n")
    assert tickle("import", "customers", trailing).code == 0
    assert tickle.rows("SELECT name FROM customers ORDER BY id") == [("Ana",), ("Bo",)]
    spilled = write(tmp_path, "bad.csv", "name,email\nCy,c@x.example,oops\n")
    result = tickle("import", "customers", spilled)
    assert result.code == 2
    assert result.err.startswith("tickle: line 2: 3 fields, but the header has 2")


def test_skip_invalid_writes_the_good_rows_and_reports_the_bad(tickle, tmp_path):
    path = write(tmp_path, "bad.csv", BAD)
    result = tickle("import", "customers", path, "--skip-invalid")
    assert result.code == 0
    assert result.err == "tickle: skipped line 4: 'not-an-email' is not an email address\n"
    assert (
        result.out
        == f"Imported customers from {path}: 3 created, 0 updated, 0 unchanged, 1 rejected.\n"
    )
    assert tickle.rows("SELECT name FROM customers ORDER BY id") == [("Ana",), ("Bob",), ("Dee",)]


def test_dry_run_says_what_would_happen_and_writes_nothing(book, tmp_path):
    path = write(tmp_path, "c.csv", "name,email\nAna Silva,ana@acme.example\nZed,zed@x.example\n")
    before = book.snapshot()
    out = book.ok("import", "customers", path, "--dry-run")
    assert out == (
        "create: Zed <zed@x.example>\n"
        f"Dry run, nothing written: customers from {path}: 1 created, 0 updated, 1 unchanged.\n"
    )
    assert book.snapshot() == before


def test_dry_run_lists_the_rows_that_would_be_rejected(book, tmp_path):
    path = write(tmp_path, "bad.csv", BAD)
    before = book.snapshot()
    result = book("import", "customers", path, "--dry-run")
    assert result.code == 2
    assert result.err == "tickle: rejected line 4: 'not-an-email' is not an email address\n"
    assert result.out.endswith("3 created, 0 updated, 0 unchanged, 1 rejected.\n")
    assert book.snapshot() == before


def test_a_new_customer_needs_a_name(tickle, tmp_path):
    path = write(tmp_path, "c.csv", "name,email\n,x@x.example\n")
    result = tickle("import", "customers", path)
    assert result.err.startswith("tickle: line 2: a customer needs a name.")


def test_undo_reverts_a_whole_import(book):
    book.ok("import", "customers", HUBSPOT)
    book.ok("undo")
    assert book.rows("SELECT count(*) FROM customers") == [(3,)]


def test_undo_of_an_import_restores_the_customers_it_updated(book, tmp_path):
    before = book.rows("SELECT * FROM customers ORDER BY id")
    path = write(
        tmp_path, "c.csv", "name,email,phone\nAna Silva,ana@silva.example,+1 415 555 0100\n"
    )
    book.ok("customer", "edit", "1", "--email", "ana@silva.example")
    edited = book.rows("SELECT * FROM customers ORDER BY id")
    assert "updated" in book.ok("import", "customers", path)
    book.ok("undo")
    assert book.rows("SELECT * FROM customers ORDER BY id") == edited
    book.ok("undo")
    assert book.rows("SELECT * FROM customers ORDER BY id") == before


def test_undo_of_a_followup_import_removes_its_items_and_events(book, tmp_path):
    book.ok("add", "bob", "tomorrow", "send the deck")
    before = book.rows("SELECT * FROM items"), book.rows("SELECT * FROM events")
    lines = ["customer,due,title"] + [
        f"Bob Stone,2026-12-{1 + n % 28:02d},call {n}" for n in range(50)
    ]
    book.ok("import", "followups", write(tmp_path, "f.csv", "\n".join(lines) + "\n"))
    assert book.rows("SELECT count(*) FROM items") == [(51,)]
    assert book.rows("SELECT count(*) FROM events WHERE type = 'created'") == [(51,)]
    book.ok("undo")
    assert (book.rows("SELECT * FROM items"), book.rows("SELECT * FROM events")) == before
    book.ok("add", "bob", "friday", "next one")
    assert book.rows("SELECT max(id) FROM items") == [(52,)]  # ids are never reused


def test_a_bulk_import_keeps_the_undo_log_small(tickle, tmp_path):
    lines = ["name,email"] + [f"P{n},p{n}@x.example" for n in range(2_000)]
    tickle.ok("import", "customers", write(tmp_path, "c.csv", "\n".join(lines) + "\n"))
    tasks = ["customer,due"] + [f"p{n}@x.example,2026-12-01" for n in range(2_000)]
    tickle.ok("import", "followups", write(tmp_path, "f.csv", "\n".join(tasks) + "\n"))
    assert tickle.rows("SELECT count(*) FROM undo_log") <= [(5,)]
    tickle.ok("undo")
    assert tickle.rows("SELECT count(*) FROM items") == [(0,)]
    assert tickle.rows("SELECT count(*) FROM events") == [(0,)]
    tickle.ok("undo")
    assert tickle.rows("SELECT count(*) FROM customers") == [(0,)]


# -- inputs, formats, encodings ----------------------------------------------------------


def test_standard_input_with_a_dash(tickle):
    out = tickle.ok("import", "customers", "-", input="name,email\nAna,ana@x.example\n")
    assert out == "Imported customers from standard input: 1 created, 0 updated, 0 unchanged.\n"


def test_tsv_is_sniffed_from_standard_input(tickle):
    tickle.ok("import", "customers", "-", input="Name\tEmail\nAna\tana@x.example\n")
    assert tickle.rows("SELECT name, email FROM customers") == [("Ana", "ana@x.example")]


def test_json_lines_from_standard_input(tickle):
    text = '{"name": "Ana", "email": "ana@x.example", "tags": ["vip"]}\n{"name": "Bob"}\n'
    tickle.ok("import", "customers", "-", input=text)
    assert tickle.rows("SELECT name, tags FROM customers ORDER BY id") == [
        ("Ana", '["vip"]'),
        ("Bob", "[]"),
    ]


def test_json_lines_are_split_on_newlines_only(tickle):
    """Another tool's JSON Lines may hold U+2028 raw inside a string: it is not a line end."""
    lines = '{"name": "Ana", "note": "a\u2028b\u0085c"}\r\n{"name": "Bo"}\n'
    out = tickle.ok("import", "customers", "-", "--format", "jsonl", input=lines)
    assert "2 created" in out
    assert tickle.json("customer", "show", "Ana")["note"] == "a\u2028b\u0085c"


def test_json_array(tickle, tmp_path):
    path = write(tmp_path, "c.json", '[{"First Name": "Ana", "Last Name": "Silva"}]')
    tickle.ok("import", "customers", path)
    assert tickle.rows("SELECT name FROM customers") == [("Ana Silva",)]


def test_vcards_3_and_4_with_folded_lines(tickle):
    out = tickle.ok("import", "customers", PHONE)
    assert "10 created" in out
    rows = tickle.rows(
        "SELECT name, email, phone, company, note FROM customers WHERE id IN (1, 2) ORDER BY id"
    )
    assert rows == [
        ("Jakub O'Brien", "j.obrien0@initech.example", "+442079462396", "Initech", None),
        (
            "Chloé Álvarez",
            "c.lvarez1@tyrell.example",
            "415.555.1521",
            "Tyrell & Sons",
            (
                "Met at the Lisbon trade show, wants a follow-up call after the pilot ends. "
                "Prefers mornings."
            ),
        ),
    ]
    assert "10 unchanged" in tickle.ok("import", "customers", PHONE)


def test_vcard_sniffed_from_standard_input(tickle):
    text = (FIXTURES / "phone_contacts.vcf").read_text(encoding="utf-8")
    assert "10 created" in tickle.ok("import", "customers", "-", input=text)


def test_a_file_that_is_not_utf8_is_refused_clearly(tickle, tmp_path):
    path = write(tmp_path, "c.csv", "name,email\nJosé,j@x.example\n".encode("latin-1"))
    result = tickle("import", "customers", path)
    assert result.code == 2
    assert result.err == (
        f"tickle: {path} is not UTF-8 (byte 0xe9 on line 2): save it as UTF-8, "
        "or say what it is with --encoding, e.g. --encoding cp1252\n"
    )


def test_encoding_option_reads_latin1(tickle, tmp_path):
    path = write(tmp_path, "c.csv", "name,email\nJosé,j@x.example\n".encode("latin-1"))
    tickle.ok("import", "customers", path, "--encoding", "latin-1")
    assert tickle.rows("SELECT name FROM customers") == [("José",)]


def test_a_missing_file_is_an_input_error(tickle, tmp_path):
    result = tickle("import", "customers", str(tmp_path / "nope.csv"))
    assert result.code == 2
    assert result.err == f"tickle: no such file: {tmp_path / 'nope.csv'}\n"


def test_a_neutralised_cell_reads_back_without_its_apostrophe(tickle, tmp_path):
    path = write(tmp_path, "c.csv", "name,phone,note\nAna,'+1 415 555 0100,'=SUM(A1)\n")
    tickle.ok("import", "customers", path)
    assert tickle.rows("SELECT phone, note FROM customers") == [("+1 415 555 0100", "=SUM(A1)")]


# -- follow-ups and promises -------------------------------------------------------------


def test_crm_tasks_import_as_follow_ups(tickle):
    tickle.ok("import", "customers", HUBSPOT)
    result = tickle("import", "followups", TASKS, "--skip-invalid")
    assert result.code == 0
    assert result.err == (
        "tickle: skipped line 2: no customer matches 'n.mensah0@umbrella.example'\n"
        "tickle: skipped line 19: no customer matches 'p.rossi17@cyberdyne.example'\n"
    )
    assert "23 created, 0 updated, 0 unchanged, 2 rejected" in result.out
    assert tickle.rows(
        "SELECT i.kind, i.title, i.due, i.channel, c.email FROM items i "
        "JOIN customers c ON c.id = i.customer_id ORDER BY i.id LIMIT 1"
    ) == [("followup", "Send pricing sheet", "2026-12-24", "phone", "j.ferreira1@hooli.example")]
    [(note,)] = tickle.rows("SELECT note FROM events WHERE item_id = 5")
    assert note == "promised on the call"


def test_follow_ups_import_twice_changes_nothing(tickle):
    tickle.ok("import", "customers", HUBSPOT)
    tickle("import", "followups", TASKS, "--skip-invalid")
    result = tickle("import", "followups", TASKS, "--skip-invalid")
    assert "0 created, 0 updated, 23 unchanged, 2 rejected" in result.out
    assert tickle.rows("SELECT count(*) FROM items") == [(23,)]


def test_promises_reference_customers_by_name_or_id(book, tmp_path):
    path = write(
        tmp_path,
        "p.csv",
        "customer,what,by\nbob stone,pricing sheet,2026-11-27\nbob@hooli.example,quote,2026-12-01\n",
    )
    book.ok("import", "promises", path)
    assert book.json("list", "--kind", "promise")[0]["promised_due"] == "2026-11-27"
    assert book.rows("SELECT customer_id, title FROM items ORDER BY id") == [
        (2, "pricing sheet"),
        (2, "quote"),
    ]


def test_a_column_of_dates_that_read_both_ways_is_refused_naming_the_option(book, tmp_path):
    path = write(tmp_path, "f.csv", "customer,subject,due date\nbob stone,call,01/02/2026\n")
    before = book.snapshot()
    result = book("import", "followups", path)
    assert result.code == 2
    assert result.err == (
        "tickle: the due date column's dates read both ways (is '01/02/2026' day/month or "
        "month/day?): say which with --date-order dmy (03/04/2026 is 3 April) or "
        "--date-order mdy (4 March)\n"
    )
    assert book.snapshot() == before


US_TASKS = (
    "Subject,Due Date,Contact Email\n"
    "call,03/04/2026,bob@hooli.example\n"
    "quote,03/14/2026,bob@hooli.example\n"
    "visit,12/01/2026 ,bob@hooli.example\n"
    "renewal,5/5/2027,bob@hooli.example\n"
)


def test_a_us_export_is_read_month_first_because_one_date_can_only_be(book, tmp_path):
    book.ok("import", "followups", write(tmp_path, "us.csv", US_TASKS))
    assert book.rows("SELECT title, due FROM items ORDER BY id") == [
        ("call", "2026-03-04"),
        ("quote", "2026-03-14"),
        ("visit", "2026-12-01"),
        ("renewal", "2027-05-05"),
    ]


def test_a_european_export_is_read_day_first(book, tmp_path):
    eu = "Subject,Due Date,Contact Email\ncall,03.04.2026,bob@hooli.example\n"
    eu += "quote,14.03.2026,bob@hooli.example\n"
    book.ok("import", "followups", write(tmp_path, "eu.csv", eu))
    assert book.rows("SELECT title, due FROM items ORDER BY id") == [
        ("call", "2026-04-03"),
        ("quote", "2026-03-14"),
    ]


@pytest.mark.parametrize(("order", "expected"), [("dmy", "2026-02-01"), ("mdy", "2026-01-02")])
def test_date_order_option_reads_an_ambiguous_column(book, tmp_path, order, expected):
    path = write(tmp_path, "f.csv", "customer,subject,due\nbob stone,call,01/02/2026\n")
    book.ok("import", "followups", path, "--date-order", order)
    assert book.rows("SELECT due FROM items") == [(expected,)]


def test_date_order_environment_does_not_decide_a_file(book, tmp_path):
    path = write(tmp_path, "f.csv", "customer,subject,due\nbob stone,call,01/02/2026\n")
    result = book("import", "followups", path, env={"TICKLE_DATE_ORDER": "dmy"})
    assert result.code == 2 and "--date-order" in result.err


def test_a_column_mixing_both_orders_is_refused(book, tmp_path):
    mixed = "customer,subject,due\nbob stone,a,14/03/2026\nbob stone,b,03/14/2026\n"
    mixed += "bob stone,c,03/04/2026\n"
    before = book.snapshot()
    result = book("import", "promises", write(tmp_path, "m.csv", mixed))
    assert result.code == 2
    assert result.err.startswith(
        "tickle: the due column mixes day/month orders ('14/03/2026' is day first, "
        "'03/14/2026' month first): say how to read '03/04/2026' with --date-order dmy"
    )
    assert book.snapshot() == before


def test_dates_that_each_read_one_way_need_no_order_even_mixed(book, tmp_path):
    mixed = "customer,subject,due\nbob stone,a,14/03/2026\nbob stone,b,03/15/2026\n"
    book.ok("import", "followups", write(tmp_path, "m.csv", mixed))
    assert book.rows("SELECT due FROM items ORDER BY id") == [("2026-03-14",), ("2026-03-15",)]


def test_a_bad_date_order_is_a_usage_error(book, tmp_path):
    path = write(tmp_path, "f.csv", "customer,subject,due\nbob stone,call,01/02/2026\n")
    result = book("import", "followups", path, "--date-order", "ymd")
    assert result.code == 2 and "--date-order" in result.err


@pytest.mark.parametrize(
    ("values", "given", "expected"),
    [
        (["2026-12-01", None, "tomorrow"], None, None),
        (["14/03/2026", "03/04/2026"], None, "dmy"),
        (["03/14/2026", "03/04/2026", "5/5/2026"], None, "mdy"),
        (["03/04/2026 10:00", "3/14/2026 9:15 am"], None, "mdy"),
        (["14/03/2026", "03/15/2026"], None, None),
        (["03/04/2026"], "mdy", "mdy"),
        (["45/67/2026", "03/04/2026", "13/04/2026"], None, "dmy"),
    ],
)
def test_column_order_is_the_one_order_every_value_fits(values, given, expected):
    from tickle.io.date_order import column_order

    assert column_order(values, given) == expected


@pytest.mark.parametrize(
    ("values", "fragment"),
    [
        (["03/04/2026", "05/06/2026"], "read both ways (is '03/04/2026'"),
        (["1/2", "3/4"], "read both ways (is '1/2'"),
        (["14/03/2026", "03/14/2026", "03/04/2026"], "mixes day/month orders"),
    ],
)
def test_column_order_refuses_what_the_values_leave_open(values, fragment):
    from tickle.io.date_order import column_order

    with pytest.raises(InputError) as caught:
        column_order(values, None)
    assert fragment in caught.value.message
    assert "--date-order dmy" in caught.value.message


def test_an_unknown_customer_is_a_row_error(book, tmp_path):
    path = write(tmp_path, "f.csv", "customer,subject,due\nnobody,call,2026-12-01\n")
    result = book("import", "followups", path)
    assert result.err.startswith("tickle: line 2: no customer matches 'nobody'.")


def test_a_row_may_name_its_customer_in_several_columns(book, tmp_path):
    """The first column that names a customer wins; if none does, the first one's error."""
    path = write(
        tmp_path,
        "f.csv",
        "Contact Email,Contact Name,Subject,Due Date\n"
        "gone@example.com,bob stone,call,2026-12-01\n"
        ",bob stone,send quote,2026-12-02\n"
        "gone@example.com,nobody,visit,2026-12-03\n",
    )
    result = book("import", "followups", path, "--skip-invalid")
    assert result.code == 0
    assert result.err == "tickle: skipped line 4: no customer matches 'gone@example.com'\n"
    assert book.rows("SELECT customer_id, title FROM items WHERE due >= '2026-12-01'") == [
        (2, "call"),
        (2, "send quote"),
    ]


def test_a_row_is_refused_for_its_customer_before_its_date(book, tmp_path):
    path = write(tmp_path, "f.csv", "customer,subject,due\nnobody,call,\nbob stone,,someday\n")
    result = book("import", "followups", path, "--dry-run")
    first, second = result.err.splitlines()
    assert first == "tickle: rejected line 2: no customer matches 'nobody'"
    assert second.startswith("tickle: rejected line 3: not a date: 'someday'. Try: today,")


# -- the domain, without the command line -----------------------------------------------


def test_plan_customers_counts_without_writing(tmp_path):
    store = Store.open(tmp_path / "t.db", write=True)
    try:
        plan = plan_customers(store, readers.load(HUBSPOT))
        assert (len(plan.created), len(plan.updated), plan.unchanged, plan.merged) == (40, 0, 0, 1)
        assert store.is_empty()
    finally:
        store.close()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[{}]", "json"),
        ('{"a": 1}\n{"a": 2}\n', "jsonl"),
        ("BEGIN:VCARD\r\nEND:VCARD\r\n", "vcf"),
        ("a\tb\n1\t2\n", "tsv"),
        ("a,b\n1,2\n", "csv"),
        ("a;b\n1;2\n", "csv"),
    ],
)
def test_format_is_sniffed_from_the_first_bytes(text, expected):
    assert readers.sniff_format(text) == expected


def test_decode_strips_the_byte_order_mark():
    assert readers.decode("\ufeffname\r\n".encode(), "x") == "name\r\n"


def test_decode_refuses_utf16_without_encoding():
    with pytest.raises(InputError, match="UTF-16"):
        readers.decode("name".encode("utf-16"), "x")


def test_a_large_import_is_one_undoable_change(tickle, tmp_path):
    # Speed is measured by bench/run.py, not here.
    lines = ["Record ID,First Name,Last Name,Email,Phone Number,Company Name"]
    lines += [f"{i},F{i},L{i},p{i}@x.example,+1 415 5{i:06d},Co {i % 50}" for i in range(20_000)]
    path = write(tmp_path, "big.csv", "\n".join(lines) + "\n")
    tickle.ok("import", "customers", path)
    assert tickle.rows("SELECT count(*) FROM customers") == [(20_000,)]
    assert tickle.rows("SELECT count(*) FROM changes") == [(1,)]
    tickle.ok("undo")
    assert tickle.rows("SELECT count(*) FROM customers") == [(0,)]


def test_an_import_looks_up_only_its_own_keys_through_the_customer_index(book):
    from tickle.store import Store

    book.ok("add", "1", "2026-12-01", "send the pricing sheet")
    store = Store.open(book.db, write=False)
    (customer_id, title, due) = store.conn.execute(
        "SELECT customer_id, title, due FROM items WHERE kind = 'followup' LIMIT 1"
    ).fetchone()
    traced: list[str] = []
    store.conn.set_trace_callback(traced.append)
    found = store.imports.existing_item_keys(
        "followup", [(customer_id, title, due), (99, "x", due)]
    )
    store.conn.set_trace_callback(None)
    details = [row[3] for row in store.conn.execute("EXPLAIN QUERY PLAN " + traced[-1])]
    store.close()
    assert found == {(customer_id, title, due)}
    # Each key seeks its customer's items; not every follow-up of the book by kind
    # (what SQLite picks without ANALYZE statistics unless told otherwise).
    assert "SEARCH i USING INDEX items_customer (customer_id=?)" in details


def test_imported_rows_are_searchable_and_the_index_stays_whole(tickle, tmp_path):
    """An import fills the search index in one go (not row by row through its trigger);
    the index is then exactly the rows, after the import and after its undo."""
    import sqlite3

    def index_is_whole() -> None:
        conn = sqlite3.connect(tickle.db)
        try:
            for table in ("customers", "items", "events"):
                # FTS5 raises "database disk image is malformed" on a mismatch
                conn.execute(f"INSERT INTO {table}_fts ({table}_fts) VALUES ('integrity-check')")
        finally:
            conn.close()

    tickle.ok("customer", "add", "Ana Silva", "--note", "met at the expo")
    people = tmp_path / "people.csv"
    people.write_text(
        "name,company,note\nChloé Dubois,Wonka,wants invoices monthly\nBo Chen,Hooli,\n"
    )
    tickle.ok("import", "customers", str(people))
    tasks = tmp_path / "tasks.csv"
    tasks.write_text(
        "customer,due,title,note\nchloe,2026-12-01,send the invoice schedule,asked twice\n"
    )
    tickle.ok("import", "followups", str(tasks))
    index_is_whole()
    found = {hit["kind"] for hit in tickle.json("search", "invoic*")}
    assert found == {"customer", "follow-up"}
    assert [hit["kind"] for hit in tickle.json("search", "asked", "twice")] == ["note"]
    assert [hit["customer_id"] for hit in tickle.json("search", "expo")] == [1]
    tickle.ok("customer", "add", "Dora Lind", "--note", "invoices by post")  # the trigger is back
    assert len(tickle.json("search", "invoic*")) == 3
    tickle.ok("undo")
    tickle.ok("undo")
    tickle.ok("undo")
    index_is_whole()
    assert tickle.json("search", "invoic*") == []
