"""`cadenza models`: what can be used here."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from cadenza.cli.app import app, user_errors
from cadenza.cli.render import print_json
from cadenza.providers.registry import describe_all
from cadenza.settings import Settings


def _size(size: int | None) -> str:
    if size is None:
        return ""
    return f"{size / 1_000_000:,.0f} MB"


@app.command("models")
def models_command(
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """List local models (installed, size, state) and hosted providers (key set or not)."""
    console = Console()
    with user_errors():
        infos = describe_all(Settings.load())
        if as_json:
            print_json(console, {"models": [asdict(i) for i in infos]})
            return
        table = Table(title="Models", title_justify="left")
        for column in ("id", "provider", "state", "size", "detail"):
            table.add_column(column, overflow="fold")
        for info in infos:
            table.add_row(info.id, info.provider, info.state, _size(info.size_bytes), info.detail)
        console.print(table)
