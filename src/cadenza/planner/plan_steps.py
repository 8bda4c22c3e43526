"""The vocabulary the driver shares with strategies: the `Policy` a strategy supplies
(its hooks, with the defaults most strategies want), `DriveOptions`, what the driver
remembers of each step, and the small pure helpers of speculation.

A run stops only here and in the strategies' policies: `Search.stop` is called by a
policy's hook, never by the driver."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import assert_never

from cadenza.engine.events import StepFinished
from cadenza.planner.options import DEFAULT_MAX_TOKENS
from cadenza.planner.policy import Remaining
from cadenza.planner.search import Action, FixAction, MergeAction, SampleAction, Search
from cadenza.providers.base import Usage
from cadenza.requirements.verdict import Verdict


def stop_on_pass(search: Search, cid: str) -> bool:
    """Stop `search` when candidate `cid` meets every mandatory requirement (and every
    optional one, unless the limits say not to keep improving them): what most
    policies answer to `settled`."""
    assessment = search.candidates[cid].assessment
    if assessment.passed and (assessment.satisfied or not search.limits.improve_optional):
        search.stop("satisfied", f"{cid} meets every mandatory requirement")
        return True
    return False


class Policy:
    """What a strategy decides: the first round (`first`) and what follows each round
    (`after_round`), which every strategy writes; the other hooks have the defaults
    most strategies want: stop on the first passing candidate, judge a candidate once
    its checks pass, fall back to the next model when one fails, stop when the budget
    runs out, and never speculate (the tree overrides the speculation hooks, which
    are asked only while a round runs: starting a step before its round ends is a bet
    that it will be wanted, and the driver cancels it when it is not)."""

    def first(self, search: Search, remaining: Remaining, slots: int) -> list[Action]:
        raise NotImplementedError

    def after_round(self, search: Search, remaining: Remaining, slots: int) -> list[Action]:
        raise NotImplementedError

    def settled(self, search: Search, cid: str) -> bool:
        """Candidate `cid` is fully assessed: whether the run ends here (the policy
        stops the search), without waiting for the round to end."""
        return stop_on_pass(search, cid)

    def judge(self, search: Search, cid: str, slots: int) -> bool:
        """Whether candidate `cid`, just checked, is judged now on the requirements
        only a judge decides: once its checks pass every mandatory requirement they
        decide (one that fails a check cannot be the answer while one that passes
        exists, and its fix is about the check); its judged verdicts stay pending."""
        return not search.candidates[cid].assessment.failed_mandatory

    def fallback(self, search: Search, failed: Action) -> list[Action]:
        """A call failed and its model is out (`Search.model_failed`): the same action
        on the model now current; none when no model is left or the search stopped."""
        model = search.current_model()
        if model is None or search.finish is not None:
            return []
        match failed:
            case SampleAction():
                return [SampleAction(model)]
            case FixAction():
                return [FixAction(failed.target, model)]
            case MergeAction():
                return [MergeAction(failed.targets, model)]
            case _:
                assert_never(failed)

    def ran_out(self, search: Search, *, seconds: bool) -> None:
        """The budget ran out: the time budget (`seconds`: the engine stopped the run)
        or calls, tokens or dollars (a step was refused; the round in flight has
        settled). No next round follows."""
        if seconds:
            if search.finish is None:
                search.stop("budget_spent", "the time budget (seconds) ran out")
            return
        leader = search.leader()
        if leader is None or not leader.assessment.passed:
            search.stop("budget_spent", "the budget ran out before every requirement passed")

    def fix_now(self, search: Search, cid: str, slots: int) -> list[Action]:
        """Speculation: candidate `cid` is fully assessed while its round runs; a fix
        of it to start now rather than after the round (none by default)."""
        return []

    def fix_while_judged(self, search: Search, cid: str, slots: int) -> list[Action]:
        """Speculation: candidate `cid` fails a check and its judges are starting; a
        fix of it to start now on predicted verdicts (`FixAction.predicted`)."""
        return []

    def sample_early(
        self, search: Search, remaining: Remaining, slots: int, chosen: list[Action]
    ) -> list[Action]:
        """Speculation: after a round's `chosen` actions, samples of the next round
        to start now (none by default)."""
        return []


@dataclass(frozen=True, slots=True)
class DriveOptions:
    temperature: float = 0.9
    fix_temperature: float = 0.4
    max_tokens: int = DEFAULT_MAX_TOKENS
    list_requirements: bool = True  # append the requirements to the task in samples


@dataclass(slots=True)
class StepInfo:
    purpose: str  # sample | fix | merge | judge | verdict | seed
    model: str
    round: int
    targets: tuple[str, ...] = ()
    judge_index: int = -1
    speculative: bool = False
    action: Action | None = None  # the action the step carries out (sample, fix, merge)


@dataclass(slots=True)
class Tally:
    """What the model calls of a run spent, for its result: trees and tool plans count
    the same way."""

    usage: Usage = field(default_factory=Usage)
    calls: int = 0
    served: int = 0  # answers served from the response cache: no call, no cost

    def add(self, event: StepFinished) -> None:
        """Add what a model step spent, whatever its outcome (every attempt: retried,
        failed, cancelled or speculated in vain): the engine's ledger of it, not only the
        usage of the answer it returned."""
        spent = event.record.spend
        usage = getattr(event.value, "usage", None)
        latency = usage.latency_s if isinstance(usage, Usage) else 0.0
        self.usage = self.usage + Usage(
            spent.input_tokens, spent.output_tokens, spent.dollars, latency
        )
        self.calls += spent.calls


def drop_samples(actions: list[Action], n: int) -> list[Action]:
    out: list[Action] = []
    for action in actions:
        if isinstance(action, SampleAction) and n > 0:
            keep = action.count - min(n, action.count)
            n -= action.count - keep
            if keep:
                out.append(SampleAction(action.model, keep))
        else:
            out.append(action)
    return out


UNJUDGED = Verdict(0.0, False, "not judged yet", "make sure the answer meets it", "predicted")


def covers(predicted: object, actual: object) -> bool:
    """A fix made for the predicted failures is valid when every real failure is
    among them."""
    assert isinstance(predicted, frozenset) and isinstance(actual, frozenset)
    return actual <= predicted
