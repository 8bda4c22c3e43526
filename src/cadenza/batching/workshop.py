"""What one worker of a batch holds for all the tasks it runs: its models (each resolved
once, so a local model loads once per worker), their shared slots, a response cache,
and the estimates every task starts from.

A worker is the batch's own process (local execution) or one Ray worker. It is built
from a `WorkerSetup`, which is plain picklable data sent once to every worker.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from cadenza.batching.slots import FairSlots, SlottedModel
from cadenza.engine.estimates import Estimates
from cadenza.providers.base import Model
from cadenza.providers.cached import ResponseCache, cached
from cadenza.providers.registry import resolve
from cadenza.settings import Settings

if TYPE_CHECKING:
    from cadenza.batching.jobs import Job

R = TypeVar("R")


@dataclass(frozen=True, slots=True)
class WorkerDone:
    """Worker `worker` finished: it ran in process `pid` on `node`, ran `jobs` jobs,
    and made `loaded[model]` calls on each local model it loaded (once)."""

    worker: int
    pid: int
    node: str
    jobs: int
    loaded: Mapping[str, int] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class WorkerSetup:
    """What every worker of a batch gets once.

    `given`: model objects the caller passed, by id (ids not in it are resolved by the
    worker with its own settings). `estimates`: the store's estimates when the batch
    started (`Estimates.to_dict`), which every task plans with, so a task's plan does
    not depend on which tasks happened to finish before it; None records no runs.
    `cache`: serve repeatable calls from a response cache. `one_slot_per_task`: each
    task plans as if each model had one slot (see `SlottedModel`); else as if it had
    the model to itself (the bench's arms)."""

    given: Mapping[str, Model] = field(default_factory=dict)
    estimates: Mapping[str, Any] | None = None
    cache: bool = False
    one_slot_per_task: bool = True

    @property
    def record(self) -> bool:
        """Whether each task records its run (for the driver's store)."""
        return self.estimates is not None


class Workshop:
    """One worker's models, slots and cache, shared by every task the worker runs."""

    def __init__(self, setup: WorkerSetup, settings: Settings, cache: ResponseCache | None) -> None:
        self.setup = setup
        self.settings = settings
        self.cache = cache if setup.cache else None
        self.estimates = (
            Estimates.from_dict(setup.estimates) if setup.estimates is not None else None
        )
        self._models: dict[str, Model] = dict(setup.given)
        self._slots: dict[str, FairSlots] = {}
        self.jobs = 0

    async def run(self, job: Job[R]) -> R:
        """Run one job here (and count it)."""
        self.jobs += 1
        return await job.run(self)

    def report(self, worker: int) -> WorkerDone:
        """What this worker did: where it ran, its jobs, and the local models it loaded
        (each loads once per process, whatever the number of tasks)."""
        from cadenza.providers.local import LocalModel

        loaded = {
            model_id: model.shared.calls
            for model_id, model in self._models.items()
            if isinstance(model, LocalModel) and model.shared is not None
        }
        return WorkerDone(worker, os.getpid(), socket.gethostname(), self.jobs, loaded)

    def shared(self, model_id: str) -> Model:
        """The worker's one instance of `model_id` (resolved on first use)."""
        model = self._models.get(model_id)
        if model is None:
            model = self._models[model_id] = resolve(model_id, self.settings)
        return model

    def slots(self, model_id: str) -> FairSlots:
        """The slots of `model_id` this worker's tasks share."""
        slots = self._slots.get(model_id)
        if slots is None:
            capacity = max(1, self.shared(model_id).max_concurrency)
            slots = self._slots[model_id] = FairSlots(capacity)
        return slots

    def share(self, model_id: str) -> int:
        """The slots of `model_id` one task plans with."""
        return 1 if self.setup.one_slot_per_task else self.slots(model_id).capacity

    def model(self, model_id: str, owner: Hashable) -> Model:
        """`model_id` as task `owner` calls it: through the shared slots, planning with
        its share of them (`share`), behind the response cache when there is one."""
        slots = self.slots(model_id)
        view: Model = SlottedModel(self.shared(model_id), slots, owner, self.share(model_id))
        if self.cache is not None:
            view = cached(view, self.cache, self.settings.base_urls)
        return view
