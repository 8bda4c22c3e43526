from __future__ import annotations

import pytest

from cadenza.errors import BudgetError, EmptyTaskError, RequirementError, UserError
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


@pytest.mark.parametrize(
    ("value", "mandatory"),
    [("false", False), ("False", False), ("no", False), (0, False), ("true", True), (1, True)],
)
def test_is_mandatory_strings_read_as_what_they_say(value: object, mandatory: bool) -> None:
    req = Requirement.of({"description": "friendly tone", "is_mandatory": value})
    assert req.is_mandatory is mandatory


@pytest.mark.parametrize(
    ("value", "field", "message"),
    [
        ({"description": None}, "description", "must be text, got null"),
        ({"description": 42}, "description", "must be text, got a number"),
        ({"description": "x", "is_mandatory": "maybe"}, "is_mandatory", "true or false"),
        ({"description": "x", "is_mandatory": 2}, "is_mandatory", "true or false"),
        ({"description": "x", "weight": "2"}, "weight", "Write 2 without quotes"),
        ({"description": "x", "weight": float("nan")}, "weight", "finite"),
        ({"description": "x", "name": 7}, "name", "must be text"),
    ],
)
def test_requirement_fields_are_checked_by_type_and_named(
    value: object, field: str, message: str
) -> None:
    with pytest.raises(RequirementError, match=message) as caught:
        Requirement.of(value)  # type: ignore[arg-type]
    assert repr(field) in str(caught.value)


def test_a_null_name_is_no_name() -> None:
    assert Requirement.of({"description": "be brief", "name": None}).label == "be-brief"


def test_requirement_objects_are_checked_too() -> None:
    with pytest.raises(RequirementError, match="'is_mandatory'"):
        Requirement("be brief", is_mandatory="false")  # type: ignore[arg-type]
    with pytest.raises(RequirementError, match="must be text, got null"):
        Requirement(None)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ({"calls": "3"}, "'calls' must be a number, got a string .*Write 3 without quotes"),
        ({"tokens": 2.5}, "'tokens' must be a whole number"),
        ({"dollars": float("nan")}, "'dollars' must be a finite number"),
        ({"seconds": float("inf")}, "'seconds' must be a finite number"),
        ({"calls": True}, "'calls' must be a number, got a boolean"),
        ({}, "sets no limit"),
        ({"calls": None}, "sets no limit"),
        ({"dollars": -1}, "must be positive"),
        (3, "Cannot read a budget"),
    ],
)
def test_bad_budgets_are_refused_naming_the_field(value: object, message: str) -> None:
    with pytest.raises(BudgetError, match=message):
        Budget.of(value)  # type: ignore[arg-type]


def test_whole_floats_are_read_as_whole_numbers() -> None:
    budget = Budget.of({"calls": 3.0, "tokens": 1000})
    assert budget.calls == 3 and isinstance(budget.calls, int) and budget.limited
    assert not Budget().limited


def test_text_that_is_not_utf8_is_refused_clearly() -> None:
    broken = "Write about caf\udce9s"  # a Latin-1 byte read with surrogateescape
    with pytest.raises(UserError, match=r"'instruction' is not valid UTF-8 .* character 15"):
        Task(instruction=broken)
    with pytest.raises(RequirementError, match="not valid UTF-8"):
        Requirement.of(broken)
