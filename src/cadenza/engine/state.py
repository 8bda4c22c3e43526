"""The mutable bookkeeping of a run: one `Node` per step, one `Attempt` per try, and the
messages sent to the run's owner. Internal to the engine: only the owning coroutine
(`cadenza.engine.scheduler.Run`) mutates nodes; a worker touches only its attempt."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import anyio

from cadenza.engine.context import RunControl, StepContext
from cadenza.engine.graph import Step
from cadenza.engine.outcomes import ZERO, Outcome, Reason

if TYPE_CHECKING:
    from cadenza.engine.outcomes import Spend

# node states
PENDING, READY, RUNNING, BACKOFF, DONE = range(5)


class Node:
    """A step in a run: its place in the graph and how it is doing."""

    __slots__ = (
        "attempts",
        "bad",
        "cancel_to",
        "dependents",
        "ended_mono",
        "ended_wall",
        "error",
        "inputs",
        "lat",
        "outcome",
        "rank",
        "reason",
        "running",
        "seq",
        "spec",
        "spec_done",
        "spec_tried",
        "speculative",
        "spend",
        "started_mono",
        "started_wall",
        "state",
        "step",
        "timer",
        "value",
        "waiting",
    )

    def __init__(self, step: Step, seq: int, lat: float) -> None:
        self.step = step
        self.seq = seq  # arrival order: the last tie-breaker between ready steps
        self.lat = lat  # estimated latency of one attempt
        self.rank = lat  # estimated latency of the longest path from here to a sink
        self.inputs: list[Node] = []
        self.dependents: list[Node] = []  # registered while this node had not ended
        self.waiting = 0  # inputs not ended yet
        self.bad: Outcome | None = None  # outcome of the first input that did not end ok
        self.state = PENDING
        self.outcome: Outcome = "skipped"
        self.reason: Reason = ""
        self.error: str | None = None
        self.value: object = None
        self.attempts = 0
        self.started_mono: float | None = None
        self.started_wall: float | None = None
        self.ended_mono = 0.0
        self.ended_wall = 0.0
        self.spend: Spend = ZERO
        self.running: Attempt | None = None  # the real attempt in flight
        self.spec: Attempt | None = None  # a speculative attempt in flight
        self.spec_done: Attempt | None = None  # a finished one awaiting the verdict
        self.spec_tried = False
        self.speculative = False  # the result came from a committed speculative attempt
        self.timer: anyio.CancelScope | None = None  # the retry back-off sleeping
        self.cancel_to: tuple[Outcome, Reason] | None = None  # outcome once cancelled


class Attempt(StepContext):
    """One try of a step: what the step sees (a `StepContext`) plus the bookkeeping of
    the owner and of the worker running it (one object per attempt keeps the hot path
    short)."""

    __slots__ = (
        "abandoned",
        "cancel_requested",
        "cancelled",
        "committed",
        "crash",
        "error",
        "estimate",
        "finished",
        "node",
        "scope",
        "started_mono",
        "value",
    )

    def __init__(
        self,
        run: RunControl,
        node: Node,
        results: dict[str, object],
        outcomes: dict[str, Outcome] | None,
        speculative: bool,
        now: float,
    ) -> None:
        step = node.step
        self.run = run
        self.step = step
        self.attempt = node.attempts
        self.results = results
        self._outcomes = outcomes
        self.speculative = speculative
        self.spend = ZERO
        self.served = 0
        self.node = node
        self.scope: anyio.CancelScope | None = None  # the worker's, while it runs this
        self.cancel_requested = False
        self.finished = False  # the worker has reported it
        self.estimate = step.estimate
        self.committed = False  # a speculative attempt whose prediction held
        self.abandoned = False  # a speculative attempt no longer wanted
        self.started_mono = now
        self.value: object = None
        self.error: BaseException | None = None
        self.crash = False  # the step raised something that is not a data error
        self.cancelled = False


@dataclass(frozen=True, slots=True)
class Wake:
    """A retry back-off ended."""

    node: Node
    timer: anyio.CancelScope


@dataclass(frozen=True, slots=True)
class Grow:
    steps: tuple[Step, ...]


@dataclass(frozen=True, slots=True)
class CancelSteps:
    step_ids: tuple[str, ...]
    outcome: Outcome
    reason: Reason


@dataclass(frozen=True, slots=True)
class Close:
    reason: Reason  # "stopped" | "deadline"


Message = Attempt | Wake | Grow | CancelSteps | Close
