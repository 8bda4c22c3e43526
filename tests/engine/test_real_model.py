"""Two real steps on the embedded 135M model: they run side by side (the model decodes
several calls in one batch), and their usage settles the budget."""

from __future__ import annotations

from pathlib import Path

import pytest

from cadenza.engine import Estimates, Limits, Plan, Spend, Step, StepContext, StepFn, execute
from cadenza.providers.base import CompletionRequest, Model
from cadenza.providers.registry import resolve
from cadenza.settings import Settings
from cadenza.task import Budget

pytestmark = [pytest.mark.anyio, pytest.mark.real_model]


def ask(model: Model, prompt: str) -> StepFn:
    async def fn(ctx: StepContext) -> str:
        request = CompletionRequest.of(prompt, max_tokens=12, temperature=0.0, seed=1)
        return (await ctx.complete(model, request)).text

    return fn


async def test_two_local_calls_run_side_by_side_in_one_batch(tmp_path: Path) -> None:
    model = resolve("local:smollm2-135m", Settings(cache_dir=tmp_path))
    assert model.max_concurrency > 1  # the embedded model decodes several calls together
    estimates = Estimates()
    plan = Plan.of(
        Step(
            name,
            ask(model, f"Say one word about {name}."),
            kind="generate",
            resource=model.id,
            estimate=Spend.estimate(tokens=60, calls=1),
        )
        for name in ("rain", "snow")
    )
    report = await execute(
        plan,
        limits=Limits.for_models([model]),
        budget=Budget(calls=5, tokens=10_000),
        estimates=estimates,
    )
    assert report.status == "completed"
    first, second = sorted(report.records.values(), key=lambda r: r.started_mono or 0.0)
    assert first.outcome == second.outcome == "ok"
    assert second.started_mono is not None
    assert first.ended_mono is not None
    assert second.started_mono < first.ended_mono  # side by side, not queued
    assert report.stats.spent.calls == 2
    assert 0 < report.stats.spent.tokens <= 10_000
    assert all(isinstance(report.value(r.step_id), str) for r in (first, second))
    learned = estimates.get(model.id, "generate")
    assert learned is not None and learned.n == 2 and learned.latency_s > 0
