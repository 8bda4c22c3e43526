"""Everything a strategy needs for one solve, resolved and checked by `cadenza.api`."""

from __future__ import annotations

from dataclasses import dataclass

from cadenza.providers.base import Model, ProgressCallback
from cadenza.settings import Settings
from cadenza.task import Budget, Requirement, Task


@dataclass(frozen=True, slots=True)
class SolveContext:
    task: Task
    requirements: tuple[Requirement, ...] | None  # None: extract them from the task
    budget: Budget
    models: tuple[Model, ...]
    settings: Settings
    on_progress: ProgressCallback | None = None

    @property
    def model_ids(self) -> tuple[str, ...]:
        return tuple(m.id for m in self.models)
