"""`RecordedModel`: every answer a run obtains is logged; a resumed run is served the
logged answers again by request shape, each once, charged as they were."""

from __future__ import annotations

import anyio
import pytest

from cadenza.providers.base import CompletionRequest
from cadenza.providers.cached import CachedModel, request_key, request_shape
from cadenza.providers.recorded import RecordedModel, Replay
from cadenza.providers.scripted import ScriptedModel
from cadenza.settings import Price
from cadenza.store import Store

PRICE = Price(1_000_000.0, 1_000_000.0)


def _numbered(request: CompletionRequest, index: int) -> str:
    return f"answer {index}"


def _sample(seed: int) -> CompletionRequest:
    return CompletionRequest.of("write", temperature=0.9, seed=seed, max_tokens=20)


def test_the_shape_leaves_out_the_seed_only() -> None:
    assert request_shape("m", _sample(1)) == request_shape("m", _sample(2))
    assert request_key("m", _sample(1)) != request_key("m", _sample(2))
    assert request_shape("m", _sample(1)) != request_shape("other", _sample(1))
    hotter = CompletionRequest.of("write", temperature=1.0, seed=1, max_tokens=20)
    assert request_shape("m", hotter) != request_shape("m", _sample(1))


@pytest.mark.anyio
async def test_answers_are_logged_and_replayed_by_shape_each_once() -> None:
    store = Store.open(":memory:")
    first = ScriptedModel(_numbered, name="scripted:m", price=PRICE)
    model = RecordedModel(first, store, "r")
    answers = [(await model.complete(_sample(seed))).text for seed in (1, 2)]
    assert answers == ["answer 0", "answer 1"] and first.calls == 2

    again = ScriptedModel(_numbered, name="scripted:m", price=PRICE)
    replay = Replay(store.run_calls("r"))
    resumed = RecordedModel(again, store, "r", replay=replay)
    # Other seeds, same shape: the logged answers come back in order, as paid for.
    restored = [await resumed.complete(_sample(seed)) for seed in (7, 8)]
    assert [c.text for c in restored] == ["answer 0", "answer 1"]
    assert all(not c.cached and c.usage.cost_usd > 0 for c in restored)
    assert again.calls == 0 and replay.restored == 2 and len(replay) == 0
    # The pool is spent: the next one is paid for, and logged (the restored were not).
    fresh = await resumed.complete(_sample(9))
    assert fresh.text == "answer 0" and again.calls == 1
    assert len(store.run_calls("r")) == 3


@pytest.mark.anyio
async def test_an_answer_served_from_the_cache_comes_back_free() -> None:
    store = Store.open(":memory:")
    inner = ScriptedModel(_numbered, name="scripted:m", price=PRICE)
    model = RecordedModel(CachedModel(inner, store), store, "r")
    await model.complete(_sample(1))
    await model.complete(_sample(1))  # served by the cache
    logged = store.run_calls("r")
    assert [c.served for c in logged] == [False, True]
    resumed = RecordedModel(inner, store, "r", replay=Replay(logged))
    paid, served = [await resumed.complete(_sample(1)) for _ in range(2)]
    assert paid.usage.cost_usd > 0 and not paid.cached
    assert served.cached and served.usage.cost_usd == 0.0
    assert inner.calls == 1


@pytest.mark.anyio
async def test_a_cancelled_call_is_not_logged() -> None:
    store = Store.open(":memory:")
    model = RecordedModel(ScriptedModel(latency=5.0), store, "r")
    with anyio.move_on_after(0.05):
        await model.complete(_sample(1))
    assert store.run_calls("r") == []


def test_wrappers_keep_the_model_s_own_price() -> None:
    from opentelemetry.sdk.trace import TracerProvider

    from cadenza.telemetry import RunTracer, TracedModel

    inner = ScriptedModel(name="scripted:m", price=PRICE)
    store = Store.open(":memory:")
    tracer = RunTracer(TracerProvider(), strategy="single", models=("scripted:m",))
    wrapped = RecordedModel(TracedModel(CachedModel(inner, store), tracer), store, "r")
    assert wrapped.price == PRICE and wrapped.id == "scripted:m"
    tracer.finish()
