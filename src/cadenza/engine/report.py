"""What a run is allowed (`Limits`) and what it did (`RunReport`)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field

from cadenza.engine.events import RunStats, RunStatus
from cadenza.engine.graph import PlanError
from cadenza.engine.outcomes import StepRecord
from cadenza.engine.state import Node
from cadenza.providers.base import Model


@dataclass(frozen=True, slots=True)
class Limits:
    """How many attempts may run at once: `overall` across the run and `per_resource`
    for each resource key (model id). None / a missing key: no limit."""

    overall: int | None = None
    per_resource: Mapping[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        caps = [self.overall] if self.overall is not None else []
        if any(cap < 1 for cap in [*caps, *self.per_resource.values()]):
            raise PlanError(f"Concurrency limits must be >= 1, got {self}: use None for no limit.")

    @staticmethod
    def for_models(models: Iterable[Model], overall: int | None = None) -> Limits:
        """One entry per model, from its `max_concurrency` (1 for the local model)."""
        return Limits(overall, {m.id: m.max_concurrency for m in models})


@dataclass(frozen=True, slots=True)
class RunReport:
    """Everything a finished run did: one record per step (`records`, in the order the
    steps were added), the value of every ok step (`results`) and the totals."""

    run_id: str
    status: RunStatus
    records: Mapping[str, StepRecord]
    results: Mapping[str, object]
    stats: RunStats

    def ok(self, step_id: str) -> bool:
        return self.records[step_id].outcome == "ok"

    def value(self, step_id: str) -> object:
        """The step's value (KeyError if it did not end ok)."""
        return self.results[step_id]


class Records(Mapping[str, StepRecord]):
    """A run's step records, each built on first access (most callers read a few)."""

    def __init__(self, run_id: str, nodes: dict[str, Node]) -> None:
        self._run_id = run_id
        self._nodes = nodes
        self._cache: dict[str, StepRecord] = {}

    def __getitem__(self, step_id: str) -> StepRecord:
        record = self._cache.get(step_id)
        if record is None:
            record = self._cache[step_id] = record_of(self._run_id, self._nodes[step_id])
        return record

    def __iter__(self) -> Iterator[str]:
        return iter(self._nodes)

    def __len__(self) -> int:
        return len(self._nodes)


def record_of(run_id: str, node: Node) -> StepRecord:
    """The record of a node as it stands (final once the node is done)."""
    step = node.step
    return StepRecord(
        run_id=run_id,
        step_id=step.id,
        kind=step.kind,
        resource=step.resource,
        outcome=node.outcome,
        reason=node.reason,
        error=node.error,
        attempts=node.attempts,
        started_mono=node.started_mono,
        ended_mono=node.ended_mono,
        started_wall=node.started_wall,
        ended_wall=node.ended_wall,
        spend=node.spend,
        inputs=step.inputs,
        speculative=node.speculative,
    )
