"""The final answer's "does the task" judgement.

During the search the implicit task requirement (`TASK_REQUIREMENT`) is settled by the
task screen where the text settles it, without a call. The answer a solve returns is
then judged once by the yes/no judge for it ("does the answer do the task?"), unless
the judge already decided it, the caller turned it off (option ``judge_final`` or ``judge``, or no
task requirement: ``task_requirement=false``), the answer already fails it (a screen is
certain; a yes cannot undo that) or nothing is left of the budget. A "no"
replaces the screen's verdict on that answer, so it is never reported ``satisfied``;
so does a judge that fails (the answer is then not verified).
"""

from __future__ import annotations

from dataclasses import dataclass

from cadenza.errors import ProviderError
from cadenza.planner.context import SolveContext
from cadenza.planner.state import Search
from cadenza.planner.task_screen import TASK_REQUIREMENT
from cadenza.providers.base import Usage
from cadenza.requirements.verdict import Verdict


@dataclass(frozen=True, slots=True)
class FinalJudgement:
    """The judgement of candidate `candidate` on the task requirement, and its cost."""

    candidate: str
    verdict: Verdict
    usage: Usage
    calls: int

    @property
    def rejected(self) -> bool:
        return not self.verdict.passed


async def judge_final(
    context: SolveContext, search: Search, *, exhausted: bool = False
) -> FinalJudgement | None:
    """Judge the leading answer on the task requirement (see the module docstring):
    its verdict is recorded in `search`; None when no judgement was made. `exhausted`:
    nothing is left of the budget for a call."""
    options = context.options
    if not options.get("judge_final", True) or not options.get("judge", True):
        return None
    if not context.models:
        return None
    leader = search.leader()
    index = next((i for i, r in enumerate(search.requirements) if r.name == TASK_REQUIREMENT), None)
    if leader is None or index is None or index not in search.validator.judged:
        return None
    current = leader.assessment.verdicts.get(index)
    if current is not None and current.method in ("judged", "judge"):
        return None  # the judge already answered for this text
    if current is not None and not current.passed:
        return None  # a screen failed it: a judge's yes must never turn that into a pass
    if exhausted:
        search.notes.append(
            "The final answer was not judged on whether it does the task: the budget is spent."
        )
        return None
    try:
        judgement = await search.validator.judge(leader.text, index, context.models[0])
    except ProviderError as error:  # not verified: never a pass (the call is still counted)
        verdict = Verdict(
            0.0, False, f"not verified, the judge failed: {error.message}", "", "judge_failed"
        )
        search.judged(leader.id, {index: verdict})
        search.notes.append(
            f"The final answer could not be judged on whether it does the task ({error.message})."
        )
        used = Usage(error.input_tokens, error.output_tokens, error.cost_usd)
        return FinalJudgement(leader.id, verdict, used, 1)
    verdict = judgement.verdict
    search.judged(leader.id, {index: verdict})
    if not verdict.passed:
        search.notes.append(
            f"The final judge says the best answer does not do the task ({verdict.reason})."
        )
    return FinalJudgement(leader.id, verdict, judgement.usage, 1)
