"""Every email and phone of a customer, with its kind: imported, matched, shown, edited,
undone and backed up; the preferred one is the customer's `email` and `phone`."""

from __future__ import annotations

from tickle.domain import addresses

TWO_OF_EACH = (
    "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ana Silva\r\nORG:Acme\r\n"
    "EMAIL;TYPE=home:ana@home.example\r\n"
    "EMAIL;TYPE=work,pref:ana@acme.example\r\n"
    "TEL;TYPE=work:+1 415 555 0100\r\n"
    "TEL;TYPE=cell:+1 415 555 0142\r\n"
    "END:VCARD\r\n"
)


def _vcard(tmp_path, text: str = TWO_OF_EACH) -> str:
    path = tmp_path / "ana.vcf"
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_a_card_keeps_every_address_and_number_with_its_kind(tickle, tmp_path):
    tickle.ok("import", "customers", _vcard(tmp_path))
    shown = tickle.json("customer", "show", "ana")
    assert (shown["email"], shown["phone"]) == ("ana@acme.example", "+1 415 555 0100")
    assert shown["emails"] == [
        {"value": "ana@acme.example", "kind": "work"},
        {"value": "ana@home.example", "kind": "home"},
    ]
    assert shown["phones"] == [
        {"value": "+1 415 555 0100", "kind": "work"},
        {"value": "+1 415 555 0142", "kind": "mobile"},
    ]
    text = tickle.ok("customer", "show", "ana")
    assert "email:       ana@acme.example (work), ana@home.example (home)\n" in text
    assert "phone:       +1 415 555 0100 (work), +1 415 555 0142 (mobile)\n" in text
    assert "reach:       phone +1 415 555 0100\n" in text


def test_any_address_finds_the_customer_and_matches_on_import(tickle, tmp_path):
    tickle.ok("import", "customers", _vcard(tmp_path))
    assert tickle.json("customer", "show", "ana@home.example")["id"] == 1
    second = tmp_path / "crm.csv"
    second.write_text("Name,Email,Company\nAna S.,ANA@HOME.EXAMPLE,Acme\n", encoding="utf-8")
    out = tickle.ok("import", "customers", str(second))
    assert "0 created" in out
    assert tickle.rows("SELECT count(*) FROM customers") == [(1,)]
    assert "0 created, 0 updated, 1 unchanged" in tickle.ok("import", "customers", str(second))


def test_a_second_address_of_someone_else_is_refused_to_a_new_customer(tickle, tmp_path):
    tickle.ok("import", "customers", _vcard(tmp_path))
    result = tickle("customer", "add", "Bo Chen", "--email", "ana@home.example")
    assert result.code == 2
    assert result.err == "tickle: the email ana@home.example already belongs to #1 Ana Silva\n"


def test_editing_the_preferred_address_keeps_the_others(tickle, tmp_path):
    tickle.ok("import", "customers", _vcard(tmp_path))
    tickle.ok("customer", "edit", "ana", "--email", "ana.silva@acme.example")
    shown = tickle.json("customer", "show", "ana")
    assert shown["email"] == "ana.silva@acme.example"
    assert [e["value"] for e in shown["emails"]] == ["ana.silva@acme.example", "ana@home.example"]
    tickle.ok("customer", "edit", "ana", "--phone", "+1 415 555 0142")
    shown = tickle.json("customer", "show", "ana")
    assert shown["phones"] == [{"value": "+1 415 555 0142", "kind": "mobile"}]
    tickle.ok("undo")
    tickle.ok("undo")
    assert tickle.json("customer", "show", "ana")["emails"][0]["value"] == "ana@acme.example"


def test_a_new_address_from_a_row_becomes_the_preferred_one_and_the_old_stays(tickle, tmp_path):
    tickle.ok("customer", "add", "Ana Silva", "--email", "ana@acme.example")
    update = tmp_path / "crm.csv"
    update.write_text(
        "Name,Email,Phone,External ID\nAna Silva,ana@acme.example,,7\n"
        "Ana Silva,ana@newco.example,+44 20 7946 0000,7\n",
        encoding="utf-8",
    )
    tickle.ok("import", "customers", str(update))
    shown = tickle.json("customer", "show", "ana")
    assert [e["value"] for e in shown["emails"]] == ["ana@newco.example", "ana@acme.example"]
    assert "0 created, 0 updated, 1 unchanged" in tickle.ok("import", "customers", str(update))


def test_undo_and_a_backup_keep_the_lists(tickle, tmp_path):
    tickle.ok("import", "customers", _vcard(tmp_path))
    tickle.ok("export", "all", "-o", str(tmp_path / "backup.json"))
    from conftest import Tickle

    restored = Tickle(tmp_path / "restored.db")
    restored.ok("import", "all", str(tmp_path / "backup.json"))
    assert (
        restored.json("customer", "show", "ana")["emails"]
        == tickle.json("customer", "show", "ana")["emails"]
    )
    tickle.ok("undo")
    assert tickle.rows("SELECT count(*) FROM customers") == [(0,)]


def test_customers_csv_export_says_every_address_in_one_cell(tickle, tmp_path):
    tickle.ok("import", "customers", _vcard(tmp_path))
    csv = tickle.ok("export", "customers", "--format", "csv")
    assert '"ana@acme.example (work), ana@home.example (home)"' in csv


def test_the_same_number_written_twice_is_one_number():
    found = addresses.merged(
        "phones",
        [{"value": "+1 (415) 555-0142"}],
        [{"value": "+1 415 555 0142", "kind": "mobile"}, {"value": "020 7946 0000"}],
    )
    assert found == [
        {"value": "+1 (415) 555-0142", "kind": "mobile"},
        {"value": "020 7946 0000"},
    ]
