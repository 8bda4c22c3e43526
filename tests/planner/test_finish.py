"""A result's finish reason says what happened: a run that stops before its answer was
judged on every requirement finishes ``pending`` (not ``completed``), with a note naming
what was not verified; a refused run is recorded ``refused``."""

from __future__ import annotations

import pytest

from cadenza.api import solve
from cadenza.errors import BudgetError
from cadenza.providers.base import CompletionRequest
from cadenza.providers.scripted import ScriptedModel
from cadenza.store.store import Store

PASSING = "yes"


def writer_and_judge(request: CompletionRequest, index: int) -> str:
    return PASSING if request.choices else "Hello friend, a warm note."


@pytest.mark.anyio
@pytest.mark.parametrize("strategy", ["single", "best_of_n", "tree"])
async def test_a_run_that_stops_before_judging_finishes_pending(strategy: str) -> None:
    model = ScriptedModel(writer_and_judge)
    result = await solve(
        "Write a note.",
        ["use a warm tone", "at most 20 words"],
        models=[model],
        strategy=strategy,
        budget={"calls": 1},  # the answer, but no call left for its judge
    )
    assert result.text and result.finish_reason == "pending"
    warm = next(r for r in result.requirements if r.description == "use a warm tone")
    assert warm.method == "pending" and not warm.passed
    assert any("before the answer was judged on: use-a-warm-tone" in n for n in result.notes)
    judged = await solve(
        "Write a note.", ["use a warm tone"], models=[model], strategy=strategy,
        budget={"calls": 4},
    )  # fmt: skip
    assert judged.finish_reason == "satisfied"


@pytest.mark.anyio
async def test_a_refused_run_is_recorded_as_refused_not_interrupted() -> None:
    store = Store.open(":memory:")
    model = ScriptedModel(["x"])
    with pytest.raises(BudgetError):
        await solve("Write.", ["be brief"], models=[model], budget={"tokens": 10}, store=store)
    (row,) = store.list_runs()
    assert (row.status, row.finish_reason) == ("refused", "refused")
    assert model.calls == 0
