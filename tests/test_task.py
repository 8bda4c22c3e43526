from __future__ import annotations

import pytest

from cadenza.errors import BudgetError, EmptyTaskError, RequirementError
from cadenza.task import Budget, Requirement, Task


def test_empty_task_is_refused_with_an_example() -> None:
    with pytest.raises(EmptyTaskError, match="give an instruction"):
        Task(instruction="   ")


def test_prompt_puts_context_before_instruction() -> None:
    task = Task(instruction="Summarise.", context="Acme sells anvils.")
    assert task.prompt() == "Acme sells anvils.\n\nSummarise."


def test_requirement_from_string_and_maestro_mapping() -> None:
    plain = Requirement.of("at most 3 paragraphs")
    assert plain.is_mandatory and plain.label == "at-most-3-paragraphs"
    maestro = Requirement.of(
        {"name": "tone", "description": "friendly tone", "is_mandatory": False, "weight": 2}
    )
    assert maestro == Requirement("friendly tone", name="tone", is_mandatory=False, weight=2.0)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ({"name": "x"}, "no 'description'"),
        ({"description": "x", "mandatory": True}, "unknown keys"),
        ({"description": ""}, "empty description"),
        ({"description": "x", "weight": 0}, "weights must be > 0"),
        (3, "Cannot read a requirement"),
    ],
)
def test_bad_requirements_say_what_is_wrong(value: object, message: str) -> None:
    with pytest.raises(RequirementError, match=message):
        Requirement.of(value)  # type: ignore[arg-type]


def test_budget_presets_grow_and_explicit_limits_are_checked() -> None:
    low, medium, high = (Budget.of(n) for n in ("low", "medium", "high"))
    assert low.calls is not None and medium.calls is not None and high.calls is not None
    assert low.calls < medium.calls < high.calls
    assert Budget.of({"dollars": 0.5, "seconds": 30}) == Budget(dollars=0.5, seconds=30)
    with pytest.raises(BudgetError, match="low, medium or high"):
        Budget.of("huge")
    with pytest.raises(BudgetError, match="must be positive"):
        Budget(tokens=0)
    with pytest.raises(BudgetError, match="Unknown budget keys"):
        Budget.of({"euros": 3})
