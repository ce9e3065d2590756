"""Properties: strange or bad input never corrupts data.

Random text (unicode, emoji, quotes, separators, newlines, control characters, would-be
spreadsheet formulas, very long strings) goes through the command line, exports and
imports and comes back exactly as stored, or with exactly the documented normalisation.
Random dates and bad arguments to every command either work or fail with one line on
stderr and the database untouched. Stored control characters never reach a terminal raw.

Each hypothesis example gets its own database (`fresh`): function-scoped fixtures are
not reset between examples.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import typer
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tickle import dates
from tickle.cli import app
from tickle.errors import DateError
from tickle.store import Store

NOW = dt.datetime(2026, 11, 23, 10, 7, 33, tzinfo=ZoneInfo("America/New_York"))

PROPERTY = settings(
    max_examples=6,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


_TEMPLATES: dict[tuple[str, ...], Path] = {}
_TEMPLATE_ROOT = Path(tempfile.mkdtemp(prefix="tickle-properties-"))


def _template(tickle, setup: tuple[tuple[str, ...], ...]) -> Path:
    """A database made once by `setup` and copied for every example (creating a schema
    costs more than most commands)."""
    key = tuple(" ".join(args) for args in setup)
    if key not in _TEMPLATES:
        path = _TEMPLATE_ROOT / f"{len(_TEMPLATES)}.db"
        maker = type(tickle)(path)
        maker("customer", "show", "1", "--format", "json")  # creates nothing: reads only
        Store.open(path, write=True).close()  # the schema, made once (a refused command
        # leaves no file behind)
        for args in setup:
            (maker.late if "yesterday" in args else maker.ok)(*args)  # late: overdue
        _TEMPLATES[key] = path
    return _TEMPLATES[key]


@contextmanager
def fresh(tickle, *setup: tuple[str, ...]) -> Iterator:
    """A database of its own for one hypothesis example: empty, or as `setup` leaves it."""
    template = _template(tickle, setup)
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / "tickle.db"
        for suffix in ("", "-wal"):
            source = Path(f"{template}{suffix}")
            if source.exists():
                shutil.copyfile(source, f"{target}{suffix}")
        target.chmod(0o600)
        yield type(tickle)(target)


@pytest.fixture(scope="module", autouse=True)
def _remove_templates():
    yield
    shutil.rmtree(_TEMPLATE_ROOT, ignore_errors=True)


def assert_clean_failure(result, before: bytes, after: bytes, *, code: int | None = 2) -> None:
    """Refused the way the product promises: one line, no traceback, nothing written."""
    assert result.code != 0
    if code is not None:
        assert result.code == code, result
    assert result.err.startswith("tickle: "), result.err
    assert result.err.count("\n") == 1 and result.err.endswith("\n"), result.err
    assert "Traceback" not in result.err + result.out
    assert after == before


# -- text ---------------------------------------------------------------------------------

TRICKY = [
    "=SUM(A1:A9)",
    "+1 415 555 0142",
    "-2",
    "@admin",
    "'=already quoted",
    "''+1 555",
    "'-x",
    "'plain",
    '=HYPERLINK("http://x.example")',
    "a,b",
    "say \"hi\", then 'bye'",
    "line one\nline two",
    "crlf\r\nend",
    "tab\there",
    "\x1b[31mred\x1b[0m\x07",
    "\x9b31mcsi\x08",
    "José Müller",
    "李小龙",
    "emoji 😀👍🏽",
    "١٢٣ arabic digits",
    "[not json",
    '{"a": 1}',
    "BEGIN:VCARD",
    "a;b;c",
    "#12",
    "12",
    "back\\slash",
    "x" * 5000,
]
# NUL cannot reach a program through argv; every other character can. A lone surrogate
# is how Python holds bytes that are not UTF-8: refused on purpose, tested on its own below.
any_char = st.characters(exclude_characters="\x00", exclude_categories=("Cs",))
random_text = st.text(any_char, max_size=40)
text = st.one_of(
    random_text,
    st.sampled_from(TRICKY),
    st.builds(lambda a, b: a + b, st.sampled_from(TRICKY), random_text),
    st.builds(lambda a, n: a * n, st.text(any_char, min_size=1, max_size=3), st.integers(300, 900)),
)
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
email_part = st.text(
    st.characters(exclude_characters="\x00@", exclude_categories=("Zs", "Zl", "Zp", "Cc")),
    min_size=1,
    max_size=12,
).filter(lambda s: not any(c.isspace() for c in s))
emails = st.builds(lambda a, b, c: f"{a}@{b}.{c}", email_part, email_part, email_part)
phones = st.builds(lambda a, n, b: f"{a}{n}{b}", random_text, st.integers(0, 10**12), random_text)


ANCHOR = ("customer", "add", "Anchor")
# Three customers, a follow-up (#1), a promise (#2) and a case (#3).
STOCK = (
    ("customer", "add", "Ana Silva", "--company", "Acme", "--email", "ana@acme.example"),
    ("customer", "add", "Bob Stone", "--company", "Hooli", "--phone", "555 0101"),
    ("customer", "add", "Anabel Cruz", "--company", "Globex"),
    ("add", "ana silva", "tomorrow", "call"),
    ("promise", "bob", "sheet", "--by", "fri"),
    ("case", "open", "anabel", "jams"),
)


def stored(value: str) -> str | None:
    """What tickle keeps of a customer field: surrounding whitespace trimmed, empty is none."""
    return value.strip() or None


def collapsed(value: str) -> str:
    """What tickle keeps of a title or a reason: words joined by single spaces."""
    return " ".join(value.split())


def tags_of(values: list[str]) -> list[str]:
    """Tags: split on commas and semicolons, trimmed, duplicates (in any case) dropped,
    first kept."""
    seen: dict[str, str] = {}
    for value in values:
        for part in value.replace(";", ",").split(","):
            part = part.strip()
            if part and part.lower() not in seen:
                seen[part.lower()] = part
    return list(seen.values())


# -- 1. text round-trips ------------------------------------------------------------------


@PROPERTY
@given(
    name=text,
    company=text,
    email=emails | text,
    phone=phones | text,
    best_time=text,
    note=text,
    tags=st.lists(text, max_size=3),
)
def test_customer_text_round_trips_through_add_and_export(
    tickle, name, company, email, phone, best_time, note, tags
):
    with fresh(tickle, ANCHOR) as t:
        before = t.snapshot()
        result = t(
            "customer",
            "add",
            f"--company={company}",
            f"--email={email}",
            f"--phone={phone}",
            f"--best-time={best_time}",
            f"--note={note}",
            *[f"--tag={tag}" for tag in tags],
            "--",
            name,
        )
        valid_email = stored(email) is None or EMAIL.match(stored(email))
        valid_phone = stored(phone) is None or re.search(r"\d", stored(phone))
        if not (stored(name) and valid_email and valid_phone):
            assert_clean_failure(result, before, t.snapshot())
            return
        assert result.code == 0, result
        [_, customer] = t.json("export", "customers")
        assert customer["name"] == stored(name)
        assert customer["company"] == stored(company)
        assert customer["email"] == stored(email)
        assert customer["phone"] == stored(phone)
        assert customer["best_time"] == stored(best_time)
        assert customer["note"] == stored(note)
        assert customer["tags"] == tags_of(tags)
        # `customer show` finds them by id and shows the same record.
        shown = t.json("customer", "show", "2")
        assert {k: shown[k] for k in customer if k in shown} == {
            k: customer[k] for k in customer if k in shown
        }


@pytest.mark.slow
@PROPERTY
@given(title=text, note=text, reason=text, log_note=text, problem=text)
def test_item_text_round_trips_through_the_commands(tickle, title, note, reason, log_note, problem):
    with fresh(tickle, ("customer", "add", "Ana")) as t:
        t.ok("add", "ana", "2026-12-01", "--", *title.split(" "))
        t.ok("promise", "ana", "--by", "fri", "--", "pricing sheet")
        t.ok("done", "1", "--outcome", "reached", f"--note={note}")
        moved = t("move", "2", "dec 4", f"--reason={reason}")
        t.ok("log", "ana", "--outcome", "met", f"--note={log_note}")
        opened = t("case", "open", "ana", "--", problem)
        items = {item["id"]: item for item in t.json("export", "items")}
        expected_title, _ = _leading_title(["2026-12-01", *title.split(" ")])
        assert items[1]["title"] == expected_title
        events = t.json("export", "all")["events"]
        done = next(e for e in events if e["type"] == "done")
        assert done["note"] == note  # a contact's note is kept exactly as given
        if collapsed(reason):
            assert moved.code == 0, moved
            assert next(e for e in events if e["type"] == "moved")["note"] == collapsed(reason)
        else:
            assert moved.code == 2 and moved.err.count("\n") == 1
        contact = next(e for e in events if e["type"] == "contact")
        assert contact["note"] == (collapsed(log_note) or None)
        if collapsed(problem):
            assert opened.code == 0, opened
            [case] = [i for i in items.values() if i["kind"] == "case"]
            assert case["title"] == collapsed(problem)
        else:
            assert opened.code == 2 and opened.err.count("\n") == 1


def _leading_title(words: list[str]) -> tuple[str, dates.When]:
    due, rest = dates.parse_leading_when(words, NOW)
    return collapsed(" ".join(rest)) or "follow up", due


BACKED_UP = (
    ("customer", "add", "Ana"),
    ("add", "1", "today", "call"),
    ("add", "1", "in 2 weeks", "call", "--every", "month"),
    ("case", "open", "1", "printer jams"),
    ("case", "resolve", "3", "--resolution", "roller"),
)


@pytest.mark.slow
@PROPERTY
@given(name=text, company=text, note=text, title=text, done_note=text, quote=text)
def test_export_all_then_import_all_then_export_is_identical(
    tickle, name, company, note, title, done_note, quote
):
    fmt = "jsonl" if len(title) % 2 else "json"
    with fresh(tickle, *BACKED_UP) as t:
        if not stored(name):
            name = "Ana"
        t.ok("customer", "edit", "1", f"--company={company}", f"--note={note}", f"--name={name}")
        t.ok("add", "1", "tomorrow 10am", "--", title)
        t.ok("done", "1", "--outcome", "voicemail", f"--note={done_note}")
        t.ok("case", "letter", "3", f"--quote={quote}")
        backup = t.ok("export", "all", "--format", fmt)
        with fresh(tickle) as copy:
            copy.ok("import", "all", "-", input=backup)
            assert copy.ok("export", "all", "--format", fmt) == backup
            assert copy.json("agenda") == t.json("agenda")


def _customer_fields(t) -> list[dict]:
    keep = ("name", "company", "email", "phone", "best_time", "note", "tags", "external_id")
    return [{k: c[k] for k in keep} for c in t.json("export", "customers")]


@pytest.mark.slow
@PROPERTY
@given(name=text, company=text, phone=phones, best_time=text, note=text, tag=text)
def test_csv_export_imports_back_to_the_same_customers(
    tickle, name, company, phone, best_time, note, tag
):
    with fresh(tickle) as t:
        if not stored(name):
            name = "Ana"
        t.ok(
            "customer",
            "add",
            f"--company={company}",
            f"--phone={phone}",
            f"--best-time={best_time}",
            f"--note={note}",
            f"--tag={tag}",
            "--",
            name,
        )
        exported = t.ok("export", "customers", "--format", "csv")
        for cell in next(csv.reader(io.StringIO(exported[exported.index("\n") + 1 :]))):
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r"))
        with fresh(tickle) as copy:
            copy.ok("import", "customers", "-", "--format", "csv", input=exported)
            assert _customer_fields(copy) == _customer_fields(t)


def _unneutralised(cell: str) -> str:
    """The documented reading of a CSV cell: one apostrophe before a would-be formula
    (or before more apostrophes and one) goes."""
    starts = ("=", "+", "-", "@", "\t", "\r")
    if cell.startswith("'") and cell[1:].lstrip("'").startswith(starts):
        return cell[1:]
    return cell


@PROPERTY
@given(
    name=text, company=text, phone=phones | text, note=text, fmt=st.sampled_from(["csv", "json"])
)
def test_a_file_written_by_python_imports_cell_for_cell(tickle, name, company, phone, note, fmt):
    row = {"Name": name, "Company": company, "Phone": phone, "Notes": note}
    out = io.StringIO()
    if fmt == "csv":
        writer = csv.DictWriter(out, fieldnames=list(row), lineterminator="\r\n")
        writer.writeheader()
        writer.writerow(row)
        read = _unneutralised
    else:
        json.dump([row], out)

        def read(cell: str) -> str:
            return cell

    expected = {k: stored(read(v)) for k, v in row.items()}
    with fresh(tickle, ANCHOR) as t:
        before = t.snapshot()
        result = t("import", "customers", "-", "--format", fmt, input=out.getvalue())
        phone_ok = expected["Phone"] is None or re.search(r"\d", expected["Phone"])
        if not (expected["Name"] and phone_ok):
            assert_clean_failure(result, before, t.snapshot())
            return
        assert result.code == 0, result
        customers = t.json("export", "customers")
        if expected["Name"].lower() == "anchor":
            assert len(customers) == 1  # the one customer of that name is updated
        customer = customers[-1]
        assert customer["name"] == (expected["Name"] if len(customers) == 2 else "Anchor")
        assert customer["company"] == expected["Company"]
        assert customer["phone"] == expected["Phone"]
        assert customer["note"] == expected["Notes"]


@pytest.mark.parametrize(
    "value",
    ["'=not a formula", "'+1 555 0100", "''=two quotes", "'-", "'@home"],
)
def test_a_leading_apostrophe_survives_a_csv_round_trip(tickle, tmp_path, value):
    """A value that already starts with an apostrophe before a formula character must
    not lose it: the export quotes it once more, the import removes one."""
    tickle.ok("customer", "add", "Ana", f"--note={value}", "--phone", f"{value} 1")
    exported = tickle.ok("export", "customers", "--format", "csv")
    with fresh(tickle) as copy:
        copy.ok("import", "customers", "-", "--format", "csv", input=exported)
        [customer] = copy.json("export", "customers")
    assert (customer["note"], customer["phone"]) == (value, f"{value} 1")


def test_a_semicolon_separates_tags_everywhere_so_csv_keeps_them(tickle):
    """The CSV export joins tags with ';': a tag that held one would come back as two."""
    tickle.ok("customer", "add", "Ana", "--tag", "q3;q4", "--tag", "vip, Q3")
    assert tickle.json("customer", "show", "Ana")["tags"] == ["q3", "q4", "vip"]
    exported = tickle.ok("export", "customers", "--format", "csv")
    with fresh(tickle) as copy:
        copy.ok("import", "customers", "-", "--format", "csv", input=exported)
        assert copy.json("export", "customers")[0]["tags"] == ["q3", "q4", "vip"]


def test_undecodable_bytes_in_an_argument_are_refused_as_input(book):
    """A non-UTF-8 terminal passes bytes Python can only hold as surrogates: refuse
    them as bad input (exit 2), not as an internal error."""
    before = book.snapshot()
    for args in (
        ["customer", "add", "Jos\udce9"],
        ["add", "ana", "tomorrow", "caf\udce9"],
        ["customer", "list", "--search", "\udcff"],
    ):
        result = book(*args)
        assert_clean_failure(result, before, book.snapshot())
        assert "UTF-8" in result.err


# -- 2. dates -----------------------------------------------------------------------------

DATE_TOKENS = [
    "today", "tomorrow", "yesterday", "next", "fri", "friday", "mon", "3pm", "10am", "noon",
    "in", "2", "3", "weeks", "days", "month", "at", "on", "eow", "eom", "end", "of",
    "2026-02-30", "2026-12-01", "2027-03-14", "2:30", "25:00", "14:30", "9:15",
    "+3d", "2w", "1m", "-1d", "dec", "5", "2027", "01/02/2026", "١٢", "٣pm", "٢٠٢٦-١٢-٠١",
    "ｆｒｉ", "Ⅻ", "😀", ",", "call", "back",
    "10", "20", "at", "14h", "9h30", "morning", "afternoon", "evening", "eod", "midday", "this",
    "14/3", "3/14", "03/14/2026", "14.03.2026", "03/04/2026", "100", "units",
]  # fmt: skip
date_phrases = st.lists(st.sampled_from(DATE_TOKENS), min_size=1, max_size=5).map(" ".join)
date_texts = st.one_of(date_phrases, st.text(any_char, max_size=30))


def _expected_due(text: str) -> dates.When | None:
    try:
        return dates.parse_when(text, NOW)
    except DateError:
        return None


@pytest.mark.slow
@settings(PROPERTY, max_examples=30)
@given(when=date_texts)
def test_promise_by_any_text_is_the_parsed_date_or_refused(tickle, when):
    with fresh(tickle, *STOCK) as book:
        _check_promise_by(book, when)


def _check_promise_by(book, when: str) -> None:
    before = book.snapshot()
    result = book("promise", "bob", "pricing", f"--by={when}")
    expected = _expected_due(when)
    if expected is None:
        assert_clean_failure(result, before, book.snapshot())
        return
    assert result.code == 0, result
    due = book.rows("SELECT due FROM items ORDER BY id DESC LIMIT 1")[0][0]
    assert dates.When.from_iso(due) == expected
    newest = max(book.json("list"), key=lambda item: item["id"])
    assert newest["due"] == expected.iso_with_offset()


@pytest.mark.slow
@settings(PROPERTY, max_examples=30)
@given(when=date_texts)
def test_add_with_any_when_is_the_parsed_date_or_refused(tickle, when):
    with fresh(tickle, *STOCK) as book:
        _check_add(book, when)


def _check_add(book, when: str) -> None:
    before = book.snapshot()
    result = book("add", "bob", "--", when)
    try:
        expected_due, rest = dates.parse_leading_when([when], NOW)
    except DateError:
        assert_clean_failure(result, before, book.snapshot())
        return
    assert result.code == 0, result
    item = max(book.json("list"), key=lambda item: item["id"])
    assert item["due"] == expected_due.iso_with_offset()
    assert item["title"] == (collapsed(" ".join(rest)) or "follow up")


# What a rep would have meant as a time of day, written apart from the grammar.
TIME_LIKE = re.compile(
    r"[0-5]?[0-9]|[0-9]{1,2}(:[0-9]{2}){1,2}|[0-9]{1,2}(:[0-9]{2})?(am|pm|a\.m\.|p\.m\.)"
    r"|[0-9]{1,2}h([0-9]{2})?|am|pm|a\.m\.|p\.m\.|noon|midday|morning|afternoon|evening|eod",
    re.IGNORECASE,
)


@pytest.mark.slow
@settings(PROPERTY, max_examples=30)
@given(words=st.lists(st.sampled_from(DATE_TOKENS), min_size=1, max_size=6))
def test_add_with_unquoted_words_never_starts_the_title_with_a_time(tickle, words):
    with fresh(tickle, *STOCK) as book:
        before = book.snapshot()
        result = book("add", "bob", "--", *words)
        try:
            expected_due, rest = dates.parse_leading_when(words, NOW)
        except DateError:
            assert_clean_failure(result, before, book.snapshot())
            return
        assert result.code == 0, result
        item = max(book.json("list"), key=lambda item: item["id"])
        assert item["due"] == expected_due.iso_with_offset()
        assert item["title"] == (collapsed(" ".join(rest)) or "follow up")
        title = item["title"].split()
        if title[:1] == ["at"]:
            title = title[1:]
        assert not (title and TIME_LIKE.fullmatch(title[0])), (words, item["title"])


# -- 3. every command with bad arguments --------------------------------------------------


def _commands() -> list[tuple[tuple[str, ...], object]]:
    found = []

    def walk(command, path: tuple[str, ...]) -> None:
        subcommands = getattr(command, "commands", None)
        if subcommands is not None:
            for name, sub in sorted(subcommands.items()):
                walk(sub, (*path, name))
        else:
            found.append((path, command))

    walk(typer.main.get_command(app), ())
    return found


COMMANDS = _commands()
REQUIRED_OPTION_VALUES = {"by": "fri", "resolution": "fixed", "reason": "why"}


def _value(param, *, missing: bool) -> str:
    """A value for a parameter: a valid one, or one that names nothing in the book."""
    kind = getattr(param.type, "name", "")
    choices = getattr(param.type, "choices", None)
    if choices:
        return str(next(iter(choices)))
    if kind == "integer":
        return "999999" if missing else "1"
    if param.name in REQUIRED_OPTION_VALUES:
        return REQUIRED_OPTION_VALUES[param.name]
    if param.name in ("when",):
        return "tomorrow"
    if param.name == "file":
        return "/nonexistent/tickle-file.csv"
    return "nobody such" if missing else "bob"


def _invocation(command, *, missing: bool = False, garbage: str | None = None) -> list[str]:
    """The required arguments and options of a command; with `garbage`, the first
    argument replaced by it (or added, for a command without arguments)."""
    args: list[str] = []
    options: list[str] = []
    arguments = [p for p in command.params if p.param_type_name == "argument" and p.required]
    for param in command.params:
        if not param.required:
            continue
        if param.param_type_name == "argument":
            value = _value(param, missing=missing)
            if garbage is not None and param is arguments[0]:
                value = garbage
            args.append(value)
        else:
            options.append(f"{param.opts[0]}={_value(param, missing=False)}")
    if garbage is not None and not arguments:
        args.append(garbage)
    return [*options, "--", *args] if args else options


def _takes_a_reference(command) -> bool:
    return any(
        p.param_type_name == "argument"
        and p.required
        and (getattr(p.type, "name", "") == "integer" or p.name == "customer")
        for p in command.params
    )


@pytest.fixture
def stocked(tickle):
    """Three customers, a follow-up (#1), a promise (#2) and a case (#3)."""
    with fresh(tickle, *STOCK) as book:
        yield book


@pytest.mark.parametrize(("path", "command"), COMMANDS, ids=[" ".join(p) for p, _ in COMMANDS])
def test_every_command_refuses_an_unknown_option_cleanly(stocked, path, command):
    before = stocked.snapshot()
    result = stocked(*path, "--no-such-option", *_invocation(command))
    assert_clean_failure(result, before, stocked.snapshot())
    assert "--no-such-option" in result.err


REFERENCING = [(p, c) for p, c in COMMANDS if _takes_a_reference(c)]


@pytest.mark.parametrize(
    ("path", "command"), REFERENCING, ids=[" ".join(p) for p, _ in REFERENCING]
)
def test_every_command_refuses_an_unknown_id_or_customer_cleanly(stocked, path, command):
    before = stocked.snapshot()
    # With what it needs to get as far as looking the reference up.
    extra = ["--purge", "--yes"] if path == ("customer", "delete") else []
    result = stocked(*path, *extra, *_invocation(command, missing=True))
    assert_clean_failure(result, before, stocked.snapshot())
    assert ("999999" in result.err) or ("nobody such" in result.err)


@pytest.mark.parametrize(("path", "command"), COMMANDS, ids=[" ".join(p) for p, _ in COMMANDS])
def test_every_command_with_garbage_works_or_fails_cleanly(tickle, path, command):
    @settings(PROPERTY, max_examples=3)
    @given(garbage=st.text(any_char, max_size=20) | st.sampled_from(TRICKY))
    def check(garbage):
        with fresh(tickle, *STOCK) as book:
            before = book.snapshot()
            result = book(*path, *_invocation(command, garbage=garbage))
            if result.code == 0:
                assert "Traceback" not in result.out + result.err
                return
            assert_clean_failure(result, before, book.snapshot(), code=None)
            assert result.code in (1, 2, 74), result

    check()


def test_the_interactive_review_refuses_off_a_terminal(stocked):
    before = stocked.snapshot()
    result = stocked("review")
    assert_clean_failure(result, before, stocked.snapshot())


def test_the_walk_finds_every_command_group():
    paths = {" ".join(path) for path, _ in COMMANDS}
    assert {"add", "agenda", "customer show", "case resolve", "import", "report"} <= paths


# -- 4. control characters in stored text -------------------------------------------------

CONTROL = "\x1b[31mX\x1b[0m \x07 \x9b2J \r \x08 \x7f"
RAW = ("\x1b", "\x07", "\x9b", "\r", "\x08", "\x7f")


C = CONTROL
HOSTILE = (
    (
        "customer",
        "add",
        f"Ana {C}",
        f"--company=Acme {C}",
        "--email=ana" + "".join(ch for ch in C if not ch.isspace()) + "@acme.example",
        f"--phone=555 0100 {C}",
        f"--best-time=mornings {C}",
        f"--note=note {C}",
        f"--tag=vip{C}",
        "--channel",
        "phone",
    ),
    ("add", "1", "today", "--", f"call {C}"),
    ("promise", "1", f"sheet {C}", "--by", "yesterday"),
    ("done", "1", "--outcome", "voicemail", f"--note=said {C}"),
    ("log", "1", "--outcome", "reached", f"--note=inbound {C}", "--next", "fri"),
    ("case", "open", "1", f"jams {C}", f"--category=hw {C}"),
    ("case", "note", "4", f"tech {C}"),
    ("case", "resolve", "4", f"--resolution=roller {C}"),
    ("case", "lesson", "4", f"service {C}"),
    ("case", "letter", "4", f"--quote=thanks {C}"),
    ("move", "2", "tomorrow", f"--reason=asked {C}"),
)


@pytest.fixture
def hostile(tickle):
    """A book where every kind of stored text carries terminal control characters."""
    with fresh(tickle, *HOSTILE) as book:
        yield book


READS = [
    ["agenda"],
    ["agenda", "--days", "30"],
    ["list", "--status", "all"],
    ["history", "1"],
    ["customer", "list"],
    ["customer", "show", "1"],
    ["case", "list", "--all"],
    ["case", "list", "--categories"],
    ["case", "show", "4"],
    ["report"],
]


@pytest.mark.parametrize("fmt", ["plain", "table", "json"])
@pytest.mark.parametrize("args", READS, ids=" ".join)
def test_read_commands_never_write_control_characters_raw(hostile, args, fmt):
    result = hostile(*args, "--format", fmt)
    assert result.code == 0, result
    for raw in RAW:
        assert raw not in result.out, (raw, result.out)
        assert raw not in result.err
    if fmt == "json":
        # Escaped, not lost: the data still holds the characters.
        data = "\n".join(_strings(json.loads(result.out))).lower()
        assert "\x1b[31mx\x1b[0m" in data and "\x9b2j" in data


def _strings(value) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


@pytest.mark.parametrize("fmt", ["json", "jsonl"])
def test_export_escapes_control_characters_and_keeps_them(hostile, fmt):
    out = hostile.ok("export", "all", "--format", fmt)
    for raw in RAW:
        assert raw not in out
    with fresh(hostile) as copy:
        copy.ok("import", "all", "-", input=out)
        assert copy.ok("export", "all", "--format", fmt) == out
        assert copy.json("customer", "show", "1")["note"] == f"note {CONTROL}"
