"""A provider that answers from a script, with programmable latency and usage.

For unit tests of logic and for simulations (the speculation benchmark); never the
default. It counts what happened to it (calls, calls in flight at once, cancellations)
so tests can assert on concurrency rather than on mocks' calls.

A request with `choices` gets the scripted text as it is (a script that answers
something else tests what a caller does with a reply that is not a choice), and the
scripted `Reply.choice_probs`.

Model ids: ``scripted:echo`` answers with the last user message, ``scripted:NAME``
for any other NAME does the same under that name. Build a `ScriptedModel` directly
for anything richer.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Mapping, Sequence
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
    `error`, when set, is raised instead of answering. `choice_probs` is what a
    provider with token probabilities reports for a request with `choices`; with no
    `text`, the answer is then the likeliest choice."""

    text: str = ""
    finish_reason: FinishReason = "stop"
    latency_s: float | None = None
    error: ProviderError | None = None
    first_token_s: float | None = None  # set: the text streams after this, evenly
    choice_probs: Mapping[str, float] | None = None


Script = Callable[[CompletionRequest, int], "str | Reply"]
Latency = float | Callable[[random.Random], float]
FREE = Price(0.0, 0.0)


def _count_tokens(text: str) -> int:
    return max(1, len(text.split())) if text else 0


class ScriptedModel:
    """A `Model` whose answers come from `script`.

    `script` is a list of replies (used in turn, the last one repeated) or a function
    of (request, call index) returning a string or `Reply`. `latency` is seconds or a
    function of a `random.Random` seeded with `seed`. Cost uses `price`. Tokens are
    counted by `count_tokens` (default: words).
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
        count_tokens: Callable[[str], int] | None = None,
    ) -> None:
        self._name = name
        self._script = script
        self._latency = latency
        self._price = price
        self._max_concurrency = max_concurrency
        self._rng = random.Random(seed)
        self._count = count_tokens or _count_tokens
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
            if reply.first_token_s is not None and on_progress is not None:
                await self._stream(reply, on_progress, started)
            else:
                await anyio.sleep(self._sleep_for(reply))
        except anyio.get_cancelled_exc_class():
            self.cancelled += 1
            raise
        finally:
            self.in_flight -= 1
        if reply.error is not None:
            raise reply.error
        text = reply.text
        probs = reply.choice_probs if request.choices else None
        if probs and not text:
            text = max(request.choices, key=lambda c: probs.get(c, 0.0))
        output_tokens = self._count(text)
        if request.max_tokens and output_tokens > request.max_tokens:
            text = " ".join(text.split()[: request.max_tokens])
            output_tokens = request.max_tokens
            reply = Reply(text, "length")
        input_tokens = sum(self._count(m.content) for m in request.messages)
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
            choice_probs=probs,
        )

    async def _stream(self, reply: Reply, on_progress: ProgressCallback, started: float) -> None:
        """Report the text as it "arrives": the first token after `first_token_s`, the
        rest evenly until the reply's latency, a progress report every few tokens."""
        first = reply.first_token_s or 0.0
        total = max(first, self._sleep_for(reply))
        await anyio.sleep(first)
        tokens = max(1, self._count(reply.text))
        chunks = max(1, tokens // 4)
        for n in range(1, chunks + 1):
            await anyio.sleep((total - first) / chunks)
            shown = reply.text[: len(reply.text) * n // chunks]
            on_progress(Progress(tokens * n // chunks, time.monotonic() - started, shown))


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
