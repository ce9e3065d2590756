"""Real contact files from other projects' test suites (tests/data/contacts/README.md),
imported as a user would: what a person reads in each card arrives intact."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

CORPUS = Path(__file__).parent / "data" / "contacts"
EXPECTED = json.loads((CORPUS / "expected.json").read_text(encoding="utf-8"))


def _import(tickle, name: str, expected: dict):
    args = ["import", "customers", str(CORPUS / name), "--skip-invalid"]
    if "encoding" in expected:
        args += ["--encoding", expected["encoding"]]
    return tickle(*args)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_file_imports_what_a_person_reads_in_it(tickle, name):
    expected = EXPECTED[name]
    result = _import(tickle, name, expected)
    assert "Traceback" not in result.err and "vobject" not in result.err
    if "error" in expected:
        assert result.code == 2
        assert result.err.strip() == "tickle: " + expected["error"].replace(
            "FILE", str(CORPUS / name)
        )
        assert not tickle.db.exists()
        return
    assert result.code == 0, result.err
    for line in result.err.splitlines():
        assert line.startswith(("tickle: warning: card ", "tickle: skipped ")), line
    skipped = [line for line in result.err.splitlines() if line.startswith("tickle: skipped")]
    numbers = [int(line.split()[3].rstrip(":")) for line in skipped]  # card 3 (..., line 3:
    assert numbers == expected.get("refused", [])
    stored = json.loads(tickle.ok("export", "customers", "--format", "json"))
    assert [_as_read(c) for c in stored] == [_as_written(c) for c in expected["customers"]]


def _as_read(customer: dict) -> dict:
    """What the export says of a customer, as expected.json writes it."""
    return {
        "name": customer["name"],
        "company": customer["company"],
        "email": customer["email"],
        "phone": customer["phone"],
        "emails": [e["value"] for e in customer["emails"]],
        "phones": [[p["value"], p.get("kind")] for p in customer["phones"]],
    }


def _as_written(card: dict) -> dict:
    """The preferred email and phone are the first of each card's lists."""
    emails, phones = card.get("emails", []), card.get("phones", [])
    return {
        "name": card["name"],
        "company": card.get("company"),
        "email": emails[0] if emails else None,
        "phone": phones[0][0] if phones else None,
        "emails": emails,
        "phones": phones,
    }


def test_a_second_import_of_each_file_changes_nothing(tickle):
    for name, expected in sorted(EXPECTED.items()):
        if "error" in expected:
            continue
        tickle.db.unlink(missing_ok=True)
        assert _import(tickle, name, expected).code == 0
        again = _import(tickle, name, expected)
        assert " 0 created, 0 updated" in again.out, (name, again.out)


def test_the_readme_states_how_many_contacts_arrive_intact():
    cards = sum(
        len(e.get("customers", [])) + len(e.get("refused", [])) + ("error" in e)
        for e in EXPECTED.values()
    )
    intact = sum(len(e.get("customers", [])) for e in EXPECTED.values())
    figure = f"{intact} of {cards} contacts imported intact"
    assert figure in (CORPUS / "README.md").read_text(encoding="utf-8")
    project = CORPUS.parent.parent.parent / "README.md"
    assert figure in " ".join(project.read_text(encoding="utf-8").split())
