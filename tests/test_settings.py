"""The settings file: where it is, what `tickle config` says, and refusing a wrong one."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from tickle import settings
from tickle.errors import ConfigError
from tickle.settings.registry import INTEGER, Setting, declare, declared


@pytest.fixture
def config(tmp_path, monkeypatch) -> Path:
    path = tmp_path / "settings" / "config.toml"
    monkeypatch.setenv("TICKLE_CONFIG", str(path))
    return path


def test_the_file_is_under_xdg_config_home_unless_tickle_config_says(tmp_path, monkeypatch):
    assert settings.config_path() == tmp_path / "xdg-config" / "tickle" / "config.toml"
    monkeypatch.setenv("TICKLE_CONFIG", "~/elsewhere.toml")
    assert settings.config_path() == Path.home() / "elsewhere.toml"


def test_config_path_prints_where_the_file_is(tickle, config):
    assert tickle.ok("config", "path") == f"{config}\n"


def test_tickle_path_says_where_everything_is(tickle, config):
    lines = tickle.ok("path").splitlines()
    assert lines[0].split()[:2] == ["database", str(tickle.db)]
    assert lines[1].split()[:2] == ["config", str(config)]
    assert lines[2].split()[:2] == ["backups", str(tickle.db.parent / "backups")]
    assert "(not created yet)" in lines[1]


def test_config_lists_every_setting_with_its_value_and_source(tickle, config, monkeypatch):
    config.parent.mkdir()
    config.write_text("[agenda]\ndays = 10\n")
    monkeypatch.setenv("TICKLE_MAX_ATTEMPTS", "3")
    rows = {row["key"]: row for row in tickle.json("config")}
    assert set(rows) == set(declared())
    assert (rows["agenda.days"]["value"], rows["agenda.days"]["source"]) == (10, "file")
    assert rows["followups.max_attempts"]["value"] == 3
    assert rows["followups.max_attempts"]["source"] == "environment"
    assert (rows["report.quiet_days"]["value"], rows["report.quiet_days"]["source"]) == (
        60,
        "default",
    )
    plain = tickle.ok("config", "--format", "plain")
    assert "environment (TICKLE_MAX_ATTEMPTS)" in plain


def test_config_set_writes_a_private_file_that_keeps_its_comments(tickle, config):
    config.parent.mkdir()
    config.write_text(
        "# my settings\n[agenda]\ndays = 10 # two weeks is too long\n\n[retry]\nvoicemail = 'tomorrow'\n"
    )
    assert tickle.ok("config", "set", "retry.no-answer", "in 2 hours") == (
        f"retry.no-answer = in 2 hours in {config}.\n"
    )
    tickle.ok("config", "set", "agenda.days", "14")
    text = config.read_text()
    assert text.startswith("# my settings\n[agenda]\ndays = 14 # two weeks is too long\n")
    assert 'no-answer = "in 2 hours"' in text
    assert text.index("voicemail") < text.index("no-answer")
    assert stat.S_IMODE(config.stat().st_mode) == 0o600
    assert tickle.ok("config", "get", "agenda.days") == "14\n"
    assert tickle.ok("config", "get", "retry.no-answer") == "in 2 hours\n"


def test_config_set_creates_the_file_and_its_folder_privately(tickle, config):
    tickle.ok("config", "set", "calendar.work_days", "mon,tue,wed,thu")
    assert config.read_text() == '[calendar]\nwork_days = ["mon", "tue", "wed", "thu"]\n'
    assert stat.S_IMODE(config.stat().st_mode) == 0o600
    assert stat.S_IMODE(config.parent.stat().st_mode) == 0o700
    assert tickle.ok("config", "get", "calendar.work_days") == "mon, tue, wed, thu\n"


@pytest.mark.parametrize(
    ("key", "value", "accepted"),
    [
        ("agenda.days", "0", "a whole number of days from 1 to 366"),
        ("agenda.days", "soon", "a whole number of days from 1 to 366"),
        ("retry.voicemail", "whenever", "'next business day' or a WHEN"),
        ("hours.morning", "9am", "a time of day as HH:MM"),
        ("calendar.work_days", "mon,funday", "days of the week"),
        ("dates.order", "ymd", '"dmy" (03/04 is 3 April)'),
    ],
)
def test_config_set_refuses_a_bad_value_and_writes_nothing(tickle, config, key, value, accepted):
    config.parent.mkdir()
    config.write_text("# mine\n")
    result = tickle("config", "set", key, value)
    assert result.code == 2
    assert result.err == f"tickle: {key} takes {result.err.split(' takes ', 1)[1]}"
    assert accepted in result.err and result.err.count("\n") == 1
    assert config.read_text() == "# mine\n"


def test_config_set_refuses_an_unknown_key_and_names_the_nearest(tickle, config):
    result = tickle("config", "set", "agenda.dayz", "3")
    assert result.code == 2
    assert result.err.startswith("tickle: unknown setting agenda.dayz; did you mean agenda.days?")
    assert not config.exists()


def test_config_unset_brings_the_default_back(tickle, config):
    tickle.ok("config", "set", "agenda.days", "3")
    tickle.ok("config", "unset", "agenda.days")
    assert tickle.ok("config", "get", "agenda.days") == "7\n"
    assert "days" not in config.read_text()


BAD_FILES = [
    ("[agenda\ndays = 3\n", "not valid TOML"),
    ("[agenda]\ndayz = 3\n", "unknown setting agenda.dayz; did you mean agenda.days?"),
    ("[agenda]\ndays = 0\n", "agenda.days = 0 is not accepted: it takes a whole number"),
    ('[agenda]\ndays = "7"\n', 'agenda.days = "7" is not accepted'),
    ("days = 7\n", "days = 7 is not a setting: settings live in tables"),
    ('[retry]\nvoicemail = "someday"\n', 'retry.voicemail = "someday" is not accepted'),
    ("[calendar]\nwork_days = []\n", "calendar.work_days = [] is not accepted"),
    ("[followups]\nmax_attempts = true\n", "followups.max_attempts = true is not accepted"),
]


@pytest.mark.parametrize(("text", "message"), BAD_FILES)
@pytest.mark.parametrize(
    "command",
    [
        ("agenda",),
        ("add", "ana", "tomorrow", "call"),
        ("customer", "list"),
        ("config",),
        ("config", "set", "agenda.days", "3"),
        ("report",),
    ],
)
def test_a_bad_file_stops_every_command_with_exit_78(book, config, text, message, command):
    config.parent.mkdir(exist_ok=True)
    config.write_text(text)
    before = book.snapshot()
    result = book(*command)
    assert result.code == 78, result
    assert result.err.startswith(f"tickle: {config}: ") and result.err.count("\n") == 1
    assert message in result.err
    assert result.out == ""
    assert book.snapshot() == before
    assert config.read_text() == text


def test_help_still_works_with_a_bad_file(tickle, config):
    config.parent.mkdir()
    config.write_text("[agenda\n")
    assert "Usage" in tickle.ok("agenda", "--help")


def test_environment_overrides_the_file(book, config, monkeypatch):
    config.parent.mkdir()
    config.write_text("[followups]\nmax_attempts = 2\n")
    assert settings.get("followups.max_attempts") == 2
    monkeypatch.setenv("TICKLE_MAX_ATTEMPTS", "4")
    assert settings.get("followups.max_attempts") == 4
    assert settings.current().source("followups.max_attempts") == settings.ENVIRONMENT


def test_a_bad_environment_value_is_a_configuration_error(book, monkeypatch):
    monkeypatch.setenv("TICKLE_MAX_ATTEMPTS", "many")
    result = book("agenda")
    assert result.code == 78
    assert result.err == (
        "tickle: TICKLE_MAX_ATTEMPTS='many' is not accepted: it takes a whole number from 1 to 100\n"
    )


def test_the_file_is_read_again_when_it_changes(config):
    config.parent.mkdir()
    config.write_text("[agenda]\ndays = 3\n")
    assert settings.get("agenda.days") == 3
    config.write_text("[agenda]\ndays = 12\n")
    os.utime(config, ns=(1, 1))
    assert settings.get("agenda.days") == 12
    config.unlink()
    assert settings.get("agenda.days") == 7


def test_another_module_declares_a_table_of_its_own(config, tickle):
    declare(
        Setting(
            "testing.tries",
            INTEGER,
            2,
            "a whole number from 1 to 9",
            "How many times.",
            lambda n: n if 1 <= n <= 9 else int("x"),
        )
    )
    try:
        settings.update({"testing.tries": 4})
        assert settings.get("testing.tries") == 4
        assert "[testing]\ntries = 4\n" in config.read_text()
        config.write_text("[testing]\ntries = 10\n")
        with pytest.raises(ConfigError, match="testing.tries = 10 is not accepted"):
            settings.get("testing.tries")
    finally:
        declared().pop("testing.tries")
        settings.forget()
