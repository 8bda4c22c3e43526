"""The provider protocol: one async call, usage and cost on every result.

A *provider* (``openai``, ``anthropic``, ``local``, ``scripted`` or a third party's)
registers a factory in the ``cadenza.providers`` entry-point group. The factory turns
the part of a model id after the colon (``gpt-4.1-mini`` in ``openai:gpt-4.1-mini``)
plus the caller's `Settings` into a `Model`, whose one required method is
`Model.complete`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol, runtime_checkable

from cadenza.settings import Settings

Role = Literal["system", "user", "assistant"]
FinishReason = Literal["stop", "length", "content_filter", "cancelled", "other"]


@dataclass(frozen=True, slots=True)
class Message:
    role: Role
    content: str


@dataclass(frozen=True, slots=True)
class CompletionRequest:
    """What to ask a model. `json_schema`, when given, constrains the output to JSON
    matching that schema (providers that cannot enforce it still ask for it).
    `choices`, when not empty, constrains the output to exactly one of these strings
    (the embedded model by a grammar, hosted models by structured output); the
    completion then says how likely each was (`Completion.choice_probs`) where the
    provider returns token probabilities. `grammar`, when given, is a llama.cpp GBNF
    grammar (rule ``root``) the output must match: the embedded model samples under it;
    hosted providers do not enforce it (the caller parses what comes back)."""

    messages: tuple[Message, ...]
    temperature: float = 0.7
    seed: int | None = None
    max_tokens: int = 512
    stop: tuple[str, ...] = ()
    json_schema: Mapping[str, Any] | None = None
    choices: tuple[str, ...] = ()
    grammar: str | None = None

    @staticmethod
    def of(prompt: str, *, system: str | None = None, **options: Any) -> CompletionRequest:
        """A request from a user prompt and an optional system prompt."""
        messages: list[Message] = []
        if system:
            messages.append(Message("system", system))
        messages.append(Message("user", prompt))
        return CompletionRequest(messages=tuple(messages), **options)


def estimate_tokens(text: str) -> int:
    """About four characters per token (the usual rule for English text), at least 1:
    for a server that reports no usage, or nonsense, and for planning estimates."""
    return max(1, -(-len(text) // 4))


def plausible_tokens(tokens: object) -> bool:
    """Whether a server's token count can be believed: a whole number, not negative."""
    return type(tokens) is int and tokens >= 0


@dataclass(frozen=True, slots=True)
class Usage:
    """Tokens, dollars and seconds spent by one call (latency from a monotonic clock)."""

    input_tokens: int = 0
    output_tokens: int = 0
    cost_usd: float = 0.0
    latency_s: float = 0.0

    @property
    def total_tokens(self) -> int:
        return self.input_tokens + self.output_tokens

    def __add__(self, other: Usage) -> Usage:
        return Usage(
            self.input_tokens + other.input_tokens,
            self.output_tokens + other.output_tokens,
            self.cost_usd + other.cost_usd,
            self.latency_s + other.latency_s,
        )


@dataclass(frozen=True, slots=True)
class Completion:
    """One answer. `choice_probs`, for a request with `choices`, is the probability of
    each choice normalised over the choices, when the provider returns token
    probabilities (None otherwise)."""

    text: str
    finish_reason: FinishReason
    usage: Usage
    model: str  # the full model id, e.g. "local:smollm2-135m"
    cached: bool = False
    choice_probs: Mapping[str, float] | None = None


@dataclass(frozen=True, slots=True)
class Progress:
    """Streaming progress of one call, for the CLI's live display; `text` is the text
    streamed so far, when the provider streams (a plan's steps start as they arrive)."""

    output_tokens: int
    elapsed_s: float
    text: str = ""

    @property
    def tokens_per_s(self) -> float:
        return self.output_tokens / self.elapsed_s if self.elapsed_s > 0 else 0.0


ProgressCallback = Callable[[Progress], None]


@runtime_checkable
class Model(Protocol):
    """A callable model. `id` is the full model id; `max_concurrency` is how many calls
    it serves at once (1 for the embedded model: one instance uses every core)."""

    @property
    def id(self) -> str: ...

    @property
    def max_concurrency(self) -> int: ...

    async def complete(
        self, request: CompletionRequest, *, on_progress: ProgressCallback | None = None
    ) -> Completion:
        """Run one call. Cancelling the awaiting task aborts the call (and its stream).
        Raises `cadenza.errors.ProviderError` subclasses for provider failures."""
        ...


@runtime_checkable
class Batching(Protocol):
    """A model whose concurrent calls share decode steps (the embedded model):
    `sequence_cost` is what one more call running alongside adds to their latency, as a
    fraction of one call's (0: free, 1: no better than one after another), measured."""

    @property
    def sequence_cost(self) -> float: ...


@dataclass(frozen=True, slots=True)
class ModelInfo:
    """One line of `cadenza models`."""

    id: str
    provider: str
    state: str  # e.g. "installed", "assembled", "not installed", "key set", "no key"
    detail: str = ""
    size_bytes: int | None = None


class ProviderFactory(Protocol):
    """What a ``cadenza.providers`` entry point must load to."""

    def __call__(self, name: str, settings: Settings) -> Model: ...


@dataclass(frozen=True, slots=True)
class ProviderDescription:
    """Optional extra a provider module may expose as ``describe(settings)``."""

    provider: str
    models: tuple[ModelInfo, ...] = field(default_factory=tuple)
