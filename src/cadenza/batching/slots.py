"""A model's slots shared fairly by the tasks of a batch.

Each solve already keeps to its models' `max_concurrency` on its own engine run; a batch
runs many solves at once in one process, so the slots must be shared: `FairSlots` holds
the `capacity` of one model for the whole process, and every task calls the model
through its own `SlottedModel` view, which names the task as the *owner* of its calls.

When a slot frees and calls are waiting, it goes to the waiting owner served least
recently (one never served first), each owner's calls in the order they asked. A task
that asks for six samples at once therefore cannot take the one local slot six times in
a row while another task waits with one call: turns go round the waiting tasks.
"""

from __future__ import annotations

from collections import deque
from collections.abc import AsyncIterator, Hashable
from contextlib import asynccontextmanager

import anyio

from cadenza.providers.base import Completion, CompletionRequest, Model, ProgressCallback

REMEMBERED = 4096  # owners whose last turn is remembered


class _Waiter:
    __slots__ = ("event", "granted")

    def __init__(self) -> None:
        self.event = anyio.Event()
        self.granted = False


class FairSlots:
    """`capacity` concurrent calls, handed to waiting owners in turn. Touched from one
    event loop only (no lock needed). `busy` is how many slots are held now;
    `max_busy` the most held at once; `grants` lists owners in the order slots were
    given (for tests and diagnostics, trimmed to the last `history` grants)."""

    def __init__(self, capacity: int, *, history: int = 1024) -> None:
        if capacity < 1:
            raise ValueError(f"a model needs at least one slot, got {capacity}")
        self.capacity = capacity
        self.busy = 0
        self.max_busy = 0
        self.grants: deque[Hashable] = deque(maxlen=history)
        self._waiting: dict[Hashable, deque[_Waiter]] = {}  # in the order they came
        self._served: dict[Hashable, int] = {}  # owner -> number of its last grant
        self._tick = 0

    @property
    def waiting(self) -> int:
        return sum(len(queue) for queue in self._waiting.values())

    @asynccontextmanager
    async def slot(self, owner: Hashable) -> AsyncIterator[None]:
        """Hold one slot for `owner` while the block runs."""
        if self.busy < self.capacity and not self._waiting:
            self._take(owner)
        else:
            waiter = _Waiter()
            self._waiting.setdefault(owner, deque()).append(waiter)
            try:
                await waiter.event.wait()
            except BaseException:
                if waiter.granted:  # given the slot as it was cancelled: pass it on
                    self._release()
                else:
                    self._forget(owner, waiter)
                raise
        try:
            yield
        finally:
            self._release()

    def _take(self, owner: Hashable) -> None:
        self.busy += 1
        self.max_busy = max(self.max_busy, self.busy)
        self.grants.append(owner)
        self._tick += 1
        self._served.pop(owner, None)
        self._served[owner] = self._tick  # least recently served first
        if len(self._served) > REMEMBERED:  # the oldest counts as never served: same rank
            del self._served[next(iter(self._served))]

    def _release(self) -> None:
        """Give the freed slot to the waiting owner served least recently, or free it."""
        self.busy -= 1
        if not self._waiting:
            return
        owner = min(self._waiting, key=lambda o: self._served.get(o, 0))
        queue = self._waiting[owner]
        waiter = queue.popleft()
        if not queue:
            del self._waiting[owner]
        waiter.granted = True
        self._take(owner)
        waiter.event.set()

    def _forget(self, owner: Hashable, waiter: _Waiter) -> None:
        queue = self._waiting.get(owner)
        if queue is None:
            return
        queue.remove(waiter)
        if not queue:
            del self._waiting[owner]


class SlottedModel:
    """`inner` as one task of a batch sees it: every call holds one of the shared
    `slots`, on behalf of `owner`, and the task plans with `share` slots as the model's
    `max_concurrency`.

    A batch gives each task one slot: a task alone on a hosted model samples several
    candidates at once to cut its latency, but in a batch the other tasks fill the
    slots, so a task sampling one at a time (and stopping at the first that passes)
    loses no throughput and pays for fewer calls. And a task whose calls run one at a
    time cannot see them finish in another order, so it gives the same result however
    the tasks interleave, here or on another worker."""

    def __init__(self, inner: Model, slots: FairSlots, owner: Hashable, share: int) -> None:
        if share < 1:
            raise ValueError(f"a task's share of slots must be at least 1, got {share}")
        self.inner = inner
        self.slots = slots
        self.owner = owner
        self.share = share

    @property
    def id(self) -> str:
        return self.inner.id

    @property
    def max_concurrency(self) -> int:
        return self.share

    async def complete(
        self, request: CompletionRequest, *, on_progress: ProgressCallback | None = None
    ) -> Completion:
        async with self.slots.slot(self.owner):
            return await self.inner.complete(request, on_progress=on_progress)
