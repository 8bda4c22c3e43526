"""The workers that run attempts, each in a task of the run's task group.

Starting a task per attempt costs more than the rest of the engine's work on a step,
so tasks are reused: the owner queues started attempts and staffs the queue; a worker
takes attempt after attempt while they finish without waiting, and parks on its own
event when the queue is empty (after one more look a turn later: in a chain of quick
steps the owner queues the next one meanwhile). The owner staffs lazily: one worker
first (a burst of quick steps then costs no new tasks); whatever is still queued after
that worker had its turn is behind steps that are waiting on something, so then every
queued attempt gets a worker of its own. A ready step therefore starts at the latest on
the owner's next turn, never behind an unrelated slow step.

A worker runs its attempts under one cancel scope, which the owner cancels to cancel
the attempt in progress (never one that has been reported); after a cancellation the
worker opens a fresh scope.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable

import anyio
import anyio.abc
from anyio.lowlevel import checkpoint

from cadenza.engine.context import RUNNING
from cadenza.engine.state import Attempt

MAX_PARKED = 256  # idle workers kept; more would only cost memory


class WorkerPool:
    """Queue, parked workers and staffing. Its state is touched by the owner and by
    workers, from synchronous code only (no lock needed on one event loop)."""

    def __init__(
        self,
        report: Callable[[Attempt], None],
        data_errors: tuple[type[BaseException], ...],
    ) -> None:
        self._report = report
        self._data_errors = data_errors
        self._queue: deque[Attempt] = deque()
        self._parked: list[anyio.Event] = []
        self._coming = 0  # workers staffed that have not looked at the queue yet
        self._closed = False
        self._tg: anyio.abc.TaskGroup | None = None

    def open(self, tg: anyio.abc.TaskGroup) -> None:
        self._tg = tg

    @property
    def queued(self) -> bool:
        return bool(self._queue)

    def submit(self, attempt: Attempt) -> None:
        """Queue an attempt; `staff` makes sure a worker takes it."""
        self._queue.append(attempt)

    def staff(self, *, everyone: bool) -> None:
        """One worker on its way to the queue, or (`everyone`) one per queued attempt."""
        need = (len(self._queue) if everyone else 1) - self._coming
        while need > 0 and self._parked:
            self._parked.pop().set()
            self._coming += 1
            need -= 1
        if need > 0:
            assert self._tg is not None, "staff() before open()"
            for _ in range(need):
                self._coming += 1
                self._tg.start_soon(self._work)

    def cancel(self, attempt: Attempt) -> None:
        """Cancel an attempt that has not been reported yet (queued or running)."""
        if not attempt.finished:
            attempt.cancel_requested = True
            if attempt.scope is not None:
                attempt.scope.cancel()

    def close(self) -> None:
        """Let parked workers return (cheaper than cancelling them)."""
        self._closed = True
        for wake in self._parked:
            wake.set()
        self._parked.clear()

    async def _work(self) -> None:
        self._coming -= 1
        report = self._report
        data_errors = self._data_errors
        queue = self._queue
        looked = False  # looked again after a turn, before parking
        while True:
            current: Attempt | None = None
            with anyio.CancelScope() as scope:
                while True:
                    if not queue:
                        if not looked:  # the owner may queue the next step this turn
                            looked = True
                            self._coming += 1
                            await checkpoint()
                            self._coming -= 1
                        elif not await self._park():
                            return
                        continue
                    looked = False
                    current = queue.popleft()
                    if current.cancel_requested:
                        break
                    current.scope = scope
                    RUNNING.set(current)  # this worker's context: read by current_step()
                    try:
                        current.value = await current.step.fn(current)
                    except data_errors as error:
                        current.error = error
                    except Exception as error:  # a bug in the step: the run re-raises it
                        current.error = error
                        current.crash = True
                    if scope.cancel_called:
                        break  # cancelled, though the step swallowed it
                    current.finished = True
                    report(current)
            assert current is not None
            current.cancelled = True  # the attempt in progress was cancelled
            current.finished = True
            report(current)

    async def _park(self) -> bool:
        """Wait to be staffed; False when the pool is closed or enough workers wait."""
        if len(self._parked) >= MAX_PARKED:
            return False
        wake = anyio.Event()
        self._parked.append(wake)
        await wake.wait()
        if self._closed:
            return False
        self._coming -= 1
        return True
