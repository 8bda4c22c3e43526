"""The front door: strategies by name, sync twin, inputs, and a real-model run."""

from __future__ import annotations

import pytest

from cadenza.api import solve, solve_sync, strategies
from cadenza.errors import UserError
from cadenza.planner.events import CandidateAdded, DecisionMade, PlannerEvent
from cadenza.providers.scripted import ScriptedModel


def test_strategies_are_listed_with_tree_first() -> None:
    assert strategies() == ["tree", "single", "single_repair", "best_of_n", "refine", "plan"]


def test_solve_sync_accepts_maestro_style_requirements_and_reports_each() -> None:
    model = ScriptedModel(["one two three four five six"])
    result = solve_sync(
        "Write",
        [
            {"name": "long", "description": "Answer with at least 5 words"},
            {"description": "Answer with at least 50 words", "is_mandatory": False},
        ],
        models=[model],
        options={"task_requirement": False},
    )
    assert result.strategy == "tree"
    long, optional = result.requirements
    assert long.name == "long" and long.passed
    assert not optional.passed and not optional.is_mandatory
    assert result.passed and 0 < result.score < 1  # optional miss lowers, not zeroes


def test_unknown_strategy_is_a_user_error() -> None:
    with pytest.raises(UserError, match="Unknown strategy"):
        solve_sync("Write", None, models=[ScriptedModel()], strategy="magic")


@pytest.mark.anyio
async def test_on_event_sees_candidates_and_decisions() -> None:
    seen: list[PlannerEvent] = []
    model = ScriptedModel(["a b c", "a b c d e f g"])
    await solve("Write", ["Answer with at least 5 words"], models=[model], on_event=seen.append)
    assert any(isinstance(e, CandidateAdded) for e in seen)
    assert any(isinstance(e, DecisionMade) and e.decision.action == "stop" for e in seen)


@pytest.mark.real_model
def test_tree_end_to_end_on_the_real_local_model() -> None:
    result = solve_sync(
        "Name three colors. Answer in all lowercase letters.",
        ["Answer in all lowercase letters", "Do not use any commas"],
        models=["local:smollm2-135m"],
        strategy="tree",
        budget={"calls": 4},
        options={"task_requirement": False, "max_tokens": 24, "max_width": 2},
    )
    assert result.calls <= 4 and result.usage.output_tokens > 0
    assert result.finish_reason in ("satisfied", "budget_spent", "no_progress")
    assert len(result.requirements) == 2
    # both requirements are safely repairable: the tree meets them without extra calls
    assert result.passed, result.requirements
    assert result.text == result.text.lower() and "," not in result.text
    assert result.decisions and result.trace


@pytest.mark.anyio
async def test_a_solve_is_recorded_in_the_store_and_feeds_estimates(tmp_path: object) -> None:
    from pathlib import Path

    from cadenza.store.store import Store

    assert isinstance(tmp_path, Path)
    path = tmp_path / "runs.db"
    model = ScriptedModel(["a b c", "a b c d e f g"], max_concurrency=1)
    result = await solve(
        "Write",
        ["Answer with at least 5 words"],
        models=[model],
        store=path,
        options={"task_requirement": False},
    )
    assert result.run_id is not None
    with Store.open(path) as store:
        history = store.load_run(result.run_id)
        assert [d.action for d in history.decisions] == [d.action for d in result.decisions]
        assert len(history.verdicts) == sum(1 for n in result.trace if n["type"] == "candidate")
        assert history.steps and store.load_estimates().get(model.id, "sample") is not None
