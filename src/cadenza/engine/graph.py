"""Steps, their dependencies, and the frozen plan checked when it is built.

A `Step` is an async function of a `StepContext` (the results of its inputs, a way to
report spend, to grow the graph...) with declared inputs (ids of other steps), a
`kind` ("generate", "validate"...), a `resource` key (a model id: concurrency limits
apply per resource), an `estimate` of what one attempt costs (reserved from the budget
before it starts), an estimated `latency_s` (for longest-path-first priority) and an
optional `priority` that overrides the path length.

Build with `PlanBuilder` (or `Plan.of(steps)`): duplicates, missing inputs and cycles
are refused with a `PlanError` naming the steps involved. Steps added while a run goes
(`StepContext.add_steps`, `Run.add_steps`) are checked the same way: they may depend on
any step already known, or on each other.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from cadenza.engine.outcomes import ZERO, Spend
from cadenza.engine.retry import RetryPolicy
from cadenza.engine.speculation import Speculation
from cadenza.errors import CadenzaError

if TYPE_CHECKING:
    from cadenza.engine.context import StepContext

StepFn = Callable[["StepContext"], Awaitable[object]]


class PlanError(CadenzaError, ValueError):
    """A plan that cannot run (duplicate id, missing input, cycle...): a bug in the code
    that built it."""


@dataclass(frozen=True, slots=True)
class Step:
    """One unit of work. `partial_inputs=True` makes the step run once all its inputs
    have ended, whatever their outcome (a "reduce whatever succeeded" join); it then
    reads `StepContext.results` (ok inputs only) and `StepContext.outcomes`. Without
    it, a step whose input did not end ok is skipped (pruned if the input was pruned).
    `retry` overrides the run's retry policy."""

    id: str
    fn: StepFn
    inputs: tuple[str, ...] = ()
    kind: str = "step"
    resource: str | None = None
    estimate: Spend = ZERO
    latency_s: float | None = None
    priority: float = 0.0
    partial_inputs: bool = False
    retry: RetryPolicy | None = None
    speculation: Speculation | None = None

    def __post_init__(self) -> None:
        if not self.id:
            raise PlanError("A step has an empty id: give every step a unique id.")
        if len(set(self.inputs)) != len(self.inputs):
            raise PlanError(f"Step {self.id!r} lists an input twice: {self.inputs}.")
        if self.id in self.inputs:
            raise PlanError(f"Step {self.id!r} depends on itself.")
        spec = self.speculation
        if spec is not None and spec.input not in self.inputs:
            raise PlanError(
                f"Step {self.id!r} speculates on {spec.input!r}, which is not one of its "
                f"inputs {self.inputs}: speculate on an input."
            )


@dataclass(frozen=True, slots=True)
class Plan:
    """Steps in a dependency order (every step after its inputs), checked."""

    steps: tuple[Step, ...]

    @staticmethod
    def of(steps: Iterable[Step]) -> Plan:
        return Plan(check_steps(tuple(steps), known=frozenset()))

    def __len__(self) -> int:
        return len(self.steps)


@dataclass
class PlanBuilder:
    """Collects steps, then `build()` checks them into a frozen `Plan`."""

    _steps: list[Step] = field(default_factory=list)

    def add(self, *steps: Step) -> PlanBuilder:
        """Add steps (any order; `build` sorts them)."""
        self._steps.extend(steps)
        return self

    def build(self) -> Plan:
        return Plan.of(self._steps)


def check_steps(steps: tuple[Step, ...], known: frozenset[str] | set[str]) -> tuple[Step, ...]:
    """Check `steps` added to a graph that already holds `known` ids; return them in a
    dependency order. Raises `PlanError` on a duplicate id, a missing input or a cycle."""
    ids: dict[str, Step] = {}
    for step in steps:
        if step.id in ids or step.id in known:
            raise PlanError(f"Two steps have the id {step.id!r}: step ids must be unique.")
        ids[step.id] = step
    waiting: dict[str, int] = {}
    dependents: dict[str, list[str]] = {}
    for step in steps:
        count = 0
        for dep in step.inputs:
            if dep in ids:
                count += 1
                dependents.setdefault(dep, []).append(step.id)
            elif dep not in known:
                raise PlanError(
                    f"Step {step.id!r} needs {dep!r}, which is not a step: add it first "
                    "or fix the input id."
                )
        waiting[step.id] = count
    ordered: list[Step] = [s for s in steps if waiting[s.id] == 0]
    i = 0
    while i < len(ordered):
        for child in dependents.get(ordered[i].id, ()):
            waiting[child] -= 1
            if waiting[child] == 0:
                ordered.append(ids[child])
        i += 1
    if len(ordered) != len(steps):
        stuck = sorted(sid for sid, n in waiting.items() if n > 0)
        raise PlanError(f"The steps {stuck[:10]} form a dependency cycle: break the cycle.")
    return tuple(ordered)
