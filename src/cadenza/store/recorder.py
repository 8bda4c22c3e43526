"""`RunRecorder`: writes an engine run's events into the store as they happen.

Pass it as the run's synchronous ``on_event`` callback, or feed it an event stream with
`RunRecorder.consume`. Each finished step is committed when its `StepFinished` event
arrives, so a process killed mid-run leaves every finished step (and its result)
readable. Started, retrying and budget events are not stored one by one: the step's
final record carries its attempts, times and spend.

A store that stops accepting writes mid-run (full disk, made read-only) does not stop
the run: the recorder keeps the first `StoreError` in `failure` and records nothing
more, so the answers already paid for still reach the caller.
"""

from __future__ import annotations

from collections.abc import AsyncIterable, Iterable
from contextlib import suppress
from typing import assert_never

import anyio

from cadenza.engine.estimates import Estimates
from cadenza.engine.events import (
    BudgetUsed,
    Event,
    RunFinished,
    RunStarted,
    StepFinished,
    StepRetrying,
    StepsAdded,
    StepStarted,
)
from cadenza.errors import ProviderError, StoreError, UserError
from cadenza.redact import redact
from cadenza.result import Decision, SolveResult
from cadenza.store.records import VerdictRecord
from cadenza.store.store import Store


class RunRecorder:
    """Records the events of one or more engine runs in `store`.

    `record_values=False` stores outcomes without step results (for very large
    results or benchmark runs)."""

    def __init__(self, store: Store, *, record_values: bool = True) -> None:
        self._store = store
        self._record_values = record_values
        self.steps_recorded = 0
        self.failure: StoreError | None = None  # the write that failed, if one did
        self._runs: set[str] = set()

    def _ensure_run(self, run_id: str, wall: float) -> None:
        if run_id not in self._runs:
            self._store.ensure_run(run_id, wall)
            self._runs.add(run_id)

    def __call__(self, event: Event) -> None:
        if self.failure is not None:
            return
        try:
            self._record(event)
        except StoreError as error:
            self.failure = error

    def _record(self, event: Event) -> None:
        match event:
            case RunStarted():
                self._ensure_run(event.run_id, event.wall)
            case StepFinished():
                self._ensure_run(event.run_id, event.record.ended_wall)
                value = event.value if self._record_values else None
                self._store.record_step(event.record, value)
                self.steps_recorded += 1
            case RunFinished():
                self._ensure_run(event.run_id, event.wall)
                stats = event.stats
                self._store.finish_run(
                    event.run_id,
                    status=event.status,
                    stats=stats.to_dict(),
                    ended=event.wall,
                )
            case StepsAdded() | StepStarted() | StepRetrying() | BudgetUsed():
                pass
            case _:
                assert_never(event)

    async def consume(self, events: AsyncIterable[Event]) -> None:
        """Record every event of `events` until the stream ends."""
        async for event in events:
            self(event)


def ended(store: Store, run_id: str, error: BaseException) -> None:
    """Record how a run that raised ended: refused, failed or interrupted (the write
    is synchronous, so a solve being cancelled still records it). A store that cannot
    be written is left as is: the next open marks a dead process's run
    ``interrupted``."""
    if isinstance(error, UserError) and not isinstance(error, ProviderError):
        status = "refused"
    elif isinstance(error, (KeyboardInterrupt, anyio.get_cancelled_exc_class())):
        status = "interrupted"
    else:
        status = "failed"
    message = redact(str(error)) or type(error).__name__
    with suppress(StoreError):  # the status is the finish reason too
        store.finish_run(run_id, status=status, finish_reason=status, stats={"error": message})
        store.end_run(run_id, status, type(error).__name__, message)


def finished(
    store: Store,
    run_id: str,
    result: SolveResult,
    verdicts: Iterable[VerdictRecord],
    decisions: Iterable[Decision],
    estimates: Estimates | None,
) -> StoreError | None:
    """Record the solve's own part of a run that returned `result`: its verdicts, its
    decisions, its plan, the result (a solve that refused, ``impossible`` with no
    answer, ends ``refused``) and the running `estimates`. The first write that failed
    is returned, not raised: the answer is paid for and goes to the caller."""
    try:
        store.record_verdicts(verdicts)
        for decision in decisions:
            store.record_decision(run_id, decision)
        refused = result.finish_reason == "impossible" and not result.text
        if result.plan is not None:
            store.record_plan(run_id, result.plan)
        store.finish_run(run_id, result=result, status="refused" if refused else None)
        if estimates is not None:
            store.save_estimates(estimates)
    except StoreError as error:
        return error
    return None
