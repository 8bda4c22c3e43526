"""The state of one search: candidates, models, beliefs, decisions and why it stopped.
It makes no choices (the policies do) and no I/O."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from itertools import count
from typing import Any, Literal

from cadenza.engine.estimates import BetaPosterior
from cadenza.planner.costs import CostBook
from cadenza.planner.events import (
    CandidateAdded,
    CandidateChanged,
    DecisionMade,
    EventCallback,
    PlannerEvent,
)
from cadenza.providers.base import Usage
from cadenza.redact import redact
from cadenza.requirements.assessment import Assessment, ExprValidator
from cadenza.requirements.verdict import Verdict
from cadenza.result import Decision, FinishReason
from cadenza.task import Requirement

Origin = Literal["sample", "fix", "repair", "merge", "plan"]
Status = Literal["open", "kept", "ditched", "fixed", "winner"]


@dataclass(frozen=True, slots=True)
class Candidate:
    """One answer; `finish_reason`: why its call stopped (``length``: cut; a repair keeps
    its parent's); `from_tool`: a tool's output taken as the answer."""

    id: str
    text: str
    origin: Origin
    model: str
    round: int
    assessment: Assessment
    parents: tuple[str, ...] = ()
    usage: Usage = field(default_factory=Usage)
    status: Status = "open"
    speculative: bool = False
    note: str = ""
    step_id: str = ""  # the engine step that produced it (empty for a repair)
    finish_reason: str = ""
    from_tool: bool = False

    def with_status(self, status: Status, note: str = "") -> Candidate:
        return replace(self, status=status, note=note or self.note)

    def to_node(self) -> dict[str, Any]:
        """The candidate as a node of the execution tree (JSON-ready)."""
        a = self.assessment
        return {
            "id": self.id,
            "origin": self.origin,
            "parents": list(self.parents),
            "model": self.model,
            "round": self.round,
            "status": self.status,
            "score": round(a.score, 4),
            "soft_score": round(a.soft_score, 4),
            "passed": a.passed,
            "failed": [a.requirements[i].label for i in a.failed],
            "tokens": self.usage.total_tokens,
            "cost_usd": self.usage.cost_usd,
            "latency_s": round(self.usage.latency_s, 4),
            "speculative": self.speculative,
            "note": self.note,
            "chars": len(self.text),
            "finish_reason": self.finish_reason,
            "from_tool": self.from_tool,
        }


# Priors (pseudo-counts): a typical model meets a typical single requirement about
# 2 times in 3, a targeted fix repairs a named failure about 2 times in 3, and breaks
# something that passed about 1 time in 20.
SAMPLE_PRIOR = (2.0, 1.0)
FIX_PRIOR = (2.0, 1.0)
REGRESS_PRIOR = (1.0, 19.0)


class Beliefs:
    """Beta posteriors of the chance a sample meets each requirement (per model), a fix
    repairs it, and a fix breaks one that passed."""

    def __init__(self, requirements: Sequence[Requirement]) -> None:
        self.requirements = tuple(requirements)
        self.mandatory = tuple(i for i, r in enumerate(self.requirements) if r.is_mandatory)
        self._sample = defaultdict[tuple[str, int], BetaPosterior](
            lambda: BetaPosterior(*SAMPLE_PRIOR)
        )
        self._fix = defaultdict[int, BetaPosterior](lambda: BetaPosterior(*FIX_PRIOR))
        self._regress = BetaPosterior(*REGRESS_PRIOR)
        self.samples_seen: dict[str, int] = {}

    def observe_sample(self, model: str, assessment: Assessment) -> None:
        self.samples_seen[model] = self.samples_seen.get(model, 0) + 1
        for i, verdict in assessment.verdicts.items():
            self._sample[(model, i)].add(verdict.passed)

    def observe_fix(self, before: Assessment, after: Assessment) -> None:
        for i in before.failed:
            if i in after.verdicts:
                self._fix[i].add(after.verdicts[i].passed)
        for i, verdict in before.verdicts.items():
            if verdict.passed and i in after.verdicts:
                self._regress.add(not after.verdicts[i].passed)

    def p_meets(self, model: str, index: int) -> float:
        """Chance a sample from `model` meets requirement `index`."""
        return self._sample[(model, index)].mean

    def p_sample(self, model: str) -> float:
        """Chance a fresh sample from `model` meets every mandatory requirement."""
        return math.prod(self._sample[(model, i)].mean for i in self.mandatory)

    def p_fix(self, assessment: Assessment) -> float:
        """Chance one fix of a candidate so assessed meets every mandatory requirement."""
        failed = list(assessment.failed_mandatory)
        pending = [i for i in assessment.pending if self.requirements[i].is_mandatory]
        passed = [i for i, v in assessment.verdicts.items() if v.passed]
        p = math.prod(self._fix[i].mean for i in failed)
        p *= math.prod(0.5 + 0.5 * self._fix[i].mean for i in pending)
        return p * (1.0 - self._regress.mean) ** len(passed)

    def p_merge(self, assessments: Sequence[Assessment]) -> float:
        """Chance a merge passes: what a draft meets is kept unless it regresses, the
        rest needs a fix."""
        p = 1.0
        for i in self.mandatory:
            met = any(a.meets(i) for a in assessments)
            p *= (1.0 - self._regress.mean) if met else self._fix[i].mean
        return p * 0.8  # merging is harder than fixing one draft


@dataclass(frozen=True, slots=True)
class SearchLimits:
    """Candidates kept per round, fixes per lineage, rounds without improvement."""

    keep: int = 2
    max_fix_depth: int = 3
    patience: int = 2
    improve_optional: bool = True  # keep improving failing optional ones, budget allowing


class Search:
    def __init__(
        self,
        validator: ExprValidator,
        models: Sequence[str],
        costs: CostBook,
        *,
        limits: SearchLimits | None = None,
        emit: EventCallback | None = None,
    ) -> None:
        self.validator = validator
        self.requirements = validator.requirements
        # cheapest first (stable), the order escalation moves along
        self.models = sorted(models, key=lambda m: costs.sample(m).dollars)
        self.costs = costs
        self.limits = limits or SearchLimits()
        self.beliefs = Beliefs(self.requirements)
        self.candidates: dict[str, Candidate] = {}
        self.decisions: list[Decision] = []
        self.notes: list[str] = []
        self.dead: dict[str, str] = {}
        self.fixing: set[str] = set()  # candidates with a fix in flight or done
        self.round = 0
        self.finish: FinishReason | None = None
        self.explanation = ""
        self._ids = count(1)
        self._emit = emit
        self._current_model = 0

    def announce(self, event: PlannerEvent) -> None:
        if self._emit is not None:
            self._emit(event)

    def admit(
        self,
        text: str,
        origin: Origin,
        model: str,
        *,
        parents: tuple[str, ...] = (),
        usage: Usage | None = None,
        speculative: bool = False,
        step_id: str = "",
        finish_reason: str = "",
        from_tool: bool = False,
    ) -> Candidate:
        """Add a text, and its free deterministic repair as its child, returned instead."""
        assessment = Assessment(self.requirements, self.validator.check(text))
        cand = self._add(
            Candidate(
                id=f"c{next(self._ids)}",
                text=text,
                origin=origin,
                model=model,
                round=self.round,
                assessment=assessment,
                parents=parents,
                usage=usage or Usage(),
                speculative=speculative,
                step_id=step_id,
                finish_reason=finish_reason,
                from_tool=from_tool,
            )
        )
        if assessment.failed:
            repaired = self.validator.repair(text, assessment.verdicts)
            if repaired is not None and repaired != text:
                fixed = Assessment(self.requirements, self.validator.check(repaired))
                now_pass = [i for i in assessment.failed if fixed.verdicts[i].passed]
                names = ", ".join(self.requirements[i].label for i in now_pass)
                self.set_status(cand.id, "fixed", f"repaired without a model: {names}")
                self.record(
                    "repair", f"{cand.id}: safe deterministic repair of {names} (free)", (cand.id,)
                )
                child = replace(cand, text=repaired, origin="repair", model="", usage=Usage())
                child = replace(child, assessment=fixed, parents=(cand.id,), speculative=False)
                cand = self._add(replace(child, id=f"c{next(self._ids)}"))
        return cand

    def _add(self, cand: Candidate, *, new: bool = True) -> Candidate:
        self.candidates[cand.id] = cand
        self.announce(CandidateAdded(cand) if new else CandidateChanged(cand))
        return cand

    def judged(self, cid: str, verdicts: dict[int, Verdict]) -> Candidate:
        cand = self.candidates[cid]
        cand = replace(cand, assessment=cand.assessment.with_verdicts(verdicts))
        return self._add(cand, new=False)

    def settled(self, cid: str) -> None:
        """A candidate's assessment is complete: learn from it."""
        cand = self.candidates[cid]
        root = cand  # a repair is learnt from as the call that wrote its parent
        while root.origin == "repair" and root.parents:
            root = self.candidates[root.parents[0]]
        if root.origin in ("fix", "merge") and root.parents:
            before = self.candidates[root.parents[0]]
            self.beliefs.observe_fix(before.assessment, cand.assessment)
        elif cand.model or root.origin == "sample":
            self.beliefs.observe_sample(root.model, cand.assessment)

    def set_status(self, cid: str, status: Status, note: str = "") -> None:
        self._add(self.candidates[cid].with_status(status, note), new=False)

    def live(self) -> list[Candidate]:
        """Candidates still in play (not ditched, not superseded by a repair), best first."""
        alive = [c for c in self.candidates.values() if c.status in ("open", "kept", "winner")]
        return sorted(alive, key=lambda c: c.assessment.rank_key, reverse=True)

    def ranked(self) -> list[Candidate]:
        """Every candidate with an answer worth returning, best first."""
        usable = [c for c in self.candidates.values() if c.text.strip()]
        return sorted(usable, key=lambda c: c.assessment.rank_key, reverse=True)

    def leader(self) -> Candidate | None:
        return next(iter(self.ranked()), None)

    def fixes_in_lineage(self, cand: Candidate) -> int:
        depth = 0
        while cand.parents:
            if cand.origin in ("fix", "merge"):
                depth += 1
            cand = self.candidates[cand.parents[0]]
        return depth

    def record(
        self,
        action: str,
        reason: str,
        targets: tuple[str, ...] = (),
        *,
        gain: float | None = None,
        cost: float | None = None,
        round: int | None = None,
    ) -> None:
        """Log a decision of this round (or of `round`: a tool plan's number)."""
        at = self.round if round is None else round
        decision = Decision(at, action, reason, targets=targets, gain=gain, cost=cost)
        self.decisions.append(decision)
        self.announce(DecisionMade(decision))

    def stop(self, reason: FinishReason, explanation: str) -> None:
        self.finish, self.explanation = reason, explanation
        self.record("stop", f"{reason}: {explanation}")

    def model_failed(self, model: str, error: str) -> None:
        if model in self.dead:
            return
        error = redact(error)
        self.dead[model] = error
        alive = self.alive_models()
        fallback = f"; falling back to {alive[0]}" if alive else "; no other model to fall back to"
        self.notes.append(f"{model} failed ({error}){fallback}.")
        self.record("fallback", f"{model} failed: {error}{fallback}")

    def alive_models(self) -> list[str]:
        return [m for m in self.models if m not in self.dead]

    def current_model(self) -> str | None:
        alive = self.alive_models()
        if not alive:
            return None
        current = self.models[self._current_model]
        return current if current not in self.dead else alive[0]

    def next_round(self) -> None:
        """A round has settled: what comes next belongs to the next one."""
        self.round += 1

    def switch_to(self, model: str, *, record: bool = True) -> None:
        """Make `model` current (recorded as an escalation unless `record` is false)."""
        before = self.current_model()
        self._current_model = self.models.index(model)
        if before != model and record:
            p = self.beliefs.p_sample(before) if before else 0.0
            self.record(
                "switch_model", f"escalate from {before} (chance of a pass {p:.2f}) to {model}"
            )
