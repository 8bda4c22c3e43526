"""The default price table and the user's overrides."""

from __future__ import annotations

import pytest

from cadenza.providers.pricing import DEFAULT_PRICES, cost_of, price_for
from cadenza.settings import Price, Settings


def test_known_models_have_a_default_price() -> None:
    assert price_for("openai:gpt-4.1-mini", Settings()) == DEFAULT_PRICES["openai:gpt-4.1-mini"]
    assert cost_of("anthropic:claude-sonnet-4-5", Settings(), 1_000_000, 0) == pytest.approx(3.0)


def test_dated_snapshots_take_the_longest_matching_name() -> None:
    snapshot = price_for("openai:gpt-4.1-mini-2025-04-14", Settings())
    assert snapshot == DEFAULT_PRICES["openai:gpt-4.1-mini"]
    assert snapshot != DEFAULT_PRICES["openai:gpt-4.1"]


def test_the_users_prices_win() -> None:
    settings = Settings(prices={"openai:gpt-4.1-mini": Price(1.0, 1.0)})
    assert cost_of("openai:gpt-4.1-mini", settings, 500_000, 500_000) == pytest.approx(1.0)


def test_local_models_are_free_and_unknown_models_cost_nothing_known() -> None:
    assert cost_of("local:smollm2-135m", Settings(), 10_000, 10_000) == 0.0
    assert price_for("openai:some-server-model", Settings()) is None
    assert cost_of("openai:some-server-model", Settings(), 10, 10) == 0.0


def test_a_models_own_price_wins_then_the_users_then_the_table() -> None:
    from cadenza.providers.cached import CachedModel
    from cadenza.providers.pricing import prices_for
    from cadenza.providers.scripted import ScriptedModel

    users = Settings(prices={"openai:gpt-4.1-mini": Price(1.0, 1.0)})
    own = ScriptedModel(name="openai:gpt-4.1-mini", price=Price(9.0, 9.0))
    assert price_for(own, users) == Price(9.0, 9.0)
    assert price_for("openai:gpt-4.1-mini", users) == Price(1.0, 1.0)
    assert price_for("openai:gpt-4.1-mini", Settings()) == DEFAULT_PRICES["openai:gpt-4.1-mini"]

    class Unpriced:  # a third party's model without a price: the tables apply
        id = "openai:gpt-4.1-mini"
        max_concurrency = 1

        async def complete(self, request: object, *, on_progress: object = None) -> object:
            raise NotImplementedError

    assert price_for(Unpriced(), users) == Price(1.0, 1.0)  # type: ignore[arg-type]
    cached = CachedModel(own, cache=None)  # type: ignore[arg-type]
    assert prices_for([cached], Settings()) == {"openai:gpt-4.1-mini": Price(9.0, 9.0)}
    assert cost_of(own, users, 1_000_000, 0) == pytest.approx(9.0)
