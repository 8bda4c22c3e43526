"""``anthropic:`` models through the official `anthropic` SDK (Messages API).

System messages go in the ``system`` parameter (the Messages API has no system
role); the other messages keep their order. With a progress callback the call
streams (progress while the model writes; cancelling aborts the stream), without one
it is a single request. A JSON schema becomes a forced tool (tool use: the one tool's
``input_schema`` is the schema and ``tool_choice`` names it), and the tool call's input,
as JSON, is the completion's text; a schema whose root is not an object is wrapped in
one (``{"value": ...}``) and unwrapped. `choices` become a forced tool whose input is
``{"answer": <one of them>}`` (no token probabilities: ``choice_probs`` is None). The
Messages API has no seed: it is ignored.
The SDK's own retries are off: the engine decides what to retry.

Temperature is no longer in the SDK's signature (deprecated by the API, rejected by
the newest models), so it travels in ``extra_body``; a model that refuses it gets the
call again without it, and this model object stops sending it.
"""

from __future__ import annotations

import json
import time
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

import anthropic
import anyio
import httpx2

from cadenza.errors import BadResponseError, MissingKeyError, ProviderError
from cadenza.providers.base import (
    Completion,
    CompletionRequest,
    FinishReason,
    ModelInfo,
    Progress,
    ProgressCallback,
    Usage,
    estimate_tokens,
    plausible_tokens,
)
from cadenza.providers.choices import choice_schema, unwrap_choice
from cadenza.providers.http_errors import Failure, from_sdk_error, to_provider_error
from cadenza.providers.pricing import cost_of
from cadenza.settings import Settings

PROVIDER = "anthropic"
KEY_VARIABLE = "ANTHROPIC_API_KEY"
DEFAULT_BASE_URL = "https://api.anthropic.com"
PLACEHOLDER_KEY = "not-needed"

_FINISH: Mapping[str, FinishReason] = {
    "end_turn": "stop",
    "stop_sequence": "stop",
    "max_tokens": "length",
    "model_context_window_exceeded": "length",
    "refusal": "content_filter",
    "tool_use": "stop",
}
TOOL = "answer"
_WRAPPED = "value"


@dataclass(slots=True)
class _Tally:
    """What a streamed answer has said so far."""

    pieces: list[str]
    tool_json: list[str] | None = None  # the forced tool's input, as streamed JSON
    input_tokens: int = 0
    output_tokens: int = 0
    stop_reason: str | None = None


def _input_tokens(usage: Any) -> int:
    """Input tokens including those read from or written to the prompt cache."""
    total = 0
    for field in ("input_tokens", "cache_creation_input_tokens", "cache_read_input_tokens"):
        total += int(getattr(usage, field, 0) or 0)
    return total


class AnthropicModel:
    """One ``anthropic:NAME`` model."""

    def __init__(self, name: str, settings: Settings) -> None:
        custom_url = settings.base_urls.get(PROVIDER)
        key = settings.key(PROVIDER)
        if key is None and custom_url is None:
            raise MissingKeyError(
                f"No Anthropic API key for anthropic:{name}. Set {KEY_VARIABLE} (or add it "
                "under [keys] in the cadenza config file).",
                provider=PROVIDER,
            )
        self.name = name
        self.base_url = custom_url or DEFAULT_BASE_URL
        self._settings = settings
        self._send_temperature = True
        self._key = key or PLACEHOLDER_KEY

    def _new_client(self) -> anthropic.AsyncAnthropic:
        # One client per call: an SDK client's connection pool belongs to the event
        # loop that opened it, and callers may run several loops (solve_sync).
        return anthropic.AsyncAnthropic(
            api_key=self._key,
            base_url=self.base_url,
            timeout=self._settings.request_timeout_s,
            max_retries=0,
        )

    @property
    def id(self) -> str:
        return f"{PROVIDER}:{self.name}"

    @property
    def max_concurrency(self) -> int:
        return 8

    def _arguments(self, request: CompletionRequest) -> dict[str, Any]:
        system = "\n\n".join(m.content for m in request.messages if m.role == "system")
        arguments: dict[str, Any] = {
            "model": self.name,
            "max_tokens": request.max_tokens,
            "messages": [
                {"role": m.role, "content": m.content}
                for m in request.messages
                if m.role != "system"
            ],
        }
        if self._send_temperature:
            arguments["extra_body"] = {"temperature": request.temperature}
        if system:
            arguments["system"] = system
        if request.stop:
            arguments["stop_sequences"] = list(request.stop)
        schema = choice_schema(request.choices) if request.choices else request.json_schema
        if schema is not None:
            arguments["tools"] = [
                {
                    "name": TOOL,
                    "description": "Give the answer: its input is the whole answer, in the "
                    "required structure.",
                    "input_schema": _object_schema(schema),
                }
            ]
            arguments["tool_choice"] = {"type": "tool", "name": TOOL}
        return arguments

    async def complete(
        self, request: CompletionRequest, *, on_progress: ProgressCallback | None = None
    ) -> Completion:
        started = time.monotonic()
        try:
            tally = await self._timed(request, on_progress, started)
        except ProviderError as error:
            if not (self._send_temperature and _refuses_temperature(error)):
                raise
            self._send_temperature = False
            tally = await self._timed(request, on_progress, started)
        text = "".join(tally.pieces)
        if request.choices:  # the tool's {"answer": ...}; no token probabilities here
            text = unwrap_choice(self._structured(tally, choice_schema(request.choices)))
        elif request.json_schema is not None:
            text = self._structured(tally, request.json_schema)
        input_tokens, output_tokens = tally.input_tokens, tally.output_tokens
        if not (plausible_tokens(input_tokens) and plausible_tokens(output_tokens)) or (
            input_tokens == 0 and output_tokens == 0
        ):  # no usage, or nonsense: count it ourselves
            input_tokens = estimate_tokens(" ".join(m.content for m in request.messages))
            output_tokens = estimate_tokens(text)
        return Completion(
            text=text,
            finish_reason=_FINISH.get(tally.stop_reason or "", "other"),
            usage=Usage(
                input_tokens=input_tokens,
                output_tokens=output_tokens,
                cost_usd=cost_of(self.id, self._settings, input_tokens, output_tokens),
                latency_s=time.monotonic() - started,
            ),
            model=self.id,
        )

    async def _timed(
        self, request: CompletionRequest, on_progress: ProgressCallback | None, started: float
    ) -> _Tally:
        """One call within the timeout, start to last byte (the SDK's own timeout only
        bounds each wait for the next bytes: a body that never ends would run forever)."""
        try:
            with anyio.fail_after(self._settings.request_timeout_s):
                return await self._call(request, on_progress, started)
        except TimeoutError:
            raise self._timed_out() from None

    async def _call(
        self, request: CompletionRequest, on_progress: ProgressCallback | None, started: float
    ) -> _Tally:
        try:
            async with self._new_client() as client:
                if on_progress is None:
                    return await self._single(client, request)
                return await self._stream(client, request, on_progress, started)
        except anthropic.AnthropicError as exc:  # the SDK wraps transport errors too
            raise self._error(exc) from None
        except (ValueError, httpx2.HTTPError) as exc:  # an event that is not JSON, a cut body
            raise self._unreadable(request, exc) from None

    def _unreadable(self, request: CompletionRequest, error: BaseException | None) -> ProviderError:
        """An answer cut off or garbled part way: retryable, charged for its prompt."""
        input_tokens = estimate_tokens(" ".join(m.content for m in request.messages))
        what = f"an answer that could not be read ({error})" if error else "a stream cut off"
        return BadResponseError(
            f"{self.id} at {self.base_url} sent {what}, before the model finished. The "
            "server or the network failed mid-answer; try again.",
            provider=PROVIDER,
            retryable=True,
            input_tokens=input_tokens,
            cost_usd=cost_of(self.id, self._settings, input_tokens, 0),
        )

    def _structured(self, tally: _Tally, schema: Mapping[str, Any]) -> str:
        """The forced tool's input as JSON text (unwrapped when the schema was wrapped)."""
        if tally.tool_json is None:
            raise BadResponseError(
                f"{self.id} did not call the {TOOL!r} tool it was told to use for a "
                "structured answer (stop reason "
                f"{tally.stop_reason!r}). Try again, or use a model that supports tool use.",
                provider=PROVIDER,
                retryable=True,
            )
        raw = "".join(tally.tool_json) or "{}"
        if not _wraps(schema):
            return raw
        try:
            value = json.loads(raw)
        except json.JSONDecodeError:
            return raw  # the caller's parser reports what is wrong with it
        inner = value.get(_WRAPPED) if isinstance(value, dict) else None
        return json.dumps(inner, ensure_ascii=False)

    async def _single(self, client: anthropic.AsyncAnthropic, request: CompletionRequest) -> _Tally:
        message = await client.messages.create(**self._arguments(request))
        pieces = [block.text for block in message.content if block.type == "text"]
        tools = [
            json.dumps(block.input, ensure_ascii=False)
            for block in message.content
            if block.type == "tool_use" and block.name == TOOL
        ]
        return _Tally(
            pieces=pieces,
            tool_json=tools[:1] or None,
            input_tokens=_input_tokens(message.usage),
            output_tokens=message.usage.output_tokens,
            stop_reason=message.stop_reason,
        )

    async def _stream(
        self,
        client: anthropic.AsyncAnthropic,
        request: CompletionRequest,
        on_progress: ProgressCallback,
        started: float,
    ) -> _Tally:
        tally = _Tally(pieces=[])
        deltas = 0
        stream = await client.messages.create(**self._arguments(request), stream=True)
        async with stream:
            async for event in stream:
                if event.type == "message_start":
                    tally.input_tokens = _input_tokens(event.message.usage)
                    tally.output_tokens = event.message.usage.output_tokens
                elif event.type == "content_block_start" and (
                    event.content_block.type == "tool_use" and event.content_block.name == TOOL
                ):
                    tally.tool_json = []
                elif event.type == "content_block_delta" and event.delta.type == "input_json_delta":
                    if tally.tool_json is not None:
                        tally.tool_json.append(event.delta.partial_json)
                    deltas += 1
                    on_progress(
                        Progress(max(deltas, tally.output_tokens), time.monotonic() - started)
                    )
                elif event.type == "content_block_delta" and event.delta.type == "text_delta":
                    tally.pieces.append(event.delta.text)
                    deltas += 1
                    # Deltas carry a few tokens each; the exact count comes at the end.
                    on_progress(
                        Progress(
                            max(deltas, tally.output_tokens),
                            time.monotonic() - started,
                            "".join(tally.pieces),
                        )
                    )
                elif event.type == "message_delta":
                    tally.stop_reason = event.delta.stop_reason or tally.stop_reason
                    tally.output_tokens = event.usage.output_tokens
                    if event.usage.input_tokens is not None:
                        tally.input_tokens = _input_tokens(event.usage)
        if tally.stop_reason is None:  # no message_delta: the stream was cut off
            raise self._unreadable(request, None)
        on_progress(
            Progress(tally.output_tokens, time.monotonic() - started, "".join(tally.pieces))
        )
        return tally

    def _failure(self) -> Failure:
        """What any failure of a call to this model has in common."""
        return Failure(
            kind="bad_payload",
            provider=PROVIDER,
            model=self.name,
            base_url=self.base_url,
            key_variable=KEY_VARIABLE,
            secrets=(self._key,),
            timeout_s=self._settings.request_timeout_s,
        )

    def _timed_out(self) -> ProviderError:
        return to_provider_error(replace(self._failure(), kind="timeout"))

    def _error(self, exc: anthropic.AnthropicError) -> ProviderError:
        base = self._failure()
        return from_sdk_error(
            exc,
            base,
            timeout=anthropic.APITimeoutError,
            connection=anthropic.APIConnectionError,
            status=anthropic.APIStatusError,
        )


def _wraps(schema: Mapping[str, Any]) -> bool:
    """Whether `schema` needs wrapping: a tool's input schema must be an object."""
    return schema.get("type") != "object"


def _object_schema(schema: Mapping[str, Any]) -> dict[str, Any]:
    if not _wraps(schema):
        return dict(schema)
    return {"type": "object", "properties": {_WRAPPED: dict(schema)}, "required": [_WRAPPED]}


def _refuses_temperature(error: ProviderError) -> bool:
    return error.status == 400 and "temperature" in str(error).lower()


def create(name: str, settings: Settings) -> AnthropicModel:
    return AnthropicModel(name, settings)


def describe(settings: Settings) -> list[ModelInfo]:
    """One line: whether a key is set (never its value)."""
    has_key = settings.key(PROVIDER) is not None
    base_url = settings.base_urls.get(PROVIDER)
    detail = f"{KEY_VARIABLE} is set" if has_key else f"set {KEY_VARIABLE} to use Claude models"
    if base_url is not None:
        detail += f"; base URL {base_url}"
    return [
        ModelInfo(
            id=f"{PROVIDER}:*",
            provider=PROVIDER,
            state="key set" if has_key else "no key",
            detail=detail,
        )
    ]
