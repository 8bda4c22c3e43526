"""`cadenza run`: solve a task against requirements and show the result."""

from __future__ import annotations

import time
from typing import Annotated

import anyio
import typer
from rich.console import Console
from rich.live import Live
from rich.text import Text

from cadenza import api
from cadenza.cli.app import app, user_errors
from cadenza.cli.render import print_json, print_result
from cadenza.providers.base import Progress
from cadenza.settings import Settings


@app.command("run")
def run_command(
    task: Annotated[str, typer.Argument(help="The task: context and instruction.")],
    requirement: Annotated[
        list[str] | None,
        typer.Option("--requirement", "-r", help="A requirement (repeat for several)."),
    ] = None,
    model: Annotated[
        list[str] | None,
        typer.Option("--model", "-m", help=f"Model id (repeat for several). [{api.DEFAULT_MODEL}]"),
    ] = None,
    strategy: Annotated[
        str | None, typer.Option("--strategy", "-s", help="single, best_of_n, refine or tree.")
    ] = None,
    budget: Annotated[str, typer.Option("--budget", "-b", help="low, medium or high.")] = "medium",
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """Solve TASK so that the answer meets every -r REQUIREMENT."""
    console = Console()
    err = Console(stderr=True)
    with user_errors():
        settings = Settings.load()
        live = Live(Text("starting…"), console=err, transient=True, refresh_per_second=8)
        started = time.monotonic()

        def on_progress(progress: Progress) -> None:
            waited = time.monotonic() - started
            live.update(
                Text(
                    f"generating · {progress.output_tokens} tokens · "
                    f"{progress.tokens_per_s:.1f} tok/s · {waited:.0f}s",
                    style="cyan",
                )
            )

        async def main() -> None:
            result = await api.solve(
                task,
                requirement or None,
                budget=budget,
                models=model or None,
                strategy=strategy,
                settings=settings,
                on_progress=None if as_json else on_progress,
            )
            live.stop()
            if as_json:
                print_json(console, result.to_json())
            else:
                print_result(console, result)

        if not as_json and err.is_terminal:
            live.start()
        try:
            anyio.run(main)
        finally:
            live.stop()
