"""The command line: thin typer commands over the domain."""

from tickle.cli import (  # noqa: F401 - register commands
    agenda,
    config,
    items,
    maintenance,
    report,
    review,
    search,
    show,
    transfer,
)
from tickle.cli.app import app, main
from tickle.cli.cases import case_app
from tickle.cli.config import config_app
from tickle.cli.customers import customer_app
from tickle.cli.sync import sync_app

app.add_typer(customer_app, name="customer")
app.add_typer(case_app, name="case")
app.add_typer(config_app, name="config")
app.add_typer(sync_app, name="sync")

__all__ = ["app", "main"]
