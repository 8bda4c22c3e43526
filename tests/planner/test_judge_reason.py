"""The yes/no judge gives no reason: what is wrong is asked apart, once per failed
judged requirement, only when a fix needs it, and the fix prompt carries the answer."""

from __future__ import annotations

import pytest

from cadenza.api import solve
from cadenza.providers.base import CompletionRequest
from cadenza.providers.scripted import Reply, ScriptedModel

HINT = "It sounds cold; greet the reader by name and thank them."


def is_reason(request: CompletionRequest) -> bool:
    asked = request.messages[-1].content
    return not request.choices and "They did not follow the instruction" in asked


@pytest.mark.anyio
async def test_the_reason_is_asked_once_for_a_failed_judgement_and_reaches_the_fix() -> None:
    fixes: list[str] = []
    reasons: list[CompletionRequest] = []

    def script(request: CompletionRequest, index: int) -> Reply:
        prompt = request.messages[-1].content
        if request.choices:  # the judge: only the warm answer is friendly
            return Reply("yes" if "Dear Ana, thank you" in prompt else "no")
        if is_reason(request):
            reasons.append(request)
            return Reply(HINT)
        if "DRAFT" in prompt:
            fixes.append(prompt)
            return Reply("Dear Ana, thank you for the tea, it was lovely and warm.")
        return Reply("Tea received. It was fine and also quite hot today.")

    model = ScriptedModel(script, max_concurrency=1)
    result = await solve(
        "Write a note about the tea",
        ["use a friendly tone"],
        models=[model],
        strategy="refine",
        options={"task_requirement": False},
    )
    assert result.passed and result.text.startswith("Dear Ana")
    assert len(reasons) == 1 and "use a friendly tone" in reasons[0].messages[-1].content
    assert len(fixes) == 1 and HINT in fixes[0]
    assert result.calls == model.calls  # the reason call is paid for like any other


@pytest.mark.anyio
async def test_no_reason_is_asked_when_the_judge_says_yes() -> None:
    def script(request: CompletionRequest, index: int) -> str:
        return "yes" if request.choices else "Dear Ana, thank you for the lovely tea."

    model = ScriptedModel(script, max_concurrency=1)
    result = await solve("Write a note", ["use a friendly tone"], models=[model], strategy="refine")
    assert result.passed
    assert not any(is_reason(r) for r in model.requests)
