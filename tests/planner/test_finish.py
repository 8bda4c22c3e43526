"""A result's finish reason says what happened: a run that stops before its answer was
judged on every requirement finishes ``pending`` (not ``completed``), with a note naming
what was not verified; a refused run is recorded ``refused``."""

from __future__ import annotations

import json
import re

import pytest

from cadenza.api import solve
from cadenza.errors import BudgetError
from cadenza.providers.base import CompletionRequest
from cadenza.providers.scripted import Reply, ScriptedModel
from cadenza.requirements.judge import CONFIDENT_AT, JUDGE_CHOICES
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
        options={"judge": True},  # single judges only when asked
    )
    assert result.text and result.finish_reason == "pending"
    warm = next(r for r in result.requirements if r.description == "use a warm tone")
    assert warm.method == "pending" and not warm.passed
    assert any("before the answer was judged on: use-a-warm-tone" in n for n in result.notes)
    judged = await solve(
        "Write a note.", ["use a warm tone"], models=[model], strategy=strategy,
        budget={"calls": 4}, options={"judge": True},
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


def is_judge(request: CompletionRequest) -> bool:
    return request.choices == JUDGE_CHOICES


def rubric_of(request: CompletionRequest) -> str:
    user = request.messages[-1].content
    asked = re.search(r'Did they follow the instruction "(.*)"\? Answer yes or no\.\s*$', user)
    assert asked is not None, user
    return asked.group(1)


@pytest.mark.anyio
async def test_a_requirement_the_judge_could_not_decide_finishes_unverified() -> None:
    def script(request: CompletionRequest, index: int) -> str:
        if is_judge(request):
            if "warm" in rubric_of(request):
                return "I think it is fine."  # no verdict: the judge failed
            return PASSING
        return "Hello friend, a warm note."

    result = await solve(
        "Write a note.", ["use a warm tone", "at most 20 words"],
        models=[ScriptedModel(script)], strategy="single", budget={"calls": 6},
        options={"judge": True},
    )  # fmt: skip
    assert result.finish_reason == "unverified"
    warm = next(r for r in result.requirements if r.description == "use a warm tone")
    assert warm.method == "judge_failed" and not warm.passed
    assert any(n.startswith("Not verified: use-a-warm-tone") for n in result.notes)


@pytest.mark.anyio
@pytest.mark.parametrize(("p_yes", "finish"), [(0.62, "unverified"), (0.97, "satisfied")])
async def test_an_unconfident_yes_is_not_reported_satisfied(p_yes: float, finish: str) -> None:
    def script(request: CompletionRequest, index: int) -> Reply:
        if is_judge(request):
            return Reply(choice_probs={"yes": p_yes, "no": 1 - p_yes})
        return Reply("Hello friend, a warm note.")

    result = await solve(
        "Write a note.", ["use a warm tone", "at most 20 words"],
        models=[ScriptedModel(script)], strategy="tree", budget={"calls": 8},
    )  # fmt: skip
    warm = next(r for r in result.requirements if r.description == "use a warm tone")
    assert warm.passed and warm.method == "judged" and warm.score == pytest.approx(p_yes)
    assert result.passed and result.finish_reason == finish
    unsure = [n for n in result.notes if "without confidence" in n]
    if finish == "unverified":
        assert len(unsure) == 1 and "use-a-warm-tone (P(yes) = 0.62)" in unsure[0]
        assert "under the 0.90 of a confident yes" in warm.reason
    else:
        assert not unsure and "confident" not in warm.reason


FIVE = (
    "Write a short note about tea for my aunt. Mention exactly three brands of tea. "
    "Write it in a warm, cheerful tone. Include a two-line poem in the middle. "
    "Sign it as Sam. End with a question."
)


def answers_in_two_lines(request: CompletionRequest, index: int) -> str:
    """The writer answers "I love tea. Do you?"; the judge passes only the task
    requirement; extraction (when asked) finds nothing."""
    if is_judge(request):
        return PASSING if "does what the task asks" in rubric_of(request) else "no"
    if request.json_schema is not None:
        return json.dumps({"requirements": []})
    return "I love tea. Do you?"


@pytest.mark.anyio
@pytest.mark.parametrize("calls", [6, 40])  # 6: too few calls to ask for extraction
async def test_directives_no_rule_reads_are_judged_and_named_not_dropped(calls: int) -> None:
    result = await solve(
        FIVE, models=[ScriptedModel(answers_in_two_lines)], strategy="single",
        budget={"calls": calls}, options={"extract_with_model": True, "judge": True},
    )  # fmt: skip
    assert result.text == "I love tea. Do you?"
    assert result.finish_reason != "satisfied" and not result.passed
    named = {r.description: r for r in result.requirements}
    for directive in (
        "Mention exactly three brands of tea.",
        "Write it in a warm, cheerful tone.",
        "Include a two-line poem in the middle.",
        "Sign it as Sam.",
    ):
        assert directive in named and named[directive].method in ("judged", "pending")
    assert named["End with a question."].passed
    summary = next(n for n in result.notes if "from the task text" in n)
    assert "not understood by any rule, judged as written: 'Mention exactly three" in summary
    assert "read by rule: 'End with a question.'" in summary


@pytest.mark.real_model
@pytest.mark.anyio
async def test_on_the_real_model_unread_directives_are_judged_and_the_finish_is_honest() -> None:
    prompt = "Write a note about tea. Mention exactly three brands of tea. End with a question."
    result = await solve(
        prompt,
        models=["local:smollm2-135m"],
        strategy="single",
        budget={"calls": 4},
        options={"max_tokens": 24},
    )
    brands = next(r for r in result.requirements if r.description.startswith("Mention exactly"))
    assert brands.method in ("judged", "judge_failed", "pending")
    if result.finish_reason == "satisfied":
        assert all(
            r.passed and r.method not in ("judge_failed", "unverified", "pending")
            for r in result.requirements
            if r.is_mandatory
        )
        judged = [r for r in result.requirements if r.is_mandatory and "judge" in r.method]
        assert all(r.score >= CONFIDENT_AT for r in judged)  # no unconfident yes
    if brands.method != "judged":
        assert result.finish_reason != "satisfied" and not result.passed
    assert any("not understood by any rule" in n for n in result.notes)


@pytest.mark.anyio
async def test_a_failed_extraction_call_is_named_in_the_notes() -> None:
    from cadenza.errors import ProviderUnavailableError
    from cadenza.providers.scripted import Reply

    def script(request: CompletionRequest, index: int) -> str | Reply:
        if "list the requirements" in request.messages[0].content:
            return Reply(error=ProviderUnavailableError("extraction down", provider="scripted"))
        return answers_in_two_lines(request, index)

    result = await solve(
        FIVE, models=[ScriptedModel(script)], strategy="single", budget={"calls": 40},
        options={"extract_with_model": True},
    )  # fmt: skip
    failed = [n for n in result.notes if "could not list the requirements" in n]
    assert failed and "extraction down" in failed[0]
    assert "Sign it as Sam." in {r.description for r in result.requirements}
    assert result.finish_reason != "satisfied"


@pytest.mark.anyio
async def test_single_makes_one_call_and_reports_what_only_a_judge_decides_unverified() -> None:
    model = ScriptedModel(["Hello friend, a warm note about the harbour at dawn."])
    result = await solve("Write a note.", ["use a warm tone"], models=[model], strategy="single")
    assert model.calls == 1 and result.calls == 1
    warm = next(r for r in result.requirements if r.description == "use a warm tone")
    assert warm.method == "unjudged" and not warm.passed
    assert result.finish_reason == "unverified" and not result.passed
