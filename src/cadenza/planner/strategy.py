"""What a strategy decides with: the actions (sample, fix, merge) and the `Policy` whose
hooks a strategy overrides. A run stops only here and in `strategies/`, never in the
runner; `settle` then makes the reason honest (``satisfied`` only when every mandatory
requirement is proven and the final judge agrees), each change with a note."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from cadenza.engine.outcomes import Spend
from cadenza.planner.costs import Remaining
from cadenza.planner.state import Search
from cadenza.providers.base import Usage
from cadenza.requirements.assessment import SCREENED, Assessment
from cadenza.requirements.extract import quoted
from cadenza.requirements.judge import CONFIDENT_AT
from cadenza.result import FinishReason, PlanReport
from cadenza.task import Requirement, Task


@dataclass(frozen=True, slots=True)
class SampleAction:
    model: str
    count: int = 1


@dataclass(frozen=True, slots=True)
class FixAction:
    """Fix `target` on `model`. `predicted`: start while the judges run, betting the
    failures are among these (else cancelled), fixing `assume_failed` as failed."""

    target: str
    model: str
    predicted: frozenset[int] | None = None
    assume_failed: frozenset[int] = frozenset()


@dataclass(frozen=True, slots=True)
class MergeAction:
    targets: tuple[str, ...]
    model: str


Action = SampleAction | FixAction | MergeAction


@dataclass(frozen=True, slots=True)
class Seed:
    """An answer written before the tree; `from_tool`: a tool's output as it came; `cut`: capped."""

    text: str
    model: str
    from_tool: bool = False
    cut: bool = False


@dataclass(slots=True)
class Prelude:
    """What a strategy did before the tree (plan-and-execute): `spent` counts its model
    and tool calls, `usage` and `calls` its model calls; without a `seed`, `finish` ends
    the solve so (None: the tree samples instead)."""

    task: Task
    seed: Seed | None
    spent: Spend
    usage: Usage
    calls: int
    plan: PlanReport
    trace: list[dict[str, object]] = field(default_factory=list)
    finish: FinishReason | None = "failed"
    explanation: str = ""


class Policy:
    """Every strategy writes `first` and `after_round`; the other hooks default to what
    most want. Speculation hooks start steps early: bets, cancelled when they lose."""

    def first(self, search: Search, remaining: Remaining, slots: int) -> list[Action]:
        raise NotImplementedError

    def after_round(self, search: Search, remaining: Remaining, slots: int) -> list[Action]:
        raise NotImplementedError

    def settled(self, search: Search, cid: str) -> bool:
        """Whether the run ends now with `cid` (stopped): it passes, and meets the optional
        requirements too unless the limits say not to keep improving them."""
        assessment = search.candidates[cid].assessment
        if assessment.passed and (assessment.satisfied or not search.limits.improve_optional):
            search.stop("satisfied", f"{cid} meets every mandatory requirement")
            return True
        return False

    def judge(self, search: Search, cid: str, slots: int) -> bool:
        """Judge `cid` only once its checks pass: one failing a check is not the answer
        while one passing exists, and its fix is about the check."""
        return not search.candidates[cid].assessment.failed_mandatory

    def fallback(self, search: Search, failed: Action) -> list[Action]:
        """A call failed and its model is out: the same action on the current model."""
        model = search.current_model()
        if model is None or search.finish is not None:
            return []
        if isinstance(failed, FixAction):
            return [FixAction(failed.target, model)]
        if isinstance(failed, MergeAction):
            return [MergeAction(failed.targets, model)]
        return [SampleAction(model)]

    def ran_out(self, search: Search, *, seconds: bool) -> None:
        """The budget ran out: time (`seconds`: the run stopped), or a step was refused."""
        leader = search.leader()
        if seconds and search.finish is None:
            search.stop("budget_spent", "the time budget (seconds) ran out")
        elif not seconds and (leader is None or not leader.assessment.passed):
            search.stop("budget_spent", "the budget ran out before every requirement passed")

    def contradicted(self, search: Search, why: str, *, refuse: bool) -> None:
        """The requirements contradict each other (`why`). `refuse` (the caller's own
        list): stop before any call; else (read from the task) answer anyway."""
        if refuse:
            search.stop("impossible", why)
            return
        search.notes.append(f"{why} (answered anyway; not every one can pass)")
        search.limits = replace(search.limits, patience=1)

    def start_from(self, search: Search, before: Prelude, *, exhausted: bool) -> Seed | None:
        """The answer the tree starts from after the prelude (None: it samples, or stops)."""
        raise NotImplementedError

    def fix_now(self, search: Search, cid: str, slots: int) -> list[Action]:
        """Speculation: a fix of `cid`, fully assessed while its round runs, to start now."""
        return []

    def fix_while_judged(self, search: Search, cid: str, slots: int) -> list[Action]:
        """Speculation: a fix of `cid` (fails a check, judges starting) on predicted verdicts."""
        return []

    def sample_early(
        self, search: Search, remaining: Remaining, slots: int, chosen: list[Action]
    ) -> list[Action]:
        """Speculation: samples of the next round to start now, after `chosen`."""
        return []


_EXPLAINED = ("no_progress", "impossible", "budget_spent", "failed")  # why it stopped: a note


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
    contradicted: bool = False,
    unsorted: Sequence[str] = (),
) -> Finish:
    """The finish of a solve stopped with `stopped` (None: it ran to its end); `judging`:
    false when the judge is off, so more budget would not help; `unsorted`: prompt parts
    only the rules set aside (no model was asked), so a pass is not verified."""
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
    if contradicted and (answer is None or not answer.passed):
        reason = "impossible"  # not a budget or a judge away from passing
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
    if reason == "satisfied" and unsorted:
        parts = quoted(unsorted)
        notes.append(
            f"Not verified: the answer was not checked against {parts}: no rule reads "
            "these parts of the prompt as instructions, and no model was asked (options "
            "extract_with_model, or a budget that spares a model call, have one asked)."
        )
        reason = "unverified"
    return Finish(reason, tuple(notes))


def _names(requirements: Sequence[Requirement], indexes: Sequence[int]) -> str:
    return ", ".join(requirements[i].label for i in indexes)
