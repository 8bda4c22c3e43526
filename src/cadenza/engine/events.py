"""The events a run emits, in the order they happen.

Subscribe with ``async for event in run.events()`` (CLI, planner, web page) or pass a
synchronous ``on_event`` callback when opening the run (the store records runs that
way). Every event carries the run id and both clocks: ``mono`` (`time.monotonic()`,
for durations) and ``wall`` (`time.time()`, for display).

For each step the sequence is: zero or more (`StepStarted`, then `StepRetrying` when a
retryable error leads to another attempt), then exactly one `StepFinished` whose
`record` holds the outcome (ok, failed, cancelled, pruned, skipped). A cancelled step
is a `StepFinished` with outcome ``cancelled`` or ``pruned``. `BudgetUsed` follows
every settled attempt that spent something. `RunFinished` is the last event.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from cadenza.engine.outcomes import Outcome, Spend, StepRecord

RunStatus = Literal[
    "completed",  # every step settled on its own (some may have failed: that is data)
    "budget_exhausted",  # the budget ran out; steps not started were skipped
    "deadline",  # the wall-clock deadline passed; in-flight steps were cancelled
    "stopped",  # the planner stopped the run early ("we are done")
]


@dataclass(frozen=True, slots=True)
class RunStarted:
    run_id: str
    steps: int
    mono: float
    wall: float


@dataclass(frozen=True, slots=True)
class StepsAdded:
    """The planner grew the graph while the run was going."""

    run_id: str
    step_ids: tuple[str, ...]
    mono: float
    wall: float


@dataclass(frozen=True, slots=True)
class StepStarted:
    """An attempt started. `attempt` counts from 1; `speculative` is True for an attempt
    running on a predicted input."""

    run_id: str
    step_id: str
    kind: str
    resource: str | None
    attempt: int
    speculative: bool
    mono: float
    wall: float


@dataclass(frozen=True, slots=True)
class StepRetrying:
    """An attempt failed with a retryable error; the next one starts after `delay_s`."""

    run_id: str
    step_id: str
    attempt: int
    delay_s: float
    error: str
    mono: float
    wall: float


@dataclass(frozen=True, slots=True)
class StepFinished:
    """A step's one and only outcome. `value` is the step's result when the outcome is
    ``ok`` (else None)."""

    record: StepRecord
    value: object = None

    @property
    def run_id(self) -> str:
        return self.record.run_id

    @property
    def step_id(self) -> str:
        return self.record.step_id

    @property
    def outcome(self) -> Outcome:
        return self.record.outcome


@dataclass(frozen=True, slots=True)
class BudgetUsed:
    """An attempt settled: `spend` is what it cost, `spent` the run's total so far,
    `reserved` what in-flight attempts hold, `remaining` what is left under the
    limits (None on an axis without a limit)."""

    run_id: str
    step_id: str
    spend: Spend
    spent: Spend
    reserved: Spend
    remaining_dollars: float | None
    remaining_tokens: int | None
    remaining_calls: int | None
    mono: float
    wall: float


@dataclass(frozen=True, slots=True)
class RunStats:
    """Totals of a run. `wasted` is what cancelled, pruned and mis-speculated attempts
    spent; `speculation_*` count predictions that held (hits) and did not (misses)."""

    steps: int
    outcomes: dict[str, int]
    spent: Spend
    wasted: Spend
    speculation_hits: int
    speculation_misses: int
    speculation_wasted: Spend
    retries: int
    makespan_s: float

    def to_dict(self) -> dict[str, object]:
        return {
            "steps": self.steps,
            "outcomes": dict(self.outcomes),
            "spent": self.spent.to_dict(),
            "wasted": self.wasted.to_dict(),
            "speculation_hits": self.speculation_hits,
            "speculation_misses": self.speculation_misses,
            "speculation_wasted": self.speculation_wasted.to_dict(),
            "retries": self.retries,
            "makespan_s": self.makespan_s,
        }


@dataclass(frozen=True, slots=True)
class RunFinished:
    run_id: str
    status: RunStatus
    stats: RunStats
    mono: float
    wall: float


Event = (
    RunStarted | StepsAdded | StepStarted | StepRetrying | StepFinished | BudgetUsed | RunFinished
)
