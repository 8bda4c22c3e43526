"""How a solve ends: the one place its finish reason is settled, from why its strategy
stopped and how the answer it returns stands.

- ``satisfied`` only when every mandatory requirement passed by a check or a judge's
  confident yes, and the final judge did not say the answer fails its task;
- ``pending`` when the run stopped before the answer was judged on a requirement;
- ``unverified`` when nothing is known to fail but some requirement could not be
  decided (no judge, the judge failed) or rests on a judge's unconfident yes or on the
  task screens alone;
- ``failed`` when there is no answer; ``impossible`` stays as the strategy said.

Every change of the strategy's reason comes with a note that says why.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from cadenza.planner.task_screen import SCREENED
from cadenza.planner.validation import Assessment
from cadenza.requirements.judge import CONFIDENT_AT
from cadenza.result import FinishReason
from cadenza.task import Requirement

_EXPLAINED = ("no_progress", "impossible", "budget_spent", "failed")
"""Reasons whose explanation (the strategy's "why it stopped") goes in the notes."""


@dataclass(frozen=True, slots=True)
class Finish:
    """The finish reason of a solve and the notes that explain it."""

    reason: FinishReason
    notes: tuple[str, ...] = ()


def settle(
    stopped: FinishReason | None,
    explanation: str,
    answer: Assessment | None,
    *,
    rejected: bool = False,
    judging: bool = True,
) -> Finish:
    """The finish of a solve whose strategy stopped with `stopped` (None: it ran to its
    end) because of `explanation`, returning an answer assessed `answer` (None: no
    answer); `rejected`: the final judge said the answer does not do its task;
    `judging`: a judge could be asked (false: the caller turned it off, so what only a
    judge decides was never going to be judged, and more budget would not change that)."""
    reason: FinishReason = stopped or ("completed" if answer is not None else "failed")
    if answer is None:
        reason = reason if reason == "impossible" else "failed"
    elif answer.passed and reason in ("budget_spent", "no_progress") and not rejected:
        reason = "satisfied"  # the last round's answer passed as the budget ran out
    if rejected and reason == "satisfied":
        reason = "no_progress"
    notes: list[str] = []
    if explanation and reason in _EXPLAINED:
        notes.append(explanation)
    if answer is None or reason == "impossible":
        return Finish(reason, tuple(notes))
    reqs = answer.requirements
    if answer.pending and not judging:
        notes.append(
            f"Not judged: {_names(reqs, answer.pending)} (the judge is off: option judge). "
            "They count as not met."
        )
    elif answer.pending:
        notes.append(
            f"The run stopped ({reason}) before the answer was judged on: "
            f"{_names(reqs, answer.pending)}. Those requirements are not verified and count "
            "as not met; raise the budget to have them judged."
        )
        reason = "pending"
    if answer.unverified:
        notes.append(
            f"Not verified: {_names(reqs, answer.undecided)} (no verdict could be reached: "
            "no judge, or the judge failed). Every other mandatory requirement passed; "
            "these count as not met."
        )
        reason = "unverified"
    if reason == "satisfied" and answer.unsure:
        screened = [i for i in answer.unsure if answer.verdicts[i].method == SCREENED]
        doubted = [i for i in answer.unsure if i not in screened]
        if doubted:
            said = ", ".join(
                f"{reqs[i].label} (P(yes) = {answer.verdicts[i].score:.2f})" for i in doubted
            )
            notes.append(
                f"Not verified: the judge said yes without confidence on {said}; a yes counts "
                f"as proof from P(yes) = {CONFIDENT_AT:.2f}. Every check passed; a stronger "
                "judge (the first model given judges) can verify these."
            )
        if screened:
            notes.append(
                f"Not verified: {_names(reqs, screened)} was only screened (not empty, no "
                "loop, not cut off, not the request, not a refusal, not too short); no judge "
                "was asked whether the answer does the task (options judge and judge_final)."
            )
        reason = "unverified"
    return Finish(reason, tuple(notes))


def _names(requirements: Sequence[Requirement], indexes: Sequence[int]) -> str:
    return ", ".join(requirements[i].label for i in indexes)
