"""Everything a strategy needs for one solve, resolved and checked by `cadenza.api`."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from cadenza.providers.base import Model, ProgressCallback
from cadenza.settings import Settings
from cadenza.task import Budget, Requirement, Task

if TYPE_CHECKING:
    from cadenza.engine.events import Event
    from cadenza.store.store import Store
    from cadenza.tools.base import Tool


@dataclass(frozen=True, slots=True)
class SolveContext:
    task: Task
    requirements: tuple[Requirement, ...] | None  # None: extract them from the task
    budget: Budget
    models: tuple[Model, ...]
    settings: Settings
    on_progress: ProgressCallback | None = None
    on_event: Callable[[Any], None] | None = None  # planner events (cadenza.planner.events)
    options: Mapping[str, Any] = field(default_factory=dict)  # strategy knobs
    store: Store | None = None  # record the run (steps, verdicts, decisions, estimates)
    tools: tuple[Tool, ...] = ()  # opened tools the plan strategy may call (only these)
    run_id: str | None = None  # the run's id in the store (None: a new one)
    labels: Mapping[str, str] = field(default_factory=dict)  # tags recorded with the run
    on_engine_event: Callable[[Event], None] | None = None  # the engine's events (tracing)

    @property
    def model_ids(self) -> tuple[str, ...]:
        return tuple(m.id for m in self.models)
