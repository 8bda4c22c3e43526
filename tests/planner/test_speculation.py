"""Speculation: fix on predicted judge verdicts, cancel on a miss, off on one slot."""

from __future__ import annotations

import pytest

from cadenza.api import solve
from cadenza.providers.base import CompletionRequest
from cadenza.providers.scripted import Reply, ScriptedModel

REQS = ["Answer with at least 12 words", "Use a friendly tone"]


def words(n: int) -> str:
    return " ".join(f"w{i}" for i in range(n))


def scripted(judge_first_passes: bool) -> ScriptedModel:
    def script(request: CompletionRequest, index: int) -> Reply:
        prompt = request.messages[-1].content
        if request.choices:  # the judge
            candidate = prompt.split("Candidate answer")[-1]
            friendly = "friendly w0" in candidate or judge_first_passes
            p_yes = 0.9 if friendly else 0.1
            return Reply(choice_probs={"yes": p_yes, "no": 1 - p_yes}, latency_s=0.3)
        if "does not meet this requirement" in prompt:  # the judge's reason, for a fix
            return Reply("sound friendlier", latency_s=0.1)
        if "DRAFT" in prompt:  # a fix
            text = "friendly " + words(14) if "friendl" in prompt.lower() else words(14)
            return Reply(text, latency_s=0.5)
        return Reply(words(4), latency_s=0.05)

    return ScriptedModel(script, max_concurrency=4)


@pytest.mark.anyio
async def test_speculative_fix_is_cancelled_when_the_judge_disagrees() -> None:
    model = scripted(judge_first_passes=False)
    options = {"max_width": 1, "speculation_confidence": 0.0}  # predict: the judge passes
    result = await solve(
        "Write", REQS, models=[model], options={"task_requirement": False, **options}
    )
    engine = result.extra["engine"]
    assert isinstance(engine, dict)
    assert engine["speculation_misses"] >= 1
    assert model.cancelled >= 1  # the losing fix's call was aborted
    assert any(d.action == "speculate_fix" for d in result.decisions)
    assert result.passed and result.text.startswith("friendly")


@pytest.mark.anyio
async def test_speculative_fix_is_committed_when_the_prediction_holds() -> None:
    model = scripted(judge_first_passes=True)
    options = {"max_width": 1, "speculation_confidence": 0.0}
    result = await solve(
        "Write", REQS, models=[model], options={"task_requirement": False, **options}
    )
    engine = result.extra["engine"]
    assert isinstance(engine, dict)
    assert engine["speculation_hits"] >= 1 and engine["speculation_misses"] == 0
    assert result.passed


@pytest.mark.anyio
async def test_speculation_is_off_on_a_single_slot() -> None:
    model = scripted(judge_first_passes=False)
    model._max_concurrency = 1
    result = await solve(
        "Write", REQS, models=[model], options={"task_requirement": False, "max_width": 1}
    )
    assert not any(d.action.startswith("speculate") for d in result.decisions)
    assert model.max_in_flight == 1 and model.cancelled == 0
    assert result.passed


@pytest.mark.anyio
async def test_speculation_can_be_switched_off() -> None:
    model = scripted(judge_first_passes=False)
    result = await solve(
        "Write",
        REQS,
        models=[model],
        options={"task_requirement": False, "max_width": 1, "speculate": False},
    )
    assert not any(d.action.startswith("speculate") for d in result.decisions)
    engine = result.extra["engine"]
    assert isinstance(engine, dict) and engine["speculation_misses"] == 0
    assert result.passed


@pytest.mark.anyio
async def test_doubtful_judges_are_fixed_ahead_so_the_prediction_holds() -> None:
    model = scripted(judge_first_passes=False)
    result = await solve(
        "Write", REQS, models=[model], options={"task_requirement": False, "max_width": 1}
    )
    engine = result.extra["engine"]
    assert isinstance(engine, dict)
    assert engine["speculation_hits"] >= 1 and engine["speculation_misses"] == 0
    assert model.calls == 4  # sample, its judge, one fix, its judge: nothing wasted
    assert result.passed and result.text.startswith("friendly")
