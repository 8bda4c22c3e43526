"""The planner's view of validation: a small `Validator` protocol and the
`Assessment` of one candidate against every requirement.

A validator owns the compiled requirements of one solve. Mechanical requirements are
checked in-process (`Validator.check`: free and instant); the others need a model
(`Validator.judge`: one call per requirement, run by the planner as engine steps so
they are budgeted, parallel and cancellable). `Validator.repair` proposes a safe
deterministic repair (no model call) or None.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Protocol

from cadenza.planner.task_screen import SCREENED
from cadenza.providers.base import Model, Usage
from cadenza.requirements.judge import unsure_pass
from cadenza.requirements.verdict import Verdict
from cadenza.result import RequirementReport, overall_score
from cadenza.task import Requirement

UNDECIDED = frozenset({"unverified", "judge_failed", "unjudged", "unsure"})
"""Verdict methods that mean no verdict was reached: the requirement is neither met nor
failed (`Assessment.undecided`)."""


@dataclass(frozen=True, slots=True)
class Judgement:
    """A judge's verdict and what the judge call cost."""

    verdict: Verdict
    usage: Usage = field(default_factory=Usage)


class Validator(Protocol):
    """The compiled requirements of one solve (see the module docstring)."""

    @property
    def requirements(self) -> tuple[Requirement, ...]: ...

    @property
    def judged(self) -> tuple[int, ...]:
        """Indexes (into `requirements`) of the requirements only a judge can decide."""
        ...

    @property
    def conflicts(self) -> tuple[str, ...]:
        """Contradictions between requirements: no text can meet them all."""
        ...

    @property
    def repeat_asked(self) -> bool:
        """Whether a requirement asks for the request to be repeated in the answer."""
        ...

    @property
    def notes(self) -> tuple[str, ...]:
        """What the caller should know about how requirements were understood."""
        ...

    def check(self, text: str) -> dict[int, Verdict]:
        """Verdicts of every mechanical requirement (index -> verdict)."""
        ...

    async def judge(self, text: str, index: int, model: Model) -> Judgement:
        """The judge's verdict of `text` on requirement `index`, using `model`."""
        ...

    def repair(self, text: str, verdicts: Mapping[int, Verdict]) -> str | None:
        """A safe deterministic repair of `text` given its verdicts, or None."""
        ...


@dataclass(frozen=True, slots=True)
class Assessment:
    """How one text stands against every requirement. `verdicts` maps requirement
    index to verdict; a judged requirement whose verdict is still pending is absent."""

    requirements: tuple[Requirement, ...]
    verdicts: Mapping[int, Verdict]

    @property
    def complete(self) -> bool:
        return len(self.verdicts) == len(self.requirements)

    @property
    def pending(self) -> tuple[int, ...]:
        return tuple(i for i in range(len(self.requirements)) if i not in self.verdicts)

    @property
    def failed(self) -> tuple[int, ...]:
        """Indexes of the requirements known to fail (mandatory or not)."""
        return tuple(i for i, v in sorted(self.verdicts.items()) if not v.passed)

    @property
    def failed_mandatory(self) -> tuple[int, ...]:
        return tuple(i for i in self.failed if self.requirements[i].is_mandatory)

    @property
    def undecided(self) -> tuple[int, ...]:
        """Indexes of the mandatory requirements whose verdict could not be reached (no
        judge available, the judge failed): not known to fail, not known to pass."""
        return tuple(i for i in self.failed_mandatory if self.verdicts[i].method in UNDECIDED)

    @property
    def unverified(self) -> bool:
        """Whether the answer meets every mandatory requirement that could be checked,
        and some could not be: not satisfied, not failed either."""
        undecided = self.undecided
        return (
            bool(undecided)
            and set(self.failed_mandatory) == set(undecided)
            and not any(self.requirements[i].is_mandatory for i in self.pending)
        )

    @property
    def unsure(self) -> tuple[int, ...]:
        """Indexes of the mandatory requirements met without proof: by a judge's
        unconfident yes, or by the task screens alone (no fault found in the text)."""
        return tuple(
            i
            for i, v in sorted(self.verdicts.items())
            if self.requirements[i].is_mandatory
            and (unsure_pass(v) or (v.passed and v.method == SCREENED))
        )

    @property
    def passed(self) -> bool:
        """Every mandatory requirement known to pass (pending ones count as not yet)."""
        return all(
            (i in self.verdicts and self.verdicts[i].passed)
            for i, r in enumerate(self.requirements)
            if r.is_mandatory
        )

    @property
    def satisfied(self) -> bool:
        """Every requirement, optional ones included, passes."""
        return self.complete and not self.failed

    @property
    def score(self) -> float:
        """The overall score (0 when a mandatory requirement fails); pending verdicts
        count as 0.5 so a partial assessment ranks between a pass and a fail."""
        return overall_score(self.reports(pending_score=0.5))

    @property
    def soft_score(self) -> float:
        """The weighted mean verdict score, ignoring the mandatory rule: ranks
        candidates that all fail by how near they are."""
        reqs = self.requirements
        if not reqs:
            return 1.0
        total = sum(r.weight for r in reqs)
        got = sum(r.weight * self._score_of(i, 0.5) for i, r in enumerate(reqs))
        return got / total

    @property
    def rank_key(self) -> tuple[float, float, float]:
        """Sort key, larger is better: passes first, then score, then nearness."""
        passed_mandatory = sum(
            1
            for i, r in enumerate(self.requirements)
            if r.is_mandatory and i in self.verdicts and self.verdicts[i].passed
        )
        return (float(self.passed), self.score + self.soft_score, float(passed_mandatory))

    def _score_of(self, index: int, pending_score: float) -> float:
        verdict = self.verdicts.get(index)
        return pending_score if verdict is None else verdict.score

    def with_verdicts(self, more: Mapping[int, Verdict]) -> Assessment:
        merged = dict(self.verdicts)
        merged.update(more)
        return Assessment(self.requirements, merged)

    def reports(self, pending_score: float = 0.0) -> tuple[RequirementReport, ...]:
        out: list[RequirementReport] = []
        for i, r in enumerate(self.requirements):
            v = self.verdicts.get(i)
            if v is None:
                v = Verdict(
                    pending_score,
                    False,
                    "not judged: the judge is asked once the checks pass, "
                    "and the run stopped first",
                    "",
                    "pending",
                )
            out.append(report_of(r, v))
        return tuple(out)


def report_of(requirement: Requirement, verdict: Verdict) -> RequirementReport:
    """How an answer stands against `requirement`, given its `verdict`, as a result
    reports it."""
    return RequirementReport(
        name=requirement.label,
        description=requirement.description,
        passed=verdict.passed,
        score=verdict.score,
        reason=verdict.reason,
        is_mandatory=requirement.is_mandatory,
        fix_hint=verdict.fix_hint,
        method=verdict.method,
        weight=requirement.weight,
    )
