"""Default prices of hosted models, in dollars per million tokens.

The user's own table (`Settings.prices`, from the config file) always wins; this one
only fills the gaps. Dated snapshots (``gpt-4.1-mini-2025-04-14``) take the price of
the longest listed name they start with. Local models cost nothing; an unknown hosted
model has no price and its calls are counted at 0.0 dollars.
"""

from __future__ import annotations

from collections.abc import Mapping

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


def price_for(model_id: str, settings: Settings) -> Price | None:
    """The price of `model_id` (``provider:name``): the user's table first, then ours."""
    if model_id.startswith("local:"):
        return settings.prices.get(model_id, FREE)
    return _lookup(settings.prices, model_id) or _lookup(DEFAULT_PRICES, model_id)


def cost_of(model_id: str, settings: Settings, input_tokens: int, output_tokens: int) -> float:
    """Dollars spent on one call; 0.0 when the model has no known price."""
    price = price_for(model_id, settings)
    return price.cost(input_tokens, output_tokens) if price is not None else 0.0
