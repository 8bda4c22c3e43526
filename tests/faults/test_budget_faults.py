"""Budgets held against a real provider (the OpenAI SDK talking to the fake server),
priced by the built-in table: the measured case was ``{"dollars": 0.005}`` on
``openai:gpt-4.1-mini`` spending $0.063 over 31 calls, because the planner saw no price
and the ledger skipped a limit it estimated at $0."""

from __future__ import annotations

import pytest
from tests.faults.servers import FakeServer

from cadenza.api import solve
from cadenza.providers.pricing import DEFAULT_PRICES
from cadenza.settings import Secret, Settings

SLOTS = 4  # an OpenAI-compatible server at a custom URL is called 4 at a time


def settings(fake: FakeServer) -> Settings:
    return Settings(
        keys={"openai": Secret("sk-budget-0123456789abcdef")},
        base_urls={"openai": fake.openai_url},
    )


def most_one_call_spent(result_trace: tuple[dict[str, object], ...]) -> float:
    spends = [
        float(step["spend"]["dollars"])  # type: ignore[index]
        for step in result_trace
        if step.get("type") == "step"
    ]
    return max(spends, default=0.0)


@pytest.mark.anyio
@pytest.mark.parametrize("strategy", ["tree", "refine", "best_of_n"])
async def test_a_dollar_budget_holds_on_the_built_in_price(fake: FakeServer, strategy: str) -> None:
    limit = 0.0004  # a few calls of gpt-4.1-mini at these prompt sizes
    result = await solve(
        "Write about the sea.",
        ["Answer with at least 300 words"],  # the answer has 11: every round fails
        models=["openai:gpt-4.1-mini-ok"],  # priced as gpt-4.1-mini by the table
        strategy=strategy,
        budget={"dollars": limit},
        settings=settings(fake),
        options={"task_requirement": False, "max_tokens": 60},
    )
    assert DEFAULT_PRICES["openai:gpt-4.1-mini"].input > 0
    spent = result.extra["engine"]["spent"]  # type: ignore[index]
    assert result.usage.cost_usd > 0  # the table's price was applied
    assert spent["dollars"] <= limit + SLOTS * most_one_call_spent(result.trace)
    assert len(fake.requests) == spent["calls"] < 31
    assert not result.passed and result.text  # what was paid for is returned


@pytest.mark.anyio
async def test_huge_reported_usage_reaches_the_limit_and_nothing_more_starts(
    fake: FakeServer,
) -> None:
    result = await solve(
        "Write about the sea.",
        ["Answer with at least 300 words"],
        models=["openai:gpt-4.1-mini-huge-usage"],
        strategy="refine",
        budget={"dollars": 0.05, "calls": 20},
        settings=settings(fake),
        options={"task_requirement": False},
    )
    assert len(fake.requests) == 1  # $3.60 on the first call: the limit is reached
    assert result.usage.cost_usd == pytest.approx(5 * 0.40 + 1 * 1.60)
    assert result.finish_reason == "budget_spent"
