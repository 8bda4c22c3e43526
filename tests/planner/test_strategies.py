"""Strategies on the scripted provider: logic, budgets, failures, decisions."""

from __future__ import annotations

import json

import pytest

from cadenza.api import solve
from cadenza.errors import BudgetError, ProviderUnavailableError
from cadenza.providers.base import CompletionRequest
from cadenza.providers.scripted import Reply, ScriptedModel


def _is_fix(request: CompletionRequest) -> bool:
    return "DRAFT" in request.messages[-1].content


def words(n: int) -> str:
    return " ".join(f"w{i}" for i in range(n))


@pytest.mark.anyio
async def test_best_of_n_returns_the_best_candidate_by_verdicts() -> None:
    replies = [words(3), words(8), words(15), words(5), words(2)]
    model = ScriptedModel(replies, max_concurrency=8, latency=0.05)
    result = await solve(
        "Write",
        ["Answer with at least 12 words"],
        models=[model],
        strategy="best_of_n",
        options={"task_requirement": False},
    )
    assert model.calls == 5 and model.max_in_flight == 5  # all samples in parallel
    assert result.text == words(15)
    assert result.passed and result.finish_reason == "satisfied"
    assert result.requirements[0].method == "rule"  # read by a rule, checked by the program


@pytest.mark.anyio
async def test_best_of_n_ranks_by_nearness_when_none_passes() -> None:
    model = ScriptedModel([words(3), words(9), words(5)], max_concurrency=8)
    result = await solve(
        "Write",
        ["Answer with at least 12 words"],
        models=[model],
        strategy="best_of_n",
        options={"task_requirement": False, "n": 3},
    )
    assert result.text == words(9)  # 9 of 12 words is nearest
    assert result.score == 0.0 and result.finish_reason == "completed"


@pytest.mark.anyio
async def test_refine_fixes_with_feedback_and_stops_when_satisfied() -> None:
    def script(request: CompletionRequest, index: int) -> str:
        return words(20) if index >= 2 else words(4)

    model = ScriptedModel(script, max_concurrency=1)
    result = await solve(
        "Write",
        ["Answer with at least 12 words"],
        models=[model],
        strategy="refine",
        options={"task_requirement": False},
    )
    assert model.calls == 3  # sample, fix, fix: stops at the first pass
    assert result.finish_reason == "satisfied" and result.text == words(20)
    fix_prompt = model.requests[1].messages[-1].content
    assert "at least 12 words" in fix_prompt and words(4) in fix_prompt
    assert [d.action for d in result.decisions] == ["sample", "fix", "fix", "stop"]


@pytest.mark.anyio
@pytest.mark.parametrize(("strategy", "default"), [("best_of_n", 0.9), ("refine", 0.7)])
async def test_fresh_samples_are_drawn_at_the_temperature_asked_for(
    strategy: str, default: float
) -> None:
    """The option ``temperature`` is the temperature of fresh samples in every strategy
    (each has its own default); best_of_n and refine used to keep theirs whatever was
    asked. Fixes keep their own."""
    for options, expected in (({}, default), ({"temperature": 0.2}, 0.2)):
        model = ScriptedModel([words(3)], max_concurrency=2)
        await solve(
            "Write",
            ["Answer with at least 12 words"],
            models=[model],
            strategy=strategy,
            options={"task_requirement": False, "n": 2, "max_rounds": 1, **options},
        )
        samples = [r for r in model.requests if not _is_fix(r)]
        assert samples and {r.temperature for r in samples} == {expected}, (strategy, options)


@pytest.mark.anyio
async def test_tree_ditches_fixes_and_reduces() -> None:
    def script(request: CompletionRequest, index: int) -> str:
        if _is_fix(request):
            return words(14)
        return [words(10), words(2), words(6)][index % 3]

    model = ScriptedModel(script, max_concurrency=1)
    result = await solve(
        "Write",
        ["Answer with at least 12 words"],
        models=[model],
        strategy="tree",
        options={"task_requirement": False, "max_width": 3, "keep": 1},
    )
    assert result.finish_reason == "satisfied" and result.text == words(14)
    nodes = {n["id"]: n for n in result.trace if n["type"] == "candidate"}
    statuses = {n["status"] for n in nodes.values()}
    assert {"ditched", "fixed", "winner"} <= statuses
    winner = next(n for n in nodes.values() if n["status"] == "winner")
    assert winner["origin"] == "fix"
    parent = nodes[winner["parents"][0]]
    assert parent["soft_score"] == max(
        n["soft_score"] for n in nodes.values() if n["origin"] == "sample"
    )  # the fix went to the most promising sample
    actions = [d.action for d in result.decisions]
    assert actions[0] == "sample" and "ditch" in actions and "fix" in actions
    assert actions[-1] == "stop"
    assert all(d.reason for d in result.decisions)


@pytest.mark.anyio
async def test_tree_repairs_for_free_before_calling_a_model() -> None:
    model = ScriptedModel(["Hello, world, again"], max_concurrency=1)
    result = await solve(
        "Greet",
        ["Do not use any commas"],
        models=[model],
        strategy="tree",
        options={"task_requirement": False},
    )
    assert model.calls == 1
    assert result.passed and "," not in result.text
    assert any(d.action == "repair" for d in result.decisions)


@pytest.mark.anyio
async def test_contradictory_requirements_end_before_any_call() -> None:
    model = ScriptedModel([words(5)])
    result = await solve(
        "Write",
        ["Answer with at least 300 words", "Answer with at most 100 words"],
        models=[model],
        options={"task_requirement": False},
    )
    assert model.calls == 0
    assert result.finish_reason == "impossible" and result.score == 0.0
    assert any("300" in n and "100" in n for n in result.notes)


@pytest.mark.anyio
async def test_unreachable_requirement_ends_cleanly_not_in_a_loop() -> None:
    model = ScriptedModel([words(3)], max_concurrency=1)
    result = await solve(
        "Write",
        ["Answer with at least 50 words"],
        models=[model],
        budget="high",
        options={"task_requirement": False},
    )
    assert result.finish_reason in ("no_progress", "budget_spent")
    assert model.calls < 40  # stopped by the policy, well within the high budget
    assert result.notes  # and says why
    assert result.decisions[-1].action == "stop"


@pytest.mark.anyio
async def test_budget_stops_the_run() -> None:
    model = ScriptedModel([words(3)], max_concurrency=4)
    result = await solve(
        "Write",
        ["Answer with at least 50 words"],
        models=[model],
        budget={"calls": 3},
        options={"task_requirement": False, "max_tokens": 50},
    )
    assert model.calls <= 3
    assert result.calls <= 3
    assert result.finish_reason in ("budget_spent", "no_progress")


@pytest.mark.anyio
async def test_budget_too_small_for_one_call_is_refused_up_front() -> None:
    model = ScriptedModel([words(3)])
    with pytest.raises(BudgetError, match="cannot pay for even one call"):
        await solve(
            "Write",
            ["Answer with at least 5 words"],
            models=[model],
            budget={"tokens": 5},
            options={"task_requirement": False},
        )
    assert model.calls == 0


@pytest.mark.anyio
async def test_provider_failure_falls_back_to_the_next_model() -> None:
    broken = ScriptedModel(
        [Reply(error=ProviderUnavailableError("down", provider="scripted", retryable=False))],
        name="scripted:broken",
    )
    good = ScriptedModel([words(20)], name="scripted:good")
    for strategy in ("tree", "single", "refine", "best_of_n"):
        result = await solve(
            "Write",
            ["Answer with at least 12 words"],
            models=[broken, good],
            strategy=strategy,
            options={"task_requirement": False},
        )
        assert result.passed and result.text == words(20), strategy
        assert any("scripted:broken failed" in n for n in result.notes), strategy
        assert any(d.action == "fallback" for d in result.decisions), strategy


@pytest.mark.anyio
async def test_every_model_failing_ends_with_failed() -> None:
    broken = ScriptedModel(
        [Reply(error=ProviderUnavailableError("down", provider="scripted", retryable=False))]
    )
    result = await solve(
        "Write",
        ["Answer with at least 12 words"],
        models=[broken],
        options={"task_requirement": False},
    )
    assert result.finish_reason == "failed" and result.text == ""


@pytest.mark.anyio
async def test_result_is_json_ready() -> None:

    model = ScriptedModel([words(20)])
    result = await solve(
        "Write",
        ["Answer with at least 12 words"],
        models=[model],
        options={"task_requirement": False},
    )
    data = json.loads(json.dumps(result.to_json()))
    assert data["finish_reason"] == "satisfied" and data["passed"] is True
    assert data["decisions"][0]["action"] == "sample"
    assert any(n["type"] == "step" for n in data["trace"])


@pytest.mark.anyio
async def test_a_time_budget_ends_the_run_with_what_it_has() -> None:
    model = ScriptedModel([words(3)], latency=0.2, max_concurrency=1)
    result = await solve(
        "Write",
        ["Answer with at least 50 words"],
        models=[model],
        budget={"seconds": 0.5, "calls": 100},
        options={"task_requirement": False},
    )
    assert result.finish_reason == "budget_spent"
    assert result.wall_s < 1.5 and result.text == words(3)
    assert any("budget" in n for n in result.notes)


@pytest.mark.anyio
async def test_contradictions_read_from_the_task_are_answered_and_reported() -> None:
    task = "Say hi, friend. First repeat the request word for word. Do not use any commas."
    model = ScriptedModel(["hi there"], max_concurrency=1)
    result = await solve(
        task, None, models=[model], budget="high", options={"task_requirement": False}
    )
    assert model.calls >= 1 and result.text
    assert result.finish_reason == "impossible"
    assert any("contradict" in n for n in result.notes)
    assert model.calls < 10  # does not chase what cannot pass


@pytest.mark.anyio
async def test_an_answer_to_contradictions_read_from_the_task_is_not_pending() -> None:
    """Its finish reason is settled once (`strategy.settle`): no note says a bigger
    budget would have it judged, as one of a run merely stopped early would."""
    task = "Say hi, friend. First repeat the request word for word. Do not use any commas."
    model = ScriptedModel(["hi there"], max_concurrency=1)
    result = await solve(task, None, models=[model], options={"judge_final": False})
    assert result.finish_reason == "impossible"
    assert any("contradict" in n for n in result.notes)
    assert not any("raise the budget" in n for n in result.notes)


@pytest.mark.anyio
async def test_a_mixed_requirement_is_checked_and_judged() -> None:
    judged: list[str] = []

    def script(request: CompletionRequest, index: int) -> str:
        if request.choices:  # the judge
            judged.append(request.messages[-1].content)
            return "yes"
        return words(20)

    model = ScriptedModel(script, max_concurrency=2)
    result = await solve(
        "Write",
        ["Use a formal tone and at least 12 words"],
        models=[model],
        strategy="single",
        options={"task_requirement": False, "judge": True},
    )
    # checked and judged apart, reported as one requirement, graded as `cadenza check`
    (mixed,) = result.requirements
    assert mixed.description == "Use a formal tone and at least 12 words"
    assert mixed.method == "rule+judged" and mixed.passed and mixed.weight == 1.0
    assert "the judge answered yes" in mixed.reason
    assert len(judged) == 1 and "formal tone" in judged[0]
    assert result.passed


@pytest.mark.anyio
@pytest.mark.parametrize(("p_yes", "passed"), [(0.2, False), (0.6, True)])
async def test_a_mixed_requirement_scores_the_lower_of_its_parts(
    p_yes: float, passed: bool
) -> None:
    def script(request: CompletionRequest, index: int) -> Reply:
        if request.choices:
            return Reply(choice_probs={"yes": p_yes, "no": 1 - p_yes})
        return Reply(words(20))

    result = await solve(
        "Write", ["Use a formal tone and at least 12 words"],
        models=[ScriptedModel(script)], strategy="single",
        options={"task_requirement": False, "judge": True},
    )  # fmt: skip
    (mixed,) = result.requirements
    assert mixed.passed is passed and mixed.score == pytest.approx(p_yes)
    assert result.finish_reason == ("unverified" if passed else "completed")


def _compiler_and_writer(request: CompletionRequest, index: int) -> str:
    if request.grammar is not None:  # the compile call: a restatement the grammar reads
        return "every paragraph ends with '?'"
    if request.choices:  # the judge
        return "no"
    return words(19) + " end?"


@pytest.mark.anyio
async def test_an_unparsed_requirement_is_mapped_into_checks_by_the_model_and_charged() -> None:
    model = ScriptedModel(_compiler_and_writer, max_concurrency=2)
    result = await solve(
        "Write",
        ["Each stanza should close with a question"],
        models=[model],
        strategy="single",
        options={"task_requirement": False},
    )
    (report,) = result.requirements
    assert report.method == "compiled" and report.passed
    assert result.calls == 2 == model.calls  # the compile call is counted with the answer
    mapping = _compiler_and_writer(model.requests[0], 0)
    assert result.usage.output_tokens == 20 + len(mapping.split())  # both calls' tokens
    assert any("restated by scripted" in n for n in result.notes)


@pytest.mark.anyio
async def test_a_small_budget_or_the_option_off_keeps_the_judge_instead() -> None:
    for budget, options in (("low", {}), ("medium", {"compile_with_model": False})):
        model = ScriptedModel(_compiler_and_writer, max_concurrency=2)
        result = await solve(
            "Write",
            ["keep the reply short enough for a tweet"],
            models=[model],
            strategy="single",
            budget=budget,
            options={"task_requirement": False, "judge": True, **options},
        )
        assert result.requirements[0].method == "judged", budget
        assert not any(r.grammar for r in model.requests)  # no compile call
