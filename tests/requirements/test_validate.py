"""Validation: checks on the fast path, the judge for the rest, concurrently."""

from __future__ import annotations

import pytest

from cadenza.providers.base import CompletionRequest
from cadenza.providers.scripted import ScriptedModel
from cadenza.requirements.compile import compile_requirement
from cadenza.requirements.lang.build import flatten
from cadenza.requirements.validate import all_mandatory_passed, validate, validate_checks

REQS = [
    compile_requirement("no commas"),
    compile_requirement("at most 5 words"),
    compile_requirement("sound enthusiastic"),
    compile_requirement({"description": "be kind to cats", "is_mandatory": False}),
]


def test_fast_path_runs_checks_and_leaves_judged_ones() -> None:
    results = validate_checks("Hello, big world", REQS)
    assert results[0] is not None and not results[0].passed
    assert results[1] is not None and results[1].passed
    assert results[2] is None and results[3] is None


def test_several_checks_in_one_requirement_all_must_pass() -> None:
    (both,) = [compile_requirement("Use all lowercase letters and no commas.")]
    assert both.expr is not None and len(flatten(both.expr)) == 2
    (result,) = validate_checks("hello, world", [both])
    assert result is not None and not result.passed and len(result.parts) == 1
    assert "comma" in result.verdict.reason and "','" in result.verdict.fix_hint
    (fine,) = validate_checks("hello world", [both])
    assert fine is not None and fine.passed


@pytest.mark.anyio
async def test_judge_runs_concurrently_for_judged_requirements() -> None:
    def grader(request: CompletionRequest, index: int) -> str:
        return "yes"

    model = ScriptedModel(grader, latency=0.05, max_concurrency=4)
    verdicts = await validate("Wow great stuff", REQS, prompt="Say hi", judge_model=model)
    # a verdict's method says how the requirement was decided
    assert [v.verdict.method for v in verdicts] == ["rule", "rule", "judged", "judged"]
    assert model.calls == 2 and model.max_in_flight == 2
    assert all_mandatory_passed(verdicts)


@pytest.mark.anyio
async def test_without_a_judge_model_judged_requirements_are_not_verified() -> None:
    verdicts = await validate("Wow great stuff", REQS)
    assert verdicts[2].verdict.method == "unjudged" and not verdicts[2].passed
    assert not all_mandatory_passed(verdicts)
    optional_only = [REQS[1], REQS[3]]
    assert all_mandatory_passed(await validate("Wow great stuff", optional_only))


@pytest.mark.anyio
async def test_mixed_requirement_needs_both_its_checks_and_the_judge() -> None:
    mixed = compile_requirement("Use a formal tone and no more than 5 words.")
    assert mixed.expr is not None and mixed.needs_judge and not mixed.judged
    assert mixed.rubric == "Use a formal tone"  # the judge grades only what no rule read

    def grader(request: CompletionRequest, index: int) -> str:
        return "yes"

    model = ScriptedModel(grader)
    (ok,) = await validate("Good day to you.", [mixed], judge_model=model)
    assert ok.passed and [v.method for v in ok.parts] == ["rule", "judged"]
    (long,) = await validate(
        "Good day to you, my most esteemed colleague.", [mixed], judge_model=model
    )
    assert not long.passed and "words" in long.verdict.reason
    (no_judge,) = await validate("Good day to you.", [mixed])
    assert not no_judge.passed and no_judge.verdict.method == "rule+unjudged"
