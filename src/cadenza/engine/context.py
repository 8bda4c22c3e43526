"""What a running step sees: its inputs, and a way to report spend and grow the plan."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from contextvars import ContextVar
from typing import TYPE_CHECKING, Protocol, TypeVar

import anyio

from cadenza.engine.outcomes import ZERO, Outcome, Spend
from cadenza.errors import ProviderError
from cadenza.providers.base import Completion, CompletionRequest, Model, ProgressCallback

if TYPE_CHECKING:
    from cadenza.engine.graph import Step

T = TypeVar("T")


class RunControl(Protocol):
    """What a step (or the planner) may ask of the run it belongs to."""

    @property
    def run_id(self) -> str: ...

    def add_steps(self, *steps: Step) -> None: ...

    def prune(self, *step_ids: str) -> None: ...

    def cancel(self, *step_ids: str) -> None: ...

    def stop(self) -> None: ...


class StepContext:
    """Given to a step's function for one attempt.

    `results` maps each input id to its value (only inputs that ended ok, which is all
    of them unless the step has ``partial_inputs=True``); `outcomes` maps every input id
    to its outcome. `attempt` counts from 1. `speculative` is True when a predicted
    value stands in for an input. Report what the attempt spent with `charge` (or call
    models through `complete`, which charges for you); the budget settles that.
    """

    __slots__ = (
        "_outcomes",
        "attempt",
        "results",
        "run",
        "served",
        "speculative",
        "spend",
        "step",
    )

    def __init__(
        self,
        run: RunControl,
        step: Step,
        attempt: int,
        results: Mapping[str, object],
        outcomes: Mapping[str, Outcome] | None,
        speculative: bool,
    ) -> None:
        self.run = run
        self.step = step
        self.attempt = attempt
        self.results = results
        self._outcomes = outcomes
        self.speculative = speculative
        self.spend = ZERO
        self.served = 0  # calls answered from a response cache (no spend, no latency)

    @property
    def outcomes(self) -> Mapping[str, Outcome]:
        """Each input's outcome (all ``ok`` unless the step takes partial inputs)."""
        if self._outcomes is None:
            self._outcomes = dict.fromkeys(self.results, "ok")
        return self._outcomes

    @property
    def step_id(self) -> str:
        return self.step.id

    def input(self, step_id: str) -> object:
        """The value of input `step_id` (KeyError if it did not end ok)."""
        return self.results[step_id]

    def charge(self, spend: Spend) -> None:
        """Add `spend` to this attempt's cost (settled against the budget when it ends)."""
        self.spend = self.spend + spend

    async def complete(
        self,
        model: Model,
        request: CompletionRequest,
        *,
        on_progress: ProgressCallback | None = None,
    ) -> Completion:
        """Call `model` and charge its usage (one call; none when the answer came from
        the response cache)."""
        completion = await self.charged(
            model.complete(request, on_progress=on_progress),
            lambda c: ZERO if c.cached else Spend.of_usage(c.usage),
        )
        if completion.cached:
            self.served += 1
        return completion

    async def charged(self, call: Awaitable[T], spent: Callable[[T], Spend]) -> T:
        """Await one model `call` and charge what `spent` says it used. A call that
        fails or is cancelled is charged as one call, with what a provider error says
        it used (a stream cut off part way): the provider may bill it."""
        try:
            value = await call
        except ProviderError as error:
            self.charge(Spend(error.cost_usd, error.input_tokens, error.output_tokens, 1))
            raise
        except (Exception, anyio.get_cancelled_exc_class()):
            self.charge(Spend(calls=1))
            raise
        self.charge(spent(value))
        return value

    def add_steps(self, *steps: Step) -> None:
        """Grow the running plan (checked like a built plan; raises `PlanError`)."""
        self.run.add_steps(*steps)


RUNNING: ContextVar[StepContext | None] = ContextVar("cadenza_step", default=None)
"""The attempt a worker runs, set by that worker in its own context."""


def current_step() -> StepContext | None:
    """The attempt the calling code runs in, or None outside any step. Lets code a
    step calls (a model wrapper that traces calls) tell which step it works for."""
    return RUNNING.get()
