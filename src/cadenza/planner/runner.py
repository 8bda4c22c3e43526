"""The planner's one event handler: a `Runner` owns one engine run and turns each of
its events into the next steps.

Trees and tool plans run the same way: the runner starts the engine `Run` with the
first steps, passes every engine event on (tracing, the store's recorder), counts what
each model call spent (`Tally`), and hands each finished step to its `Handler` (the
tree's rounds, the tool plan's phase), which updates its state, asks its policy what
follows and returns the new steps; the runner adds them to the run. The handler runs
in the engine's state-owning coroutine, so planner state has one owner.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from cadenza.engine.context import StepContext
from cadenza.engine.estimates import Estimates
from cadenza.engine.events import Event, StepFinished, StepStarted
from cadenza.engine.graph import Plan, Step, StepFn
from cadenza.engine.outcomes import Spend
from cadenza.engine.report import RunReport
from cadenza.engine.scheduler import Limits, Run
from cadenza.errors import ProviderError
from cadenza.planner.plan_steps import Tally
from cadenza.providers.base import Completion, CompletionRequest, Model, ProgressCallback
from cadenza.task import Budget

CALLS = frozenset({"sample", "fix", "merge", "judge", "plan", "join", "subtask"})
"""Kinds of step that are model calls, counted in the result's calls and usage (tool
calls, predicted verdicts, seeds and filled-in answers are not)."""


class Handler(Protocol):
    """What a runner asks of the planner it runs: a step started, a step finished
    (the new steps that follow from it)."""

    def started(self, event: StepStarted) -> None: ...

    def finished(self, event: StepFinished) -> list[Step]: ...


class Runner:
    """One engine run for `handler` (see the module docstring). `data_errors`: the
    exceptions a step may fail with as data (a provider's, a tool's)."""

    def __init__(
        self,
        handler: Handler,
        *,
        budget: Budget,
        limits: Limits,
        estimates: Estimates,
        on_engine_event: Callable[[Event], None] | None = None,
        run_id: str | None = None,
        data_errors: tuple[type[BaseException], ...] = (ProviderError,),
    ) -> None:
        self.handler = handler
        self.budget = budget
        self.limits = limits
        self.estimates = estimates
        self.tally = Tally()
        self._on_engine_event = on_engine_event
        self._run_id = run_id
        self._data_errors = data_errors
        self._run: Run | None = None

    @property
    def started(self) -> bool:
        return self._run is not None

    @property
    def spent(self) -> Spend:
        return self._run.spent if self._run is not None else Spend()

    async def run(self, steps: list[Step]) -> RunReport:
        run = Run(
            Plan.of(steps),
            budget=self.budget,
            limits=self.limits,
            estimates=self.estimates,
            on_event=self._on_event,
            data_errors=self._data_errors,
            run_id=self._run_id,
        )
        self._run = run
        return await run.run()

    def _on_event(self, event: Event) -> None:
        if self._on_engine_event is not None:
            self._on_engine_event(event)
        if isinstance(event, StepStarted):
            self.handler.started(event)
        elif isinstance(event, StepFinished):
            if event.record.kind in CALLS:
                self.tally.add(event)
            self.add(*self.handler.finished(event))

    def add(self, *steps: Step) -> None:
        if steps and self._run is not None:
            self._run.add_steps(*steps)

    def cancel(self, *step_ids: str) -> None:
        if step_ids and self._run is not None:
            self._run.cancel(*step_ids)

    def stop(self) -> None:
        if self._run is not None:
            self._run.stop()

    def report(self) -> RunReport | None:
        """The engine's report of the run (None before it started)."""
        return self._run.report() if self._run is not None else None


def model_call(
    model: Model,
    build: Callable[[StepContext], CompletionRequest],
    on_progress: ProgressCallback | None = None,
) -> StepFn:
    """A step's work: one call of `model` with the request `build` makes when the
    step starts (from its inputs' results, if it has any)."""

    async def fn(ctx: StepContext) -> Completion:
        return await ctx.complete(model, build(ctx), on_progress=on_progress)

    return fn
