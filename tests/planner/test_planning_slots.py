"""Width and speculation read a batching model's measured cost of one more sequence."""

from __future__ import annotations

import pytest

from cadenza.planner.costs import planning_slots
from cadenza.providers.base import Completion, CompletionRequest, ProgressCallback
from cadenza.providers.local_batch import EngineStats
from cadenza.providers.wrapper import ModelWrapper, sequence_cost


class Plain:
    def __init__(self, concurrency: int) -> None:
        self.max_concurrency = concurrency
        self.id = "plain:m"

    async def complete(
        self, request: CompletionRequest, *, on_progress: ProgressCallback | None = None
    ) -> Completion:
        raise NotImplementedError


class Batched(Plain):
    def __init__(self, concurrency: int, cost: float) -> None:
        super().__init__(concurrency)
        self.sequence_cost = cost


class Wrapped(ModelWrapper):
    async def complete(
        self, request: CompletionRequest, *, on_progress: ProgressCallback | None = None
    ) -> Completion:
        raise NotImplementedError


def test_a_model_that_does_not_batch_plans_its_concurrency() -> None:
    assert sequence_cost(Plain(4)) is None
    assert planning_slots(Plain(4)) == 4
    assert planning_slots(Plain(0)) == 1


@pytest.mark.parametrize(
    ("cost", "slots"), [(0.0, 8), (0.1, 8), (0.15, 7), (0.25, 4), (0.5, 2), (1.0, 1)]
)
def test_a_batching_model_plans_as_many_as_its_sequence_cost_pays_for(
    cost: float, slots: int
) -> None:
    assert planning_slots(Batched(8, cost)) == slots
    assert planning_slots(Wrapped(Batched(8, cost))) == slots  # seen through wrappers


def test_the_engine_measures_one_more_sequence_from_its_decode_steps() -> None:
    stats = EngineStats()
    assert stats.marginal_sequence_cost() is None
    stats.decode_steps = {1: [10, 1.0], 4: [10, 1.3]}
    assert stats.marginal_sequence_cost() == pytest.approx(0.1)
    stats.decode_steps[2] = [5, 0.5]  # as slow as one: pulls the fit down, never below 0
    assert 0.0 < stats.marginal_sequence_cost() < 0.1  # type: ignore[operator]
