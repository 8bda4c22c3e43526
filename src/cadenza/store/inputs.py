"""What a recorded run was asked, read back from its summary: enough to run it again
(`cadenza.api.resume`)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from cadenza.errors import UserError
from cadenza.task import Budget, Requirement, Task


@dataclass(frozen=True, slots=True)
class RunInputs:
    task: Task
    requirements: tuple[Requirement, ...] | None  # None: read from the task
    budget: Budget
    strategy: str | None
    models: tuple[str, ...]
    options: dict[str, Any] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)


def inputs_of(run_id: str, summary: Mapping[str, Any]) -> RunInputs:
    """The inputs recorded in run `run_id`'s `summary`; `UserError` when the summary
    lacks them (a run recorded by the engine alone, or by an older cadenza)."""
    try:
        task = Task(**_fields(summary["task"]))
        raw = summary.get("requirements")
        requirements = None if raw is None else tuple(Requirement.of(_fields(r)) for r in raw)
        budget = Budget(**_fields(summary.get("budget") or {}))
        strategy = summary.get("strategy")
        models = tuple(str(m) for m in summary.get("models") or ())
        extra = summary.get("extra") or {}
        options = dict(extra.get("options") or {}) if isinstance(extra, Mapping) else {}
        labels = {str(k): str(v) for k, v in dict(summary.get("labels") or {}).items()}
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise UserError(
            f"Run {run_id!r} did not record what it was asked ({type(exc).__name__}: {exc}), "
            "so it cannot be run again: start a new run with the same input."
        ) from None
    return RunInputs(
        task=task,
        requirements=requirements,
        budget=budget,
        strategy=None if strategy is None else str(strategy),
        models=models,
        options=options,
        labels=labels,
    )


def _fields(value: object) -> dict[str, Any]:
    """A recorded dataclass's fields (without the ``type`` the codec adds)."""
    if not isinstance(value, Mapping):
        raise TypeError(f"expected an object, got {type(value).__name__}")
    return {str(k): v for k, v in value.items() if k != "type"}
