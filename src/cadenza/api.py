"""The front door: `solve()` and its sync twin `solve_sync()`."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import anyio

from cadenza.errors import UserError
from cadenza.planner import registry as strategy_registry
from cadenza.planner.context import SolveContext
from cadenza.planner.events import EventCallback
from cadenza.providers.base import Model, ProgressCallback
from cadenza.providers.cached import CachedModel
from cadenza.providers.registry import resolve
from cadenza.result import SolveResult
from cadenza.settings import Settings
from cadenza.store.store import Store
from cadenza.task import Budget, Requirement, Task
from cadenza.tools.toolset import ToolInput
from cadenza.tools.toolset import opened as opened_tools

DEFAULT_MODEL = "local:qwen2.5-coder-1.5b"
DEFAULT_STRATEGY = "tree"
PLAN_STRATEGY = "plan"

RequirementInput = str | Requirement | Mapping[str, Any]


def strategies() -> list[str]:
    """The names of the strategies `solve` accepts."""
    return strategy_registry.names()


async def solve(
    task: str | Task,
    requirements: Sequence[RequirementInput] | None = None,
    *,
    budget: str | Budget | Mapping[str, Any] | None = "medium",
    models: Sequence[str | Model] | None = None,
    strategy: str | None = None,
    settings: Settings | None = None,
    on_progress: ProgressCallback | None = None,
    on_event: EventCallback | None = None,
    options: Mapping[str, Any] | None = None,
    store: Store | str | Path | None = None,
    cache: bool = True,
    tools: Sequence[ToolInput] | None = None,
) -> SolveResult:
    """Answer `task` so that it meets `requirements`.

    `requirements` are strings, `Requirement`s or ``{name, description, is_mandatory}``
    mappings; ``None`` extracts them from the task text. `budget` is ``low | medium |
    high`` or explicit limits. `models` are ids like ``local:qwen2.5-coder-1.5b`` or
    `Model` objects; the first is the default. `strategy` is ``tree`` (default),
    ``single``, ``best_of_n`` or ``refine``. `on_event` receives the planner's events
    (`cadenza.planner.events`: candidates, verdicts, decisions) as the tree grows.
    `options` tunes the strategy (``max_tokens``, ``n`` for best_of_n, ``speculate``,
    ``temperature``, ``keep``, ``max_width`` for tree). `store` (a `Store`, or a path
    to a SQLite file, ``":memory:"``) records the run: steps, verdicts, decisions, the
    result, and the running estimates the next solve starts from. With a store and
    `cache` on, a repeatable call (seeded, or temperature 0) already answered is served
    from the store's response cache instead of being paid for again.

    `tools` (Python functions, HTTP tool definitions in AI21 Maestro's shape,
    `McpServer`s, or `cadenza.tools.Tool` objects) make the solve plan and execute:
    the model writes a plan of tool calls, the engine runs it (independent calls at
    once), a joiner answers or replans, and the answer goes through the requirement
    tree. Only these tools can be called. The strategy is then ``plan`` (the default
    with tools); ``options`` also take ``max_steps`` and ``max_replans``.
    """
    the_task = task if isinstance(task, Task) else Task(instruction=task)
    the_settings = settings or Settings.load()
    name = strategy or (PLAN_STRATEGY if tools else DEFAULT_STRATEGY)
    if tools and name != PLAN_STRATEGY:
        raise UserError(
            f"Tools are called by the {PLAN_STRATEGY!r} strategy, not {name!r}: drop "
            f"--strategy (or pass strategy={PLAN_STRATEGY!r}) to use tools."
        )
    run = strategy_registry.get(name)
    reqs = None if requirements is None else tuple(Requirement.of(r) for r in requirements)
    chosen = list(models) if models else [DEFAULT_MODEL]
    resolved = tuple(m if isinstance(m, Model) else resolve(m, the_settings) for m in chosen)
    if not resolved:
        raise UserError("No model given: pass at least one model id, e.g. local:smollm2-135m.")
    the_budget = Budget.of(budget)
    opened = store if isinstance(store, Store) or store is None else Store.open(store)
    if opened is not None and cache:
        resolved = tuple(_cached(m, opened, the_settings) for m in resolved)
    try:
        async with opened_tools(list(tools or ())) as toolbox:
            context = SolveContext(
                task=the_task,
                requirements=reqs,
                budget=the_budget,
                models=resolved,
                settings=the_settings,
                on_progress=on_progress,
                on_event=on_event,
                options=dict(options or {}),
                store=opened,
                tools=tuple(toolbox.values()),
            )
            return await run(context)
    finally:
        if opened is not None and opened is not store:
            opened.close()


def _cached(model: Model, store: Store, settings: Settings) -> Model:
    if isinstance(model, CachedModel):
        return model
    provider = model.id.split(":", 1)[0]
    return CachedModel(model, store, scope=settings.base_urls.get(provider, ""))


def solve_sync(
    task: str | Task,
    requirements: Sequence[RequirementInput] | None = None,
    **options: Any,
) -> SolveResult:
    """`solve` for callers without an event loop."""

    async def main() -> SolveResult:
        return await solve(task, requirements, **options)

    return anyio.run(main)
