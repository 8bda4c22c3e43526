from __future__ import annotations

from cadenza.planner.plans.checks import plan_problems
from cadenza.planner.plans.plan import LLM_INFO, PlanNode, ToolPlan
from cadenza.tools.base import ToolInfo

ADD = ToolInfo(
    "add",
    "add two numbers",
    {
        "type": "object",
        "properties": {"a": {"type": "number"}, "b": {"type": "number"}},
        "required": ["a", "b"],
        "additionalProperties": False,
    },
)


def problems(*nodes: PlanNode, max_steps: int = 5) -> list[str]:
    return plan_problems(ToolPlan(nodes), [ADD, LLM_INFO], max_steps)


def test_a_good_plan_has_no_problem() -> None:
    assert (
        problems(
            PlanNode(1, "add", {"a": 1, "b": 2}),
            PlanNode(2, "add", {"a": "$1", "b": 3}),
            PlanNode(3, "llm", {"prompt": "say $2"}),
        )
        == []
    )


def test_unknown_tools_are_refused() -> None:
    (problem,) = problems(PlanNode(1, "rm_rf", {}))
    assert "calls 'rm_rf', which is not a tool (use: add, llm)" in problem


def test_arguments_are_checked_against_the_tool_schema() -> None:
    found = problems(PlanNode(1, "add", {"a": "one", "c": 2}))
    assert any("'b' is a required property" in p for p in found)
    assert any("Additional properties" in p for p in found)
    assert any("a: 'one' is not valid" in p for p in found)


def test_references_must_resolve_and_not_loop() -> None:
    found = problems(
        PlanNode(1, "add", {"a": "$2", "b": 1}),
        PlanNode(2, "add", {"a": "$1", "b": 1}),
        PlanNode(3, "add", {"a": "$7", "b": "$3"}),
    )
    assert any("refers to $7, but no step has id 7" in p for p in found)
    assert any("refers to its own output $3" in p for p in found)
    assert any("cycle ($1 -> $2 -> $1)" in p for p in found)


def test_ids_are_unique_and_plans_bounded() -> None:
    step = PlanNode(1, "add", {"a": 1, "b": 1})
    found = problems(step, step, step, max_steps=2)
    assert any("two steps have id 1" in p for p in found)
    assert any("3 steps; at most 2" in p for p in found)


def test_the_answer_template_must_refer_to_steps() -> None:
    plan = ToolPlan((PlanNode(1, "add", {"a": 1, "b": 2}),), answer="$1 or $2")
    assert plan_problems(plan, [ADD, LLM_INFO], 5) == [
        "the answer refers to $2, but no step has id 2"
    ]
