"""The one cost model: what a call costs, for planning and for accounting alike.

A model's price (dollars per million input and output tokens) comes from, most
specific first:

1. the `Model` object's own price, when it has one (the `Priced` protocol: a
   ``price`` attribute; `ScriptedModel` and third-party models may carry one);
2. the user's table (`Settings.prices`, from the config file);
3. the built-in table below (public list prices of hosted models).

Dated snapshots (``gpt-4.1-mini-2025-04-14``) take the price of the longest listed
name they start with. Local models cost nothing unless the user prices them; an
unknown hosted model has no price and its calls are counted at 0.0 dollars.

Providers compute each call's ``Usage.cost_usd`` with `cost_of` (the budget ledger
books that), and the planner estimates calls with `prices_for` (the same prices), so
what is planned and what is charged cannot disagree about a price.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Protocol, runtime_checkable

from cadenza.providers.base import Model
from cadenza.settings import Price, Settings

# Public list prices (standard tier, no caching, no batch discount).
DEFAULT_PRICES: Mapping[str, Price] = {
    "openai:gpt-5": Price(1.25, 10.00),
    "openai:gpt-5-mini": Price(0.25, 2.00),
    "openai:gpt-5-nano": Price(0.05, 0.40),
    "openai:gpt-4.1": Price(2.00, 8.00),
    "openai:gpt-4.1-mini": Price(0.40, 1.60),
    "openai:gpt-4.1-nano": Price(0.10, 0.40),
    "openai:gpt-4o": Price(2.50, 10.00),
    "openai:gpt-4o-mini": Price(0.15, 0.60),
    "openai:o3": Price(2.00, 8.00),
    "openai:o4-mini": Price(1.10, 4.40),
    "anthropic:claude-opus-4-1": Price(15.00, 75.00),
    "anthropic:claude-opus-4": Price(15.00, 75.00),
    "anthropic:claude-sonnet-4-5": Price(3.00, 15.00),
    "anthropic:claude-sonnet-4": Price(3.00, 15.00),
    "anthropic:claude-haiku-4-5": Price(1.00, 5.00),
    "anthropic:claude-3-5-haiku": Price(0.80, 4.00),
}

FREE = Price(0.0, 0.0)


def _lookup(table: Mapping[str, Price], model_id: str) -> Price | None:
    if model_id in table:
        return table[model_id]
    prefixes = [key for key in table if model_id.startswith(key + "-")]
    return table[max(prefixes, key=len)] if prefixes else None


@runtime_checkable
class Priced(Protocol):
    """A model that carries its own price (None: it has none, use the tables)."""

    @property
    def price(self) -> Price | None: ...


def price_for(model: str | Model, settings: Settings) -> Price | None:
    """The price of `model` (an id ``provider:name`` or a `Model`): its own price,
    then the user's table, then the built-in one (see the module docstring)."""
    if not isinstance(model, str):
        own = model.price if isinstance(model, Priced) else None
        if own is not None:
            return own
        model = model.id
    if model.startswith("local:"):
        return settings.prices.get(model, FREE)
    return _lookup(settings.prices, model) or _lookup(DEFAULT_PRICES, model)


def prices_for(models: Sequence[Model], settings: Settings) -> dict[str, Price]:
    """The price of each of `models` that has one, by model id (for the planner)."""
    table: dict[str, Price] = {}
    for model in models:
        price = price_for(model, settings)
        if price is not None:
            table.setdefault(model.id, price)
    return table


def cost_of(model: str | Model, settings: Settings, input_tokens: int, output_tokens: int) -> float:
    """Dollars spent on one call; 0.0 when the model has no known price."""
    price = price_for(model, settings)
    return price.cost(input_tokens, output_tokens) if price is not None else 0.0
