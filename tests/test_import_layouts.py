"""The CSV and JSON layouts of the programs reps export contacts from, headers as those
programs write them; and rows that name only a name."""

from __future__ import annotations

import json

import pytest


def _import(tickle, tmp_path, name: str, text: str, *options: str):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return tickle("import", "customers", str(path), *options)


def _people(tickle) -> list[dict]:
    return [
        {
            "name": c["name"],
            "company": c["company"],
            "emails": [(e["value"], e.get("kind")) for e in c["emails"]],
            "phones": [(p["value"], p.get("kind")) for p in c["phones"]],
            "external_id": c["external_id"],
        }
        for c in tickle.json("customer", "list")
    ]


LINKEDIN = (
    "Notes:\n"
    '"When exporting your connection data, you may notice that some of the email addresses '
    "are missing. You will only see email addresses for connections who have allowed their "
    'connections to see or download their email address."\n'
    "\n"
    "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
    "Ana,Silva,https://www.linkedin.com/in/anasilva,,Acme,Buyer,03 Nov 2026\n"
    "Ana,Silva,https://www.linkedin.com/in/ana-silva-2,,Initech,CTO,04 Nov 2026\n"
)


def test_linkedin_connections_past_their_notes_and_by_profile_url(tickle, tmp_path):
    result = _import(tickle, tmp_path, "Connections.csv", LINKEDIN)
    assert result.code == 0, result.err
    assert "2 created" in result.out
    people = _people(tickle)
    assert [(p["name"], p["company"], p["external_id"]) for p in people] == [
        ("Ana Silva", "Acme", "https://www.linkedin.com/in/anasilva"),
        ("Ana Silva", "Initech", "https://www.linkedin.com/in/ana-silva-2"),
    ]
    again = _import(tickle, tmp_path, "Connections.csv", LINKEDIN)
    assert "0 created, 0 updated, 2 unchanged" in again.out


def test_a_bad_row_of_a_file_with_a_preamble_has_its_own_line(tickle, tmp_path):
    text = LINKEDIN + "Bo,Chen,https://www.linkedin.com/in/bo,not-an-address,Hooli,,\n"
    result = _import(tickle, tmp_path, "Connections.csv", text)
    assert result.code == 2
    assert result.err.startswith("tickle: line 7: 'not-an-address' is not an email address")


@pytest.mark.parametrize(
    ("layout", "text", "expected"),
    [
        (
            "google current",
            (
                "First Name,Middle Name,Last Name,Organization Name,Organization Title,"
                "E-mail 1 - Label,E-mail 1 - Value,E-mail 2 - Label,E-mail 2 - Value,"
                "Phone 1 - Label,Phone 1 - Value\n"
                "Ana,,Silva,Acme,Buyer,* Work,ana@acme.example,Home,ana@home.example ::: "
                "silva@home.example,Mobile,+1 415 555 0142\n"
            ),
            {
                "name": "Ana Silva",
                "company": "Acme",
                "emails": [
                    ("ana@acme.example", "work"),
                    ("ana@home.example", "home"),
                    ("silva@home.example", None),
                ],
                "phones": [("+1 415 555 0142", "mobile")],
            },
        ),
        (
            "google old",
            (
                "Name,Given Name,Family Name,E-mail 1 - Type,E-mail 1 - Value,Phone 1 - Type,"
                "Phone 1 - Value,Phone 2 - Type,Phone 2 - Value,Organization 1 - Name\n"
                "Ana Silva,Ana,Silva,* Other,ana@acme.example,Work,+1 415 555 0100,Work Fax,"
                "+1 415 555 0199,Acme\n"
            ),
            {
                "name": "Ana Silva",
                "company": "Acme",
                "emails": [("ana@acme.example", None)],
                "phones": [("+1 415 555 0100", "work"), ("+1 415 555 0199", "fax")],
            },
        ),
        (
            "outlook",
            (
                "First Name,Middle Name,Last Name,Company,Business Phone,Home Phone,Mobile Phone,"
                "E-mail Address,E-mail Type,E-mail Display Name,E-mail 2 Address,Notes\n"
                "Ana,,Silva,Acme,(415) 555-0100,,(415) 555-0142,ana@acme.example,SMTP,"
                "Ana Silva (ana@acme.example),ana@home.example,met at expo\n"
            ),
            {
                "name": "Ana Silva",
                "company": "Acme",
                "emails": [("ana@acme.example", None), ("ana@home.example", None)],
                "phones": [("(415) 555-0100", "work"), ("(415) 555-0142", "mobile")],
            },
        ),
        (
            "apple (exported)",
            (
                "First name,Last name,Organization,Email (work),Email (home),Phone (mobile)\n"
                "Ana,Silva,Acme,ana@acme.example,ana@home.example,+1 415 555 0142\n"
            ),
            {
                "name": "Ana Silva",
                "company": "Acme",
                "emails": [("ana@acme.example", "work"), ("ana@home.example", "home")],
                "phones": [("+1 415 555 0142", "mobile")],
            },
        ),
        (
            "roundcube",
            (
                "Display Name,First Name,Last Name,Company,Email Home,Email Work,Email Other\n"
                "Ana Silva,Ana,Silva,Acme,ana@home.example,ana@acme.example,\n"
            ),
            {
                "name": "Ana Silva",
                "company": "Acme",
                "emails": [("ana@home.example", "home"), ("ana@acme.example", "work")],
                "phones": [],
            },
        ),
        (
            "thunderbird",
            (
                "First Name,Last Name,Display Name,Nickname,Primary Email,Secondary Email,"
                "Screen Name,Work Phone,Home Phone,Fax Number,Pager Number,Mobile Number,"
                "Organization,Notes\n"
                "Ana,Silva,Ana Silva,,ana@acme.example,ana@home.example,,+1 415 555 0100,,,,"
                "+1 415 555 0142,Acme,\n"
            ),
            {
                "name": "Ana Silva",
                "company": "Acme",
                "emails": [("ana@acme.example", None), ("ana@home.example", None)],
                "phones": [("+1 415 555 0100", "work"), ("+1 415 555 0142", "mobile")],
            },
        ),
        (
            "hubspot",
            (
                "Record ID,First Name,Last Name,Email,Phone Number,Company Name\n"
                "101,Ana,Silva,ana@acme.example,+1 415 555 0100,Acme\n"
            ),
            {
                "name": "Ana Silva",
                "company": "Acme",
                "emails": [("ana@acme.example", None)],
                "phones": [("+1 415 555 0100", None)],
                "external_id": "101",
            },
        ),
        (
            "salesforce",
            (
                "Id,FirstName,LastName,Email,Phone,MobilePhone,Account.Name,Title\n"
                "0035g00000XyZabAAB,Ana,Silva,ana@acme.example,+1 415 555 0100,+1 415 555 0142,"
                "Acme,Buyer\n"
            ),
            {
                "name": "Ana Silva",
                "company": "Acme",
                "emails": [("ana@acme.example", None)],
                "phones": [("+1 415 555 0100", None), ("+1 415 555 0142", "mobile")],
                "external_id": "0035g00000XyZabAAB",
            },
        ),
        (
            "pipedrive",
            (
                "Person - ID,Person - Name,Person - Organization,Person - Email - Work,"
                "Person - Email - Home,Person - Phone - Work,Person - Phone - Mobile\n"
                "42,Ana Silva,Acme,ana@acme.example,ana@home.example,+1 415 555 0100,"
                "+1 415 555 0142\n"
            ),
            {
                "name": "Ana Silva",
                "company": "Acme",
                "emails": [("ana@acme.example", "work"), ("ana@home.example", "home")],
                "phones": [("+1 415 555 0100", "work"), ("+1 415 555 0142", "mobile")],
                "external_id": "42",
            },
        ),
        (
            "zoho",
            (
                "Record Id,First Name,Last Name,Account Name,Email,Secondary Email,Phone,Mobile,"
                "Home Phone,Description\n"
                "zcrm_5,Ana,Silva,Acme,ana@acme.example,ana@home.example,+1 415 555 0100,"
                "+1 415 555 0142,,likes tea\n"
            ),
            {
                "name": "Ana Silva",
                "company": "Acme",
                "emails": [("ana@acme.example", None), ("ana@home.example", None)],
                "phones": [("+1 415 555 0100", None), ("+1 415 555 0142", "mobile")],
                "external_id": "zcrm_5",
            },
        ),
    ],
)
def test_each_layout_gives_names_companies_and_every_address(
    tickle, tmp_path, layout, text, expected
):
    result = _import(tickle, tmp_path, "contacts.csv", text)
    assert result.code == 0, result.err
    [person] = _people(tickle)
    assert person == {"external_id": None, **expected}, layout
    assert (
        "0 created, 0 updated, 1 unchanged" in _import(tickle, tmp_path, "contacts.csv", text).out
    )


def test_salesforce_json_records(tickle, tmp_path):
    records = {
        "totalSize": 1,
        "done": True,
        "records": [
            {
                "attributes": {"type": "Contact", "url": "/services/data/v59.0/sobjects/Contact/1"},
                "Id": "0035g00000XyZabAAB",
                "Name": "Ana Silva",
                "Email": "ana@acme.example",
                "Account": {"Name": "Acme"},
            }
        ],
    }
    result = _import(tickle, tmp_path, "contacts.json", json.dumps(records))
    assert result.code == 0, result.err
    assert "Ignored" not in result.out
    [person] = _people(tickle)
    assert (person["name"], person["company"], person["external_id"]) == (
        "Ana Silva",
        "Acme",
        "0035g00000XyZabAAB",
    )


def test_tickles_own_export_keeps_its_id_out_of_the_external_id(tickle, tmp_path):
    tickle.ok("customer", "add", "Ana Silva", "--email", "ana@acme.example")
    exported = tickle.ok("export", "customers", "--format", "csv")
    tickle.db.unlink()
    _import(tickle, tmp_path, "customers.csv", exported)
    assert _people(tickle)[0]["external_id"] is None


NAMES_ONLY = "Name,Company\nAna Silva,\nAna Silva,Initech\n"


def test_a_name_of_several_customers_is_a_new_customer_once(tickle, tmp_path):
    tickle.ok("customer", "add", "Ana Silva", "--company", "Acme")
    tickle.ok("customer", "add", "Ana Silva", "--company", "Hooli", "--duplicate")
    first = _import(tickle, tmp_path, "names.csv", NAMES_ONLY)
    assert "2 created" in first.out, first.out
    people = [(p["name"], p["company"]) for p in _people(tickle)]
    assert sorted(people, key=lambda p: p[1] or "") == [
        ("Ana Silva", None),
        ("Ana Silva", "Acme"),
        ("Ana Silva", "Hooli"),
        ("Ana Silva", "Initech"),
    ]
    again = _import(tickle, tmp_path, "names.csv", NAMES_ONLY)
    assert "0 created, 0 updated, 2 unchanged" in again.out


def test_one_customer_of_that_name_at_another_company_is_not_merged(tickle, tmp_path):
    tickle.ok("customer", "add", "Ana Silva", "--company", "Acme")
    text = "Name,Company\nAna Silva,Initech\n"
    assert "1 created" in _import(tickle, tmp_path, "names.csv", text).out
    assert tickle.json("customer", "show", "1")["company"] == "Acme"
    assert "0 created, 0 updated, 1 unchanged" in _import(tickle, tmp_path, "names.csv", text).out


def test_the_one_customer_of_that_name_is_still_updated(tickle, tmp_path):
    tickle.ok("customer", "add", "Ana Silva")
    text = "Name,Company,Phone\nAna Silva,Acme,+1 415 555 0142\n"
    assert "1 updated" in _import(tickle, tmp_path, "names.csv", text).out
    assert tickle.json("customer", "show", "1")["company"] == "Acme"
