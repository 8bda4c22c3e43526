"""A provider that answers from a script, with programmable latency and usage.

For unit tests of logic and for simulations (the speculation benchmark); never the
default. It counts what happened to it (calls, calls in flight at once, cancellations)
so tests can assert on concurrency rather than on mocks' calls.

Model ids: ``scripted:echo`` answers with the last user message, ``scripted:NAME``
for any other NAME does the same under that name. Build a `ScriptedModel` directly
for anything richer.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import anyio

from cadenza.errors import ProviderError
from cadenza.providers.base import (
    Completion,
    CompletionRequest,
    FinishReason,
    ModelInfo,
    Progress,
    ProgressCallback,
    Usage,
)
from cadenza.settings import Price, Settings


@dataclass(frozen=True, slots=True)
class Reply:
    """One scripted answer. `latency_s` overrides the model's latency for this call;
    `error`, when set, is raised instead of answering."""

    text: str = ""
    finish_reason: FinishReason = "stop"
    latency_s: float | None = None
    error: ProviderError | None = None


Script = Callable[[CompletionRequest, int], "str | Reply"]
Latency = float | Callable[[random.Random], float]
FREE = Price(0.0, 0.0)


def _count_tokens(text: str) -> int:
    return max(1, len(text.split())) if text else 0


class ScriptedModel:
    """A `Model` whose answers come from `script`.

    `script` is a list of replies (used in turn, the last one repeated) or a function
    of (request, call index) returning a string or `Reply`. `latency` is seconds or a
    function of a `random.Random` seeded with `seed`. Cost uses `price`.
    """

    def __init__(
        self,
        script: Sequence[str | Reply] | Script | None = None,
        *,
        name: str = "scripted:echo",
        latency: Latency = 0.0,
        price: Price = FREE,
        max_concurrency: int = 8,
        seed: int = 0,
    ) -> None:
        self._name = name
        self._script = script
        self._latency = latency
        self._price = price
        self._max_concurrency = max_concurrency
        self._rng = random.Random(seed)
        self.calls = 0
        self.in_flight = 0
        self.max_in_flight = 0
        self.cancelled = 0
        self.requests: list[CompletionRequest] = []

    @property
    def id(self) -> str:
        return self._name

    @property
    def max_concurrency(self) -> int:
        return self._max_concurrency

    @property
    def price(self) -> Price:
        """What its calls cost (`cadenza.providers.pricing.Priced`)."""
        return self._price

    def _reply(self, request: CompletionRequest, index: int) -> Reply:
        script = self._script
        if script is None:
            user = [m.content for m in request.messages if m.role == "user"]
            return Reply(user[-1] if user else "")
        if callable(script):
            answer = script(request, index)
        else:
            if not script:
                raise ValueError("a scripted model needs at least one reply")
            answer = script[min(index, len(script) - 1)]
        return Reply(answer) if isinstance(answer, str) else answer

    def _sleep_for(self, reply: Reply) -> float:
        if reply.latency_s is not None:
            return reply.latency_s
        if callable(self._latency):
            return max(0.0, self._latency(self._rng))
        return self._latency

    async def complete(
        self, request: CompletionRequest, *, on_progress: ProgressCallback | None = None
    ) -> Completion:
        index = self.calls
        self.calls += 1
        self.requests.append(request)
        reply = self._reply(request, index)
        started = time.monotonic()
        self.in_flight += 1
        self.max_in_flight = max(self.max_in_flight, self.in_flight)
        try:
            await anyio.sleep(self._sleep_for(reply))
        except anyio.get_cancelled_exc_class():
            self.cancelled += 1
            raise
        finally:
            self.in_flight -= 1
        if reply.error is not None:
            raise reply.error
        text = reply.text
        output_tokens = _count_tokens(text)
        if request.max_tokens and output_tokens > request.max_tokens:
            text = " ".join(text.split()[: request.max_tokens])
            output_tokens = request.max_tokens
            reply = Reply(text, "length")
        input_tokens = sum(_count_tokens(m.content) for m in request.messages)
        elapsed = time.monotonic() - started
        if on_progress is not None:
            on_progress(Progress(output_tokens=output_tokens, elapsed_s=elapsed))
        return Completion(
            text=text,
            finish_reason=reply.finish_reason,
            usage=Usage(
                input_tokens=input_tokens,
                output_tokens=output_tokens,
                cost_usd=self._price.cost(input_tokens, output_tokens),
                latency_s=elapsed,
            ),
            model=self._name,
        )


def create(name: str, settings: Settings) -> ScriptedModel:
    model_id = f"scripted:{name}"
    return ScriptedModel(name=model_id, price=settings.prices.get(model_id, FREE))


def describe(settings: Settings) -> list[ModelInfo]:
    return [
        ModelInfo(
            id="scripted:echo",
            provider="scripted",
            state="available",
            detail="test provider: answers with the prompt",
        )
    ]
