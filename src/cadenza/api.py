"""The front door: `solve()` and `batch()`, and their sync twins."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import anyio
from opentelemetry.trace import TracerProvider

from cadenza.errors import CadenzaError, UserError
from cadenza.options import check_options
from cadenza.planner.context import SolveContext
from cadenza.planner.events import EventCallback, PlannerEvent
from cadenza.providers.base import Model, ProgressCallback
from cadenza.providers.cached import CachedModel
from cadenza.providers.recorded import RecordedModel, Replay
from cadenza.providers.registry import resolve
from cadenza.result import SolveResult
from cadenza.settings import Settings
from cadenza.store.inputs import inputs_of
from cadenza.store.store import Store, new_run_id
from cadenza.task import Budget, Requirement, Task
from cadenza.telemetry.tracing import RunTracer, TracedModel, active_provider
from cadenza.tools.toolset import ToolInput
from cadenza.tools.toolset import opened as opened_tools

if TYPE_CHECKING:
    from cadenza.batching.run import OnBatchEvent
    from cadenza.batching.summary import BatchSummary

DEFAULT_MODEL = "local:qwen2.5-coder-1.5b"
DEFAULT_STRATEGY = "tree"
PLAN_STRATEGY = "plan"

RequirementInput = str | Requirement | Mapping[str, Any]

BATCH_OPTIONS: Mapping[str, Any] = {"speculate": False}
"""A batch's default strategy options: no speculation. A batch fills the slots with
other tasks' work, which speculative calls would take; and speculation makes a task's
result depend on timing, which a rerun, or a run on Ray, must not."""


Strategy = Callable[[SolveContext], Awaitable[SolveResult]]


def _strategies() -> dict[str, Strategy]:
    """The strategies by name (`cadenza.planner.strategies`, imported when asked for)."""
    from cadenza.planner.strategies import best_of_n, plan, refine, single, tree

    return {
        "tree": tree.run,
        "single": single.run,
        "single_repair": single.run_with_repairs,
        "best_of_n": best_of_n.run,
        "refine": refine.run,
        "plan": plan.run,
    }


def strategies() -> list[str]:
    """The names of the strategies `solve` accepts."""
    return list(_strategies())


async def solve(
    task: str | Task,
    requirements: Sequence[RequirementInput] | None = None,
    *,
    budget: str | Budget | Mapping[str, Any] | None = "medium",
    models: Sequence[str | Model] | None = None,
    strategy: str | None = None,
    settings: Settings | None = None,
    on_progress: ProgressCallback | None = None,
    on_event: EventCallback | None = None,
    options: Mapping[str, Any] | None = None,
    store: Store | str | Path | None = None,
    cache: bool = True,
    tools: Sequence[ToolInput] | None = None,
    run_id: str | None = None,
    labels: Mapping[str, str] | None = None,
    tracer_provider: TracerProvider | None = None,
) -> SolveResult:
    """Answer `task` so that it meets `requirements`.

    `requirements` are strings, `Requirement`s or ``{name, description, is_mandatory}``
    mappings; ``None`` extracts them from the task text. `budget` is ``low | medium |
    high`` or explicit limits. `models` are ids like ``local:qwen2.5-coder-1.5b`` or
    `Model` objects; the first is the default. `strategy` is ``tree`` (default),
    ``single``, ``best_of_n`` or ``refine``. `on_event` receives the planner's events
    (`cadenza.planner.events`: candidates, verdicts, decisions) as the tree grows.
    `options` tunes the strategy (``max_tokens``, ``n`` for best_of_n, ``speculate``,
    ``temperature``, ``keep``, ``max_width`` for tree). `store` (a `Store`, or a path
    to a SQLite file, ``":memory:"``) records the run: steps, verdicts, decisions, the
    result, every answer obtained (so `resume` can finish an interrupted run), and the
    running estimates the next solve starts from. With a store and `cache` on, a
    repeatable call (seeded, or temperature 0) already answered is served from the
    store's response cache instead of being paid for again. `run_id` names the run in
    the store (a new id by default); `labels` tag it. `tracer_provider` traces the
    solve with OpenTelemetry (default: the provider the application installed
    globally, if any; see `cadenza.telemetry`).

    `tools` (Python functions, HTTP tool definitions in AI21 Maestro's shape,
    `McpServer`s, or `cadenza.tools.Tool` objects) make the solve plan and execute:
    the model writes a plan of tool calls, the engine runs it (independent calls at
    once), a joiner answers or replans, and the answer goes through the requirement
    tree. Only these tools can be called. The strategy is then ``plan`` (the default
    with tools); ``options`` also take ``max_steps``, ``max_replans`` and
    ``max_answer_chars`` (an answer filled in from tool outputs is capped there,
    8,000 by default).
    """
    return await _solve(
        task,
        requirements,
        budget=budget,
        models=models,
        strategy=strategy,
        settings=settings,
        on_progress=on_progress,
        on_event=on_event,
        options=options,
        store=store,
        cache=cache,
        run_id=run_id,
        labels=labels,
        tracer_provider=tracer_provider,
        tools=tools,
    )


async def _solve(
    task: str | Task,
    requirements: Sequence[RequirementInput] | None,
    *,
    budget: str | Budget | Mapping[str, Any] | None,
    models: Sequence[str | Model] | None,
    strategy: str | None,
    settings: Settings | None,
    on_progress: ProgressCallback | None,
    on_event: EventCallback | None,
    options: Mapping[str, Any] | None,
    store: Store | str | Path | None,
    cache: bool,
    run_id: str | None,
    labels: Mapping[str, str] | None,
    tracer_provider: TracerProvider | None,
    tools: Sequence[ToolInput] | None = None,
    replay: Replay | None = None,
) -> SolveResult:
    """`solve`, and `resume` (which passes the answers the run already obtained)."""
    the_task = task if isinstance(task, Task) else Task(instruction=task)
    the_settings = settings or Settings.load()
    name = strategy or (PLAN_STRATEGY if tools else DEFAULT_STRATEGY)
    if tools and name != PLAN_STRATEGY:
        raise UserError(
            f"Tools are called by the {PLAN_STRATEGY!r} strategy, not {name!r}: drop "
            f"--strategy (or pass strategy={PLAN_STRATEGY!r}) to use tools."
        )
    table = _strategies()
    if name not in table:
        raise UserError(f"Unknown strategy {name!r}: choose one of {', '.join(table)}.")
    run = table[name]
    if isinstance(requirements, (str, Mapping)):
        raise UserError(
            "requirements must be a list (of strings or {name, description, is_mandatory} "
            f"objects), got a single {type(requirements).__name__}: wrap it in a list."
        )
    reqs = None if requirements is None else tuple(Requirement.of(r) for r in requirements)
    the_budget = Budget.of(budget)
    checked = check_options(options)
    chosen = list(models) if models else [DEFAULT_MODEL]
    resolved = tuple(_model(m, the_settings) for m in chosen)
    if not resolved:
        raise UserError("No model given: pass at least one model id, e.g. local:smollm2-135m.")
    opened = store if isinstance(store, Store) or store is None else Store.open(store)
    try:
        the_run_id = run_id or (new_run_id() if opened is not None else None)
        provider = active_provider(tracer_provider)
        tracer = None
        if provider is not None:
            ids = tuple(m.id for m in resolved)
            tracer = RunTracer(provider, strategy=name, models=ids, run_id=the_run_id)
        async with opened_tools(list(tools or ())) as toolbox:
            context = SolveContext(
                task=the_task,
                requirements=reqs,
                budget=the_budget,
                models=_wrapped(resolved, opened, the_run_id, the_settings, cache, tracer, replay),
                settings=the_settings,
                on_progress=on_progress,
                on_event=on_event if tracer is None else _both(on_event, tracer.on_planner_event),
                options=checked,
                store=opened,
                tools=tuple(toolbox.values()),
                run_id=the_run_id,
                labels=dict(labels or {}),
                on_engine_event=None if tracer is None else tracer.on_engine_event,
            )
            try:
                result = await run(context)  # records the run from its start, and how it ended
            except BaseException as exc:
                if tracer is not None:
                    tracer.finish(error=exc)
                raise
    finally:
        if opened is not None and opened is not store:
            opened.close()
    if tracer is not None:
        tracer.finish(result)
    return result


def _wrapped(
    models: tuple[Model, ...],
    store: Store | None,
    run_id: str | None,
    settings: Settings,
    cache: bool,
    tracer: RunTracer | None,
    replay: Replay | None,
) -> tuple[Model, ...]:
    """Each model wrapped, from the inside out: the response cache; tracing (a cached
    answer is a span marked cached); the run's calls log (an answer restored on resume
    makes no call, so no span)."""
    wrapped: list[Model] = []
    for model in models:
        scope = _scope(model, settings)
        if store is not None and cache and not isinstance(model, CachedModel):
            model = CachedModel(model, store, scope=scope)
        if tracer is not None:
            model = TracedModel(model, tracer)
        if store is not None and run_id is not None:
            model = RecordedModel(model, store, run_id, scope=scope, replay=replay)
        wrapped.append(model)
    return tuple(wrapped)


async def resume(
    run_id: str,
    *,
    store: Store | str | Path,
    models: Sequence[str | Model] | None = None,
    settings: Settings | None = None,
    on_progress: ProgressCallback | None = None,
    on_event: EventCallback | None = None,
    tracer_provider: TracerProvider | None = None,
) -> SolveResult:
    """Finish run `run_id` of `store`, interrupted when the process running it died
    (the store then reads it ``interrupted``).

    The run is solved again from what it was asked, under the same id, and every
    answer it obtained before is served again instead of being paid for (matched by
    model and request, see `cadenza.providers.recorded`): what it spent then counts
    against its budget as it did, and nothing already paid for is paid twice. The
    steps, verdicts and decisions it recorded are replaced by the resumed run's.
    `models` stand in for the recorded model ids (needed when the run was given
    `Model` objects). Raises `UserError` for an unknown run or one that is not
    interrupted; a resumption that fails or is cancelled leaves the run interrupted.
    """
    opened = store if isinstance(store, Store) else Store.open(store)
    try:
        summary = opened.reopen_run(run_id)
        try:
            inputs = inputs_of(run_id, summary)
            replay = Replay(opened.run_calls(run_id))
            result = await _solve(
                inputs.task,
                inputs.requirements,
                budget=inputs.budget,
                models=list(models) if models else list(inputs.models),
                strategy=inputs.strategy,
                settings=settings,
                on_progress=on_progress,
                on_event=on_event,
                options=inputs.options,
                store=opened,
                cache=True,
                run_id=run_id,
                labels=inputs.labels,
                tracer_provider=tracer_provider,
                replay=replay,
            )
        except BaseException as exc:
            opened.end_run(run_id, "interrupted", type(exc).__name__, _why(exc))
            raise
        note = (
            f"resumed: {replay.restored} answer(s) obtained before the interruption were "
            "served again, not paid for twice"
        )
        result = replace(result, notes=(*result.notes, note))
        opened.finish_run(run_id, result=result)
        return result
    finally:
        if opened is not store:
            opened.close()


def _why(exc: BaseException) -> str:
    if isinstance(exc, CadenzaError):
        return str(exc)
    if isinstance(exc, anyio.get_cancelled_exc_class()):
        return "the resumed run was cancelled"
    return f"the resumed run stopped on {type(exc).__name__}"


def _both(first: EventCallback | None, second: EventCallback) -> EventCallback:
    if first is None:
        return second

    def both(event: PlannerEvent) -> None:
        first(event)
        second(event)

    return both


def _scope(model: Model, settings: Settings) -> str:
    return settings.base_urls.get(model.id.split(":", 1)[0], "")


def _model(value: object, settings: Settings) -> Model:
    if isinstance(value, str):
        return resolve(value, settings)
    if isinstance(value, Model):
        return value
    raise UserError(
        f"models must be model ids (e.g. 'local:smollm2-135m') or Model objects, got {value!r}."
    )


def solve_sync(
    task: str | Task,
    requirements: Sequence[RequirementInput] | None = None,
    **options: Any,
) -> SolveResult:
    """`solve` for callers without an event loop."""

    async def main() -> SolveResult:
        return await solve(task, requirements, **options)

    return anyio.run(main)


async def batch(
    tasks: str | Path | Iterable[Mapping[str, Any]],
    out: str | Path,
    *,
    requirements: Sequence[RequirementInput] | None = None,
    budget: str | Budget | Mapping[str, Any] | None = "medium",
    models: Sequence[str | Model] | None = None,
    strategy: str | None = None,
    options: Mapping[str, Any] | None = None,
    settings: Settings | None = None,
    store: Store | str | Path | None = None,
    cache: bool = True,
    retry_failed: bool = False,
    concurrency: int | None = None,
    ray: bool | str = False,
    workers: int | None = None,
    on_event: OnBatchEvent | None = None,
) -> BatchSummary:
    """Solve many tasks, writing each result to `out` (JSONL) as it finishes.

    `tasks` is a JSONL file (a path) or mappings, each ``{id?, input, requirements?,
    budget?, models?, strategy?, options?}``; the keyword arguments are the defaults
    for what a task does not say. A task that cannot be used is reported (see
    `BatchSummary.malformed`) and skipped. Ids already in `out` are skipped (failed
    ones too, unless `retry_failed`). Tasks run at once within the models' slots,
    shared by every task (`concurrency`: tasks in progress at once; default from the
    models' slots), in this process, or with `ray` (True: join or start a local
    cluster; a string: a cluster's address) on `workers` Ray workers. Tasks do not
    speculate unless `options` ask for it (`BATCH_OPTIONS`), so the same task gives the
    same result wherever and whenever it runs. `store` records every run. Returns the
    summary; the results are in `out`.
    """
    from cadenza.batching.items import Defaults, read_lines
    from cadenza.batching.run import RayTarget, plan_batch, run_batch

    the_settings = settings or Settings.load()
    if isinstance(tasks, str | Path):
        entries = read_lines(Path(tasks))
    else:
        entries = list(enumerate(tasks, start=1))
    chosen = list(models) if models else [DEFAULT_MODEL]
    if workers is not None and ray is False:
        raise UserError("workers are Ray workers: give ray=True (or --ray) with them.")
    defaults = Defaults(
        models=tuple(m if isinstance(m, str) else m.id for m in chosen),
        strategy=strategy or DEFAULT_STRATEGY,
        requirements=None if requirements is None else tuple(map(Requirement.of, requirements)),
        budget=Budget.of(budget),
        options={**BATCH_OPTIONS, **(options or {})},
    )
    plan = plan_batch(
        entries,
        defaults,
        out=Path(out),
        settings=the_settings,
        strategies=strategies(),
        solve=solve,
        given={m.id: m for m in chosen if not isinstance(m, str)},
        concurrency=concurrency,
        retry_failed=retry_failed,
        cache=cache,
        ray=None if ray is False else RayTarget(None if ray is True else ray, workers),
    )
    opened = store if isinstance(store, Store) or store is None else Store.open(store)
    try:
        return await run_batch(plan, settings=the_settings, store=opened, on_event=on_event)
    finally:
        if opened is not None and opened is not store:
            opened.close()


def batch_sync(
    tasks: str | Path | Iterable[Mapping[str, Any]], out: str | Path, **options: Any
) -> BatchSummary:
    """`batch` for callers without an event loop."""

    async def main() -> BatchSummary:
        return await batch(tasks, out, **options)

    return anyio.run(main)
