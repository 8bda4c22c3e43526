"""`cadenza batch`: plan a batch (read and check every task, before any call), then run
it: skip what OUT already holds, run the rest on an executor, and write each finished
task to OUT and the store as it arrives, in one coroutine.

The store (when there is one) gets every task's run (steps, verdicts, decisions), and
the estimates' new observations are added to its estimates every `FLUSH_EVERY` tasks
and at the end. Every task plans with the estimates the store held when the batch
started, so its result does not depend on which tasks finished first, or where.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, assert_never

import anyio
import anyio.to_thread

from cadenza.batching.execute import (
    Done,
    Executor,
    LocalExecutor,
    Lost,
    Report,
    WorkerLost,
    WorkerUp,
    drive,
)
from cadenza.batching.items import BatchItem, Defaults, LineError, parse_items
from cadenza.batching.jobs import SolveFunction, SolveJob, TaskOutcome
from cadenza.batching.outfile import OutFile
from cadenza.batching.summary import BatchSummary, summarise
from cadenza.batching.workshop import WorkerDone, WorkerSetup, Workshop
from cadenza.engine.estimates import Estimates
from cadenza.errors import UserError
from cadenza.providers.base import Model
from cadenza.providers.cached import ResponseCache
from cadenza.providers.registry import resolve
from cadenza.settings import Settings
from cadenza.store.store import Store

FLUSH_EVERY = 25
MAX_CONCURRENCY = 64


@dataclass(frozen=True, slots=True)
class RayTarget:
    """Run on Ray: `address` of an existing cluster, or None to join the local one
    (or start it); `workers`: how many (default: one per CPU of the cluster)."""

    address: str | None = None
    workers: int | None = None

    def __post_init__(self) -> None:
        if self.workers is not None and self.workers < 1:
            raise UserError(f"--workers must be at least 1, got {self.workers}.")


@dataclass(frozen=True, slots=True)
class BatchPlan:
    """A checked batch: the usable items, the lines that are not, and how to run."""

    items: tuple[BatchItem, ...]
    malformed: tuple[LineError, ...]
    out: Path
    concurrency: int
    solve: SolveFunction
    models: Mapping[str, Model] = field(default_factory=dict)
    retry_failed: bool = False
    cache: bool = True
    ray: RayTarget | None = None

    def __post_init__(self) -> None:
        if self.concurrency < 1:
            raise UserError(f"--concurrency must be at least 1, got {self.concurrency}.")


@dataclass(frozen=True, slots=True)
class BatchStarted:
    """`tasks` usable lines, `skipped` already in OUT, `to_run` to run now."""

    tasks: int
    skipped: int
    to_run: int
    malformed: tuple[LineError, ...]


@dataclass(frozen=True, slots=True)
class TaskFinished:
    """Task `id` is in OUT. Counts and money are this run's so far."""

    id: str | int
    failed: bool
    passed: bool
    finished: int
    failures: int
    to_run: int
    cost_usd: float
    tokens: int


BatchEvent = BatchStarted | TaskFinished | WorkerUp | WorkerLost | WorkerDone
OnBatchEvent = Callable[[BatchEvent], None]


def plan_batch(
    entries: Iterable[tuple[int, Any]],
    defaults: Defaults,
    *,
    out: Path,
    settings: Settings,
    strategies: Iterable[str],
    solve: SolveFunction,
    given: Mapping[str, Model] | None = None,
    concurrency: int | None = None,
    retry_failed: bool = False,
    cache: bool = True,
    ray: RayTarget | None = None,
) -> BatchPlan:
    """Check every entry (`(line number, JSON value)`) against `defaults`; `solve` solves
    each task (the API's, given by the caller). A default
    model that cannot be used stops here (`UserError`); a line's own bad model makes
    that line malformed."""
    if ray is not None:
        from cadenza.batching.cluster import import_ray

        import_ray()  # not installed: say so before anything runs
    models: dict[str, Model] = dict(given or {})

    def check(model_id: str) -> None:
        if model_id not in models:
            models[model_id] = resolve(model_id, settings)

    for model_id in defaults.models:
        check(model_id)
    items, errors = parse_items(entries, defaults, strategies, check)
    if concurrency is None:
        used = {m for item in items for m in item.models} or set(defaults.models)
        slots = max(models[m].max_concurrency for m in used)
        concurrency = min(MAX_CONCURRENCY, max(2, 2 * slots))
    shipped = models if ray is None else dict(given or {})  # Ray workers resolve their own
    return BatchPlan(
        items=tuple(items),
        malformed=tuple(errors),
        out=out,
        concurrency=concurrency,
        solve=solve,
        models=shipped,
        retry_failed=retry_failed,
        cache=cache,
        ray=ray,
    )


async def run_batch(
    plan: BatchPlan,
    *,
    settings: Settings,
    store: Store | None = None,
    on_event: OnBatchEvent | None = None,
) -> BatchSummary:
    """Run every task of `plan` that OUT does not hold yet; return the summary."""
    started = time.monotonic()
    out = OutFile(plan.out)
    done = out.open_for_run(drop_failed=plan.retry_failed)
    keys = {item.key for item in plan.items}
    todo = [SolveJob(item, plan.solve) for item in plan.items if item.key not in done]
    skipped = len(plan.items) - len(todo)
    emit = on_event or (lambda event: None)
    emit(BatchStarted(len(plan.items), skipped, len(todo), plan.malformed))
    snapshot = store.load_estimates() if store is not None else None
    setup = WorkerSetup(
        given=plan.models,
        estimates=None if snapshot is None else snapshot.to_dict(),
        cache=plan.cache and store is not None,
    )
    writer = _Writer(out, store, len(todo), emit)
    try:
        if todo:
            executor = executor_for(
                setup, settings, concurrency=plan.concurrency, ray=plan.ray, cache=store
            )
            await drive(todo, executor, writer.handle)
    finally:
        writer.flush_estimates()
    records = [line.data for key, line in out.read().items() if key in keys]
    return summarise(
        records,
        out=str(plan.out),
        tasks=len(plan.items),
        ran=writer.finished,
        skipped=skipped,
        wall_s=time.monotonic() - started,
        malformed=plan.malformed,
        lost_workers=writer.lost_workers,
        workers=tuple(writer.workers),
    )


def _lost(report: Lost) -> TaskOutcome:
    job = report.job
    assert isinstance(job, SolveJob)
    failure = {
        "id": job.item.id,
        "finish_reason": "failed",
        "error": f"lost its worker {report.attempts} times (last: {report.reason})",
        "error_type": "WorkerLost",
    }
    return TaskOutcome(job.item.id, failure)


def executor_for(
    setup: WorkerSetup,
    settings: Settings,
    *,
    concurrency: int,
    ray: RayTarget | None = None,
    cache: ResponseCache | None = None,
) -> Executor:
    """Where jobs run: in this process (one `Workshop`, `cache` its response cache), or
    on Ray workers (`ray`), `concurrency` jobs at once on each."""
    if ray is None:
        return LocalExecutor(Workshop(setup, settings, cache=cache), concurrency)
    from cadenza.batching.cluster import RayExecutor

    return RayExecutor(setup, ray.address, ray.workers, concurrency)


class _Writer:
    """The driver's side of a run: writes each report to the store and OUT, counts,
    and tells the caller. Called only from the driving coroutine."""

    def __init__(self, out: OutFile, store: Store | None, to_run: int, emit: OnBatchEvent) -> None:
        self.out = out
        self.store = store
        self.to_run = to_run
        self.emit = emit
        self.finished = 0
        self.failures = 0
        self.lost_workers = 0
        self.workers: list[WorkerDone] = []
        self.cost_usd = 0.0
        self.tokens = 0
        self._observed = Estimates()
        self._unsaved = 0

    async def handle(self, reports: list[Report[TaskOutcome]]) -> None:
        outcomes: list[TaskOutcome] = []
        for report in reports:
            match report:
                case Done():
                    outcomes.append(report.value)
                case Lost():
                    outcomes.append(_lost(report))
                case WorkerUp():
                    self.emit(report)
                case WorkerLost():
                    self.lost_workers += 1
                    self.emit(report)
                case WorkerDone():
                    self.workers.append(report)
                    self.emit(report)
                case _:
                    assert_never(report)
        if not outcomes:
            return
        if self.store is not None:  # OUT last: a task in OUT is in the store too
            for outcome in outcomes:
                if outcome.history is not None:
                    self.store.import_run(outcome.history)
        records = [outcome.record for outcome in outcomes]
        await anyio.to_thread.run_sync(self.out.append, records)
        for outcome in outcomes:
            self.count(outcome)

    def count(self, outcome: TaskOutcome) -> None:
        if outcome.observations:
            self._observed.merge(Estimates.from_dict(outcome.observations))
            self._unsaved += 1
            if self._unsaved >= FLUSH_EVERY:
                self.flush_estimates()
        record = outcome.record
        usage = record.get("usage") or {}
        self.finished += 1
        self.failures += outcome.failed
        self.cost_usd += float(usage.get("cost_usd") or 0.0)
        self.tokens += int(usage.get("input_tokens") or 0) + int(usage.get("output_tokens") or 0)
        self.emit(
            TaskFinished(
                id=outcome.id,
                failed=outcome.failed,
                passed=bool(record.get("passed")),
                finished=self.finished,
                failures=self.failures,
                to_run=self.to_run,
                cost_usd=self.cost_usd,
                tokens=self.tokens,
            )
        )

    def flush_estimates(self) -> None:
        """Add what the tasks observed to the store's estimates (as they are now: other
        processes may have added theirs meanwhile)."""
        if self.store is None or not self._unsaved:
            return
        current = self.store.load_estimates()
        current.merge(self._observed)
        self.store.save_estimates(current)
        self._observed = Estimates()
        self._unsaved = 0
