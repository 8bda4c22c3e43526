from __future__ import annotations

from pathlib import Path

import anyio
import pytest

from cadenza.errors import ProviderUnavailableError
from cadenza.providers.base import CompletionRequest, Message, Progress
from cadenza.providers.cached import CachedModel, is_repeatable, request_key
from cadenza.providers.scripted import Reply, ScriptedModel
from cadenza.settings import Price
from cadenza.store import Store

PRICE = Price(1_000_000.0, 2_000_000.0)  # a dollar per input token: costs are visible


def _numbered(request: CompletionRequest, index: int) -> str:
    return f"answer number {index}"


@pytest.fixture
def store() -> Store:
    return Store.open(":memory:")


@pytest.mark.anyio
async def test_an_identical_seeded_call_is_served_from_the_cache(store: Store) -> None:
    inner = ScriptedModel(_numbered, name="scripted:m", price=PRICE)
    model = CachedModel(inner, store)
    request = CompletionRequest.of("say hi", temperature=0.9, seed=42, max_tokens=20)
    first = await model.complete(request)
    second = await model.complete(CompletionRequest.of("say hi", temperature=0.9, seed=42,
                                                       max_tokens=20))  # fmt: skip
    assert inner.calls == 1  # no second payment
    assert (first.cached, second.cached) == (False, True)
    assert second.text == first.text == "answer number 0"
    assert second.usage.cost_usd == 0.0 < first.usage.cost_usd
    assert second.usage.input_tokens == first.usage.input_tokens
    assert second.usage.output_tokens == first.usage.output_tokens
    assert second.model == first.model == "scripted:m"
    assert (model.hits, model.misses) == (1, 1)
    key = request_key("scripted:m", request)
    assert key is not None and store.cache_hits(key) == 1


@pytest.mark.anyio
async def test_temperature_zero_is_cached_without_a_seed(store: Store) -> None:
    inner = ScriptedModel(_numbered, name="scripted:m")
    model = CachedModel(inner, store)
    request = CompletionRequest.of("q", temperature=0.0)
    texts = [(await model.complete(request)).text for _ in range(3)]
    assert texts == ["answer number 0"] * 3
    assert inner.calls == 1


@pytest.mark.anyio
async def test_calls_that_differ_or_are_not_repeatable_are_not_served(store: Store) -> None:
    inner = ScriptedModel(_numbered, name="scripted:m")
    model = CachedModel(inner, store)
    base = CompletionRequest.of("q", temperature=0.7, seed=1, max_tokens=16)
    variants = [
        base,
        CompletionRequest.of("q", temperature=0.7, seed=2, max_tokens=16),  # seed
        CompletionRequest.of("q", temperature=0.8, seed=1, max_tokens=16),  # temperature
        CompletionRequest.of("q", temperature=0.7, seed=1, max_tokens=17),  # max_tokens
        CompletionRequest.of("q", temperature=0.7, seed=1, max_tokens=16, stop=("\n",)),
        CompletionRequest.of("q", temperature=0.7, seed=1, max_tokens=16, json_schema={}),
        CompletionRequest.of("q", system="be brief", temperature=0.7, seed=1, max_tokens=16),
        CompletionRequest.of("Q", temperature=0.7, seed=1, max_tokens=16),  # message
    ]
    texts = [(await model.complete(r)).text for r in variants]
    assert len(set(texts)) == len(variants) == inner.calls
    unseeded = CompletionRequest.of("q", temperature=0.7)
    assert not is_repeatable(unseeded) and request_key("scripted:m", unseeded) is None
    await model.complete(unseeded)
    await model.complete(unseeded)
    assert inner.calls == len(variants) + 2  # sampling at temperature > 0: always a call
    other = CachedModel(ScriptedModel(_numbered, name="scripted:other"), store)
    assert (await other.complete(base)).cached is False  # another model id, another key


def test_keys_depend_on_role_and_schema_content() -> None:
    user = CompletionRequest((Message("user", "x"),), seed=1)
    system = CompletionRequest((Message("system", "x"),), seed=1)
    assert request_key("m", user) != request_key("m", system)
    a = CompletionRequest.of("x", seed=1, json_schema={"type": "object", "maxProperties": 1})
    b = CompletionRequest.of("x", seed=1, json_schema={"maxProperties": 1, "type": "object"})
    assert request_key("m", a) == request_key("m", b)  # key order in a schema is irrelevant
    free = CompletionRequest.of("x", seed=1)
    constrained = CompletionRequest.of("x", seed=1, grammar='root ::= "y"')
    assert request_key("m", free) != request_key("m", constrained)


@pytest.mark.anyio
async def test_the_cache_survives_reopening_the_store(tmp_path: Path) -> None:
    request = CompletionRequest.of("q", seed=3)
    first_inner = ScriptedModel(_numbered, name="scripted:m")
    with Store.open(tmp_path / "s.db") as store:
        await CachedModel(first_inner, store).complete(request)
    second_inner = ScriptedModel(_numbered, name="scripted:m")
    with Store.open(tmp_path / "s.db") as store:
        completion = await CachedModel(second_inner, store).complete(request)
    assert completion.cached and completion.text == "answer number 0"
    assert (first_inner.calls, second_inner.calls) == (1, 0)


@pytest.mark.anyio
async def test_identical_calls_in_flight_at_once_cost_one_call(store: Store) -> None:
    inner = ScriptedModel(_numbered, name="scripted:m", latency=0.05)
    model = CachedModel(inner, store)
    request = CompletionRequest.of("q", seed=5)
    texts: list[str] = []

    async def call() -> None:
        texts.append((await model.complete(request)).text)

    async with anyio.create_task_group() as group:
        for _ in range(5):
            group.start_soon(call)
    assert inner.calls == 1
    assert texts == ["answer number 0"] * 5


@pytest.mark.anyio
async def test_a_failed_or_cancelled_call_is_not_cached(store: Store) -> None:
    error = ProviderUnavailableError("overloaded", provider="scripted")
    inner = ScriptedModel([Reply(error=error), "fine"], name="scripted:m")
    model = CachedModel(inner, store)
    request = CompletionRequest.of("q", seed=5)
    with pytest.raises(ProviderUnavailableError):
        await model.complete(request)
    assert (await model.complete(request)).text == "fine"
    assert inner.calls == 2

    stopped = ScriptedModel([Reply("par", finish_reason="cancelled"), "full"], name="scripted:c")
    cached_stopped = CachedModel(stopped, store)
    assert (await cached_stopped.complete(request)).text == "par"
    assert (await cached_stopped.complete(request)).text == "full"

    slow = ScriptedModel(["late"], name="scripted:slow", latency=0.2)
    cached_slow = CachedModel(slow, store)
    outcome: list[bool] = []

    async def waiter() -> None:
        outcome.append((await cached_slow.complete(request)).cached)

    async with anyio.create_task_group() as group:
        with anyio.CancelScope() as scope:
            group.start_soon(_cancelled_after, scope, 0.05)
            await cached_slow.complete(request)  # the first caller, then cancelled
        group.start_soon(waiter)  # finds no answer and makes its own call
    assert slow.cancelled == 1
    assert slow.calls == 2 and outcome == [False]


async def _cancelled_after(scope: anyio.CancelScope, delay: float) -> None:
    await anyio.sleep(delay)
    scope.cancel()


@pytest.mark.anyio
async def test_a_waiter_makes_its_own_call_when_the_first_is_cancelled(store: Store) -> None:
    inner = ScriptedModel(["late"], name="scripted:m", latency=0.1)
    model = CachedModel(inner, store)
    request = CompletionRequest.of("q", seed=9)
    results: list[str] = []

    async def second() -> None:
        results.append((await model.complete(request)).text)

    async with anyio.create_task_group() as group:
        with anyio.CancelScope() as scope:
            group.start_soon(second)  # starts while the first is in flight, so it waits
            group.start_soon(_cancelled_after, scope, 0.03)
            await model.complete(request)
    assert inner.cancelled == 1
    assert results == ["late"] and inner.calls == 2


@pytest.mark.anyio
async def test_progress_is_reported_for_served_answers(store: Store) -> None:
    model = CachedModel(ScriptedModel(["one two three"], name="scripted:m"), store)
    request = CompletionRequest.of("q", seed=1)
    await model.complete(request)
    seen: list[Progress] = []
    await model.complete(request, on_progress=seen.append)
    assert [p.output_tokens for p in seen] == [3]


LOCAL_PROVIDER = Path(__file__).resolve().parents[2] / "src/cadenza/providers/local.py"


@pytest.mark.real_model
@pytest.mark.skipif(not LOCAL_PROVIDER.exists(), reason="the local provider is not there yet")
@pytest.mark.anyio
async def test_the_real_local_model_answers_a_repeated_call_from_the_cache(
    tmp_path: Path,
) -> None:
    from cadenza.providers.registry import resolve
    from cadenza.settings import Settings

    settings = Settings(cache_dir=tmp_path / "cache", data_dir=tmp_path / "data")
    with Store.open(None, settings) as store:
        model = CachedModel(resolve("local:smollm2-135m", settings), store)
        request = CompletionRequest.of("Name a colour.", temperature=0.8, seed=11, max_tokens=8)
        first = await model.complete(request)
        second = await model.complete(request)
        assert (model.hits, model.misses) == (1, 1)
        assert not first.cached and second.cached
        assert second.text == first.text and first.text.strip()
        assert second.usage.output_tokens == first.usage.output_tokens > 0
        assert second.usage.latency_s < first.usage.latency_s
        other = await model.complete(
            CompletionRequest.of("Name a colour.", temperature=0.8, seed=12, max_tokens=8)
        )
        assert not other.cached and model.misses == 2


@pytest.mark.anyio
async def test_the_same_model_name_at_two_endpoints_never_shares_answers(store: Store) -> None:
    request = CompletionRequest.of("q", temperature=0.0)
    first = ScriptedModel(_numbered, name="openai:m")
    second = ScriptedModel(lambda r, i: "the other server", name="openai:m")
    at_a = CachedModel(first, store, scope="http://127.0.0.1:8001/v1")
    at_b = CachedModel(second, store, scope="http://127.0.0.1:8002/v1")
    assert (await at_a.complete(request)).text == "answer number 0"
    assert (await at_b.complete(request)).text == "the other server"
    assert (first.calls, second.calls) == (1, 1)
    again = CachedModel(
        ScriptedModel(_numbered, name="openai:m"), store, scope="http://127.0.0.1:8001/v1"
    )
    assert (await again.complete(request)).cached
