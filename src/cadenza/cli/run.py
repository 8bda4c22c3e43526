"""`cadenza run`: solve a task against requirements and show the result.

Exit code 0 when an answer was produced (whatever its score); 2 when none could be for
a reason in the input (contradictory requirements, a budget too small); 3 when the
providers failed; 130 on Ctrl-C (see `cadenza.cli.app`)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.live import Live

from cadenza import api
from cadenza.cli.app import EXIT_PROVIDER_ERROR, EXIT_USER_ERROR, app, fail, user_errors
from cadenza.cli.interrupt import run_async
from cadenza.cli.render import print_json, print_result
from cadenza.cli.tree_view import TreeView, final_tree
from cadenza.options import from_pairs
from cadenza.planner.events import PlannerEvent
from cadenza.providers.base import Progress
from cadenza.requirements.loading import load_requirements
from cadenza.result import SolveResult
from cadenza.settings import Settings
from cadenza.store.store import default_path
from cadenza.task import Requirement
from cadenza.tools.loading import parse_tool


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
        str | None,
        typer.Option(
            "--strategy", "-s", help="single, best_of_n, refine, tree, or plan (with --tool)."
        ),
    ] = None,
    budget: Annotated[str, typer.Option("--budget", "-b", help="low, medium or high.")] = "medium",
    max_tokens: Annotated[
        int | None, typer.Option("--max-tokens", help="Most tokens per answer.")
    ] = None,
    no_speculation: Annotated[
        bool, typer.Option("--no-speculation", help="Never start a step before its inputs.")
    ] = False,
    requirements_file: Annotated[
        Path | None,
        typer.Option("--requirements-file", "-f", help="Requirements (.json/.yaml), added to -r."),
    ] = None,
    store: Annotated[
        str | None,
        typer.Option(
            "--store",
            help="SQLite file recording the run, the estimates and the response cache "
            "(default: cadenza.db in the user's data folder; ':memory:' keeps nothing).",
        ),
    ] = None,
    no_store: Annotated[
        bool, typer.Option("--no-store", help="Record nothing and serve nothing from the cache.")
    ] = False,
    timeout: Annotated[
        float | None,
        typer.Option(
            "--timeout",
            help="Seconds one model call may take (default: `timeout` in the config file, "
            "else 120).",
        ),
    ] = None,
    tool: Annotated[
        list[str] | None,
        typer.Option(
            "--tool",
            "-t",
            help="A tool the plan may call (repeat for several): package.module:function, "
            "a .json/.yaml file of HTTP or MCP tool definitions, 'mcp:COMMAND ARGS' (an MCP "
            "server over stdio) or mcp:URL (streamable HTTP). Tools make the strategy 'plan'.",
        ),
    ] = None,
    option: Annotated[
        list[str] | None,
        typer.Option(
            "--option",
            "-o",
            help="A strategy option as KEY=VALUE (repeat for several; VALUE is read as "
            "JSON, else as text), e.g. -o task_requirement=false -o keep=3.",
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """Solve TASK so that the answer meets every -r REQUIREMENT (none: they are read
    from the task). With --tool, the model plans tool calls, they run (independent ones
    at once), and the joined answer is validated like any other. Shows the execution
    tree growing, then the verdict table."""
    console = Console()
    err = Console(stderr=True)
    with user_errors("the command was stopped before the run began; nothing was spent."):
        settings = Settings.load(timeout=timeout)
        tools = [t for form in tool or [] for t in parse_tool(form)]
        given: list[str | Requirement] = list(requirement or [])
        if requirements_file is not None:
            given.extend(load_requirements(requirements_file))
        where = None if no_store else (store or str(default_path(settings)))
        view = TreeView()
        live = Live(view.render(), console=err, transient=True, refresh_per_second=8)

        def on_progress(progress: Progress) -> None:
            view.on_progress(progress)
            live.update(view.render())

        def on_event(event: PlannerEvent) -> None:
            view.handle(event)
            live.update(view.render())

        options: dict[str, object] = from_pairs(option or [])
        if max_tokens is not None:
            options["max_tokens"] = max_tokens
        if no_speculation:
            options["speculate"] = False

        async def main() -> SolveResult:
            return await api.solve(
                task,
                given or None,
                budget=budget,
                models=model or None,
                strategy=strategy,
                settings=settings,
                on_progress=None if as_json else on_progress,
                on_event=None if as_json else on_event,
                options=options,
                store=where,
                tools=tools or None,
            )

        if not as_json and err.is_terminal:
            live.start()
        try:
            result = run_async(main, interrupted=_interrupted(where))
        finally:
            live.stop()
        if as_json:
            print_json(console, result.to_json())
        else:
            console.print(final_tree(result))
            print_result(console, result)
        _exit_for(result)


def _interrupted(where: str | None) -> str:
    if where is None or where == ":memory:":
        return "the run was stopped (nothing is kept: no store file)."
    return (
        f"the run was stopped and recorded as interrupted in {where}, with every step it "
        "finished (`cadenza runs` lists it)."
    )


def _exit_for(result: SolveResult) -> None:
    """Exit non-zero, with one paragraph, when no answer was produced."""
    if result.text:
        return
    why = " ".join(result.notes[-1:]) or "no answer was produced"
    if result.finish_reason == "impossible":
        raise fail(
            f"No answer: {why} Remove or relax one requirement of each contradicting pair "
            "(or mark it is_mandatory=false).",
            EXIT_USER_ERROR,
        )
    if result.plan is not None and result.plan.refused:
        raise fail(
            f"No answer: the model wrote no plan that can run ({result.plan.refused}). Try "
            "a stronger model (-m), fewer or simpler tools, or drop --tool to answer "
            "without them.",
            EXIT_PROVIDER_ERROR,
        )
    if result.finish_reason == "failed":
        failures = [n for n in result.notes if " failed (" in n] or [why]
        raise fail(
            f"No answer: every call to the model failed. {' '.join(failures)} Fix what the "
            "error says (the server, the key, the model name), then run again.",
            EXIT_PROVIDER_ERROR,
        )
    raise fail(
        f"No answer was produced before the run stopped ({result.finish_reason}). {why} "
        "Raise the budget (seconds, tokens, calls or dollars) or lower --max-tokens.",
        EXIT_USER_ERROR,
    )
