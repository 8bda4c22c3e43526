"""A batch's unit of work (`Job`) and the one `cadenza batch` runs: solve one item.

A job is plain picklable data with a `key` and an async `run(workshop)`; it runs on a
worker (this process, or a Ray worker) and returns a value that goes back to the
driver, which alone writes files and the store. A job never writes anything itself.

`SolveJob` records its run in a private in-memory store (when the batch records runs)
and returns it with the result, so the driver can copy it into the real store, and
returns the estimates' new observations (not the whole estimates), so the driver can
add every task's to the store's without counting the starting point twice.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

from cadenza.batching.items import BatchItem, ItemId
from cadenza.batching.workshop import Workshop
from cadenza.errors import CadenzaError, ProviderError, UserError
from cadenza.result import SolveResult
from cadenza.store.db import MEMORY
from cadenza.store.records import RunHistory
from cadenza.store.store import Store

R_co = TypeVar("R_co", covariant=True)

SolveFunction = Callable[..., Awaitable[SolveResult]]
"""What solves one task: `cadenza.api.solve`, handed down by the front door (batching
sits below the API and never imports it)."""


class Job(Protocol[R_co]):
    """One unit of a batch. `key` is unique within the batch."""

    @property
    def key(self) -> str: ...

    async def run(self, workshop: Workshop) -> R_co: ...


@dataclass(frozen=True, slots=True)
class TaskOutcome:
    """What one task of `cadenza batch` sends back: the OUT line (`record`, the run's
    result JSON with the item's id, or the error), the recorded run, and the
    estimates' new observations (`Estimates.to_dict`)."""

    id: ItemId
    record: Mapping[str, Any]
    history: RunHistory | None = None
    observations: Mapping[str, Any] | None = None

    @property
    def failed(self) -> bool:
        return is_failed(self.record)


def is_failed(record: Mapping[str, Any]) -> bool:
    """Whether an OUT line is a failed task (an error, or no answer at all)."""
    return "error" in record or record.get("finish_reason") == "failed"


def config_error(error: BaseException) -> bool:
    """Errors that would fail every task the same way (no key, key refused, server
    unreachable): they stop the batch instead of being recorded task by task."""
    return isinstance(error, ProviderError) and isinstance(error, UserError)


@dataclass(frozen=True, slots=True)
class SolveJob:
    """Solve one `BatchItem` with the worker's shared models, by `solve` (a module-level
    function, so the job pickles for Ray workers)."""

    item: BatchItem
    solve: SolveFunction

    @property
    def key(self) -> str:
        return self.item.key

    async def run(self, workshop: Workshop) -> TaskOutcome:
        item = self.item
        models = [workshop.model(m, owner=self.key) for m in item.models]
        snapshot = workshop.estimates
        record = Store.open(MEMORY) if snapshot is not None else None
        try:
            if record is not None and snapshot is not None:
                record.save_estimates(snapshot)
            try:
                result = await self.solve(
                    item.task,
                    item.requirements,
                    budget=item.budget,
                    models=models,
                    strategy=item.strategy,
                    settings=workshop.settings,
                    options=item.options,
                    store=record,
                    cache=workshop.cache is not None,
                )
            except CadenzaError as error:
                if config_error(error):
                    raise
                failure = {
                    "id": item.id,
                    "finish_reason": "failed",
                    "error": str(error),
                    "error_type": type(error).__name__,
                }
                return TaskOutcome(item.id, failure)
            history = observations = None
            if record is not None and snapshot is not None and result.run_id is not None:
                history = record.load_run(result.run_id)
                observations = record.load_estimates().minus(snapshot).to_dict()
            return TaskOutcome(item.id, {"id": item.id, **result.to_json()}, history, observations)
        finally:
            if record is not None:
                record.close()
