"""The planner-facing example from the engine's report, executed: best-of-3 samples,
a check per sample, a decision step that grows the plan (a fix for the best sample
and a reduce that tolerates failed inputs), one sample failing on the provider."""

from __future__ import annotations

import pytest

from cadenza.engine import (
    Estimates,
    Limits,
    Plan,
    RetryPolicy,
    Spend,
    Step,
    StepContext,
    StepFn,
    execute,
)
from cadenza.errors import BadResponseError
from cadenza.providers.base import CompletionRequest
from cadenza.providers.scripted import Reply, ScriptedModel
from cadenza.task import Budget

pytestmark = pytest.mark.anyio


async def test_best_of_three_with_a_fix_and_a_tolerant_reduce() -> None:
    model = ScriptedModel(
        [
            "a short answer",
            Reply(error=BadResponseError("upstream 500", provider="scripted")),
            "a much longer and better answer",
            "fixed: a much longer and better answer",
        ],
        name="scripted:writer",
        latency=0.01,
        max_concurrency=2,
    )
    call = Spend.estimate(tokens=50, calls=1)

    def sample(prompt: str) -> StepFn:
        async def fn(ctx: StepContext) -> str:
            return (await ctx.complete(model, CompletionRequest.of(prompt))).text

        return fn

    def check(sample_id: str) -> StepFn:
        async def fn(ctx: StepContext) -> float:
            return min(1.0, len(str(ctx.input(sample_id))) / 30)  # a programmatic score

        return fn

    async def decide(ctx: StepContext) -> str:
        scores = {sid: float(v) for sid, v in ctx.results.items()}  # type: ignore[arg-type]
        best = max(scores, key=lambda sid: scores[sid]).replace("check", "sample")
        ctx.add_steps(
            Step("fix", sample("fix it"), (best,), kind="fix", resource=model.id, estimate=call),
            Step("reduce", reduce, ("fix", best), kind="reduce", partial_inputs=True),
        )
        return best

    async def reduce(ctx: StepContext) -> str:
        return str(ctx.results.get("fix") or next(iter(ctx.results.values())))

    steps: list[Step] = []
    for i in range(3):
        steps.append(
            Step(f"sample{i}", sample("write"), kind="generate", resource=model.id, estimate=call)
        )
        steps.append(Step(f"check{i}", check(f"sample{i}"), (f"sample{i}",), kind="validate"))
    steps.append(Step("decide", decide, tuple(f"check{i}" for i in range(3)), partial_inputs=True))

    estimates = Estimates()
    report = await execute(
        Plan.of(steps),
        budget=Budget(calls=6, seconds=30),
        limits=Limits.for_models([model]),
        retry=RetryPolicy(max_attempts=2),
        estimates=estimates,
    )
    assert report.status == "completed"
    assert report.records["sample1"].outcome == "failed"  # not retryable: failed once
    assert report.records["check1"].outcome == "skipped"
    assert report.value("decide") == "sample2"
    assert report.value("reduce") == "fixed: a much longer and better answer"
    assert model.max_in_flight <= 2
    assert report.stats.spent.calls == 4
    generate = estimates.get(model.id, "generate")
    assert generate is not None and generate.n == 3 and generate.success_p < 0.8
