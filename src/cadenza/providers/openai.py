"""``openai:`` models through the official `openai` SDK.

Works with OpenAI itself and with any OpenAI-compatible server (vLLM, Ollama,
llama.cpp's server, hosted gateways) through ``settings.base_urls["openai"]``
(``OPENAI_BASE_URL``). Calls stream, so progress is reported while the model writes
and cancelling the caller aborts the stream. The SDK's own retries are off: the
engine decides what to retry, from the error's `retryable` and `retry_after`.

`choices` are asked as structured output (an object whose ``answer`` is one of them)
with the top log probabilities of each token; the probabilities of the choices are read
from the alternatives of the token where the answer starts. A server that refuses log
probabilities gets the call again without them (``choice_probs`` is then None).
"""

from __future__ import annotations

import re
import time
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any, Literal

import anyio
import httpx2
import openai

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
from cadenza.providers.choices import choice_schema, probs_from_alternatives, unwrap_choice
from cadenza.providers.http_errors import Failure, from_sdk_error, to_provider_error
from cadenza.providers.pricing import cost_of
from cadenza.settings import Settings

PROVIDER = "openai"
KEY_VARIABLE = "OPENAI_API_KEY"
DEFAULT_BASE_URL = "https://api.openai.com/v1"
# Local OpenAI-compatible servers need no key, but the SDK insists on one.
PLACEHOLDER_KEY = "not-needed"

TOP_LOGPROBS = 10
_VALUE_START = re.compile(r'"answer"\s*:\s*"')
JsonMode = Literal["json_schema", "json_object"]
_FINISH: Mapping[str, FinishReason] = {
    "stop": "stop",
    "length": "length",
    "content_filter": "content_filter",
}


class OpenAIModel:
    """One ``openai:NAME`` model behind one base URL."""

    def __init__(self, name: str, settings: Settings) -> None:
        custom_url = settings.base_urls.get(PROVIDER)
        key = settings.key(PROVIDER)
        if key is None and custom_url is None:
            raise MissingKeyError(
                f"No OpenAI API key for openai:{name}. Set {KEY_VARIABLE} (or add it under "
                f"[keys] in the cadenza config file), or set OPENAI_BASE_URL to use an "
                "OpenAI-compatible server that needs no key.",
                provider=PROVIDER,
            )
        self.name = name
        self.base_url = custom_url or DEFAULT_BASE_URL
        self._custom_server = custom_url is not None
        self._settings = settings
        # OpenAI's own structured-output form first; llama.cpp-style servers only know
        # {"type": "json_object", "schema": ...}, which we switch to if it is refused.
        self._json_mode: JsonMode = "json_schema"
        self._logprobs = True  # asked for with `choices`, until a server refuses them
        self._key = key or PLACEHOLDER_KEY

    def _new_client(self) -> openai.AsyncOpenAI:
        # One client per call: an SDK client's connection pool belongs to the event
        # loop that opened it, and callers may run several loops (solve_sync).
        return openai.AsyncOpenAI(
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
        return 4 if self._custom_server else 16

    def _arguments(self, request: CompletionRequest) -> dict[str, Any]:
        arguments: dict[str, Any] = {
            "model": self.name,
            "messages": [{"role": m.role, "content": m.content} for m in request.messages],
            "temperature": request.temperature,
            "stream": True,
            "stream_options": {"include_usage": True},
        }
        # OpenAI's newer models only take max_completion_tokens; compatible servers
        # generally only know max_tokens.
        limit_name = "max_tokens" if self._custom_server else "max_completion_tokens"
        arguments[limit_name] = request.max_tokens
        if request.seed is not None:
            arguments["seed"] = request.seed
        if request.stop:
            arguments["stop"] = list(request.stop)
        schema_asked = _schema_of(request)
        if schema_asked is not None:
            schema = dict(schema_asked)
            if self._json_mode == "json_schema":
                arguments["response_format"] = {
                    "type": "json_schema",
                    "json_schema": {"name": "answer", "schema": schema},
                }
            else:
                arguments["response_format"] = {"type": "json_object", "schema": schema}
        if request.choices and self._logprobs:
            arguments["logprobs"] = True
            arguments["top_logprobs"] = TOP_LOGPROBS
        return arguments

    async def complete(
        self, request: CompletionRequest, *, on_progress: ProgressCallback | None = None
    ) -> Completion:
        for _ in range(3):  # at most: json_object instead, then no logprobs
            try:
                return await self._timed(request, on_progress)
            except ProviderError as error:
                if self._should_retry_json_object(request, error):
                    self._json_mode = "json_object"
                elif request.choices and self._logprobs and _refuses_logprobs(error):
                    self._logprobs = False
                else:
                    raise
        return await self._timed(request, on_progress)

    async def _timed(
        self, request: CompletionRequest, on_progress: ProgressCallback | None
    ) -> Completion:
        """One call within the timeout, start to last byte (the SDK's own timeout only
        bounds each wait for the next bytes: a body that never ends would run forever)."""
        try:
            with anyio.fail_after(self._settings.request_timeout_s):
                return await self._stream(request, on_progress)
        except TimeoutError:
            raise self._timed_out() from None

    def _should_retry_json_object(self, request: CompletionRequest, error: ProviderError) -> bool:
        return (
            _schema_of(request) is not None
            and self._json_mode == "json_schema"
            and self._custom_server
            and error.status in (400, 422, 500)  # llama.cpp answers 500 to what it cannot parse
            and "response_format" in str(error)
        )

    async def _stream(
        self, request: CompletionRequest, on_progress: ProgressCallback | None
    ) -> Completion:
        started = time.monotonic()
        pieces: list[str] = []
        chunks_with_text = 0
        tokens: list[tuple[str, dict[str, float]]] = []  # with `choices`: each token's top
        finish: FinishReason | None = None
        input_tokens: int | None = None
        output_tokens: int | None = None
        try:
            async with self._new_client() as client:
                stream = await client.chat.completions.create(**self._arguments(request))
                async with stream:
                    async for chunk in stream:
                        if chunk.usage is not None:
                            input_tokens = chunk.usage.prompt_tokens
                            output_tokens = chunk.usage.completion_tokens
                        for choice in chunk.choices:
                            if choice.delta is not None and choice.delta.content:
                                pieces.append(choice.delta.content)
                                chunks_with_text += 1
                                if on_progress is not None:
                                    on_progress(
                                        Progress(
                                            chunks_with_text,
                                            time.monotonic() - started,
                                            "".join(pieces),
                                        )
                                    )
                            tokens.extend(_top_logprobs(choice))
                            if choice.finish_reason is not None:
                                finish = _FINISH.get(choice.finish_reason, "other")
        except openai.OpenAIError as exc:  # the SDK wraps transport errors too
            raise self._error(exc) from None
        except (ValueError, httpx2.HTTPError) as exc:  # a chunk that is not JSON, a cut body
            raise self._unreadable(request, chunks_with_text, exc) from None
        latency = time.monotonic() - started
        if finish is None and not pieces:
            # llama.cpp's server, for one, fails this way when the prompt does not fit.
            raise BadResponseError(
                f"The stream from {self.id} at {self.base_url} ended before the model wrote "
                "anything. The server may have failed mid-call (often: the prompt does not "
                "fit its context window); check its log, shorten the prompt or try again.",
                provider=PROVIDER,
                retryable=True,
            )
        if finish is None:
            raise self._unreadable(request, chunks_with_text, None)
        text = "".join(pieces)
        probs = None
        if request.choices:
            probs = _answer_probs(request.choices, text, tokens)
            text = unwrap_choice(text)
        if not all(t is None or plausible_tokens(t) for t in (input_tokens, output_tokens)):
            input_tokens = output_tokens = None  # nonsense: count it ourselves
        if input_tokens is None:
            input_tokens = estimate_tokens(" ".join(m.content for m in request.messages))
        if output_tokens is None:
            output_tokens = chunks_with_text or estimate_tokens(text)  # a chunk: a token
        return Completion(
            text=text,
            finish_reason=finish,
            usage=Usage(
                input_tokens=input_tokens,
                output_tokens=output_tokens,
                cost_usd=cost_of(self.id, self._settings, input_tokens, output_tokens),
                latency_s=latency,
            ),
            model=self.id,
            choice_probs=probs,
        )

    def _unreadable(
        self, request: CompletionRequest, chunks: int, error: BaseException | None
    ) -> ProviderError:
        """A stream cut off or garbled part way: retryable, charged for what it used."""
        input_tokens = estimate_tokens(" ".join(m.content for m in request.messages))
        what = f"a stream that could not be read ({error})" if error else "a stream cut off"
        return BadResponseError(
            f"{self.id} at {self.base_url} sent {what} after {chunks} chunk(s), before the "
            "model finished. The server or the network failed mid-answer; try again.",
            provider=PROVIDER,
            retryable=True,
            input_tokens=input_tokens,
            output_tokens=chunks,
            cost_usd=cost_of(self.id, self._settings, input_tokens, chunks),
        )

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

    def _error(self, exc: openai.OpenAIError) -> ProviderError:
        base = self._failure()
        return from_sdk_error(
            exc,
            base,
            timeout=openai.APITimeoutError,
            connection=openai.APIConnectionError,
            status=openai.APIStatusError,
        )


def _schema_of(request: CompletionRequest) -> Mapping[str, Any] | None:
    """The JSON schema the answer must follow: the request's, or the object that
    carries one of its `choices`."""
    if request.choices:
        return choice_schema(request.choices)
    return request.json_schema


def _refuses_logprobs(error: ProviderError) -> bool:
    return error.status in (400, 422) and "logprobs" in str(error).lower()


def _top_logprobs(choice: Any) -> list[tuple[str, dict[str, float]]]:
    """The streamed tokens of `choice` with their top alternatives (none when the
    server sent no log probabilities)."""
    content = getattr(getattr(choice, "logprobs", None), "content", None) or []
    out: list[tuple[str, dict[str, float]]] = []
    for item in content:
        alternatives = {alt.token: float(alt.logprob) for alt in item.top_logprobs or []}
        alternatives.setdefault(item.token, float(item.logprob))
        out.append((item.token, alternatives))
    return out


def _answer_probs(
    choices: Sequence[str], raw: str, tokens: Sequence[tuple[str, Mapping[str, float]]]
) -> Mapping[str, float] | None:
    """The choices' probabilities from the alternatives of the token where the answer's
    value starts in the JSON object `raw` (None when that cannot be found)."""
    found = _VALUE_START.search(raw)
    if found is None or not tokens:
        return None
    at, offset = found.end(), 0
    for token, alternatives in tokens:
        end = offset + len(token)
        if end > at:
            prefix = raw[offset:at]  # e.g. the quote, when one token is '"yes'
            rest = {
                alt[len(prefix) :]: lp for alt, lp in alternatives.items() if alt.startswith(prefix)
            }
            return probs_from_alternatives(choices, rest)
        offset = end
    return None


def create(name: str, settings: Settings) -> OpenAIModel:
    return OpenAIModel(name, settings)


def describe(settings: Settings) -> list[ModelInfo]:
    """One line: whether a key is set (never its value) and which server is used."""
    base_url = settings.base_urls.get(PROVIDER)
    has_key = settings.key(PROVIDER) is not None
    if base_url is not None:
        state = "key set" if has_key else "no key needed"
        detail = f"OpenAI-compatible server at {base_url}"
    else:
        state = "key set" if has_key else "no key"
        detail = f"{KEY_VARIABLE} is set" if has_key else f"set {KEY_VARIABLE} to use OpenAI models"
    return [ModelInfo(id=f"{PROVIDER}:*", provider=PROVIDER, state=state, detail=detail)]
