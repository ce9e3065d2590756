"""vCards as phones and mail programs write them: each rule of tickle.io.vcard through
`tickle import customers`, and the reader directly."""

from __future__ import annotations

import pytest

from tickle.io.vcard import read_cards


def card(*lines: str, version: str = "2.1") -> str:
    return "\r\n".join(["BEGIN:VCARD", f"VERSION:{version}", *lines, "END:VCARD", ""])


def one(*lines: str, version: str = "2.1"):
    reading = read_cards(card(*lines, version=version))
    assert len(reading.cards) == 1
    return reading.cards[0]


def imported(tickle, tmp_path, text: str, *options: str):
    path = tmp_path / "contacts.vcf"
    path.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    result = tickle("import", "customers", str(path), *options)
    if not tickle.db.exists():
        return result, None
    return result, tickle.rows("SELECT name, company, email, phone, note FROM customers")


def test_a_comma_is_text_in_2_1_and_an_escape_in_3_0():
    assert one("FN:Silva, Ana", "NOTE:met at expo, wants pricing").name == "Silva, Ana"
    assert one("FN:Silva, Ana", "NOTE:met at expo, wants pricing").note == (
        "met at expo, wants pricing"
    )
    assert one("FN:Silva\\, Ana", version="3.0").name == "Silva, Ana"
    assert one("FN:Mr. John Richter\\, James Doe Sr.", version="4.0").name == (
        "Mr. John Richter, James Doe Sr."
    )
    assert one("FN:A\\\\B\\nC", version="3.0").name == "A\\B\nC"
    assert one("FN:A\\B", version="2.1").name == "A\\B"


@pytest.mark.parametrize("version", ["2.1", "3.0", "4.0"])
def test_org_is_the_organisation_even_with_an_unescaped_comma(version):
    found = one("FN:Ana", "ORG:Company, The;Sales\\;Support;Desk", version=version)
    assert found.company == "Company, The"


def test_the_org_of_a_card_with_parts_only_later_is_the_first_named_part():
    assert one("FN:Ana", "ORG:;Sales").company == "Sales"


def test_quoted_printable_with_soft_line_breaks_and_any_charset():
    found = one(
        "N;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:Br=C3=BCning;Michael;;;",
        "FN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:Michael Br=C3=",
        "=BCning",
        "NOTE;ENCODING=QUOTED-PRINTABLE;CHARSET=ISO-8859-1:Jo=E3o da Silva =",
        "Filho",
    )
    assert found.name == "Michael Brüning"
    assert found.note == "João da Silva Filho"


def test_quoted_printable_without_a_charset_is_utf8_else_windows_1252():
    assert one("FN;ENCODING=QUOTED-PRINTABLE:Jo=C3=A3o").name == "João"
    assert one("FN;QUOTED-PRINTABLE:Jo=E3o").name == "João"


def test_folded_lines_and_groups():
    found = one(
        "FN:Chloé",
        " Álvarez",
        "item1.EMAIL;type=INTERNET;type=pref:c@tyrell.example",
        "item1.X-ABLabel:_$!<Other>!$_",
        version="3.0",
    )
    assert found.name == "ChloéÁlvarez"
    assert [e.value for e in found.emails] == ["c@tyrell.example"]


def test_types_and_preference_in_every_version():
    found = one(
        "FN:Ana",
        "TEL;HOME:1",
        "TEL;CELL:2",
        "TEL;WORK;PREF:3",
        "EMAIL;INTERNET:home@x.example",
        "EMAIL;PREF;INTERNET:work@x.example",
    )
    assert [(p.value, p.kind) for p in found.phones] == [
        ("3", "work"),
        ("1", "home"),
        ("2", "mobile"),
    ]
    assert [e.value for e in found.emails] == ["work@x.example", "home@x.example"]
    found = one("FN:Ana", "TEL;TYPE=home:1", "TEL;TYPE=cell,pref:2", version="3.0")
    assert [(p.value, p.kind) for p in found.phones] == [("2", "mobile"), ("1", "home")]
    found = one(
        "FN:Ana",
        'TEL;VALUE=uri;TYPE="voice,home":tel:+1-555-0101',
        'TEL;VALUE=uri;PREF=1;TYPE="voice,cell":tel:+1-555-0102;ext=7',
        version="4.0",
    )
    assert [(p.value, p.kind) for p in found.phones] == [
        ("+1-555-0102 ext. 7", "mobile"),
        ("+1-555-0101", "home"),
    ]


def test_a_property_that_does_not_decode_is_skipped_with_a_warning(tickle, tmp_path):
    good = card("FN:Ana Silva", "EMAIL:ana@acme.example")
    bad = card(
        "FN:Bo Chen",
        "EMAIL:bo@acme.example",
        "PHOTO;ENCODING=BASE64;TYPE=JPEG:!!!not base64!!!",
        "KEY;ENCODING=b:@@@",
        "NOTE;ENCODING=QUOTED-PRINTABLE;CHARSET=NO-SUCH-CHARSET:caf=E9",
        "ORG;ENCODING=QUOTED-PRINTABLE;CHARSET=UTF-8:Caf=E9",
    )
    result, rows = imported(
        tickle, tmp_path, good + bad + good.replace("Ana", "Cy").replace("ana@", "cy@")
    )
    assert result.code == 0
    assert [r[0] for r in rows] == ["Ana Silva", "Bo Chen", "Cy Silva"]
    assert result.err.splitlines() == [
        (
            "tickle: warning: card 2 (Bo Chen, line 6): NOTE on line 12 skipped: "
            "unknown CHARSET 'NO-SUCH-CHARSET'"
        ),
        "tickle: warning: card 2 (Bo Chen, line 6): ORG on line 13 skipped: its text is not UTF-8",
    ]


def test_a_card_is_refused_only_for_itself_and_skip_invalid_names_each(tickle, tmp_path):
    text = (
        card("FN:Ana Silva", "EMAIL:ana@acme.example")
        + card("X-ANDROID-CUSTOM:vnd.android.cursor.item/nickname;Nick")
        + card("EMAIL;TYPE=work:only-an-address@acme.example", version="3.0")
        + "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Cut Short\r\n"
    )
    result, rows = imported(tickle, tmp_path, text)
    assert result.code == 2
    assert result.err == (
        "tickle: card 2 (line 6): no name (FN, N or ORG) and no email (and 1 more bad row). "
        "Nothing was imported: fix it, or --skip-invalid imports the rest\n"
    )
    result, rows = imported(tickle, tmp_path, text, "--skip-invalid")
    assert result.code == 0
    assert [r[0] for r in rows] == ["Ana Silva", "only-an-address@acme.example"]
    assert result.err.splitlines() == [
        "tickle: skipped card 2 (line 6): no name (FN, N or ORG) and no email",
        "tickle: skipped card 4 (Cut Short, line 14): no END:VCARD: the file ends inside this card",
    ]


def test_vobject_never_writes_to_the_terminal(tickle, tmp_path, capfd):
    text = card("FN:Ana", "BAD LINE WITHOUT A COLON", "TEL;;;=:", "N:Silva;Ana")
    result, rows = imported(tickle, tmp_path, text)
    assert result.code == 0
    assert rows[0][0] == "Ana"
    captured = capfd.readouterr()
    assert "vobject" not in captured.err + result.err
    assert "Skipped" not in captured.err + result.err


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"VERSION:3.0\r\nFN:Ana\r\nEND:VCARD\r\n", "holds no vCard (no BEGIN:VCARD line)"),
        ("BEGIN:VCARD\r\nFN:Ana\r\n".encode("utf-16-be"), "is UTF-16 without a byte-order mark"),
    ],
)
def test_a_file_level_error_is_one_clear_line(tickle, tmp_path, data, message):
    result, _rows = imported(tickle, tmp_path, data)
    assert result.code == 2
    assert len(result.err.splitlines()) == 1 and message in result.err
    assert "Error" not in result.err and "Traceback" not in result.err
    assert not tickle.db.exists()


def test_a_2_1_file_in_shift_jis_says_its_charset_per_property(tickle, tmp_path):
    text = card("N;CHARSET=SHIFT_JIS:安藤;ロイド;;;", "FN;CHARSET=SHIFT_JIS:安藤ロイド")
    result, rows = imported(tickle, tmp_path, text.encode("shift_jis"))
    assert result.code == 0, result.err
    assert rows[0][0] == "安藤ロイド"
