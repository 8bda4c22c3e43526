"""What the planner believes: the chance that an action yields a passing answer, and
which option is worth most per cost (`cadenza.planner.costs` says what it costs). Pure
functions and small belief objects, no I/O.

Beliefs are Beta posteriors updated within a solve:
- per (model, requirement): the chance a fresh sample meets that requirement;
- per requirement: the chance a fix repairs it when asked to;
- overall: the chance a fix breaks a requirement that passed.
A sample's chance of passing is the product over mandatory requirements; a fix's is
the product over its failed requirements times the chance nothing else regresses.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from cadenza.engine.estimates import BetaPosterior
from cadenza.planner.validation import Assessment
from cadenza.task import Requirement

# Priors (pseudo-counts): a typical model meets a typical single requirement about
# 2 times in 3, a targeted fix repairs a named failure about 2 times in 3, and breaks
# something that passed about 1 time in 20.
SAMPLE_PRIOR = (2.0, 1.0)
FIX_PRIOR = (2.0, 1.0)
REGRESS_PRIOR = (1.0, 19.0)


class Beliefs:
    """What the planner believes about sampling and fixing, updated as verdicts come."""

    def __init__(self, requirements: Sequence[Requirement]) -> None:
        self.requirements = tuple(requirements)
        self._sample: dict[tuple[str, int], BetaPosterior] = {}
        self._fix: dict[int, BetaPosterior] = {}
        self._regress = BetaPosterior(*REGRESS_PRIOR)
        self.samples_seen: dict[str, int] = {}

    def _sample_belief(self, model: str, index: int) -> BetaPosterior:
        key = (model, index)
        if key not in self._sample:
            self._sample[key] = BetaPosterior(*SAMPLE_PRIOR)
        return self._sample[key]

    def _fix_belief(self, index: int) -> BetaPosterior:
        if index not in self._fix:
            self._fix[index] = BetaPosterior(*FIX_PRIOR)
        return self._fix[index]

    def observe_sample(self, model: str, assessment: Assessment) -> None:
        self.samples_seen[model] = self.samples_seen.get(model, 0) + 1
        for i, verdict in assessment.verdicts.items():
            self._sample_belief(model, i).add(verdict.passed)

    def observe_fix(self, before: Assessment, after: Assessment) -> None:
        for i in before.failed:
            if i in after.verdicts:
                self._fix_belief(i).add(after.verdicts[i].passed)
        for i, verdict in before.verdicts.items():
            if verdict.passed and i in after.verdicts:
                self._regress.add(not after.verdicts[i].passed)

    def mandatory(self) -> tuple[int, ...]:
        return tuple(i for i, r in enumerate(self.requirements) if r.is_mandatory)

    def p_meets(self, model: str, index: int) -> float:
        """Chance a sample from `model` meets requirement `index`."""
        return self._sample_belief(model, index).mean

    def p_sample(self, model: str) -> float:
        """Chance a fresh sample from `model` meets every mandatory requirement."""
        return math.prod(self._sample_belief(model, i).mean for i in self.mandatory())

    def p_fix(self, assessment: Assessment) -> float:
        """Chance one fix of a candidate so assessed meets every mandatory requirement."""
        failed = list(assessment.failed_mandatory)
        pending = [i for i in assessment.pending if self.requirements[i].is_mandatory]
        passed = [i for i, v in assessment.verdicts.items() if v.passed]
        p = math.prod(self._fix_belief(i).mean for i in failed)
        p *= math.prod(0.5 + 0.5 * self._fix_belief(i).mean for i in pending)
        return p * (1.0 - self._regress.mean) ** len(passed)

    def p_merge(self, assessments: Sequence[Assessment]) -> float:
        """Chance a merge of drafts meets every mandatory requirement: each requirement
        some draft meets is kept with the no-regression chance, the others need a fix."""
        p = 1.0
        for i in self.mandatory():
            met = any(a.verdicts.get(i) is not None and a.verdicts[i].passed for a in assessments)
            p *= (1.0 - self._regress.mean) if met else self._fix_belief(i).mean
        return p * 0.8  # merging is harder than fixing one draft


def at_least_one(p: float, n: int) -> float:
    """Chance that at least one of `n` independent tries with chance `p` succeeds."""
    return 1.0 - (1.0 - p) ** n


def choose_width(
    p: float, *, affordable: int, max_width: int, target: float = 0.85, reserve: float = 0.5
) -> int:
    """How many candidates the first round samples: the fewest that reach `target`
    chance that one passes, never more than `max_width`, nor more than `reserve` of
    what the budget affords (the rest pays for fixes), and at least one."""
    cap = max(1, min(max_width, int(affordable * reserve) or 1))
    for n in range(1, cap + 1):
        if at_least_one(p, n) >= target:
            return n
    return cap


@dataclass(frozen=True, slots=True)
class Option:
    """One thing the planner could do next, with what it is expected to gain (the
    chance it yields a passing answer) and cost (share of the remaining budget)."""

    action: str  # "fix" | "resample" | "switch_model" | "merge"
    gain: float
    cost: float
    detail: str
    targets: tuple[str, ...] = ()
    model: str = ""

    @property
    def value(self) -> float:
        return self.gain / self.cost if self.cost > 0 else math.inf


def best_option(options: Iterable[Option], *, min_gain: float = 0.02) -> Option | None:
    """The affordable option with the highest gain per cost (None: stopping is best)."""
    usable = [o for o in options if o.cost <= 1.0 and o.gain >= min_gain]
    if not usable:
        return None
    return max(usable, key=lambda o: (o.value, o.gain))
