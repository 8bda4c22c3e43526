"""Run a batch's jobs on a Ray cluster (the optional ``ray`` extra).

Each worker is a Ray actor holding one `Workshop`: it resolves its own models once (a
local model loads once per worker, not once per task) and runs up to `concurrency`
jobs at once, sharing its models' slots among them. The driver (this process) keeps
the queue: it gives each worker jobs while it has room, and every result streams back
to the driver as its job finishes; the driver alone writes OUT and the store.

A worker that dies (killed, out of memory, its node lost) costs only the jobs it was
running: they go back to the front of the queue and run on a worker that is up; Ray
restarts the dead worker, which rejoins once it answers. A job that has lost its
worker `MAX_ATTEMPTS` times is reported `Lost`. A job that raises stops the batch with
that error, as it would locally.
"""

from __future__ import annotations

import logging
import math
import os
import socket
from collections import deque
from collections.abc import Sequence
from contextlib import suppress
from dataclasses import dataclass, field
from typing import Any, TypeVar, assert_never

import anyio
from anyio.abc import ObjectSendStream, TaskGroup
from anyio.streams.memory import MemoryObjectReceiveStream, MemoryObjectSendStream

from cadenza.batching.execute import Done, Lost, Report, WorkerLost, WorkerUp
from cadenza.batching.jobs import Job
from cadenza.batching.workshop import WorkerDone, WorkerSetup, Workshop
from cadenza.errors import ClusterError, UserError
from cadenza.settings import Settings
from cadenza.store.db import MEMORY
from cadenza.store.store import Store

R = TypeVar("R")

MAX_ATTEMPTS = 3
WORKER_RESTARTS = 4  # times Ray restarts a dead worker before it is gone for good
HELLO_TRIES = 20  # a restarting worker is asked this many times, `HELLO_PAUSE_S` apart
HELLO_PAUSE_S = 0.5
REPORT_TIMEOUT_S = 10.0
PROBE_TIMEOUT_S = 5.0


def import_ray() -> Any:
    try:
        import ray
    except ImportError:
        raise UserError(
            "Ray is not installed: pip install 'cadenza[ray]' (or run without --ray)."
        ) from None
    return ray


class BatchWorker:
    """The body of a Ray worker (wrapped by `ray.remote` when a batch starts). Reads its
    own settings (keys, config) where it runs; nothing secret travels with a job."""

    def __init__(self, setup: WorkerSetup) -> None:
        cache = Store.open(MEMORY) if setup.cache else None
        self.workshop = Workshop(setup, Settings.load(), cache)

    async def hello(self) -> tuple[int, str]:
        return os.getpid(), socket.gethostname()

    async def run(self, job: Job[Any]) -> Any:
        return await self.workshop.run(job)

    async def report(self, worker: int) -> WorkerDone:
        return self.workshop.report(worker)


@dataclass(eq=False, slots=True)
class _Worker:
    index: int
    actor: Any
    up: bool = False
    life: int = 0  # how many times it came up (a restarted worker is a new life)
    in_flight: dict[str, Job[Any]] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class _Returned:
    worker: _Worker
    job: Job[Any]
    value: Any


@dataclass(frozen=True, slots=True)
class _Failed:
    worker: _Worker
    job: Job[Any]
    error: BaseException
    loss: bool  # the worker died (else the job raised)
    life: int  # the worker's life the job was given to


@dataclass(frozen=True, slots=True)
class _Hello:
    worker: _Worker
    pid: int | None  # None: the worker is gone for good, for `reason`
    node: str = ""
    reason: str = ""


_Message = _Returned | _Failed | _Hello


def connect(ray: Any, address: str | None, workers: int | None) -> bool:
    """Connect this process to Ray (unless it already is); returns True when it
    connected here (and so should disconnect at the end)."""
    if ray.is_initialized():
        return False
    options: dict[str, Any] = {
        "include_dashboard": False,
        "log_to_driver": False,
        "logging_level": logging.ERROR,
    }
    if address is not None:
        _reachable(address)
        options["address"] = address
    elif workers is not None and not os.environ.get("RAY_ADDRESS"):
        # a new local cluster gets a CPU per worker (a worker mostly waits on models)
        options["num_cpus"] = max(workers, os.cpu_count() or 1)
    try:
        ray.init(**options)
    except (ConnectionError, ValueError, RuntimeError) as exc:
        where = address or "the local cluster"
        raise ClusterError(
            f"Cannot connect to Ray at {where}: {exc}. Check the address (e.g. "
            "ray://HOST:10001 or HOST:6379) and that the cluster is up, or run without --ray."
        ) from None
    return True


def _reachable(address: str) -> None:
    """Fail at once, with a clear message, when nothing listens at a HOST:PORT address
    (Ray itself keeps retrying for minutes)."""
    host, _, port = address.removeprefix("ray://").rpartition(":")
    if not host or not port.isdigit():
        return  # "auto", or a form Ray resolves itself
    try:
        socket.create_connection((host, int(port)), timeout=PROBE_TIMEOUT_S).close()
    except OSError as exc:
        raise ClusterError(
            f"No Ray cluster answers at {address} ({exc.strerror or exc}). Check the address "
            "(HOST:6379 for a cluster's head, ray://HOST:10001 for Ray Client) and that the "
            "cluster is up, or use --ray alone for a local cluster."
        ) from None


class RayExecutor:
    """Runs jobs on `workers` Ray workers (default: one per CPU of the cluster), up to
    `concurrency` at once on each."""

    def __init__(
        self, setup: WorkerSetup, address: str | None, workers: int | None, concurrency: int
    ) -> None:
        self.setup = setup
        self.address = address
        self.workers = workers
        self.concurrency = concurrency

    async def run(self, jobs: Sequence[Job[R]], reports: MemoryObjectSendStream[Report[R]]) -> None:
        ray = import_ray()
        connected_here = connect(ray, self.address, self.workers)
        actors: list[Any] = []
        try:
            count = self._worker_count(ray)
            remote = ray.remote(
                num_cpus=1,
                max_restarts=WORKER_RESTARTS,
                max_task_retries=0,
                scheduling_strategy="SPREAD",
            )(BatchWorker)
            actors = [remote.remote(self.setup) for _ in range(count)]
            async with reports:
                await _Dispatch(ray, actors, self.concurrency, reports).run(jobs)
        finally:
            for actor in actors:
                ray.kill(actor)
            if connected_here:
                ray.shutdown()

    def _worker_count(self, ray: Any) -> int:
        cpus = int(ray.cluster_resources().get("CPU", 0))
        count = self.workers or max(1, cpus)
        if count > cpus:
            raise ClusterError(
                f"The Ray cluster has {cpus} CPU(s), too few for {count} workers (each "
                "takes one): ask for fewer --workers or add nodes."
            )
        return count


class _Dispatch:
    """The driver's queue and workers for one run; `run` owns all of its state."""

    def __init__(
        self, ray: Any, actors: list[Any], per_worker: int, reports: ObjectSendStream[Any]
    ) -> None:
        self.ray = ray
        self.workers = [_Worker(i, actor) for i, actor in enumerate(actors)]
        self.per_worker = per_worker
        self.reports = reports
        self.queue: deque[Job[Any]] = deque()
        self.attempts: dict[str, int] = {}
        self.greeting = 0  # hello calls in flight
        self.last_loss = ""
        self.losses = (ray.exceptions.RayActorError, ray.exceptions.WorkerCrashedError,
                       ray.exceptions.NodeDiedError, ray.exceptions.ObjectLostError)  # fmt: skip

    async def run(self, jobs: Sequence[Job[Any]]) -> None:
        self.queue.extend(jobs)
        pending = len(jobs)
        send, inbox = anyio.create_memory_object_stream[_Message](math.inf)
        async with send, inbox, anyio.create_task_group() as group:
            for worker in self.workers:
                self._greet(group, worker, send)
            while pending:
                self._dispatch(group, send)
                if not self.greeting and not any(w.up for w in self.workers):
                    raise ClusterError(
                        f"Every Ray worker was lost (last: {self.last_loss}); {pending} "
                        "task(s) did not run. What finished is saved: run the same command "
                        "again to resume."
                    )
                message = await inbox.receive()
                try:
                    pending -= await self._handle(group, send, message)
                except BaseException:
                    await self._deliver_finished(inbox)
                    raise
            group.cancel_scope.cancel()  # greetings of workers no longer needed
        for worker in self.workers:
            if worker.up:
                with anyio.move_on_after(REPORT_TIMEOUT_S), suppress(*self.losses):
                    await self.reports.send(await worker.actor.report.remote(worker.index))

    async def _deliver_finished(self, inbox: MemoryObjectReceiveStream[_Message]) -> None:
        """Before the batch stops on an error, report the jobs that already finished."""
        while True:
            try:
                message = inbox.receive_nowait()
            except (anyio.WouldBlock, anyio.EndOfStream):
                return
            if isinstance(message, _Returned):
                await self.reports.send(Done(message.job, message.value))

    def _dispatch(self, group: TaskGroup, send: ObjectSendStream[_Message]) -> None:
        for worker in sorted(self.workers, key=lambda w: len(w.in_flight)):
            while worker.up and self.queue and len(worker.in_flight) < self.per_worker:
                job = self.queue.popleft()
                worker.in_flight[job.key] = job
                group.start_soon(self._call, worker, job, send)

    async def _handle(
        self, group: TaskGroup, send: ObjectSendStream[_Message], message: _Message
    ) -> int:
        """Apply one message; returns how many jobs it settled (0 or 1)."""
        match message:
            case _Returned(worker, job, value):
                del worker.in_flight[job.key]
                await self.reports.send(Done(job, value))
                return 1
            case _Failed(worker, job, error, loss, life):
                if not loss:
                    cause = getattr(error, "cause", None)
                    raise cause if isinstance(cause, BaseException) else error
                keys = (job.key, *(k for k in worker.in_flight if k != job.key))
                del worker.in_flight[job.key]
                if worker.up and life == worker.life:  # the first news of this death
                    worker.up = False
                    await self.reports.send(WorkerLost(worker.index, keys, _brief(error)))
                    self._greet(group, worker, send)
                tries = self.attempts[job.key] = self.attempts.get(job.key, 0) + 1
                if tries >= MAX_ATTEMPTS:
                    await self.reports.send(Lost(job, tries, _brief(error)))
                    return 1
                self.queue.appendleft(job)
                return 0
            case _Hello(worker, pid, node, reason):
                self.greeting -= 1
                if pid is None:  # gone for good
                    self.last_loss = reason
                    return 0
                worker.up = True
                worker.life += 1
                await self.reports.send(WorkerUp(worker.index, pid, node))
                return 0
            case _:
                assert_never(message)

    def _greet(self, group: TaskGroup, worker: _Worker, send: ObjectSendStream[_Message]) -> None:
        self.greeting += 1
        group.start_soon(self._hello, worker, send)

    async def _hello(self, worker: _Worker, send: ObjectSendStream[_Message]) -> None:
        """Wait until `worker` answers (a restarted worker takes a moment)."""
        reason = "it did not answer"
        for _ in range(HELLO_TRIES):
            try:
                pid, node = await worker.actor.hello.remote()
            except self.ray.exceptions.ActorDiedError as error:  # for good (or never started)
                reason = _brief(error)
                break
            except self.losses as error:  # restarting: ask again in a moment
                reason = _brief(error)
                await anyio.sleep(HELLO_PAUSE_S)
                continue
            await send.send(_Hello(worker, pid, node))
            return
        await send.send(_Hello(worker, None, reason=reason))

    async def _call(self, worker: _Worker, job: Job[Any], send: ObjectSendStream[_Message]) -> None:
        life = worker.life
        ref = worker.actor.run.remote(job)
        try:
            value = await ref
        except anyio.get_cancelled_exc_class():
            self.ray.cancel(ref)
            raise
        except self.losses as error:
            await send.send(_Failed(worker, job, error, loss=True, life=life))
            return
        except Exception as error:  # the job raised on the worker
            await send.send(_Failed(worker, job, error, loss=False, life=life))
            return
        await send.send(_Returned(worker, job, value))


def _brief(error: BaseException) -> str:
    text = str(error).strip().splitlines()
    return f"{type(error).__name__}: {text[0] if text else ''}"[:200]
