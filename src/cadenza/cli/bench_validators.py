"""`cadenza bench validators`: agreement of cadenza's validators with IFEval's official
strict verdicts on Google's GPT-4 reference responses."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from cadenza.bench import validators
from cadenza.cli.app import bench_app, user_errors
from cadenza.cli.interrupt import run_async
from cadenza.cli.render import print_json
from cadenza.providers.registry import resolve
from cadenza.settings import Settings


@bench_app.command("validators")
def validators_command(
    data: Annotated[
        Path, typer.Option("--data", help="The IFEval folder (input_data.jsonl + GPT-4 responses).")
    ] = Path("../shared/benchmarks/ifeval"),
    limit: Annotated[int | None, typer.Option("--limit", help="Only the first N prompts.")] = None,
    model: Annotated[
        str | None,
        typer.Option(
            "--model", "-m", help="Model for prompts the rules read nothing from (default: none)."
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """Extract requirements from each IFEval prompt (text only), check the GPT-4 reference
    response with cadenza's checks, and compare with the official strict verdict."""
    console = Console()
    with user_errors():
        chosen = resolve(model, Settings.load()) if model else None

        async def main() -> validators.ValidatorsReport:
            return await validators.run(data, limit=limit, model=chosen)

        report = run_async(main, interrupted="the comparison was stopped; nothing was saved.")
    payload = report.to_json()
    if as_json:
        print_json(console, payload)
        return
    table = Table(title=f"cadenza validators vs IFEval official strict (n={report.overall.n})")
    for column in ("split", "n", "agreement", "false accepts", "false rejects"):
        table.add_column(column)
    for name, part in (
        ("all", report.overall),
        ("even keys", report.even_keys),
        ("odd keys", report.odd_keys),
    ):
        table.add_row(
            name,
            str(part.n),
            f"{part.agreement:.4f}",
            f"{part.false_accept_rate:.4f}",
            f"{part.false_reject_rate:.4f}",
        )
    console.print(table)
    console.print(f"disagreements by official family: {report.overall.by_family}")
    console.print(
        f"model: {report.model or 'none (rules only)'} · {report.seconds:.1f}s "
        f"(LLM {report.llm_seconds:.1f}s on {report.llm_prompts} prompts)"
    )
