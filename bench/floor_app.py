"""The floor: a minimal typer app printing a 20-row rich table, same Python and libraries."""

import typer

app = typer.Typer()


@app.command()
def main(rows: int = 20) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table()
    for column in ("id", "when", "kind", "customer", "what", "reach"):
        table.add_column(column)
    for n in range(rows):
        table.add_row(
            f"#{n}",
            "today",
            "follow-up",
            f"Customer {n} (Acme)",
            "call back about pricing",
            "phone +1 415 555 0142",
        )
    Console().print(table)


if __name__ == "__main__":
    app()
