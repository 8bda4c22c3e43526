"""Samples beyond what a batching model's sequence cost pays for wait in the backlog:
where one more sequence costs a whole decode step, the second sample would only slow
the first, so it starts after it, and an early pass means it never runs."""

from __future__ import annotations

import anyio
import pytest

from cadenza.api import solve
from cadenza.providers.scripted import Reply, ScriptedModel

pytestmark = pytest.mark.anyio


class Batching(ScriptedModel):
    """A scripted model that batches up to 8 calls at a given cost per extra sequence."""

    def __init__(self, cost: float) -> None:
        super().__init__(
            [Reply("acme makes the best kites on the coast.", latency_s=0.05)],
            name="scripted:batching",
            max_concurrency=8,
        )
        self.sequence_cost = cost


async def sampled(cost: float) -> tuple[int, str]:
    model = Batching(cost)
    with anyio.fail_after(20):
        result = await solve(
            "Write one sentence about kites.",
            ["mention the word acme"],
            models=[model],
            strategy="tree",
            options={"task_requirement": False, "max_tokens": 40},
        )
    assert result.finish_reason == "satisfied"
    return model.calls, result.decisions[0].reason


async def test_a_costly_extra_sequence_waits_and_an_early_pass_cancels_it() -> None:
    calls, first_round = await sampled(1.0)
    assert "candidate(s)" in first_round and not first_round.startswith("round 0: 1 ")
    assert calls == 1  # the first sample passed; the others never started


async def test_a_cheap_extra_sequence_runs_alongside() -> None:
    calls, first_round = await sampled(0.15)
    assert not first_round.startswith("round 0: 1 ")
    assert calls >= 2  # started together, the rest cancelled when the first passed
