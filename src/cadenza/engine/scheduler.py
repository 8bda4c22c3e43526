"""The run: eager scheduling of a growing step graph under limits, budget and deadline.

One coroutine (`Run.run`, the owner) holds every piece of run state. Attempts run on
workers (`cadenza.engine.workers`) and report back by sending themselves through a
memory object stream; the planner's requests (`add_steps`, `prune`, `cancel`, `stop`)
travel the same stream. Nothing polls: the owner sleeps until a message arrives (a
worker that just got an attempt gets one turn first), applies every message waiting,
settles what ended, and starts every step that is now ready and has a free slot and
budget, longest remaining path first.
"""

from __future__ import annotations

import math
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import anyio
from anyio.lowlevel import checkpoint
from anyio.streams.memory import MemoryObjectReceiveStream

from cadenza.engine.estimates import Estimates
from cadenza.engine.events import Event, RunFinished, RunStarted
from cadenza.engine.graph import Plan, PlanError, Step, check_steps
from cadenza.engine.machine import Machine
from cadenza.engine.outcomes import Spend
from cadenza.engine.report import Limits, RunReport
from cadenza.engine.state import Attempt, CancelSteps, Close, Grow, Message, Wake

__all__ = ["Limits", "Run", "RunReport", "execute", "open_run"]  # Limits, RunReport: re-exported


class Run(Machine):
    """One execution of a plan. Create it, optionally subscribe with `events()`, then
    ``await run.run()`` (or use `open_run` / `execute`). While it runs, `add_steps`,
    `prune`, `cancel` and `stop` may be called from steps, event handlers or the
    planner. A run runs once.

    `budget`: dollars, tokens and calls (reserved per attempt from `Step.estimate`,
    settled from what the step charged) and ``seconds``, a deadline from the start.
    `limits`: concurrent attempts overall and per resource. `retry`: the default
    retry policy. `estimates`: fed one observation per finished attempt (a fresh
    `Estimates` if not given). `on_event`: a synchronous callback for every event (it
    must not raise). `data_errors`: exceptions that mean "this step failed" and are
    recorded as data; any other exception from a step is a bug: the run stops and
    re-raises it. `seed`: for the retry jitter.
    """

    # ----------------------------------------------------------------- public API

    @property
    def run_id(self) -> str:
        return self._run_id

    @property
    def estimates(self) -> Estimates:
        return self._estimates

    @property
    def spent(self) -> Spend:
        return self._ledger.spent

    def events(self) -> MemoryObjectReceiveStream[Event]:
        """A stream of this run's events from now on, closed after `RunFinished`.
        Use as ``async with run.events() as events: async for event in events: ...``."""
        send, receive = anyio.create_memory_object_stream[Event](math.inf)
        if self._report is not None:
            send.close()
        else:
            self._subscribers.append(send)
            self._emitting = True
        return receive

    def add_steps(self, *steps: Step) -> None:
        """Grow the graph. Checked now (raises `PlanError`); scheduled by the run."""
        if self._report is not None:
            raise PlanError(
                "The run has finished: add steps from inside a step, or from an on_event "
                "callback, so that the run is still going."
            )
        ordered = check_steps(tuple(steps), self._known)
        self._known.update(s.id for s in ordered)
        self._post(Grow(ordered))

    def prune(self, *step_ids: str) -> None:
        """Remove steps on purpose (outcome ``pruned``), cancelling those in flight;
        steps that need them are pruned too (``partial_inputs`` joins still run)."""
        self._request(CancelSteps(self._check_ids(step_ids), "pruned", "pruned"))

    def cancel(self, *step_ids: str) -> None:
        """Cancel steps (outcome ``cancelled``) and skip the steps that need them."""
        self._request(CancelSteps(self._check_ids(step_ids), "cancelled", "cancelled"))

    def stop(self) -> None:
        """We are done: cancel everything in flight, skip everything not started."""
        self._request(Close("stopped"))

    async def wait(self) -> RunReport:
        """Wait for the run to finish; its report."""
        await self._finished.wait()
        assert self._report is not None
        return self._report

    def report(self) -> RunReport:
        if self._report is None:
            raise PlanError("The run has not finished: await run.wait() first.")
        return self._report

    async def run(self) -> RunReport:
        """Run to the end and return the report. Re-raises a step's bug."""
        if self._started:
            raise PlanError("A run runs once: build a new Run for the same plan.")
        self._started = True
        self._t0 = time.monotonic()
        self._emit(RunStarted(self._run_id, len(self._known), self._t0, time.time()))
        async with anyio.create_task_group() as tg:
            self._tg = tg
            self._pool.open(tg)
            if self._seconds is not None:
                tg.start_soon(self._deadline_timer, self._t0 + self._seconds)
            await self._loop()
            self._pool.close()
            tg.cancel_scope.cancel()  # the deadline timer
        report = self._make_report()
        self._report = report
        self._emit(
            RunFinished(self._run_id, report.status, report.stats, time.monotonic(), time.time())
        )
        for send in self._subscribers:
            send.close()
        self._subscribers.clear()
        self._finished.set()
        if self._crash is not None:
            raise self._crash
        return report

    async def _loop(self) -> None:
        rx, handle, pool = self._rx, self._handle, self._pool
        self._after()
        busy = True  # something changed this turn
        behind = False  # attempts stayed queued through a turn of the staffed workers
        while self._settled < len(self._known) or self._in_flight:
            if pool.queued:
                pool.staff(everyone=behind)
            if busy or pool.queued:
                await checkpoint()  # staffed workers take their turn, then we look again
            else:
                self._bell = bell = anyio.Event()
                await bell.wait()  # `_post` rings it
                self._bell = None
            behind = pool.queued
            busy = False
            while True:
                try:
                    message = rx.receive_nowait()
                except anyio.WouldBlock:
                    break
                handle(message)
                busy = True
            if busy:
                self._after()

    # ------------------------------------------------------------ message handling

    def _request(self, message: Message) -> None:
        if self._report is None:
            self._post(message)

    def _check_ids(self, step_ids: tuple[str, ...]) -> tuple[str, ...]:
        for sid in step_ids:
            if sid not in self._known:
                raise PlanError(f"No step {sid!r} in this run: check the id.")
        return step_ids

    def _handle(self, message: Message) -> None:
        if type(message) is Attempt:
            self._on_done(message)
        elif type(message) is Wake:
            node = message.node
            if node.timer is message.timer:  # else: cancelled after the wake was sent
                node.timer = None
                self._timers -= 1
                self._make_ready(node)
        elif type(message) is Grow:
            self._grow(message.steps, initial=False)
        elif type(message) is CancelSteps:
            for sid in message.step_ids:
                node = self._nodes[sid]
                self._cancel_node(node, message.outcome, message.outcome, message.reason)
        elif type(message) is Close:
            self._close(message.reason)

    async def _deadline_timer(self, deadline: float) -> None:
        await anyio.sleep_until(deadline)
        self._post(Close("deadline"))


async def execute(plan: Plan, **options: Any) -> RunReport:
    """Run `plan` to the end (options as for `Run`); re-raises a step's bug."""
    return await Run(plan, **options).run()


@asynccontextmanager
async def open_run(plan: Plan, **options: Any) -> AsyncIterator[Run]:
    """Run `plan` in the background for the duration of the block, e.g. to read its
    events while it runs::

        async with open_run(plan) as run:
            async with run.events() as events:
                async for event in events:
                    ...
        report = run.report()

    Leaving the block waits for the run to end (an exception in the block cancels it).
    A step's bug is re-raised when the block ends.
    """
    run = Run(plan, **options)
    crash: list[BaseException] = []

    async def main() -> None:
        try:
            await run.run()
        except Exception as error:  # re-raised below, unwrapped from the task group
            crash.append(error)

    async with anyio.create_task_group() as tg:
        tg.start_soon(main)
        yield run
    if crash:
        raise crash[0]
