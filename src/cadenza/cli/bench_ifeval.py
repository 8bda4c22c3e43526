"""`cadenza bench ifeval`: run strategies on IFEval and score them with the official
checker, or score an existing response file (`--score-only`)."""

from __future__ import annotations

import json
import shlex
import subprocess
import time
from pathlib import Path
from typing import Annotated, Any

import typer
from rich import box
from rich.console import Console
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
from cadenza.bench.ifeval import Scorer, default_data_dir, load_responses, load_rows, select_rows
from cadenza.bench.ifeval.reference import references
from cadenza.bench.ifeval.report import ArmSummary, require_plotting, summarise, write_report
from cadenza.bench.ifeval.results import PromptResult
from cadenza.bench.ifeval.runner import (
    MODES,
    Arm,
    ArmStarted,
    BenchPlan,
    Event,
    Finished,
    Mode,
    check_strategies,
    run_bench,
)
from cadenza.cli.app import bench_app, user_errors
from cadenza.cli.interrupt import run_async
from cadenza.cli.ray_options import (
    RayAddress,
    RayAddressCommand,
    RayFlag,
    RayWorkers,
    ray_target,
)
from cadenza.errors import UserError
from cadenza.providers.base import Model
from cadenza.providers.registry import resolve
from cadenza.settings import Settings

DEFAULT_OUT = Path("bench-results") / "ifeval"


def _data_dir(data: Path | None) -> Path:
    found = data or default_data_dir()
    if found is None:
        raise UserError(
            "IFEval data not found: pass --data DIR (the folder holding input_data.jsonl, "
            "e.g. ../shared/benchmarks/ifeval) or set CADENZA_IFEVAL_DATA."
        )
    return found


def _mode(value: str) -> Mode:
    for mode in MODES:
        if value == mode:
            return mode
    raise UserError(f"Unknown --mode {value!r}: use prompt or explicit.")


def _print_scores(console: Console, summaries: list[ArmSummary]) -> None:
    table = Table(title="IFEval accuracy, prompt/instruction level (%)", box=box.SIMPLE_HEAD)
    table.add_column("strategy", no_wrap=True)
    table.add_column("model", no_wrap=True)
    for column in ("n", "strict", "loose", "tok/prompt", "calls", "cost $", "wall p50/p90 s"):
        table.add_column(column, justify="right", no_wrap=True)
    for s in summaries:
        strict, loose = s.scores.strict, s.scores.loose
        table.add_row(
            s.strategy,
            s.model,
            str(s.scores.n),
            f"{100 * strict.prompt:.1f}/{100 * strict.instruction:.1f}",
            f"{100 * loose.prompt:.1f}/{100 * loose.instruction:.1f}",
            f"{s.tokens_per_prompt:.0f}",
            str(s.calls),
            f"{s.cost_usd:.4f}",
            f"{s.wall_median_s:.1f}/{s.wall_p90_s:.1f}",
        )
    console.print(table)


@bench_app.command("ifeval", cls=RayAddressCommand)
def ifeval_command(
    data: Annotated[
        Path | None, typer.Option("--data", help="Folder holding IFEval's input_data.jsonl.")
    ] = None,
    strategies: Annotated[
        str, typer.Option("--strategies", "-s", help="Comma-separated strategies to compare.")
    ] = "single",
    model: Annotated[
        list[str] | None,
        typer.Option("--model", "-m", help=f"Model id (repeat for several). [{api.DEFAULT_MODEL}]"),
    ] = None,
    budget: Annotated[str, typer.Option("--budget", "-b", help="low, medium or high.")] = "medium",
    sample: Annotated[
        int | None, typer.Option("--sample", help="Run a seeded random sample of N prompts.")
    ] = None,
    seed: Annotated[int, typer.Option("--seed", help="Seed of --sample.")] = 0,
    limit: Annotated[int | None, typer.Option("--limit", help="Run the first N prompts.")] = None,
    mode: Annotated[
        str,
        typer.Option(
            "--mode",
            help="prompt: the solver gets only the prompt; explicit: also the instructions "
            "as separate requirements.",
        ),
    ] = "prompt",
    out: Annotated[
        Path, typer.Option("--out", "-o", help="Folder for responses, results and the report.")
    ] = DEFAULT_OUT,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    concurrency: Annotated[
        int, typer.Option("--concurrency", help="Prompts solved at once per arm.")
    ] = 1,
    max_tokens: Annotated[
        int | None, typer.Option("--max-tokens", help="Cap every call's output tokens.")
    ] = None,
    score_only: Annotated[
        Path | None,
        typer.Option("--score-only", help="Score this response file ({prompt, response} JSONL)."),
    ] = None,
    nltk_data: Annotated[
        Path | None,
        typer.Option("--nltk-data", help="NLTK data folder (default: $NLTK_DATA or ../nltk_data)."),
    ] = None,
    ray: RayFlag = False,
    ray_address: RayAddress = None,
    workers: RayWorkers = None,
) -> None:
    """Compare strategies on IFEval with the official scoring, or score a response file."""
    console = Console()
    if not console.is_terminal:
        console = Console(width=140)  # a pipe or file: no terminal width to respect
    err = Console(stderr=True)
    with user_errors("the benchmark was stopped."):
        data_dir = _data_dir(data)
        rows = load_rows(data_dir)
        scorer = Scorer.at(nltk_data, data_dir=data_dir)
        if score_only is not None:
            scores = scorer.score_responses(rows, load_responses(score_only))
            if as_json:
                typer.echo(json.dumps(scores.to_json(), indent=2))
            else:
                console.print(
                    f"n={scores.n}  strict prompt {scores.strict.prompt:.4f}  "
                    f"instruction {scores.strict.instruction:.4f}  |  loose prompt "
                    f"{scores.loose.prompt:.4f}  instruction {scores.loose.instruction:.4f}"
                )
            return

        require_plotting()
        names = [s.strip() for s in strategies.split(",") if s.strip()]
        check_strategies(names, api.strategies())
        model_ids = list(dict.fromkeys(model or [api.DEFAULT_MODEL]))
        settings = Settings.load()
        models: dict[str, Model] = {m: resolve(m, settings) for m in model_ids}
        plan = BenchPlan(
            rows=tuple(select_rows(rows, sample=sample, seed=seed, limit=limit)),
            arms=tuple(Arm(s, m) for s in names for m in model_ids),
            out=out,
            mode=_mode(mode),
            budget=budget,
            concurrency=concurrency,
            max_tokens=max_tokens,
        )
        progress = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            TextColumn("ETA"),
            TimeRemainingColumn(),
            console=err,
            disable=not err.is_terminal,
        )
        tasks: dict[Arm, TaskID] = {}

        def on_event(event: Event) -> None:
            if isinstance(event, ArmStarted):
                tasks[event.arm] = progress.add_task(
                    f"{event.arm.strategy} · {event.arm.model}",
                    total=event.total,
                    completed=event.already_done,
                )
            elif isinstance(event, Finished):
                progress.update(tasks[event.arm], completed=event.done)

        results: dict[Arm, list[PromptResult]] = {}
        cluster = ray_target(ray, ray_address, workers)

        async def main() -> None:
            results.update(
                await run_bench(
                    plan, models, solve=api.solve, settings=settings, on_event=on_event, ray=cluster
                )
            )

        code = code_state()  # the code that runs is the code loaded now, not at the end
        with progress:
            run_async(
                main,
                interrupted=f"the benchmark was stopped; every response finished so far is "
                f"saved in {out} (run the same command again to resume).",
            )
        summaries = [
            summarise(arm.strategy, arm.model, arm_results, plan.rows, scorer)
            for arm, arm_results in results.items()
            if arm_results
        ]
        command = _command(names, model_ids, budget, sample, seed, limit, mode, out, max_tokens)
        runs = record_provenance(out, command, code)
        paths = write_report(
            summaries,
            out,
            command=command,
            extra={"mode": mode, "budget": budget, "prompts": len(plan.rows), "runs": runs},
            refs=references(data_dir, plan.rows, scorer),
        )
        if as_json:
            payload = {
                "out": str(out),
                "report": str(paths["report"]),
                "plot": str(paths["plot"]),
                "arms": [s.to_json() for s in summaries],
            }
            typer.echo(json.dumps(payload, indent=2))
        else:
            _print_scores(console, summaries)
            console.print(f"report: {paths['report']}  plot: {paths['plot']}")


def _command(
    strategies: list[str],
    models: list[str],
    budget: str,
    sample: int | None,
    seed: int,
    limit: int | None,
    mode: str,
    out: Path,
    max_tokens: int | None,
) -> str:
    parts = ["cadenza", "bench", "ifeval", "--strategies", ",".join(strategies)]
    for m in models:
        parts += ["--model", m]
    parts += ["--budget", budget, "--mode", mode]
    if sample is not None:
        parts += ["--sample", str(sample), "--seed", str(seed)]
    if limit is not None:
        parts += ["--limit", str(limit)]
    if max_tokens is not None:
        parts += ["--max-tokens", str(max_tokens)]
    parts += ["--out", str(out)]
    return shlex.join(parts)


def code_state() -> dict[str, Any]:
    """The commit checked out, whether the work tree has uncommitted changes, and when:
    taken as a run starts (edits made while it runs are not the code it ran)."""
    return {
        "commit": _git("rev-parse", "HEAD"),
        "uncommitted_changes": bool(_git("status", "--porcelain", "--untracked-files=no")),
        "started": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }


def record_provenance(
    out: Path, command: str, code: dict[str, Any] | None = None
) -> list[dict[str, Any]]:
    """Append this invocation (`code`: the commit and work tree it started from, as
    `code_state` took them; the command; when it finished) to ``out/provenance.json``;
    return every invocation recorded, so a results folder says which code produced it."""
    path = out / "provenance.json"
    runs: list[dict[str, Any]] = []
    if path.is_file():
        try:
            loaded = json.loads(path.read_text(encoding="utf-8"))
            runs = loaded if isinstance(loaded, list) else []
        except ValueError:
            runs = []
    runs.append(
        {
            **(code if code is not None else code_state()),
            "command": command,
            "finished": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        }
    )
    out.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(runs, indent=2) + "\n", encoding="utf-8")
    return runs


def _git(*args: str) -> str:
    try:
        done = subprocess.run(
            ["git", *args], capture_output=True, text=True, timeout=10, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return ""
    return done.stdout.strip() if done.returncode == 0 else ""
