"""`cadenza batch INPUT.jsonl --out OUT.jsonl`: many tasks at once, resumable, in this
process or on a Ray cluster. Shows a progress bar, then the batch's summary.

Exit status: 0 when every usable task is done; 2 when some input lines could not be
used (the rest ran); 3 when some tasks failed (they run again with --retry-failed).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich import box
from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table

from cadenza import api
from cadenza.batching.execute import WorkerLost, WorkerUp
from cadenza.batching.run import BatchEvent, BatchStarted, TaskFinished
from cadenza.batching.summary import BatchSummary
from cadenza.batching.workshop import WorkerDone
from cadenza.cli.app import EXIT_PROVIDER_ERROR, EXIT_USER_ERROR, app, user_errors
from cadenza.cli.interrupt import run_async
from cadenza.cli.ray_options import (
    RayAddress,
    RayAddressCommand,
    RayFlag,
    RayWorkers,
    ray_target,
)
from cadenza.cli.render import print_json
from cadenza.requirements.loading import load_requirements
from cadenza.settings import Settings
from cadenza.store.store import default_path
from cadenza.task import Requirement

SHOWN_REQUIREMENTS = 20
DEFAULT = api.DEFAULT_MODEL


@app.command("batch", cls=RayAddressCommand)
def batch_command(
    input_path: Annotated[
        Path, typer.Argument(metavar="INPUT", help="JSONL: one {id?, input, ...} task a line.")
    ],
    out: Annotated[Path, typer.Option("--out", "-o", help="JSONL results (and what is done).")],
    requirement: Annotated[
        list[str] | None,
        typer.Option("--requirement", "-r", help="Default requirement (repeat for several)."),
    ] = None,
    requirements_file: Annotated[
        Path | None,
        typer.Option("--requirements-file", "-f", help="Default requirements (.json/.yaml)."),
    ] = None,
    model: Annotated[
        list[str] | None,
        typer.Option("--model", "-m", help=f"Default model (repeat for several). [{DEFAULT}]"),
    ] = None,
    strategy: Annotated[
        str | None, typer.Option("--strategy", "-s", help="single, best_of_n, refine or tree.")
    ] = None,
    budget: Annotated[str, typer.Option("--budget", "-b", help="low, medium or high.")] = "medium",
    max_tokens: Annotated[
        int | None, typer.Option("--max-tokens", help="Most tokens per answer.")
    ] = None,
    concurrency: Annotated[
        int | None,
        typer.Option("--concurrency", help="Tasks in progress at once (per worker).", min=1),
    ] = None,
    retry_failed: Annotated[
        bool, typer.Option("--retry-failed", help="Run the tasks OUT records as failed again.")
    ] = False,
    ray: RayFlag = False,
    ray_address: RayAddress = None,
    workers: RayWorkers = None,
    store: Annotated[
        str | None,
        typer.Option("--store", help="SQLite file recording every run (default: the user's)."),
    ] = None,
    no_store: Annotated[
        bool, typer.Option("--no-store", help="Record nothing and serve nothing from the cache.")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the summary as JSON.")] = False,
) -> None:
    """Solve every task of INPUT (a JSONL file: {id?, input, requirements?, budget?,
    models?, strategy?, options?} a line) and write each result to OUT as it finishes.
    -r, -m, --budget and --strategy are defaults for what a line does not say. A rerun
    skips the ids OUT holds. Malformed lines are reported and skipped."""
    console = Console()
    err = Console(stderr=True)
    with user_errors():
        settings = Settings.load()
        given: list[str | Requirement] = list(requirement or [])
        if requirements_file is not None:
            given.extend(load_requirements(requirements_file))
        where = None if no_store else (store or str(default_path(settings)))
        target = ray_target(ray, ray_address, workers)
        progress = _Progress(err)

        async def main() -> BatchSummary:
            return await api.batch(
                input_path,
                out,
                requirements=given or None,
                budget=budget,
                models=model or None,
                strategy=strategy,
                options={} if max_tokens is None else {"max_tokens": max_tokens},
                settings=settings,
                store=where,
                retry_failed=retry_failed,
                concurrency=concurrency,
                ray=False if target is None else (target.address or True),
                workers=workers,
                on_event=progress.handle,
            )

        with progress.bar:
            summary = run_async(
                main,
                interrupted=f"batch stopped; the results finished so far are in {out}, "
                "and the same command resumes from them.",
            )
    if as_json:
        print_json(console, summary.to_json())
    else:
        print_summary(console, summary)
    if summary.malformed:
        raise typer.Exit(EXIT_USER_ERROR)
    if summary.failed:
        raise typer.Exit(EXIT_PROVIDER_ERROR)


class _Progress:
    """The live bar (done / failed / spent / time left) and worker news, on stderr."""

    def __init__(self, err: Console) -> None:
        self.err = err
        self.bar = Progress(
            TextColumn("batch"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[failed]} failed · ${task.fields[spent]:.4f}"),
            TimeElapsedColumn(),
            TextColumn("ETA"),
            TimeRemainingColumn(),
            console=err,
            disable=not err.is_terminal,
        )
        self.task: TaskID | None = None

    def handle(self, event: BatchEvent) -> None:
        match event:
            case BatchStarted():
                for error in event.malformed:
                    self.err.print(f"[yellow]skipped[/] {escape(str(error))}", highlight=False)
                if event.skipped:
                    self.err.print(f"{event.skipped} task(s) already in OUT: skipped.")
                self.task = self.bar.add_task("batch", total=event.to_run, failed=0, spent=0.0)
            case TaskFinished():
                if self.task is not None:
                    self.bar.update(
                        self.task,
                        completed=event.finished,
                        failed=event.failures,
                        spent=event.cost_usd,
                    )
            case WorkerUp() | WorkerDone():
                pass
            case WorkerLost():
                self.err.print(
                    f"[yellow]worker {event.worker} lost[/] ({escape(event.reason)}); "
                    f"{len(event.jobs)} task(s) go back in the queue.",
                    highlight=False,
                )


def print_summary(console: Console, summary: BatchSummary) -> None:
    table = Table(title="Batch", title_justify="left", box=box.SIMPLE_HEAD, show_header=False)
    table.add_column("", style="bold")
    table.add_column("", justify="right")
    rows = [
        ("tasks", f"{summary.tasks} ({summary.skipped} done before, {summary.ran} now)"),
        ("done", str(summary.done)),
        ("failed", str(summary.failed)),
        ("satisfied", f"{summary.satisfied_share:.1%} ({summary.satisfied})"),
        ("cost", f"${summary.cost_usd:.4f}"),
        ("tokens", f"{summary.input_tokens:,} in + {summary.output_tokens:,} out"),
        ("calls", f"{summary.calls:,}"),
        ("wall time", f"{summary.wall_s:.1f} s"),
    ]
    if summary.malformed:
        rows.append(("malformed lines", str(len(summary.malformed))))
    if len(summary.workers) > 1:
        jobs = ", ".join(str(w.jobs) for w in summary.workers)
        rows.append(("workers", f"{len(summary.workers)} (tasks each: {jobs})"))
    if summary.lost_workers:
        rows.append(("workers lost", str(summary.lost_workers)))
    for name, value in rows:
        table.add_row(name, value)
    console.print(table)
    if summary.requirements:
        rates = Table(title="Requirements", title_justify="left", box=box.SIMPLE_HEAD)
        rates.add_column("requirement", overflow="fold")
        rates.add_column("passed", justify="right")
        rates.add_column("rate", justify="right")
        for rate in summary.requirements[:SHOWN_REQUIREMENTS]:
            rates.add_row(rate.requirement, f"{rate.passed}/{rate.total}", f"{rate.rate:.0%}")
        console.print(rates)
        hidden = len(summary.requirements) - SHOWN_REQUIREMENTS
        if hidden > 0:
            console.print(f"... and {hidden} more (--json lists them all)")
    console.print(f"results: {summary.out}")
