"""`tickle config` and `tickle path`: the settings in effect, and where tickle keeps things."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from tickle.cli import session
from tickle.cli.app import app
from tickle.render import say

config_app = typer.Typer(
    help="Show and change the settings (a TOML file; 'tickle config path' says where).",
    invoke_without_command=True,
    no_args_is_help=False,
)


def value_text(setting, value: Any) -> str:
    """A value as `config get` prints it and `config set` takes it."""
    return setting.kind.to_text(value)


@config_app.callback()
def config_list(
    ctx: typer.Context,
    format: session.FormatOption = None,
    width: session.WidthOption = None,
) -> None:
    """Every setting with its value and where it comes from (default, file, environment)."""
    if ctx.invoked_subcommand is not None:
        return
    from tickle import settings
    from tickle.render import Column, Group, emit

    current = settings.current()
    rows = [(setting, current) for setting in settings.declared().values()]
    columns = [
        Column("setting", lambda r: r[0].key),
        Column("value", lambda r: value_text(r[0], r[1].shown(r[0].key)), fit="wrap", min_width=16),
        Column("from", lambda r: _source_text(r[0], r[1].source(r[0].key))),
        Column("meaning", lambda r: r[0].help, fit="wrap", min_width=24, line=1),
    ]
    emit(
        [Group("", rows)],
        columns,
        fmt=session.fmt(format),
        to_dict=lambda r: {
            "key": r[0].key,
            "value": r[1].shown(r[0].key),
            "source": r[1].source(r[0].key),
            "env": r[0].env,
            "accepts": r[0].accepts,
            "help": r[0].help,
        },
        width=width,
    )


def _source_text(setting, source: str) -> str:
    return f"environment ({setting.env})" if source == "environment" else source


KeyArgument = Annotated[str, typer.Argument(metavar="KEY", help="A setting, such as agenda.days.")]


@config_app.command("get")
def config_get(key: KeyArgument) -> None:
    """Print one setting's value in effect."""
    from tickle import settings
    from tickle.settings.writer import setting_for

    setting = setting_for(key)
    say(value_text(setting, settings.current().shown(key)))


@config_app.command("set")
def config_set(
    key: KeyArgument,
    value: Annotated[str, typer.Argument(metavar="VALUE", help="Its new value (a list: a,b,c).")],
) -> None:
    """Change one setting in the file, checked first; its comments and order are kept."""
    from tickle import settings
    from tickle.settings.writer import set_text, setting_for

    setting = setting_for(key)
    written = set_text(key, value)
    path = settings.config_path()
    say(f"{key} = {value_text(setting, written)} in {path}.")
    if settings.current().source(key) == settings.ENVIRONMENT:
        say(f"${setting.env} is set and overrides it.")


@config_app.command("unset")
def config_unset(key: KeyArgument) -> None:
    """Remove one setting from the file: its default applies again."""
    from tickle import settings
    from tickle.settings.writer import setting_for

    setting = setting_for(key)
    if settings.current().source(key) != settings.FILE and key not in settings.current().raw:
        say(
            f"{key} is not in {settings.config_path()}: it is {value_text(setting, setting.default)} by default."
        )
        return
    settings.update({}, remove=(key,))
    say(
        f"{key} removed from {settings.config_path()}: it is {value_text(setting, setting.default)} by default."
    )


@config_app.command("path")
def config_path() -> None:
    """Print where the settings file is (it need not exist yet)."""
    from tickle import settings

    say(str(settings.config_path()))


@app.command("path")
def paths(ctx: typer.Context) -> None:
    """Print where the database, the settings file and the backups are."""
    from tickle import settings
    from tickle.domain.backup import BACKUP_FOLDER
    from tickle.store import default_path

    database = ctx.find_root().obj.db_path or default_path()
    config = settings.config_path()
    for label, place in (
        ("database", database),
        ("config", config),
        ("backups", database.parent / BACKUP_FOLDER),
    ):
        missing = "" if place.exists() else "  (not created yet)"
        say(f"{label:<9}{place}{missing}")
