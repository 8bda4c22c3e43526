"""The server's runs: started in the background, limited, followed, cancelled,
resumed.

Each run is one task of the server's task group. It records itself in the store
before anything else (so a run the server accepted is never lost: if the server dies,
the next start resumes it), waits for one of `max_running` slots, then calls
`cadenza.api.solve` (or `resume`) with an ``on_event`` callback that appends to the
run's event list. Followers (the SSE streams) read that list and wait on an event
that the next append sets: nothing polls. `DELETE` cancels the run's cancel scope
(in-flight calls are cancelled; what was paid for stays in the store).
"""

from __future__ import annotations

import logging
import time
from collections import OrderedDict
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import anyio
import anyio.abc
from anyio.streams.memory import MemoryObjectReceiveStream, MemoryObjectSendStream
from opentelemetry.trace import TracerProvider

from cadenza import api
from cadenza.errors import CadenzaError, ServerBusyError, UserError
from cadenza.planner.events import PlannerEvent
from cadenza.providers.base import Model
from cadenza.providers.registry import resolve
from cadenza.server import events
from cadenza.server.requests import RunSpec
from cadenza.settings import Settings
from cadenza.store.records import RunRow
from cadenza.store.store import Store, new_run_id

LABELS = {"origin": "server"}  # what the server's own runs are tagged with
Json = dict[str, Any]
RECENT = 256  # finished runs kept in memory for their event streams
log = logging.getLogger("cadenza.server")


@dataclass(frozen=True, slots=True)
class Limits:
    max_running: int = 16  # runs solving at once; the others wait for a slot
    max_pending: int = 1_000  # runs accepted and not finished (solving or waiting)


def api_status(row: RunRow) -> str:
    """The API's status of a stored run: in_progress, completed, failed, refused,
    interrupted or cancelled."""
    if row.status == "running":
        return "in_progress"
    if row.status in ("interrupted", "cancelled", "refused", "failed"):
        return row.status
    if row.finish_reason == "impossible":
        return "refused"
    if row.finish_reason == "failed":
        return "failed"
    return "completed"


def instruction(row: RunRow) -> str:
    task = row.summary.get("task") or {}
    return str(task.get("instruction", "")) if isinstance(task, dict) else ""


@dataclass
class LiveRun:
    """A run this server is solving or has just finished: its events so far."""

    id: str
    created: float
    events: list[Json] = field(default_factory=list)
    changed: anyio.Event = field(default_factory=anyio.Event)
    done: anyio.Event = field(default_factory=anyio.Event)
    scope: anyio.CancelScope = field(default_factory=anyio.CancelScope)
    queued: bool = True

    def push(self, event: Json) -> None:
        self.events.append(event)
        self.changed.set()
        self.changed = anyio.Event()

    def on_event(self, event: PlannerEvent) -> None:
        self.push(events.of_planner(event))

    async def follow(
        self, start: int = 0, *, keepalive_s: float = 15.0
    ) -> AsyncIterator[tuple[int, Json | None]]:
        """Every event from index `start` on, as it comes, until the end event; a
        ``None`` event after `keepalive_s` without one (for the stream to say so)."""
        index = start
        while True:
            while index < len(self.events):
                yield index, self.events[index]
                index += 1
            if self.done.is_set():
                return
            changed = self.changed
            with anyio.move_on_after(keepalive_s):
                await changed.wait()
            if not changed.is_set():
                yield index, None


class RunService:
    """The runs of one server, over one store (see the module docstring)."""

    def __init__(
        self,
        store: Store,
        tg: anyio.abc.TaskGroup,
        *,
        settings: Settings,
        models: Mapping[str, Model] | None = None,
        limits: Limits | None = None,
        tracer_provider: TracerProvider | None = None,
    ) -> None:
        self.store = store
        self.settings = settings
        self.limits = limits or Limits()
        self._tg = tg
        self._models = dict(models or {})
        self._tracer_provider = tracer_provider
        self._slots = anyio.CapacityLimiter(self.limits.max_running)
        self._live: dict[str, LiveRun] = {}
        self._recent: OrderedDict[str, LiveRun] = OrderedDict()
        self._watchers: list[MemoryObjectSendStream[Json]] = []

    # ------------------------------------------------------------------ models

    def resolve(self, model_id: str) -> Model:
        """A model the server serves by id: its own `models`, else the registry's."""
        model = self._models.get(model_id)
        return model if model is not None else resolve(model_id, self.settings)

    # ------------------------------------------------------------------ runs

    def submit(self, spec: RunSpec) -> LiveRun:
        """Record the run and start it in the background; `ServerBusyError` when too many
        runs are already in progress."""
        if len(self._live) >= self.limits.max_pending:
            raise ServerBusyError(
                f"{len(self._live)} runs are in progress, the most this server accepts "
                "at once: retry when some have finished."
            )
        run_id = new_run_id()
        models = [m.id for m in spec.models] or [api.DEFAULT_MODEL]
        self.store.start_run(
            task=spec.task,
            requirements=spec.requirements,
            strategy=spec.strategy or api.DEFAULT_STRATEGY,
            models=models,
            budget=spec.budget,
            extra={"options": spec.options} if spec.options else None,
            run_id=run_id,
            labels=LABELS,
        )
        live = self._track(run_id)
        self._tg.start_soon(self._execute, live, spec)
        return live

    def resume_interrupted(self) -> list[str]:
        """Resume this server's runs that were interrupted (the server died or was
        stopped while they ran); their ids."""
        ids = self.store.resumable_runs("origin", LABELS["origin"])
        for run_id in ids:
            self._tg.start_soon(self._execute, self._track(run_id), None)
        return ids

    def _track(self, run_id: str) -> LiveRun:
        live = LiveRun(run_id, time.time())
        self._live[run_id] = live
        live.push(events.status("in_progress", queued=True))
        self._announce(run_id, "in_progress")
        return live

    async def _execute(self, live: LiveRun, spec: RunSpec | None) -> None:
        try:
            with live.scope:
                async with self._slots:
                    live.queued = False
                    live.push(events.status("in_progress"))
                    await self._solve(live, spec)
            if live.scope.cancelled_caught:
                self.store.end_run(
                    live.id,
                    "cancelled",
                    "Cancelled",
                    "cancelled through the API; what it had paid for is kept in the store",
                )
        except anyio.get_cancelled_exc_class():
            # The server is stopping: the run is resumed when it starts again.
            self.store.end_run(
                live.id, "interrupted", "Shutdown", "the server stopped while the run was going"
            )
            raise
        except CadenzaError as exc:
            # The strategy recorded how it ended (refused or failed), unless it stopped
            # before its start (a model that cannot be used): then it ends failed here.
            self._fail_if_open(live.id, type(exc).__name__, str(exc))
        except Exception as exc:
            # a bug of ours, for whoever runs us; the run ends failed, never open
            log.exception("run %s stopped on an internal error", live.id)
            self._fail_if_open(live.id, type(exc).__name__, "the run stopped on an internal error")
        finally:
            self._settle(live)

    def _fail_if_open(self, run_id: str, error_type: str, message: str) -> None:
        if self.store.get_run(run_id).status == "running":
            self.store.end_run(run_id, "failed", error_type, message)

    async def _solve(self, live: LiveRun, spec: RunSpec | None) -> None:
        if spec is None:
            recorded = self.store.get_run(live.id).summary.get("models") or []
            try:
                models = [self.resolve(str(m)) for m in recorded]
            except UserError as exc:  # e.g. a model no longer installed: try next start
                self.store.end_run(live.id, "interrupted", type(exc).__name__, str(exc))
                return
            await api.resume(
                live.id,
                store=self.store,
                models=models or None,
                settings=self.settings,
                on_event=live.on_event,
                tracer_provider=self._tracer_provider,
            )
            return
        await api.solve(
            spec.task,
            spec.requirements,
            budget=spec.budget,
            models=list(spec.models) or None,
            strategy=spec.strategy,
            settings=self.settings,
            on_event=live.on_event,
            options=spec.options,
            store=self.store,
            run_id=live.id,
            labels=LABELS,
            tracer_provider=self._tracer_provider,
        )

    def _settle(self, live: LiveRun) -> None:
        """The run ended (however): its last event, then it leaves the live set."""
        described = self.describe(live.id, live_ok=False)
        live.push(events.end(described["status"], described["result"], described["error"]))
        live.done.set()
        self._live.pop(live.id, None)
        self._recent[live.id] = live
        while len(self._recent) > RECENT:
            self._recent.popitem(last=False)
        self._announce(live.id, described["status"])

    def cancel(self, run_id: str) -> LiveRun | None:
        """Cancel run `run_id` if this server is running it (None otherwise)."""
        live = self._live.get(run_id)
        if live is not None:
            live.scope.cancel()
        return live

    # ------------------------------------------------------------------ reading

    def live(self, run_id: str) -> LiveRun | None:
        return self._live.get(run_id) or self._recent.get(run_id)

    def describe(self, run_id: str, *, live_ok: bool = True) -> Json:
        """What `GET /v1/runs/{id}` answers; `UserError` for an unknown id."""
        live = self._live.get(run_id) if live_ok else None
        row = self.store.get_run(run_id)
        data = summary(row)
        if live is not None:
            data.update(status="in_progress", queued=live.queued)
            return data
        status = api_status(row)
        data["status"] = status
        data["result"] = self.store.run_result(run_id) if row.finish_reason else None
        return data

    def listing(self, limit: int) -> list[Json]:
        rows = self.store.list_runs(limit)
        listed = []
        for row in rows:
            data = summary(row)
            data.pop("result")
            data.pop("error")
            live = self._live.get(row.id)
            if live is not None:
                data.update(status="in_progress", queued=live.queued)
            listed.append(data)
        return listed

    def stored_events(self, run_id: str) -> list[Json]:
        """The events of a run this server does not hold in memory, from the store."""
        described = self.describe(run_id)
        told = events.of_history(self.store.load_run(run_id), described["result"])
        if described["status"] == "in_progress":  # another process is running it
            return told
        return [*told, events.end(described["status"], described["result"], described["error"])]

    # ------------------------------------------------------------------ the run list feed

    def watch(self) -> MemoryObjectReceiveStream[Json]:
        """A stream of ``{"type": "run", "id", "status"}`` as runs start and end."""
        send, receive = anyio.create_memory_object_stream[Json](256)
        self._watchers.append(send)
        return receive

    def _announce(self, run_id: str, status: str) -> None:
        message = {"type": "run", "id": run_id, "status": status}
        for send in list(self._watchers):
            try:
                send.send_nowait(message)
            except (anyio.WouldBlock, anyio.BrokenResourceError, anyio.ClosedResourceError):
                send.close()  # a watcher that does not keep up reconnects
                self._watchers.remove(send)

    def close(self) -> None:
        for send in self._watchers:
            send.close()
        self._watchers.clear()


def summary(row: RunRow) -> Json:
    """A stored run as the API shows it (status left to the caller)."""
    return {
        "id": row.id,
        "status": api_status(row),
        "queued": False,
        "created": row.created,
        "ended": row.ended,
        "input": instruction(row),
        "strategy": row.summary.get("strategy"),
        "models": row.summary.get("models") or [],
        "finish_reason": row.finish_reason,
        "score": row.score,
        "calls": row.calls,
        "cost_usd": row.cost_usd,
        "result": None,
        "error": row.error,
    }
