"""cadenza: make LLMs follow instructions.

Give a task and explicit requirements; cadenza samples candidates, validates each one
against each requirement, ditches the weak ones, fixes the promising ones with targeted
feedback and returns the best answer with a per-requirement report.
"""

from cadenza.api import batch, batch_sync, solve, solve_sync, strategies
from cadenza.errors import CadenzaError, ProviderError, UserError
from cadenza.result import RequirementReport, SolveResult
from cadenza.settings import Settings
from cadenza.task import Budget, Requirement, Task

__version__ = "0.1.0"

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
    "solve",
    "solve_sync",
    "strategies",
]
