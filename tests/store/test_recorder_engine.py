"""A real engine run recorded through `RunRecorder` reads back whole from the store."""

from __future__ import annotations

from pathlib import Path

import pytest

from cadenza.engine.context import StepContext
from cadenza.engine.graph import Plan, Step, StepFn
from cadenza.engine.retry import RetryPolicy
from cadenza.engine.scheduler import Limits, Run
from cadenza.errors import BadResponseError
from cadenza.providers.base import Completion, CompletionRequest
from cadenza.providers.cached import CachedModel
from cadenza.providers.scripted import Reply, ScriptedModel
from cadenza.settings import Price
from cadenza.store import RunRecorder, Store
from cadenza.store.codec import to_jsonable


def _script(request: CompletionRequest, index: int) -> str | Reply:
    prompt = request.messages[-1].content
    if prompt == "bad":
        return Reply(error=BadResponseError("the server sent nonsense", provider="scripted"))
    return f"answer to {prompt}"


@pytest.mark.anyio
async def test_an_engine_run_round_trips_through_the_store(tmp_path: Path) -> None:
    inner = ScriptedModel(_script, name="scripted:m", price=Price(1.0, 2.0), latency=0.01)
    path = tmp_path / "store.db"
    with Store.open(path) as store:
        model = CachedModel(inner, store)

        def sample(prompt: str) -> StepFn:
            async def fn(ctx: StepContext) -> Completion:
                return await ctx.complete(model, CompletionRequest.of(prompt, seed=1))

            return fn

        async def join(ctx: StepContext) -> str:
            texts = [r.text for r in ctx.results.values() if isinstance(r, Completion)]
            return " | ".join(sorted(texts))

        steps = [
            Step("s1", sample("one"), kind="sample", resource=model.id),
            Step("s2", sample("one"), kind="sample", resource=model.id),
            Step("s3", sample("bad"), kind="sample", resource=model.id),
            Step("after-bad", join, inputs=("s3",), kind="reduce"),
            Step("join", join, inputs=("s1", "s2", "s3"), kind="reduce", partial_inputs=True),
        ]
        run_id = store.start_run(strategy="test", models=[model])
        run = Run(
            Plan.of(steps),
            limits=Limits.for_models([model]),
            retry=RetryPolicy(max_attempts=1),
            on_event=RunRecorder(store),
            run_id=run_id,
        )
        report = await run.run()

    with Store.open(path) as store:
        history = store.load_run(run_id)
    assert history.run.summary["models"] == ["scripted:m"]
    assert history.run.status == report.status
    assert history.run.stats == to_jsonable(report.stats.to_dict())
    assert {s.record.step_id: s.record for s in history.steps} == dict(report.records)
    outcomes = {s.record.step_id: s.record.outcome for s in history.steps}
    assert outcomes == {
        "s1": "ok", "s2": "ok", "s3": "failed", "after-bad": "skipped", "join": "ok",
    }  # fmt: skip
    assert "nonsense" in (history.step("s3").record.error or "")
    for step_id, value in report.results.items():
        assert history.step(step_id).result == to_jsonable(value)
    assert history.step("join").result == "answer to one | answer to one"
    # The two identical seeded calls cost one model call: the second came from the cache.
    assert inner.calls == 2  # "one" once, "bad" once
    cached = [history.step(s).result["cached"] for s in ("s1", "s2")]
    assert sorted(cached) == [False, True]
    # Steps come back in the order they ended: the join after its inputs.
    order = [s.record.step_id for s in history.steps]
    assert order.index("join") > max(order.index(s) for s in ("s1", "s2", "s3"))
