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
        {"value": "+1 415 555 0100", "kind": "work", "e164": "+14155550100"},
        {"value": "+1 415 555 0142", "kind": "mobile", "e164": "+14155550142"},
    ]
    assert shown["phone_e164"] == "+14155550100"
    text = tickle.ok("customer", "show", "ana")
    assert "email:       ana@acme.example (work), ana@home.example (home)\n" in text
    assert (
        "phone:       +1 415 555 0100 (work, +14155550100), +1 415 555 0142 (mobile, "
        "+14155550142)\n"
    ) in text
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
    assert shown["phones"] == [
        {"value": "+1 415 555 0142", "kind": "mobile", "e164": "+14155550142"}
    ]
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


def _region(tmp_path, monkeypatch, region: str = "US") -> None:
    config = tmp_path / "config.toml"
    config.write_text(f'[phones]\nregion = "{region}"\n')
    monkeypatch.setenv("TICKLE_CONFIG", str(config))


SEVERAL_NUMBERS = (
    "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ana Silva\r\nORG:Acme\r\nEMAIL:ana@acme.example\r\n"
    "TEL;TYPE=work,pref:(415) 555-0100\r\n"
    "TEL;TYPE=cell:+44 20 7946 0000\r\n"
    "TEL;TYPE=home:555 01\r\n"
    "END:VCARD\r\n"
)


def test_every_number_of_a_card_is_read_in_the_phone_region(tickle, tmp_path, monkeypatch):
    _region(tmp_path, monkeypatch)
    result = tickle("import", "customers", _vcard(tmp_path, SEVERAL_NUMBERS))
    assert result.code == 0
    assert result.err == (
        "tickle: warning: card 1 (Ana Silva, line 1): '555 01' cannot be a valid phone number "
        "in US; kept as typed\n"
    )
    shown = tickle.json("customer", "show", "ana")
    assert shown["phones"] == [
        {"value": "(415) 555-0100", "kind": "work", "e164": "+14155550100"},
        {"value": "+44 20 7946 0000", "kind": "mobile", "e164": "+442079460000"},
        {"value": "555 01", "kind": "home"},  # cannot be read: kept as typed, no E.164
    ]
    assert (shown["phone"], shown["phone_e164"]) == ("(415) 555-0100", "+14155550100")
    assert shown["tel"] == "tel:+14155550100"
    assert "phone:       (415) 555-0100 (work, +14155550100), +44 20 7946 0000 (mobile, " in (
        tickle.ok("customer", "show", "ana")
    )


def test_a_number_already_listed_written_otherwise_is_the_same_number(
    tickle, tmp_path, monkeypatch
):
    _region(tmp_path, monkeypatch)
    tickle.ok("import", "customers", _vcard(tmp_path))
    row = tmp_path / "crm.csv"
    row.write_text("Name,Email,Phone\nAna Silva,ana@acme.example,(415) 555-0142\n")
    tickle.ok("import", "customers", str(row))
    shown = tickle.json("customer", "show", "ana")
    assert shown["phones"] == [  # the row's number is preferred now, and listed once
        {"value": "+1 415 555 0142", "kind": "mobile", "e164": "+14155550142"},
        {"value": "+1 415 555 0100", "kind": "work", "e164": "+14155550100"},
    ]
    assert (shown["phone"], shown["phone_e164"]) == ("+1 415 555 0142", "+14155550142")
    assert "0 created, 0 updated, 1 unchanged" in tickle.ok("import", "customers", str(row))


def test_any_number_of_a_customer_makes_a_new_one_a_duplicate(tickle, tmp_path):
    tickle.ok("import", "customers", _vcard(tmp_path))
    for number in ("+1 (415) 555-0142", "+1 415-555-0100"):  # the second and the first
        result = tickle("customer", "add", "Ann Silver", "--phone", number)
        assert result.code == 2
        assert result.err == (
            "tickle: #1 Ana Silva (Acme) has the same phone: add --duplicate to add another "
            "customer anyway\n"
        )
    tickle.ok("customer", "add", "Ann Silver", "--phone", "+1 415 555 0142", "--duplicate")


def test_an_edited_number_has_its_e164_and_the_others_keep_theirs(tickle, tmp_path, monkeypatch):
    _region(tmp_path, monkeypatch)
    tickle.ok("import", "customers", _vcard(tmp_path))
    tickle.ok("customer", "edit", "ana", "--phone", "(415) 555-0199")
    assert tickle.json("customer", "show", "ana")["phones"] == [
        {"value": "(415) 555-0199", "e164": "+14155550199"},
        {"value": "+1 415 555 0142", "kind": "mobile", "e164": "+14155550142"},
    ]
    # The mobile written otherwise: it becomes the preferred one, the old preferred goes.
    tickle.ok("customer", "edit", "ana", "--phone", "415.555.0142")
    assert tickle.json("customer", "show", "ana")["phones"] == [
        {"value": "415.555.0142", "kind": "mobile", "e164": "+14155550142"}
    ]
    tickle.ok("customer", "add", "Bo Chen", "--phone", "(415) 555-0177")
    assert tickle.json("customer", "show", "bo")["phones"] == [
        {"value": "(415) 555-0177", "e164": "+14155550177"}
    ]


def test_every_number_in_a_list_gets_its_e164():
    found = addresses.with_e164(
        [{"value": "020 7946 0000", "kind": "work"}, {"value": "12"}, {"value": "+1 415 555 0142"}],
        "GB",
    )
    assert found == [
        {"value": "020 7946 0000", "kind": "work", "e164": "+442079460000"},
        {"value": "12"},
        {"value": "+1 415 555 0142", "e164": "+14155550142"},
    ]


def test_numbers_with_the_same_e164_are_one_number_whatever_their_digits():
    found = addresses.merged(
        "phones",
        [{"value": "(415) 555-0142", "e164": "+14155550142"}],
        [{"value": "+1 415 555 0142", "kind": "mobile", "e164": "+14155550142"}],
    )
    assert found == [{"value": "(415) 555-0142", "e164": "+14155550142", "kind": "mobile"}]
    # A number that could not be read (no +country, no region) is still the same digits.
    found = addresses.merged(
        "phones", [{"value": "+1 415 555 0142", "e164": "+14155550142"}], [{"value": "14155550142"}]
    )
    assert found == [{"value": "+1 415 555 0142", "e164": "+14155550142"}]


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


def test_an_import_names_the_first_numbers_that_cannot_be_valid_and_counts_the_rest(
    tickle, tmp_path
):
    rows = "".join(f"Person {n},+1 555 01{n:02d}\n" for n in range(12))
    path = tmp_path / "crm.csv"
    path.write_text("Name,Phone\n" + rows + "Ana Silva,+1 415 555 0142\n")
    result = tickle("import", "customers", str(path))
    assert result.code == 0
    lines = result.err.splitlines()
    assert lines[0] == (
        "tickle: warning: line 2: '+1 555 0100' cannot be a valid phone number; kept as typed"
    )
    assert len(lines) == 11
    assert lines[-1] == "tickle: warning: and 2 more phone numbers that cannot be valid"
    assert tickle.json("customer", "show", "person 11")["phone"] == "+1 555 0111"
