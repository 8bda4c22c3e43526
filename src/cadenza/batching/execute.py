"""Where a batch's jobs run. An executor takes the jobs and a stream, runs every job,
and sends what happened through the stream to the driver, one message at a time:
`Done` (a job's value), `Lost` (a job given up after its workers died), `WorkerUp` and
`WorkerLost` (Ray workers coming and going) and, at the end, `WorkerDone` for every
worker still up. It closes the stream when every job has been reported. A job that
raises stops the executor, and the batch, with that error.

`LocalExecutor` runs the jobs in this process: one `Workshop` for the whole batch, so
every task shares the models' slots, up to `concurrency` tasks at once.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from contextlib import suppress
from dataclasses import dataclass
from typing import Any, Generic, Protocol, TypeVar

import anyio
from anyio.abc import ObjectSendStream
from anyio.streams.memory import MemoryObjectSendStream

from cadenza.batching.jobs import Job
from cadenza.batching.workshop import WorkerDone, Workshop

R = TypeVar("R")


@dataclass(frozen=True, slots=True)
class Done(Generic[R]):
    job: Job[R]
    value: R


@dataclass(frozen=True, slots=True)
class Lost:
    """`job` lost its worker `attempts` times and was given up (`reason`: the last loss)."""

    job: Job[Any]
    attempts: int
    reason: str


@dataclass(frozen=True, slots=True)
class WorkerUp:
    """Worker `worker` (0-based) is ready, in process `pid` on `node`."""

    worker: int
    pid: int
    node: str


@dataclass(frozen=True, slots=True)
class WorkerLost:
    """Worker `worker` died with `jobs` (their keys) in flight; they go back in the queue."""

    worker: int
    jobs: tuple[str, ...]
    reason: str


Report = Done[R] | Lost | WorkerUp | WorkerLost | WorkerDone


class Executor(Protocol):
    async def run(self, jobs: Sequence[Job[R]], reports: MemoryObjectSendStream[Report[R]]) -> None:
        """Run every job; send a report for each; close `reports` at the end."""
        ...


class LocalExecutor:
    """Runs jobs in this process on `workshop`, at most `concurrency` at once, in the
    order given."""

    def __init__(self, workshop: Workshop, concurrency: int) -> None:
        if concurrency < 1:
            raise ValueError(f"concurrency must be at least 1, got {concurrency}")
        self.workshop = workshop
        self.concurrency = concurrency

    async def run(self, jobs: Sequence[Job[R]], reports: MemoryObjectSendStream[Report[R]]) -> None:
        limiter = anyio.Semaphore(self.concurrency)

        async def one(job: Job[R], send: ObjectSendStream[Report[R]]) -> None:
            async with send:
                try:
                    value = await self.workshop.run(job)
                except BaseException:
                    limiter.release()
                    raise
                # A finished job reaches the driver even when another job has just
                # failed (and the others are being cancelled): a finished task is kept.
                with anyio.CancelScope(shield=True), suppress(anyio.BrokenResourceError):
                    await send.send(Done(job, value))  # (broken: the driver has stopped)
                limiter.release()  # the next job starts once this one is delivered

        async with reports:
            async with anyio.create_task_group() as group:
                for job in jobs:
                    await limiter.acquire()
                    group.start_soon(one, job, reports.clone())
            await reports.send(self.workshop.report(0))


async def drive(
    jobs: Sequence[Job[R]],
    executor: Executor,
    handle: Callable[[list[Report[R]]], Awaitable[None]],
) -> None:
    """Run `jobs` on `executor`, handing the reports to `handle` as they arrive, in this
    one coroutine (the batch's state has one owner): every report waiting when
    `handle` is free goes in one call, so that it can write them with one fsync. An
    error from a job or from `handle` stops the run and is raised as itself."""
    send, receive = anyio.create_memory_object_stream[Report[R]]()
    try:
        async with anyio.create_task_group() as group:
            group.start_soon(executor.run, jobs, send)
            async with receive:
                async for report in receive:
                    reports = [report]
                    while True:
                        try:
                            reports.append(receive.receive_nowait())
                        except (anyio.WouldBlock, anyio.EndOfStream):
                            break
                    with anyio.CancelScope(shield=True):  # what was received is written
                        await handle(reports)
    except BaseExceptionGroup as errors:
        raise _alone(errors) from None


def _alone(error: BaseException) -> BaseException:
    """One failure (a bad key, a bug) as itself, not wrapped in task groups' groups."""
    while isinstance(error, BaseExceptionGroup) and len(error.exceptions) == 1:
        error = error.exceptions[0]
    return error
