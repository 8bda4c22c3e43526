from __future__ import annotations

import anyio
import pytest

from cadenza.errors import RateLimitError
from cadenza.providers.base import CompletionRequest
from cadenza.providers.scripted import Reply, ScriptedModel
from cadenza.settings import Price


@pytest.mark.anyio
async def test_replies_in_turn_with_usage_and_cost() -> None:
    model = ScriptedModel(["one two", "three"], price=Price(1_000_000.0, 2_000_000.0))
    first = await model.complete(CompletionRequest.of("a b c"))
    second = await model.complete(CompletionRequest.of("a"))
    third = await model.complete(CompletionRequest.of("a"))
    assert (first.text, second.text, third.text) == ("one two", "three", "three")
    assert first.usage.input_tokens == 3 and first.usage.output_tokens == 2
    assert first.usage.cost_usd == pytest.approx(3 * 1.0 + 2 * 2.0)


@pytest.mark.anyio
async def test_counts_concurrency_and_cancellation() -> None:
    model = ScriptedModel(["x"], latency=0.05)
    async with anyio.create_task_group() as group:
        for _ in range(3):
            group.start_soon(model.complete, CompletionRequest.of("q"))
    assert model.max_in_flight == 3 and model.in_flight == 0
    slow = ScriptedModel(["x"], latency=1.0)
    with anyio.move_on_after(0.01):
        await slow.complete(CompletionRequest.of("q"))
    assert slow.cancelled == 1


@pytest.mark.anyio
async def test_scripted_errors_and_truncation() -> None:
    error = RateLimitError("slow down", provider="scripted", retry_after=0.1)
    model = ScriptedModel([Reply(error=error), "a b c d"])
    with pytest.raises(RateLimitError):
        await model.complete(CompletionRequest.of("q"))
    cut = await model.complete(CompletionRequest.of("q", max_tokens=2))
    assert cut.text == "a b" and cut.finish_reason == "length"
