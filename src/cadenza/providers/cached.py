"""`CachedModel`: a `Model` wrapper that never pays twice for the same answer.

A call is *repeatable* when its request fixes a seed or asks for temperature 0: the
same model given the same request then gives the same answer, so the wrapper serves a
second identical call from the response cache (usually the `cadenza.store.Store`).
Identical means the same model id at the same endpoint (`scope`: the base URL of an
OpenAI-compatible server, so two servers serving the same model name never share
answers) and the same messages, temperature, seed, max_tokens, stop sequences, JSON
schema and choices. A served answer comes back with
``cached=True``, its original token counts, zero cost and the lookup's latency.
Calls that are not repeatable (temperature above 0 without a seed) always go to the
model. Two identical repeatable calls made at the same time cost one call: the second
waits for the first's answer. A cache that fails (`StoreError`: a full disk, a
read-only store) is passed by: the call goes to the model and its answer is returned.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Mapping
from contextlib import suppress
from dataclasses import replace
from typing import Protocol

import anyio

from cadenza.errors import StoreError
from cadenza.providers.base import (
    Completion,
    CompletionRequest,
    Model,
    Progress,
    ProgressCallback,
    Usage,
)
from cadenza.providers.wrapper import ModelWrapper

KEY_VERSION = 2  # bump when the key's recipe changes, so old entries stop matching


class ResponseCache(Protocol):
    """Where answers are kept (`cadenza.store.Store` is one)."""

    def cache_get(self, key: str) -> Completion | None: ...

    def cache_put(self, key: str, completion: Completion) -> None: ...


def is_repeatable(request: CompletionRequest) -> bool:
    """Whether the same request must give the same answer (seed set, or temperature 0)."""
    return request.seed is not None or request.temperature == 0


def request_key(model_id: str, request: CompletionRequest, scope: str = "") -> str | None:
    """The cache key of calling `model_id` with `request` (a sha256 hex digest), or
    None when the call is not repeatable and must not be served from a cache."""
    if not is_repeatable(request):
        return None
    return _digest(model_id, request, scope, seed=True)


def request_shape(model_id: str, request: CompletionRequest, scope: str = "") -> str:
    """What `request_key` hashes except the seed: two requests of the same shape are
    draws from the same distribution (samples of one prompt at different seeds), so
    an answer obtained for one may stand for the other. A sha256 hex digest."""
    return _digest(model_id, request, scope, seed=False)


def _digest(model_id: str, request: CompletionRequest, scope: str, *, seed: bool) -> str:
    canonical = {
        "v": KEY_VERSION,
        "model": model_id,
        "scope": scope,
        "messages": [[m.role, m.content] for m in request.messages],
        "temperature": request.temperature,
        "seed": request.seed if seed else None,
        "max_tokens": request.max_tokens,
        "stop": list(request.stop),
        "schema": request.json_schema,
    }
    if request.choices:  # only then: keys of requests without choices stay as they were
        canonical["choices"] = list(request.choices)
    if request.grammar is not None:  # likewise
        canonical["grammar"] = request.grammar
    text = json.dumps(canonical, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class CachedModel(ModelWrapper):
    """`inner` behind the response cache `cache`. Same `id` and `max_concurrency` as
    `inner`. `scope` is where `inner` is served from (see the module docstring). `hits`
    and `misses` count this wrapper's repeatable calls."""

    def __init__(self, inner: Model, cache: ResponseCache, *, scope: str = "") -> None:
        super().__init__(inner)
        self._cache = cache
        self._scope = scope
        self._pending: dict[str, anyio.Event] = {}
        self.hits = 0
        self.misses = 0

    async def complete(
        self, request: CompletionRequest, *, on_progress: ProgressCallback | None = None
    ) -> Completion:
        key = request_key(self.id, request, self._scope)
        if key is None:
            return await self._inner.complete(request, on_progress=on_progress)
        started = time.monotonic()
        while True:
            try:
                stored = self._cache.cache_get(key)
            except StoreError:
                stored = None
            if stored is not None:
                self.hits += 1
                return self._served(stored, started, on_progress)
            pending = self._pending.get(key)
            if pending is None:
                break
            # The same call is in flight: wait for it, then look again (if it failed
            # or was cancelled, this call makes its own).
            await pending.wait()
        self.misses += 1
        done = anyio.Event()
        self._pending[key] = done
        try:
            completion = await self._inner.complete(request, on_progress=on_progress)
            if completion.finish_reason != "cancelled":
                with suppress(StoreError):  # paid for: returned even if not kept
                    self._cache.cache_put(key, completion)
        finally:
            del self._pending[key]
            done.set()
        return completion

    @staticmethod
    def _served(
        stored: Completion, started: float, on_progress: ProgressCallback | None
    ) -> Completion:
        elapsed = time.monotonic() - started
        if on_progress is not None:
            on_progress(Progress(output_tokens=stored.usage.output_tokens, elapsed_s=elapsed))
        usage = Usage(
            input_tokens=stored.usage.input_tokens,
            output_tokens=stored.usage.output_tokens,
            cost_usd=0.0,
            latency_s=elapsed,
        )
        return replace(stored, usage=usage, cached=True)


def cached(model: Model, cache: ResponseCache, base_urls: Mapping[str, str]) -> Model:
    """`model` behind `cache`, scoped to the endpoint it is served from (`base_urls`
    by provider, as in `Settings.base_urls`); a `CachedModel` is returned as it is."""
    if isinstance(model, CachedModel):
        return model
    provider = model.id.split(":", 1)[0]
    return CachedModel(model, cache, scope=base_urls.get(provider, ""))
