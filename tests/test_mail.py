"""`tickle agenda --mail`: an RFC 5322 message for `sendmail -t`, parsed back here."""

from __future__ import annotations

import email
from email import policy

import pytest


def parse(text: str):
    return email.message_from_string(text, policy=policy.default)


@pytest.fixture
def day(book):
    book.late("add", "bob", "yesterday", "call back about pricing")
    book.late("promise", "bob", "pricing sheet", "--by", "yesterday")
    book.ok("add", "ana silva", "today 3pm", "check the replacement")
    book.ok("promise", "anabel", "send the contract", "--by", "today")
    book.ok("add", "anabel", "in 3 days", "demo follow-up")
    return book


def test_the_mail_says_what_matters_and_carries_both_parts(day):
    message = parse(day.ok("agenda", "--mail", "--to", "rep@example.com"))
    assert message["Subject"] == "tickle: 2 overdue, 2 today, 2 promises due"
    assert message["To"] == "rep@example.com"
    assert "@" in message["From"]
    assert message["Date"] and message["Message-ID"]
    assert message.get_content_type() == "multipart/alternative"
    plain = message.get_body(("plain",)).get_content()
    page = message.get_body(("html",)).get_content()
    for text in ("Overdue (2)", "call back about pricing", "send the contract", "demo follow-up"):
        assert text in plain and text in page
    assert "Today, Mon 23 Nov (2)" in plain
    assert max(len(line) for line in plain.splitlines()) <= 72
    assert page.count("<table") == 3 and "<th" in page


def test_from_and_to_come_from_the_settings(day, tmp_path, monkeypatch):
    config = tmp_path / "config.toml"
    config.write_text('[mail]\nfrom = "Tickle <tickle@example.com>"\nto = "ana@example.com"\n')
    monkeypatch.setenv("TICKLE_CONFIG", str(config))
    message = parse(day.ok("agenda", "--mail"))
    assert (message["From"], message["To"]) == ("Tickle <tickle@example.com>", "ana@example.com")
    assert parse(day.ok("agenda", "--mail", "--to", "bob@example.com"))["To"] == "bob@example.com"


def test_only_upcoming_items_say_so_in_the_subject(book):
    book.ok("add", "bob", "in 2 days", "call")
    assert parse(book.ok("agenda", "--mail"))["Subject"] == "tickle: 1 in the next 7 days"


def test_html_is_escaped(book):
    book.ok("add", "bob", "today", "<b>call</b> & ask")
    page = parse(book.ok("agenda", "--mail")).get_body(("html",)).get_content()
    assert "&lt;b&gt;call&lt;/b&gt; &amp; ask" in page and "<b>call" not in page


def test_an_empty_agenda_mails_nothing(book):
    result = book("agenda", "--mail")
    assert (result.code, result.out, result.err) == (0, "", "")


def test_to_needs_mail(book):
    result = book("agenda", "--to", "rep@example.com")
    assert result.code == 2 and "--to goes with --mail" in result.err
