"""`cadenza bench requirements`: how well cadenza understands requirements written
beyond the ones it was built on (a labelled set: requirement sentences with answers
labelled pass or fail, and prompts with the requirements they impose)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import anyio
import typer
from rich.console import Console
from rich.table import Table

from cadenza.bench import requirements as bench
from cadenza.cli.app import bench_app, user_errors
from cadenza.cli.render import print_json
from cadenza.providers.registry import resolve
from cadenza.settings import Settings


@bench_app.command("requirements")
def requirements_command(
    data: Annotated[
        Path,
        typer.Option("--data", help="A folder with requirements.jsonl and prompts.jsonl."),
    ] = Path("../shared/benchmarks/requirements-ood"),
    model: Annotated[
        str | None,
        typer.Option("--model", "-m", help="Compiler, extractor and judge (default: rules only)."),
    ] = None,
    limit: Annotated[
        int | None, typer.Option("--limit", help="Only the first N of each file.")
    ] = None,
    out: Annotated[
        Path | None, typer.Option("--out", help="Also write the full report (every item) here.")
    ] = None,
    split: Annotated[
        int | None,
        typer.Option(
            "--split",
            help="Also report each half of the families split by this seed (build on one "
            "half, measure on the other).",
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """Compile each requirement as a user's would be (rules, the model compiler with a
    cold cache, the judge), decide each labelled answer, and extract requirements from
    each prompt; print accuracy, compiled share, false imposition and inline recall."""
    console = Console()
    with user_errors():
        chosen = resolve(model, Settings.load()) if model else None

        async def main() -> dict[str, Any]:
            return await bench.run(data, model=chosen, limit=limit, split=split)

        report = anyio.run(main)
    if out is not None:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(report, indent=1, ensure_ascii=False), encoding="utf-8")
    summary = {k: v for k, v in report.items() if k not in ("items", "prompts")}
    if as_json:
        print_json(console, summary)
        return
    table = Table(title=f"requirement understanding ({report['model'] or 'rules only'})")
    table.add_column("measure")
    table.add_column("value", justify="right")
    rows = [
        ("mechanical accuracy", report["mechanical"]["accuracy"]),
        ("compiled share", report["mechanical"]["compiled_share"]),
        ("missed share", report["mechanical"]["missed_share"]),
        ("judged accuracy", report["judged"]["accuracy"]),
        ("judged pairs ordered", report["judged"]["pairs_ordered"]),
        (
            "judged passes taken as proof (wrong)",
            f"{report['judged']['proven_passes']} ({report['judged']['proven_wrong']})",
        ),
        ("false imposition", report["plain"]["false_imposition"]),
        ("inline recall", report["plain"]["inline_recall"]),
        ("model calls", report["calls"]),
        ("seconds", report["seconds"]),
    ]
    for name, value in rows:
        table.add_row(name, "-" if value is None else f"{value}")
    console.print(table)
    if "split" in report:
        console.print(_split_table(report["split"]))


def _split_table(split: dict[str, Any]) -> Table:
    table = Table(title=f"the two halves of split {split['seed']} (families, prompts)")
    table.add_column("measure")
    table.add_column("half a", justify="right")
    table.add_column("half b", justify="right")
    measures = [
        ("mechanical", "accuracy"),
        ("mechanical", "compiled_share"),
        ("judged", "accuracy"),
        ("plain", "false_imposition"),
        ("plain", "inline_recall"),
    ]
    for group, name in measures:
        a, b = split["a"][group][name], split["b"][group][name]
        table.add_row(f"{group} {name}", *("-" if v is None else f"{v}" for v in (a, b)))
    table.add_row("families", str(len(split["a"]["families"])), str(len(split["b"]["families"])))
    return table
