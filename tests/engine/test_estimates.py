"""Running estimates: Welford and Beta are right, round-trip through dicts, merge, and
the engine feeds them."""

from __future__ import annotations

import json
import math
import random
import statistics

import anyio
import pytest

from cadenza.engine import Estimates, Plan, Spend, Step, StepContext, execute
from cadenza.engine.estimates import BetaPosterior, Welford
from cadenza.errors import BadResponseError
from cadenza.providers.base import CompletionRequest
from cadenza.providers.cached import CachedModel
from cadenza.providers.scripted import ScriptedModel
from cadenza.store import Store

pytestmark = pytest.mark.anyio


def test_welford_matches_statistics() -> None:
    rng = random.Random(3)
    xs = [rng.lognormvariate(0, 1) for _ in range(500)]
    w = Welford()
    for x in xs:
        w.add(x)
    assert w.n == 500
    assert w.mean == pytest.approx(statistics.fmean(xs))
    assert w.variance == pytest.approx(statistics.variance(xs))
    assert w.stderr == pytest.approx(statistics.stdev(xs) / math.sqrt(500))
    assert Welford().stderr == math.inf


def test_beta_posterior_starts_uncertain_and_learns() -> None:
    b = BetaPosterior()
    assert b.mean == 0.5
    wide = b.std
    for outcome in [True] * 8 + [False] * 2:
        b.add(outcome)
    assert b.mean == pytest.approx(9 / 12)
    assert b.std < wide


def test_round_trip_through_json_and_merge() -> None:
    a, b, both = Estimates(), Estimates(), Estimates()
    rng = random.Random(5)
    for i in range(40):
        target = a if i % 2 else b
        lat, tok, ok = rng.random(), rng.randint(1, 100), rng.random() < 0.7
        for est in (target, both):
            est.observe("m", "generate", latency_s=lat, tokens=tok, cost_usd=tok * 1e-6, success=ok)
    restored = Estimates.from_dict(json.loads(json.dumps(a.to_dict())))
    assert restored.to_dict() == a.to_dict()
    restored.merge(b)
    merged, expected = restored.get("m", "generate"), both.get("m", "generate")
    assert merged is not None and expected is not None
    assert merged.n == expected.n == 40
    assert merged.latency_s == pytest.approx(expected.latency_s)
    assert merged.latency_std_s == pytest.approx(expected.latency_std_s)
    assert merged.success_p == pytest.approx(expected.success_p)
    assert [e.kind for e in restored] == ["generate"]
    with pytest.raises(ValueError, match="version"):
        Estimates.from_dict({"version": 99, "pairs": []})


async def test_the_engine_feeds_estimates_per_model_and_kind() -> None:
    estimates = Estimates()
    calls = [0]

    async def flaky(ctx: StepContext) -> str:
        calls[0] += 1
        mine = calls[0]
        await anyio.sleep(0.01)
        ctx.charge(Spend(dollars=0.001, output_tokens=20, calls=1))
        if mine % 2 == 0:
            raise BadResponseError("bad payload", provider="scripted")
        return "ok"

    steps = [Step(f"s{i}", flaky, kind="generate", resource="m") for i in range(6)]
    steps.append(Step("check", flaky, ("s0",), kind="validate"))
    await execute(Plan.of(steps), estimates=estimates)
    gen = estimates.get("m", "generate")
    assert gen is not None and gen.n == 6
    assert 0.2 < gen.success_p < 0.8  # 3 of 6 succeeded, under a uniform prior
    assert gen.latency_s >= 0.009 and gen.tokens == 20 and gen.cost_usd == pytest.approx(0.001)
    assert estimates.get(None, "validate") is not None
    assert estimates.get("m", "validate") is None


@pytest.mark.anyio
async def test_answers_served_from_the_cache_teach_the_estimates_nothing() -> None:
    estimates = Estimates()
    paid = ScriptedModel(["fresh"], name="scripted:m", latency=0.02)
    store = Store.open(":memory:")
    model = CachedModel(paid, store)
    request = CompletionRequest.of("q", temperature=0.0)

    async def call(ctx: StepContext) -> str:
        return (await ctx.complete(model, request)).text

    steps = [Step("first", call, kind="generate", resource="m")]
    steps.append(Step("again", call, ("first",), kind="generate", resource="m"))
    await execute(Plan.of(steps), estimates=estimates)
    gen = estimates.get("m", "generate")
    assert paid.calls == 1
    assert gen is not None and gen.n == 1 and gen.latency_s >= 0.015  # only the paid call


def test_minus_gives_back_what_was_added_since() -> None:
    rng = random.Random(7)
    base, later, added = Estimates(), Estimates(), Estimates()
    for i in range(30):
        lat, tok, ok = rng.random(), rng.randint(1, 100), rng.random() < 0.6
        kind = "sample" if i % 3 else "judge"
        targets = (base, later) if i < 18 else (later, added)
        for est in targets:
            est.observe("m", kind, latency_s=lat, tokens=tok, cost_usd=tok * 1e-6, success=ok)
    later.observe("other", "sample", latency_s=1.0, tokens=5, cost_usd=0.0, success=True)
    added.observe("other", "sample", latency_s=1.0, tokens=5, cost_usd=0.0, success=True)

    delta = later.minus(base)
    for kind, model in (("sample", "m"), ("judge", "m"), ("sample", "other")):
        got, expected = delta.get(model, kind), added.get(model, kind)
        assert got is not None and expected is not None
        assert got.n == expected.n
        assert got.latency_s == pytest.approx(expected.latency_s)
        assert got.latency_std_s == pytest.approx(expected.latency_std_s)
        assert got.tokens == pytest.approx(expected.tokens)
        assert got.success_p == pytest.approx(expected.success_p)
    assert len(base.minus(base)) == 0  # nothing new: nothing at all
    base.merge(delta)  # the inverse of merge: back to `later`
    for model, kind in (("m", "sample"), ("m", "judge"), ("other", "sample")):
        rebuilt, original = base.get(model, kind), later.get(model, kind)
        assert rebuilt is not None and original is not None
        assert (rebuilt.n, rebuilt.success_p) == (original.n, pytest.approx(original.success_p))
        assert rebuilt.latency_std_s == pytest.approx(original.latency_std_s)
