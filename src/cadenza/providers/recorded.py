"""`RecordedModel`: a `Model` wrapper that logs every answer a run obtains, and serves
a resumed run the answers its first life already obtained.

Each answer is logged (with the run id and the request's *shape*: the request without
its seed, see `cadenza.providers.cached.request_shape`) the moment it arrives, so a
process killed mid-run loses at most the calls in flight. When the run is resumed, a
`Replay` of that log is consulted first: a request of a logged shape is answered with
the logged answer (each answer once, in the order they came). Matching on the shape
rather than the exact request lets the resumed run use a sample drawn at another seed:
the seed a planner picks may depend on the order in which concurrent calls ended.

A restored answer that was paid for comes back as it was (``cached`` False, its
original usage and cost), so the resumed run charges it to its budget exactly as its
first life did; one that was served from the response cache back then comes back
``cached`` with zero cost, as it did then. Restored answers are not logged again.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from contextlib import suppress
from dataclasses import dataclass, replace
from typing import Protocol

from cadenza.errors import StoreError
from cadenza.providers.base import (
    Completion,
    CompletionRequest,
    Model,
    Progress,
    ProgressCallback,
    Usage,
)
from cadenza.providers.cached import request_shape
from cadenza.providers.wrapper import ModelWrapper


@dataclass(frozen=True, slots=True)
class RecordedCall:
    """One answer a run obtained: from `model`, for a request of shape `shape`;
    `served` when it came from the response cache (nothing was paid for it)."""

    model: str
    shape: str
    completion: Completion
    served: bool


class CallLog(Protocol):
    """Where answers are logged (`cadenza.store.Store` is one)."""

    def record_call(
        self, run_id: str, model: str, shape: str, completion: Completion, *, served: bool
    ) -> None: ...


class Replay:
    """The answers a run obtained before it was interrupted, to be served again: by
    model and request shape, each once, in the order they came. Shared by every
    model of the resumed run; `restored` counts the answers served."""

    def __init__(self, calls: Iterable[RecordedCall]) -> None:
        self._pool: dict[tuple[str, str], deque[RecordedCall]] = {}
        for call in calls:
            self._pool.setdefault((call.model, call.shape), deque()).append(call)
        self.restored = 0

    def __len__(self) -> int:
        return sum(len(q) for q in self._pool.values())

    def take(self, model: str, shape: str) -> RecordedCall | None:
        queue = self._pool.get((model, shape))
        if not queue:
            return None
        self.restored += 1
        return queue.popleft()


class RecordedModel(ModelWrapper):
    """`inner` whose answers are logged under run `run_id` in `log`, consulting
    `replay` first when the run is being resumed. Same `id` and `max_concurrency` as
    `inner`; `scope` as for `CachedModel` (where `inner` is served from)."""

    def __init__(
        self,
        inner: Model,
        log: CallLog,
        run_id: str,
        *,
        scope: str = "",
        replay: Replay | None = None,
    ) -> None:
        super().__init__(inner)
        self._log = log
        self._run_id = run_id
        self._scope = scope
        self._replay = replay

    async def complete(
        self, request: CompletionRequest, *, on_progress: ProgressCallback | None = None
    ) -> Completion:
        shape = request_shape(self.id, request, self._scope)
        if self._replay is not None:
            call = self._replay.take(self.id, shape)
            if call is not None:
                return _restored(call, on_progress)
        completion = await self._inner.complete(request, on_progress=on_progress)
        if completion.finish_reason != "cancelled":
            # an answer paid for is returned even when the store cannot take it (full
            # disk, read-only file): the run's end then notes it is not fully recorded,
            # and a resume would pay for this call again
            with suppress(StoreError):
                self._log.record_call(
                    self._run_id, self.id, shape, completion, served=completion.cached
                )
        return completion


def _restored(call: RecordedCall, on_progress: ProgressCallback | None) -> Completion:
    completion = call.completion
    if on_progress is not None:
        on_progress(Progress(output_tokens=completion.usage.output_tokens, elapsed_s=0.0))
    if not call.served:
        return completion
    usage = Usage(completion.usage.input_tokens, completion.usage.output_tokens, 0.0, 0.0)
    return replace(completion, usage=usage, cached=True)
