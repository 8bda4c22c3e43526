"""The vocabulary the driver shares with strategies: the `Policy` a strategy supplies,
`DriveOptions`, what the driver remembers of each step, and the small pure helpers of
speculation."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from cadenza.engine.events import StepFinished
from cadenza.planner.options import DEFAULT_MAX_TOKENS
from cadenza.planner.policy import Remaining
from cadenza.planner.search import Action, SampleAction, Search
from cadenza.providers.base import Usage
from cadenza.requirements.verdict import Verdict


class Policy(Protocol):
    """What a strategy decides: the first round, and what follows each round."""

    def first(self, search: Search, remaining: Remaining, slots: int) -> list[Action]: ...

    def after_round(self, search: Search, remaining: Remaining, slots: int) -> list[Action]: ...

    def settled(self, search: Search, cid: str) -> bool:
        """Candidate `cid` is fully assessed: whether the run ends here (the policy
        stops the search), without waiting for the round to end."""
        ...


@dataclass(frozen=True, slots=True)
class DriveOptions:
    temperature: float = 0.9
    fix_temperature: float = 0.4
    max_tokens: int = DEFAULT_MAX_TOKENS
    speculate: bool = False
    # a speculative fix also addresses judged requirements whose estimated chance of
    # passing is below this (0: predict that every judge passes)
    speculation_confidence: float = 0.75
    list_requirements: bool = True  # append the requirements to the task in samples


@dataclass(slots=True)
class StepInfo:
    purpose: str  # sample | fix | merge | judge | verdict
    model: str
    round: int
    targets: tuple[str, ...] = ()
    judge_index: int = -1
    speculative: bool = False


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
