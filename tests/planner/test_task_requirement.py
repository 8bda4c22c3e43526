"""The implicit requirement that the answer does the task, judges asked only once the
checks pass, optional requirements improved within the budget, and the honest
baselines (one greedy call; the same call with deterministic repairs only)."""

from __future__ import annotations

import pytest

from cadenza.api import solve
from cadenza.providers.base import CompletionRequest
from cadenza.providers.scripted import Reply, ScriptedModel


def is_judge(request: CompletionRequest) -> bool:
    """A yes/no question of the judge (not the follow-up asking for its reason)."""
    return bool(request.choices)


def verdict(passed: bool) -> str:
    return "yes" if passed else "no"


NOUNS = [
    "amber",
    "birch",
    "cedar",
    "delta",
    "ember",
    "fable",
    "grove",
    "harbor",
    "island",
    "jasper",
    "kettle",
    "lantern",
]


def words(n: int) -> str:
    return " ".join(f"w{i}" for i in range(n))


@pytest.mark.anyio
async def test_every_solve_carries_the_task_requirement_and_a_gutted_answer_loses() -> None:
    # the sample breaks the limit; the first fix meets it by keeping two words of twelve
    # (so the judge is asked, and says no); the second keeps most of the content, and
    # as the final answer is judged once on whether it does the task
    fixes: list[str] = []
    judged: list[str] = []

    def script(request: CompletionRequest, index: int) -> str:
        if is_judge(request):
            judged.append(request.messages[-1].content)
            return verdict("amber birch\n" not in request.messages[-1].content)
        if "DRAFT" in request.messages[-1].content:
            fixes.append("fix")
            return "amber birch" if len(fixes) == 1 else " ".join(NOUNS[:8])
        return " ".join(NOUNS)

    model = ScriptedModel(script, max_concurrency=1)
    result = await solve(
        "Write twelve words", ["at most 8 words"], models=[model], strategy="refine"
    )
    names = [r.name for r in result.requirements]
    assert names == ["at-most-8-words", "does-the-task"]
    assert result.text == " ".join(NOUNS[:8]) and result.passed
    task = result.requirements[1]
    assert task.is_mandatory and task.method == "judged" and task.passed
    # the gutted fix was judged during the search, the final answer once at the end
    assert len(judged) == 2 and "amber birch\n" in judged[0]
    assert " ".join(NOUNS[:8]) in judged[1]


@pytest.mark.anyio
async def test_the_task_requirement_can_be_turned_off_or_weighted() -> None:
    model = ScriptedModel([words(6)], max_concurrency=8)
    off = await solve(
        "Write", ["at least 5 words"], models=[model], options={"task_requirement": False}
    )
    assert [r.name for r in off.requirements] == ["at-least-5-words"]
    assert not any(is_judge(r) for r in model.requests)  # no judge call at all

    def script(request: CompletionRequest, index: int) -> str:
        return verdict(True) if is_judge(request) else words(6)

    weighted = await solve(
        "Write", ["at least 5 words"], models=[ScriptedModel(script)], options={"task_weight": 3}
    )
    assert weighted.requirements[-1].weight == 3


@pytest.mark.anyio
async def test_a_candidate_failing_a_check_is_not_judged() -> None:
    judged: list[str] = []

    def script(request: CompletionRequest, index: int) -> str:
        if is_judge(request):
            judged.append(request.messages[-1].content)
            return verdict(True)
        return words(2) if index == 0 else words(8)

    model = ScriptedModel(script, max_concurrency=1)
    result = await solve(
        "Write", ["at least 5 words", "use a friendly tone"], models=[model], strategy="refine"
    )
    assert result.passed and result.text == words(8)
    # only the candidate that passes its checks went to the judge (the tone; that it
    # does the task is settled from its text until the final answer is judged on it)
    assert len(judged) == 2 and all(words(8) in j for j in judged)
    assert "friendly tone" in judged[0] and "does what the task asks" in judged[1]


@pytest.mark.anyio
async def test_optional_requirements_are_improved_while_the_budget_allows() -> None:
    def script(request: CompletionRequest, index: int) -> str:
        if is_judge(request):
            return verdict(True)
        if "DRAFT" in request.messages[-1].content:
            return words(8) + " Acme"  # the fix also meets the optional requirement
        return words(8)

    requirements = [
        "at least 5 words",
        {"description": "mention 'Acme'", "is_mandatory": False},
    ]
    keep_going = ScriptedModel(script, max_concurrency=1)
    result = await solve("Write", requirements, models=[keep_going], options={"max_width": 1})
    assert result.finish_reason == "satisfied" and "Acme" in result.text
    assert all(r.passed for r in result.requirements)

    stop_early = ScriptedModel(script, max_concurrency=1)
    early = await solve(
        "Write",
        requirements,
        models=[stop_early],
        options={"max_width": 1, "improve_optional": False},
    )
    assert early.finish_reason == "satisfied" and "Acme" not in early.text
    assert stop_early.calls < keep_going.calls


@pytest.mark.anyio
async def test_single_is_one_greedy_call_and_single_repair_only_repairs() -> None:
    model = ScriptedModel(["Hello World"], max_concurrency=1)
    plain = await solve(
        "Greet",
        ["all lowercase"],
        models=[model],
        strategy="single",
        options={"task_requirement": False},
    )
    assert model.calls == 1 and model.requests[0].temperature == 0.0
    assert plain.text == "Hello World" and not plain.passed

    repaired_model = ScriptedModel(["Hello World"], max_concurrency=1)
    repaired = await solve(
        "Greet",
        ["all lowercase"],
        models=[repaired_model],
        strategy="single_repair",
        options={"task_requirement": False},
    )
    assert repaired_model.calls == 1
    assert repaired.text == "hello world" and repaired.passed


@pytest.mark.anyio
@pytest.mark.parametrize("strategy", ["single", "single_repair"])
async def test_single_and_single_repair_make_one_call_by_default(strategy: str) -> None:
    # no model extraction of the prompt and no task judge unless asked: the one call a
    # user makes (single_repair adds only deterministic repairs)
    model = ScriptedModel(["Hello World, this is the answer."], max_concurrency=1)
    result = await solve(
        "Write a greeting in all lowercase letters. Keep it friendly.",
        models=[model],
        strategy=strategy,
    )
    assert model.calls == 1 and result.calls == 1


@pytest.mark.anyio
@pytest.mark.parametrize("strategy", ["tree", "refine", "best_of_n"])
async def test_a_judge_reply_that_is_no_verdict_is_still_counted(strategy: str) -> None:
    # the judge is answered with prose: the requirement is not verified, and the call
    # it cost is in the result's calls, tokens and budget like any other
    model = ScriptedModel(lambda request, index: "one two three four five six")
    result = await solve(
        "Write a line about the sea",
        ["at most 8 words", "use a friendly tone"],
        models=[model],
        strategy=strategy,
    )
    assert result.calls == model.calls
    engine = result.extra["engine"]
    assert isinstance(engine, dict)
    final = result.extra.get("final_judgement")  # asked after the engine's run
    final_calls = final["calls"] if isinstance(final, dict) else 0
    assert engine["spent"]["calls"] + final_calls == model.calls
    tone = next(r for r in result.requirements if r.name == "use-a-friendly-tone")
    assert tone.method == "judge_failed" and not tone.passed and not result.passed


@pytest.mark.real_model
@pytest.mark.anyio
async def test_on_the_real_model_the_task_requirement_is_judged_or_reported_unverified() -> None:
    result = await solve(
        "Name one colour.",
        ["at most 5 words"],
        models=["local:smollm2-135m"],
        strategy="refine",
        budget={"calls": 3},
        options={"max_tokens": 12, "max_rounds": 1},
    )
    task = next(r for r in result.requirements if r.name == "does-the-task")
    # a verdict from the model (strictly read), or its failure, or no call left for it:
    # never a pass without a verdict
    assert task.method in ("judged", "judge_failed", "pending")
    if task.method != "judged":
        assert not task.passed and not result.passed
    assert result.finish_reason != "satisfied" or task.passed
    assert result.calls <= 3


@pytest.mark.anyio
async def test_the_final_answer_is_judged_once_and_a_no_is_never_satisfied() -> None:
    """Every check passes and the screen passes the answer by rule; the final judge says
    it does not do the task: the run is not reported satisfied, the verdict says why."""
    asked: list[CompletionRequest] = []

    def script(request: CompletionRequest, index: int) -> Reply:
        if is_judge(request):
            asked.append(request)
            return Reply(choice_probs={"yes": 0.1, "no": 0.9})
        return Reply(words(40))  # long enough for a poem: the screen passes it

    model = ScriptedModel(script, max_concurrency=1)
    result = await solve("Write a poem", ["at least 5 words"], models=[model], strategy="refine")
    assert len(asked) == 1 and "does what the task asks" in asked[0].messages[-1].content
    task = result.requirements[-1]
    assert task.name == "does-the-task" and not task.passed and task.method == "judged"
    assert task.score == pytest.approx(0.1)
    assert result.finish_reason != "satisfied" and not result.passed
    assert any("does not do the task" in note for note in result.notes)
    assert result.calls == model.calls  # the final judgement is counted


@pytest.mark.anyio
async def test_the_final_judgement_can_be_turned_off() -> None:
    def script(request: CompletionRequest, index: int) -> str:
        return verdict(False) if is_judge(request) else words(40)

    model = ScriptedModel(script, max_concurrency=1)
    result = await solve(
        "Write a poem",
        ["at least 5 words"],
        models=[model],
        strategy="refine",
        options={"judge_final": False},
    )
    assert not any(is_judge(r) for r in model.requests)
    # the screens found no fault, but nobody judged whether it does the task
    task = result.requirements[-1]
    assert task.passed and task.method == "screen"
    assert result.finish_reason == "unverified"
    assert any("does-the-task was only screened" in n for n in result.notes)
