"""Plans are checked when built and when they grow: duplicates, missing inputs, cycles."""

from __future__ import annotations

import pytest

from cadenza.engine import Plan, PlanBuilder, PlanError, Speculation, Step, StepContext
from cadenza.engine.graph import check_steps


async def noop(ctx: StepContext) -> None:
    return None


def test_plan_orders_steps_after_their_inputs() -> None:
    plan = Plan.of(
        [
            Step("c", noop, ("a", "b")),
            Step("b", noop, ("a",)),
            Step("a", noop),
        ]
    )
    order = [s.id for s in plan.steps]
    assert order.index("a") < order.index("b") < order.index("c")
    assert len(plan) == 3


def test_builder_builds_the_same_plan() -> None:
    plan = PlanBuilder().add(Step("a", noop)).add(Step("b", noop, ("a",))).build()
    assert [s.id for s in plan.steps] == ["a", "b"]


def test_duplicate_ids_are_refused() -> None:
    with pytest.raises(PlanError, match="unique"):
        Plan.of([Step("a", noop), Step("a", noop)])


def test_missing_input_is_refused_with_its_name() -> None:
    with pytest.raises(PlanError, match="'ghost'"):
        Plan.of([Step("a", noop, ("ghost",))])


def test_cycle_is_refused_with_the_steps_involved() -> None:
    with pytest.raises(PlanError, match="cycle") as info:
        Plan.of([Step("a", noop, ("c",)), Step("b", noop, ("a",)), Step("c", noop, ("b",))])
    assert "'a'" in str(info.value) and "'c'" in str(info.value)


def test_self_dependency_and_repeated_input_are_refused() -> None:
    with pytest.raises(PlanError, match="itself"):
        Step("a", noop, ("a",))
    with pytest.raises(PlanError, match="twice"):
        Step("b", noop, ("a", "a"))
    with pytest.raises(PlanError, match="empty id"):
        Step("", noop)


def test_speculation_must_be_on_an_input() -> None:
    with pytest.raises(PlanError, match="speculates"):
        Step("b", noop, ("a",), speculation=Speculation("x", predicted=1))


def test_added_steps_may_use_known_ids_and_each_other() -> None:
    added = check_steps((Step("d", noop, ("c", "a")), Step("c", noop, ("a",))), {"a", "b"})
    assert [s.id for s in added] == ["c", "d"]
    with pytest.raises(PlanError, match="unique"):
        check_steps((Step("a", noop),), {"a"})
    with pytest.raises(PlanError, match="'zz'"):
        check_steps((Step("e", noop, ("zz",)),), {"a"})
