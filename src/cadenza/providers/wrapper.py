"""`ModelWrapper`: the part every model wrapper shares (the response cache, the calls
log, tracing): it stands for `inner`, with the same id, concurrency and own price."""

from __future__ import annotations

from cadenza.providers.base import Batching, Model
from cadenza.settings import Price


class ModelWrapper:
    """Subclasses add `complete`; `inner` is the model they wrap."""

    def __init__(self, inner: Model) -> None:
        self._inner = inner

    @property
    def id(self) -> str:
        return self._inner.id

    @property
    def max_concurrency(self) -> int:
        return self._inner.max_concurrency

    @property
    def inner(self) -> Model:
        return self._inner

    @property
    def price(self) -> Price | None:
        """The wrapped model's own price, if it has one (`pricing.Priced`)."""
        price = getattr(self._inner, "price", None)
        return price if isinstance(price, Price) else None


def sequence_cost(model: Model) -> float | None:
    """The measured latency cost of one more concurrent call of a batching model
    (`Batching`, looked up through wrappers), or None for a model that does not batch."""
    while True:
        if isinstance(model, Batching):
            return model.sequence_cost
        if not isinstance(model, ModelWrapper):
            return None
        model = model.inner
