"""`cadenza runs`: the runs recorded in the store, or everything recorded about one.
Reads a store it cannot write (a read-only file or folder) too. Recorded text (tasks,
answers, decisions) is printed as plain text, never as Rich markup."""

from __future__ import annotations

import dataclasses
import datetime
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from cadenza import api
from cadenza.cli.app import app, user_errors
from cadenza.cli.interrupt import run_async
from cadenza.cli.render import plan_table, print_json, print_result
from cadenza.cli.tree_view import final_tree
from cadenza.errors import StoreError, UserError
from cadenza.result import SolveResult
from cadenza.settings import Settings
from cadenza.store.records import RunHistory, RunRow
from cadenza.store.store import Store, default_path


@app.command("runs")
def runs_command(
    run_id: Annotated[
        str | None,
        typer.Argument(
            help="Show this run (default: list the recent runs); `resume ID` finishes "
            "run ID, interrupted when its process died."
        ),
    ] = None,
    resume_id: Annotated[str | None, typer.Argument(hidden=True)] = None,
    store: Annotated[
        Path | None,
        typer.Option("--store", help="The SQLite store (default: the one `cadenza run` uses)."),
    ] = None,
    limit: Annotated[int, typer.Option("--limit", "-n", help="How many runs to list.")] = 20,
    model: Annotated[
        list[str] | None,
        typer.Option("--model", "-m", help="resume: use this model id instead of the recorded."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """List recorded runs (newest first), or show one: what was asked, the answer, the
    verdicts and every planner decision with its reason. `cadenza runs resume ID`
    finishes an interrupted run without paying again for what it already obtained."""
    console = Console()
    with user_errors():
        path = store or default_path(Settings.load())
        if not path.exists():
            raise UserError(
                f"No store at {path}: `cadenza run` records runs there (or pass --store PATH)."
            )
        if run_id == "resume" or resume_id is not None:
            if run_id != "resume" or resume_id is None:
                raise UserError(
                    "Give one run id to show (`cadenza runs ID`), or resume one with "
                    "`cadenza runs resume ID`."
                )
            _resume(console, path, resume_id, model, as_json)
            return
        with _open(path) as opened:
            if run_id is None:
                rows = opened.list_runs(limit)
                if as_json:
                    print_json(console, {"runs": [_row_json(r) for r in rows]})
                else:
                    _print_rows(console, rows, path)
                return
            history = opened.load_run(run_id)
        if as_json:
            print_json(console, _history_json(history))
        else:
            _print_history(console, history)


def _open(path: Path) -> Store:
    """The store for reading: opened as usual (runs of dead processes are marked
    interrupted), or read-only when it cannot be written."""
    try:
        return Store.open(path)
    except StoreError as error:
        if "read-only" not in str(error):
            raise
        return Store.open(path, read_only=True)


def _instruction(row: RunRow) -> str:
    """The task's instruction as recorded in the run's summary ("" if none)."""
    task = row.summary.get("task") or {}
    return str(task.get("instruction", "")) if isinstance(task, dict) else ""


def _when(seconds: float) -> str:
    return datetime.datetime.fromtimestamp(seconds).strftime("%Y-%m-%d %H:%M:%S")


def _row_json(row: RunRow) -> dict[str, Any]:
    return dataclasses.asdict(row)


def _history_json(history: RunHistory) -> dict[str, Any]:
    return {
        "run": _row_json(history.run),
        "plan": None if history.plan is None else dataclasses.asdict(history.plan),
        "decisions": [dataclasses.asdict(d) for d in history.decisions],
        "verdicts": [dataclasses.asdict(v) for v in history.verdicts],
        "steps": [
            {
                "step_id": s.record.step_id,
                "kind": s.record.kind,
                "outcome": s.record.outcome,
                "duration_s": s.record.duration_s,
            }
            for s in history.steps
        ],
    }


def _print_rows(console: Console, rows: list[RunRow], path: Path) -> None:
    if not rows:
        console.print(f"No run recorded in {path} yet.")
        return
    table = Table(title=f"Runs in {path}", box=None, pad_edge=False, header_style="bold")
    table.add_column("id (started)", no_wrap=True, min_width=22)
    table.add_column("task", overflow="ellipsis", no_wrap=True, max_width=16)
    for column, width in (("strategy", 9), ("finish", 12), ("score", 5), ("calls", 5)):
        table.add_column(column, no_wrap=True, min_width=width)
    for row in rows:
        table.add_row(
            row.id,
            Text(_instruction(row)),
            Text(str(row.summary.get("strategy") or "")),
            _finish(row),
            "" if row.score is None else f"{row.score:.2f}",
            "" if row.calls is None else str(row.calls),
        )
    console.print(table)


def _finish(row: RunRow) -> str:
    """What the run list shows: the finish reason, or the status of a run that never
    finished (``running``, ``interrupted``, ``refused``, ``failed``)."""
    if row.status in ("refused", "interrupted", "failed") or row.finish_reason is None:
        return row.status
    return row.finish_reason


def _print_history(console: Console, history: RunHistory) -> None:
    run = history.run
    head = Text(f"run {run.id}", style="bold")
    head.append(f" started {_when(run.created)} · {run.status}")
    console.print(head)
    console.print(Text(f"task: {_instruction(run)}"))
    models = ", ".join(run.summary.get("models") or [])
    console.print(Text(f"strategy {run.summary.get('strategy')} on {models}"))
    if run.finish_reason is not None:
        tokens = (run.input_tokens or 0) + (run.output_tokens or 0)
        console.print(
            Text(
                f"finish: {run.finish_reason} · score {run.score or 0:.2f} · {run.calls or 0} "
                f"call(s) · {tokens} tokens · ${run.cost_usd or 0:.4f} · {run.wall_s or 0:.1f}s"
            )
        )
    error = run.stats.get("error") if isinstance(run.stats, dict) else None
    if error:
        console.print(Text(f"why: {error}"))
    if run.text:
        console.print(Text("answer", style="bold"))
        console.print(Text(run.text))
    if history.decisions:
        table = Table(title="decisions")
        for column in ("round", "action", "reason"):
            table.add_column(column)
        for d in history.decisions:
            table.add_row(str(d.round), Text(d.action), Text(d.reason))
        console.print(table)
    if history.plan is not None:
        console.print(plan_table(history.plan))
    steps = {s.record.outcome for s in history.steps}
    console.print(f"{len(history.steps)} step(s) recorded ({', '.join(sorted(steps)) or 'none'})")


def _resume(
    console: Console, path: Path, run_id: str, models: list[str] | None, as_json: bool
) -> None:
    settings = Settings.load()

    async def main() -> SolveResult:
        return await api.resume(run_id, store=path, models=models or None, settings=settings)

    result = run_async(
        main, interrupted=f"resume stopped; run {run_id} stays resumable where it stopped."
    )
    if as_json:
        print_json(console, result.to_json())
    else:
        console.print(final_tree(result))
        print_result(console, result)
