"""Run IFEval prompts through strategies and models, via the library's front door.

Each (strategy, model) pair is an *arm*. Arms run one after another; within an arm
the prompts run through the batch machinery (`cadenza.batching`): up to `concurrency`
at once, in this process or on Ray workers. Each finished prompt goes to one writer
coroutine, which appends it to disk (fsynced) before reporting progress, so a crash
loses no finished prompt and a rerun skips what is on disk.

The runner never scores: scoring happens afterwards, from the files, in `report`.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Literal, Protocol, assert_never

import anyio
import anyio.to_thread

from cadenza.batching.execute import Done, Lost, Report, WorkerLost, WorkerUp, drive
from cadenza.batching.run import RayTarget, executor_for
from cadenza.batching.workshop import WorkerDone, WorkerSetup, Workshop
from cadenza.bench.ifeval.data import IFEvalRow
from cadenza.bench.ifeval.phrasing import requirements_for
from cadenza.bench.ifeval.results import ArmStore, PromptResult, arm_name
from cadenza.errors import ProviderError, UserError
from cadenza.providers.base import Completion, CompletionRequest, Model, ProgressCallback
from cadenza.result import SolveResult
from cadenza.settings import Settings

Mode = Literal["prompt", "explicit"]
MODES: tuple[Mode, ...] = ("prompt", "explicit")


class SolveFn(Protocol):
    """The shape of `cadenza.api.solve` the runner relies on."""

    def __call__(
        self,
        task: str,
        requirements: Sequence[Any] | None = None,
        *,
        budget: str,
        models: Sequence[str | Model] | None,
        strategy: str | None,
        settings: Settings | None,
        options: Mapping[str, Any] | None = None,
    ) -> Awaitable[SolveResult]: ...


@dataclass(frozen=True, slots=True)
class Arm:
    strategy: str
    model: str

    @property
    def name(self) -> str:
        return arm_name(self.strategy, self.model)


@dataclass(frozen=True, slots=True)
class BenchPlan:
    """What to run, checked before any call."""

    rows: tuple[IFEvalRow, ...]
    arms: tuple[Arm, ...]
    out: Path
    mode: Mode = "prompt"
    budget: str = "medium"
    concurrency: int = 1
    max_tokens: int | None = None

    def __post_init__(self) -> None:
        if not self.rows:
            raise UserError("No IFEval prompts selected: nothing to run.")
        if not self.arms:
            raise UserError("No strategy and model to run: give --strategies and --model.")
        if self.concurrency < 1:
            raise UserError(f"--concurrency must be at least 1, got {self.concurrency}.")
        if self.max_tokens is not None and self.max_tokens < 1:
            raise UserError(f"--max-tokens must be positive, got {self.max_tokens}.")

    def settings_of(self, arm: Arm) -> dict[str, Any]:
        return {
            "strategy": arm.strategy,
            "model": arm.model,
            "mode": self.mode,
            "budget": self.budget,
            "max_tokens": self.max_tokens,
        }


@dataclass(frozen=True, slots=True)
class Finished:
    """Progress event: one prompt of `arm` is on disk (`done` of `total` in that arm)."""

    arm: Arm
    result: PromptResult
    done: int
    total: int


@dataclass(frozen=True, slots=True)
class ArmStarted:
    arm: Arm
    already_done: int
    total: int


Event = Finished | ArmStarted
OnEvent = Callable[[Event], None]


class CappedModel:
    """A model whose calls never ask for more than `max_tokens` output tokens (the
    bench's --max-tokens, for quick runs and CI). The strategy is also told through
    `options`; the cap makes sure of it whatever the strategy does."""

    def __init__(self, inner: Model, max_tokens: int) -> None:
        self.inner = inner
        self.max_tokens = max_tokens

    @property
    def id(self) -> str:
        return self.inner.id

    @property
    def max_concurrency(self) -> int:
        return self.inner.max_concurrency

    async def complete(
        self, request: CompletionRequest, *, on_progress: ProgressCallback | None = None
    ) -> Completion:
        capped = min(request.max_tokens, self.max_tokens)
        return await self.inner.complete(
            replace(request, max_tokens=capped), on_progress=on_progress
        )


BASELINES = ("single", "single_repair")
"""Arms that stand for what a user does without cadenza: one greedy call (and, for
single_repair, the deterministic repairs only). They make no model call beyond that:
no extraction by the model and no judge (the strategies' own defaults). Their answers
are still screened for not doing the task (no call), so a title or a loop is never
reported ``satisfied`` by a baseline either."""


def arm_options(strategy: str, max_tokens: int | None) -> dict[str, Any]:
    """The solve options of one arm."""
    options: dict[str, Any] = {} if max_tokens is None else {"max_tokens": max_tokens}
    if strategy in BASELINES:
        options.update(judge=False, judge_final=False, extract_with_model=False)
    return options


def check_strategies(names: Sequence[str], known: Sequence[str]) -> None:
    unknown = [n for n in names if n not in known]
    if unknown:
        raise UserError(
            f"Unknown strategy {', '.join(map(repr, unknown))}: choose from {', '.join(known)}."
        )


def _task_inputs(row: IFEvalRow, mode: Mode) -> list[dict[str, Any]] | None:
    match mode:
        case "prompt":
            return None
        case "explicit":
            return requirements_for(row)
        case _:
            assert_never(mode)


async def _solve_one(
    row: IFEvalRow,
    arm: Arm,
    model: Model,
    plan: BenchPlan,
    solve: SolveFn,
    settings: Settings,
) -> PromptResult:
    started = time.monotonic()
    try:
        result = await solve(
            row.prompt,
            _task_inputs(row, plan.mode),
            budget=plan.budget,
            models=[model],
            strategy=arm.strategy,
            settings=settings,
            options=arm_options(arm.strategy, plan.max_tokens),
        )
    except ProviderError as exc:
        if isinstance(exc, UserError):
            raise
        return PromptResult(
            key=row.key,
            prompt=row.prompt,
            response="",
            strategy=arm.strategy,
            model=arm.model,
            input_tokens=0,
            output_tokens=0,
            calls=0,
            cost_usd=0.0,
            wall_s=time.monotonic() - started,
            finish_reason="failed",
            error=f"{type(exc).__name__}: {exc}",
        )
    return PromptResult(
        key=row.key,
        prompt=row.prompt,
        response=result.text,
        strategy=arm.strategy,
        model=arm.model,
        input_tokens=result.usage.input_tokens,
        output_tokens=result.usage.output_tokens,
        calls=result.calls,
        cost_usd=result.usage.cost_usd,
        wall_s=time.monotonic() - started,
        finish_reason=result.finish_reason,
    )


@dataclass(frozen=True, slots=True)
class PromptJob:
    """One prompt of one arm, as a batch job (it runs wherever the batch runs it)."""

    row: IFEvalRow
    arm: Arm
    plan: BenchPlan  # the arm's plan, with only this prompt's row
    solve: SolveFn

    @property
    def key(self) -> str:
        return str(self.row.key)

    async def run(self, workshop: Workshop) -> PromptResult:
        model = workshop.model(self.arm.model, owner=self.key)
        if self.plan.max_tokens is not None:
            model = CappedModel(model, self.plan.max_tokens)
        return await _solve_one(self.row, self.arm, model, self.plan, self.solve, workshop.settings)


def _lost(job: PromptJob, lost: Lost) -> PromptResult:
    return PromptResult(
        key=job.row.key,
        prompt=job.row.prompt,
        response="",
        strategy=job.arm.strategy,
        model=job.arm.model,
        input_tokens=0,
        output_tokens=0,
        calls=0,
        cost_usd=0.0,
        wall_s=0.0,
        finish_reason="failed",
        error=f"WorkerLost: lost its worker {lost.attempts} times (last: {lost.reason})",
    )


async def run_arm(
    plan: BenchPlan,
    arm: Arm,
    model: Model,
    *,
    solve: SolveFn,
    settings: Settings,
    on_event: OnEvent | None = None,
    ray: RayTarget | None = None,
) -> list[PromptResult]:
    """Solve every prompt of `plan` not already on disk for `arm`; return them all.
    The prompts run through the batch machinery (`cadenza.batching`): here, up to
    `plan.concurrency` at once sharing the model's slots, or on Ray workers (`ray`),
    which resolve the model by its id themselves."""
    store = ArmStore(plan.out / arm.name)
    store.check_settings(plan.settings_of(arm))
    wanted = {row.key for row in plan.rows}
    kept: dict[int, PromptResult] = {}
    for result in store.load():
        if result.ok:
            kept[result.key] = result  # failed prompts are tried again
    store.start(list(kept.values()))
    todo = [row for row in plan.rows if row.key not in kept]
    total = len(plan.rows)
    done = sum(1 for key in kept if key in wanted)
    if on_event is not None:
        on_event(ArmStarted(arm, done, total))
    jobs = [PromptJob(row, arm, replace(plan, rows=(row,)), solve) for row in todo]
    # Each prompt plans as if it had the model alone, as a bench arm always has; the
    # calls still share the model's slots.
    setup = WorkerSetup(given={} if ray else {arm.model: model}, one_slot_per_task=False)
    executor = executor_for(setup, settings, concurrency=plan.concurrency, ray=ray)

    async def handle(reports: list[Report[PromptResult]]) -> None:
        nonlocal done
        for report in reports:
            match report:
                case Done():
                    outcome = report.value
                case Lost():
                    job = report.job
                    assert isinstance(job, PromptJob)
                    outcome = _lost(job, report)
                case WorkerUp() | WorkerLost() | WorkerDone():
                    continue
                case _:
                    assert_never(report)
            await anyio.to_thread.run_sync(store.append, outcome)
            kept[outcome.key] = outcome
            done += 1
            if on_event is not None:
                on_event(Finished(arm, outcome, done, total))

    if jobs:
        await drive(jobs, executor, handle)
    return [kept[row.key] for row in plan.rows if row.key in kept]


async def run_bench(
    plan: BenchPlan,
    models: dict[str, Model],
    *,
    solve: SolveFn,
    settings: Settings,
    on_event: OnEvent | None = None,
    ray: RayTarget | None = None,
) -> dict[Arm, list[PromptResult]]:
    """Run every arm of `plan` in turn. `models` maps each arm's model id to its
    resolved `Model` (resolved by the caller, so bad ids fail before any call).
    `ray`: run each arm's prompts on a Ray cluster."""
    missing = sorted({arm.model for arm in plan.arms} - set(models))
    if missing:
        raise UserError(f"No resolved model for {', '.join(missing)}.")
    if ray is not None:
        from cadenza.batching.cluster import import_ray

        import_ray()  # not installed: say so before any arm starts
    return {
        arm: await run_arm(
            plan,
            arm,
            models[arm.model],
            solve=solve,
            settings=settings,
            on_event=on_event,
            ray=ray,
        )
        for arm in plan.arms
    }
