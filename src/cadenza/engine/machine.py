"""The run's state machine: every transition of a step, synchronous and owned by one
coroutine (`cadenza.engine.scheduler.Run` drives it from its loop).

A step is pending (waiting for inputs), ready (queued for a slot and budget), running
(an attempt in flight), backing off (a retry sleeping) or done (its one outcome
recorded). Steps that end are settled in a queue and `_propagate` tells their dependents;
`_dispatch` starts ready steps by priority, then longest remaining path, while slots and
budget allow; speculative attempts take what is left.
"""

from __future__ import annotations

import heapq
import math
import random
import time
import uuid
from collections import deque
from collections.abc import Callable
from typing import cast

import anyio
import anyio.abc
from anyio.streams.memory import MemoryObjectSendStream

from cadenza.engine.budget import Ledger
from cadenza.engine.context import RunControl
from cadenza.engine.estimates import Estimates
from cadenza.engine.events import (
    BudgetUsed,
    Event,
    RunStats,
    RunStatus,
    StepFinished,
    StepRetrying,
    StepsAdded,
    StepStarted,
)
from cadenza.engine.graph import Plan, Step
from cadenza.engine.outcomes import OUTCOMES, ZERO, Outcome, Reason, Spend
from cadenza.engine.report import Limits, Records, RunReport, record_of
from cadenza.engine.retry import RetryPolicy
from cadenza.engine.state import (
    BACKOFF,
    DONE,
    PENDING,
    READY,
    RUNNING,
    Attempt,
    Message,
    Node,
    Wake,
)
from cadenza.engine.workers import WorkerPool
from cadenza.errors import ProviderError
from cadenza.redact import redact
from cadenza.task import Budget

_Entry = tuple[float, float, int, Node]  # (-priority, -rank, seq, node): a ready queue entry


class Machine:
    """Run state and its transitions (see the module docstring). Not thread-safe;
    never awaited: only `Run` calls into it, from its loop or its public methods."""

    def __init__(
        self,
        plan: Plan,
        *,
        budget: Budget | None = None,
        limits: Limits | None = None,
        retry: RetryPolicy | None = None,
        estimates: Estimates | None = None,
        on_event: Callable[[Event], None] | None = None,
        data_errors: tuple[type[BaseException], ...] = (ProviderError,),
        seed: int | None = None,
        run_id: str | None = None,
    ) -> None:
        self._run_id = run_id or uuid.uuid4().hex
        self._ledger = Ledger(budget)
        self._seconds = budget.seconds if budget else None
        self._limits = limits or Limits()
        self._retry = retry or RetryPolicy()
        self._estimates = estimates if estimates is not None else Estimates()
        self._on_event = on_event
        self._rng = random.Random(seed)
        self._tx, self._rx = anyio.create_memory_object_stream[Message](math.inf)
        self._bell: anyio.Event | None = None  # set while the owner sleeps
        self._pool = WorkerPool(self._post, data_errors)
        self._subscribers: list[MemoryObjectSendStream[Event]] = []
        self._emitting = on_event is not None
        self._nodes: dict[str, Node] = {}
        self._known: set[str] = set()  # ids of every step added, applied or not yet
        self._seq = 0
        self._queues: dict[str | None, list[_Entry]] = {}  # ready steps per resource
        self._spec_queue: list[Node] = []
        self._blocked: list[Node] = []  # ready, but the budget cannot pay for them now
        self._busy: dict[str | None, int] = {}
        self._busy_total = 0
        self._in_flight = 0
        self._timers = 0
        self._settled = 0
        self._settled_q: deque[Node] = deque()
        self._unlimited = (
            self._ledger.unlimited
            and self._limits.overall is None
            and not self._limits.per_resource
        )
        self._closing: Reason = ""
        self._exhausted = False
        self._crash: BaseException | None = None
        self._started = False
        self._finished = anyio.Event()
        self._report: RunReport | None = None
        self._tg: anyio.abc.TaskGroup | None = None
        self._counts: dict[str, int] = dict.fromkeys(OUTCOMES, 0)
        self._wasted = ZERO
        self._spec_wasted = ZERO
        self._hits = 0
        self._misses = 0
        self._retries = 0
        self._t0 = 0.0
        self._known.update(s.id for s in plan.steps)
        self._grow(plan.steps, initial=True)

    def _post(self, message: Message) -> None:
        """Send a message to the owner and wake it if it sleeps."""
        self._tx.send_nowait(message)
        if self._bell is not None:
            self._bell.set()

    def _after(self) -> None:
        self._propagate()
        self._dispatch()

    # ------------------------------------------------------------- graph growth

    def _latency(self, step: Step) -> float:
        if step.latency_s is not None:
            return step.latency_s
        known = self._estimates.latency_s(step.resource, step.kind)
        if known is not None:
            return known
        return 1.0 if step.resource is not None else 0.001

    def _grow(self, steps: tuple[Step, ...], *, initial: bool) -> None:
        nodes = self._nodes
        new: list[Node] = []
        for step in steps:
            node = Node(step, self._seq, self._latency(step))
            self._seq += 1
            nodes[step.id] = node
            new.append(node)
            for sid in step.inputs:
                parent = nodes[sid]
                node.inputs.append(parent)
                if parent.state == DONE:
                    if parent.outcome != "ok" and node.bad is None:
                        node.bad = parent.outcome
                else:
                    parent.dependents.append(node)
                    node.waiting += 1
        for node in reversed(new):  # rank: own latency + the longest path after it
            for child in node.dependents:
                if node.lat + child.rank > node.rank:
                    node.rank = node.lat + child.rank
        if not initial:
            stack = list(new)  # new paths may lengthen those of the steps they follow
            while stack:
                node = stack.pop()
                for parent in node.inputs:
                    if parent.state != DONE and parent.lat + node.rank > parent.rank:
                        parent.rank = parent.lat + node.rank
                        stack.append(parent)
            now = time.monotonic()
            self._emit(StepsAdded(self._run_id, tuple(s.id for s in steps), now, time.time()))
        for node in new:
            if self._closing:
                self._finish(node, "skipped", self._closing, None)
            else:
                self._check(node)

    # --------------------------------------------------------- settling and readiness

    def _check(self, node: Node) -> None:
        """Decide what a node that has not started does after its inputs changed."""
        if node.bad is not None and not node.step.partial_inputs:
            if self._closing:
                self._finish(node, "skipped", self._closing, None)
            elif node.bad == "pruned":
                self._finish(node, "pruned", "pruned", None)
            else:
                self._finish(node, "skipped", "input", None)
        elif node.waiting == 0:
            if node.state == PENDING:
                self._make_ready(node)
        elif (
            node.waiting == 1
            and node.step.speculation is not None
            and not node.spec_tried
            and node.bad is None
            and self._nodes[node.step.speculation.input].state != DONE
        ):
            self._spec_queue.append(node)

    def _make_ready(self, node: Node) -> None:
        node.state = READY
        if self._unlimited and self._tg is not None and not self._closing:
            self._start(node, speculative=False)  # nothing to rank for: start it now
            return
        queue = self._queues.get(node.step.resource)
        if queue is None:
            queue = self._queues[node.step.resource] = []
        heapq.heappush(queue, (-node.step.priority, -node.rank, node.seq, node))

    def _propagate(self) -> None:
        """Tell the dependents of every step that ended what became of it."""
        queue = self._settled_q
        while queue:
            node = queue.popleft()
            sid = node.step.id
            ok = node.outcome == "ok"
            for child in node.dependents:
                child.waiting -= 1
                if not ok and child.bad is None:
                    child.bad = node.outcome
                if child.state == DONE:
                    continue
                spec = child.step.speculation
                if (
                    spec is not None
                    and spec.input == sid
                    and (child.spec is not None or child.spec_done is not None)
                    and self._verdict(child, node)
                ):
                    continue
                self._check(child)

    def _finish(self, node: Node, outcome: Outcome, reason: Reason, error: str | None) -> None:
        """Record a step's one outcome."""
        node.state = DONE
        node.outcome = outcome
        node.reason = reason
        if error is not None:
            node.error = error
        node.ended_mono = time.monotonic()
        node.ended_wall = time.time()
        if node.spec is not None:
            self._abandon(node.spec)
            node.spec = None
        if node.spec_done is not None:
            self._waste(node.spec_done.spend, speculation=True)
            node.spec_done = None
        if outcome == "cancelled" or outcome == "pruned":
            self._waste(node.spend, speculation=False)
        self._settled += 1
        self._counts[outcome] += 1
        self._settled_q.append(node)
        if self._emitting:
            record = record_of(self._run_id, node)
            self._emit(StepFinished(record, node.value if outcome == "ok" else None))

    def _waste(self, spend: Spend, *, speculation: bool) -> None:
        if spend is not ZERO:
            self._wasted = self._wasted + spend
            if speculation:
                self._spec_wasted = self._spec_wasted + spend

    # ------------------------------------------------------------------ dispatch

    def _dispatch(self) -> None:
        if self._closing:
            return
        while True:
            self._fill()
            if not self._blocked:
                break
            if self._in_flight or self._timers:
                for node in self._blocked:  # they wait for in-flight work to settle
                    self._make_ready(node)
                self._blocked.clear()
                break
            # nothing in flight can free budget: these steps can never start
            self._exhausted = True
            blocked, self._blocked = self._blocked, []
            for node in blocked:
                self._finish(node, "failed" if node.attempts else "skipped", "budget", None)
            self._propagate()
        if self._spec_queue:
            self._fill_speculative()

    def _has_slot(self, resource: str | None) -> bool:
        limits = self._limits
        if limits.overall is not None and self._busy_total >= limits.overall:
            return False
        cap = limits.per_resource.get(resource) if resource is not None else None
        return cap is None or self._busy.get(resource, 0) < cap

    def _fill(self) -> None:
        """Start ready steps while slots are free: highest priority, then longest path."""
        while True:
            best: list[_Entry] | None = None
            for resource, queue in self._queues.items():
                if queue and (best is None or queue[0] < best[0]) and self._has_slot(resource):
                    best = queue
            if best is None:
                return
            node = heapq.heappop(best)[3]
            if node.state != READY:
                continue  # ended while queued (pruned, cancelled...)
            if not self._ledger.fits(node.step.estimate):
                node.state = PENDING
                self._blocked.append(node)
                continue
            self._start(node, speculative=False)

    def _fill_speculative(self) -> None:
        waiting: list[Node] = []
        for node in self._spec_queue:
            spec = node.step.speculation
            assert spec is not None
            if (
                node.state != PENDING
                or node.spec_tried
                or node.bad is not None
                or node.waiting != 1
                or self._nodes[spec.input].state == DONE
            ):
                continue  # no longer a candidate
            if self._has_slot(node.step.resource) and self._ledger.fits(node.step.estimate):
                self._start(node, speculative=True)
            else:
                waiting.append(node)
        self._spec_queue = waiting

    def _start(self, node: Node, *, speculative: bool) -> None:
        step = node.step
        self._ledger.reserve(step.estimate)
        node.attempts += 1
        now = time.monotonic()
        if node.started_mono is None:
            node.started_mono = now
            node.started_wall = time.time()
        outcomes: dict[str, Outcome] | None = None  # None: every input is ok
        if step.partial_inputs:
            outcomes = {p.step.id: p.outcome for p in node.inputs}
            results = {p.step.id: p.value for p in node.inputs if p.outcome == "ok"}
        else:
            results = {p.step.id: p.value for p in node.inputs}
        if speculative:
            spec = step.speculation
            assert spec is not None
            node.spec_tried = True
            results[spec.input] = spec.predicted
            if outcomes is not None:
                outcomes[spec.input] = "ok"
        control = cast(RunControl, self)  # a Machine only ever exists as a Run
        attempt = Attempt(control, node, results, outcomes, speculative, now)
        if speculative:
            node.spec = attempt
        else:
            node.running = attempt
            node.state = RUNNING
        self._busy_total += 1
        self._busy[step.resource] = self._busy.get(step.resource, 0) + 1
        self._in_flight += 1
        if self._emitting:
            self._emit(
                StepStarted(
                    self._run_id,
                    step.id,
                    step.kind,
                    step.resource,
                    node.attempts,
                    speculative,
                    now,
                    time.time(),
                )
            )
        self._pool.submit(attempt)

    # ------------------------------------------------------------ attempt results

    def _on_done(self, attempt: Attempt) -> None:
        node = attempt.node
        step = node.step
        self._busy_total -= 1
        self._busy[step.resource] -= 1
        self._in_flight -= 1
        if attempt.scope is None:  # cancelled before a worker took it: it never ran
            node.attempts -= 1
            if node.attempts == 0:
                node.started_mono = node.started_wall = None
        spend = attempt.spend
        self._ledger.settle(attempt.estimate, spend)
        if spend is not ZERO:
            node.spend = node.spend + spend
            if self._emitting:
                self._emit_budget(step.id, spend)
        if attempt.crash and not attempt.cancelled:
            self._crash = attempt.error
            if node.state != DONE:
                node.running = None
                self._finish(node, "failed", "error", _describe(attempt.error))
            self._close("stopped")
        elif attempt.speculative and not attempt.committed:
            if attempt.abandoned or node.state == DONE:
                self._waste(spend, speculation=True)
            else:
                node.spec = None
                node.spec_done = attempt  # held until the real input says hit or miss
        else:
            self._conclude(attempt)

    def _conclude(self, attempt: Attempt) -> None:
        """A real (or committed speculative) attempt ended: ok, retry, or failed."""
        node = attempt.node
        step = node.step
        node.running = None
        if node.cancel_to is not None:
            outcome, reason = node.cancel_to
            self._finish(node, outcome, reason, None)
            return
        if attempt.cancelled:  # cancelled with no request on record: the run is closing
            self._finish(node, "cancelled", self._closing or "cancelled", None)
            return
        error = attempt.error
        if not (attempt.served and attempt.spend.calls == 0):  # a cache hit says nothing
            self._estimates.observe(  # about the model's latency, tokens or cost
                step.resource,
                step.kind,
                latency_s=time.monotonic() - attempt.started_mono,
                tokens=attempt.spend.tokens,
                cost_usd=attempt.spend.dollars,
                success=error is None,
            )
        if error is None:
            node.value = attempt.value
            node.speculative = attempt.speculative
            self._finish(node, "ok", "", None)
            return
        node.error = _describe(error)
        policy = step.retry or self._retry
        if self._closing or not policy.should_retry(error, node.attempts):
            self._finish(node, "failed", "error", None)
            return
        delay = policy.delay_s(error, node.attempts, self._rng)
        self._retries += 1
        node.state = BACKOFF
        node.timer = scope = anyio.CancelScope()
        self._timers += 1
        if self._emitting:
            now = time.monotonic()
            self._emit(
                StepRetrying(
                    self._run_id, step.id, node.attempts, delay, node.error, now, time.time()
                )
            )
        assert self._tg is not None
        self._tg.start_soon(self._backoff, node, scope, delay)

    async def _backoff(self, node: Node, scope: anyio.CancelScope, delay: float) -> None:
        with scope:
            await anyio.sleep(delay)
            self._post(Wake(node, scope))

    # ------------------------------------------------------------ speculation

    def _verdict(self, node: Node, real: Node) -> bool:
        """The real input of a speculated step has ended. True if the speculative
        attempt is committed (it is, or will be, the step's result)."""
        spec = node.step.speculation
        assert spec is not None
        if real.outcome == "ok" and node.bad is None and spec.holds(spec.predicted, real.value):
            self._hits += 1
            node.state = RUNNING
            if node.spec_done is not None:
                attempt, node.spec_done = node.spec_done, None
                attempt.committed = True
                self._conclude(attempt)
            else:
                assert node.spec is not None
                attempt, node.spec = node.spec, None
                attempt.committed = True
                node.running = attempt
            return True
        self._misses += 1
        if node.spec is not None:
            self._abandon(node.spec)  # its spend counts as wasted when it reports
            node.spec = None
        if node.spec_done is not None:
            self._waste(node.spec_done.spend, speculation=True)
            node.spec_done = None
        return False

    def _abandon(self, attempt: Attempt) -> None:
        attempt.abandoned = True
        self._pool.cancel(attempt)

    # ------------------------------------------------------------ cancellation

    def _cancel_node(
        self, node: Node, running_outcome: Outcome, waiting_outcome: Outcome, reason: Reason
    ) -> None:
        if node.state == DONE:
            return
        if node.state == RUNNING:
            assert node.running is not None
            if node.running.finished and self._closing:
                return  # it ended before the run closed: its report stands
            if node.cancel_to is None:  # recorded when the worker reports it
                node.cancel_to = (running_outcome, reason)
                self._pool.cancel(node.running)
            return
        if node.state == BACKOFF:
            assert node.timer is not None
            node.timer.cancel()
            node.timer = None
            self._timers -= 1
            self._finish(node, running_outcome, reason, None)
            return
        # waiting for inputs, a slot or budget; if it ran before (a retry), it is cancelled
        self._finish(node, running_outcome if node.attempts else waiting_outcome, reason, None)

    def _close(self, reason: Reason) -> None:
        """Stop the run: cancel what is in flight, skip what has not started."""
        if self._closing:
            return
        self._closing = reason
        for node in list(self._nodes.values()):
            self._cancel_node(node, "cancelled", "skipped", reason)

    # ------------------------------------------------------------ events, report

    def _emit(self, event: Event) -> None:
        if self._on_event is not None:
            self._on_event(event)
        for send in list(self._subscribers):
            try:
                send.send_nowait(event)
            except (anyio.BrokenResourceError, anyio.ClosedResourceError):
                self._subscribers.remove(send)  # the reader went away

    def _emit_budget(self, step_id: str, spend: Spend) -> None:
        ledger = self._ledger
        dollars, tokens, calls = ledger.remaining()
        now = time.monotonic()
        self._emit(
            BudgetUsed(
                self._run_id,
                step_id,
                spend,
                ledger.spent,
                ledger.reserved,
                dollars,
                tokens,
                calls,
                now,
                time.time(),
            )
        )

    def _make_report(self) -> RunReport:
        status: RunStatus
        if self._closing == "deadline":
            status = "deadline"
        elif self._closing == "stopped":
            status = "stopped"
        elif self._exhausted:
            status = "budget_exhausted"
        else:
            status = "completed"
        stats = RunStats(
            steps=len(self._nodes),
            outcomes=dict(self._counts),
            spent=self._ledger.spent,
            wasted=self._wasted,
            speculation_hits=self._hits,
            speculation_misses=self._misses,
            speculation_wasted=self._spec_wasted,
            retries=self._retries,
            makespan_s=time.monotonic() - self._t0,
        )
        results = {sid: n.value for sid, n in self._nodes.items() if n.outcome == "ok"}
        return RunReport(self._run_id, status, Records(self._run_id, self._nodes), results, stats)


def _describe(error: BaseException | None) -> str:
    """The error as recorded (step records, traces, the store): scrubbed of secrets."""
    if error is None:
        return ""
    text = redact(str(error))
    return f"{type(error).__name__}: {text}" if text else type(error).__name__
