"""cadenza: make LLMs follow instructions.

Give a task and explicit requirements; cadenza samples candidates, validates each one
against each requirement, ditches the weak ones, fixes the promising ones with targeted
feedback and returns the best answer with a per-requirement report.

The names below are imported when first used, so ``import cadenza`` (and the `cadenza`
command's first instant, see `cadenza.entry`) stays light.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from cadenza.api import batch, batch_sync, resume, solve, solve_sync, strategies
    from cadenza.errors import CadenzaError, ProviderError, UserError
    from cadenza.result import RequirementReport, SolveResult
    from cadenza.settings import Settings
    from cadenza.task import Budget, Requirement, Task

__version__ = "0.1.0"

_WHERE = {
    "batch": "cadenza.api",
    "batch_sync": "cadenza.api",
    "resume": "cadenza.api",
    "solve": "cadenza.api",
    "solve_sync": "cadenza.api",
    "strategies": "cadenza.api",
    "CadenzaError": "cadenza.errors",
    "ProviderError": "cadenza.errors",
    "UserError": "cadenza.errors",
    "RequirementReport": "cadenza.result",
    "SolveResult": "cadenza.result",
    "Settings": "cadenza.settings",
    "Budget": "cadenza.task",
    "Requirement": "cadenza.task",
    "Task": "cadenza.task",
}

__all__ = [
    "Budget",
    "CadenzaError",
    "ProviderError",
    "Requirement",
    "RequirementReport",
    "Settings",
    "SolveResult",
    "Task",
    "UserError",
    "__version__",
    "batch",
    "batch_sync",
    "resume",
    "solve",
    "solve_sync",
    "strategies",
]


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'cadenza' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value
