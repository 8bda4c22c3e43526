"""The state of one search, whatever the strategy: the candidates (the execution tree),
the models and which is current, what the planner believes, the decision log, and why
it stopped. It makes no choices: each strategy's policy (`cadenza.planner.strategies`)
reads it and decides; the runner runs the actions it returns on the engine. No I/O."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import count

from cadenza.planner.beliefs import Beliefs
from cadenza.planner.candidates import Candidate, Origin, Status
from cadenza.planner.costs import Cost, CostBook
from cadenza.planner.events import (
    CandidateAdded,
    CandidateChanged,
    DecisionMade,
    EventCallback,
    PlannerEvent,
)
from cadenza.planner.validation import Assessment, Validator
from cadenza.providers.base import Usage
from cadenza.redact import redact
from cadenza.requirements.verdict import Verdict
from cadenza.result import Decision, FinishReason


@dataclass(frozen=True, slots=True)
class SearchLimits:
    """Shape limits of a tree: candidates kept per round, fixes per lineage, rounds
    without improvement before giving up."""

    keep: int = 2
    max_fix_depth: int = 3
    patience: int = 2
    # keep improving failing optional requirements while the budget allows, instead of
    # stopping as soon as every mandatory one passes
    improve_optional: bool = True


class Search:
    def __init__(
        self,
        validator: Validator,
        models: Sequence[str],
        costs: CostBook,
        *,
        limits: SearchLimits | None = None,
        emit: EventCallback | None = None,
    ) -> None:
        self.validator = validator
        self.requirements = validator.requirements
        # cheapest first (stable: equal prices keep the caller's order); escalation
        # moves along this list when the estimated chance of success is low
        self.models = sorted(models, key=lambda m: costs.sample(m).dollars)
        self.judge_model = models[0] if models else ""  # the caller's first model judges
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
        """Tell the caller's event callback (if any) about `event`."""
        if self._emit is not None:
            self._emit(event)

    # ------------------------------------------------------------------ candidates

    def assess(self, text: str) -> Assessment:
        """Mechanical verdicts now; judged requirements stay pending."""
        return Assessment(self.requirements, self.validator.check(text))

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
        """Add a produced text; when a safe deterministic repair exists, add the
        repaired text as its child (it costs nothing; it keeps the parent's finish
        reason and provenance) and return that one."""
        assessment = self.assess(text)
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
                fixed = self.assess(repaired)
                names = [
                    self.requirements[i].label
                    for i in assessment.failed
                    if fixed.verdicts[i].passed
                ]
                self.set_status(cand.id, "fixed", f"repaired without a model: {', '.join(names)}")
                self.record(
                    "repair",
                    f"{cand.id}: safe deterministic repair of {', '.join(names)} (free)",
                    (cand.id,),
                )
                cand = self._add(
                    Candidate(
                        id=f"c{next(self._ids)}",
                        text=repaired,
                        origin="repair",
                        model="",
                        round=self.round,
                        assessment=fixed,
                        parents=(cand.id,),
                        step_id=step_id,
                        finish_reason=finish_reason,
                        from_tool=from_tool,
                    )
                )
        return cand

    def _add(self, cand: Candidate) -> Candidate:
        self.candidates[cand.id] = cand
        self.announce(CandidateAdded(cand))
        return cand

    def judged(self, cid: str, verdicts: dict[int, Verdict]) -> Candidate:
        cand = self.candidates[cid]
        cand = cand.with_assessment(cand.assessment.with_verdicts(verdicts))
        self.candidates[cid] = cand
        self.announce(CandidateChanged(cand))
        return cand

    def settled(self, cid: str) -> None:
        """A candidate's assessment is complete: learn from it."""
        cand = self.candidates[cid]
        lineage_origin = self._root_origin(cand)
        if lineage_origin in ("fix", "merge") and cand.parents:
            parent = self.candidates[cand.parents[0]]
            if cand.origin == "repair" and parent.parents:
                parent = self.candidates[parent.parents[0]]
            self.beliefs.observe_fix(parent.assessment, cand.assessment)
        elif cand.model or lineage_origin == "sample":
            self.beliefs.observe_sample(cand.model or self._root(cand).model, cand.assessment)

    def _root(self, cand: Candidate) -> Candidate:
        while cand.origin == "repair" and cand.parents:
            cand = self.candidates[cand.parents[0]]
        return cand

    def _root_origin(self, cand: Candidate) -> Origin:
        return self._root(cand).origin

    def set_status(self, cid: str, status: Status, note: str = "") -> None:
        cand = self.candidates[cid].with_status(status, note)
        self.candidates[cid] = cand
        self.announce(CandidateChanged(cand))

    def live(self) -> list[Candidate]:
        """Candidates still in play (not ditched, not superseded by a repair), best first."""
        alive = [c for c in self.candidates.values() if c.status in ("open", "kept", "winner")]
        return sorted(alive, key=lambda c: c.assessment.rank_key, reverse=True)

    def ranked(self) -> list[Candidate]:
        """Every candidate with an answer worth returning, best first."""
        usable = [c for c in self.candidates.values() if c.text.strip()]
        return sorted(usable, key=lambda c: c.assessment.rank_key, reverse=True)

    def leader(self) -> Candidate | None:
        ranked = self.ranked()
        return ranked[0] if ranked else None

    def fixes_in_lineage(self, cand: Candidate) -> int:
        depth = 0
        while cand.parents:
            if cand.origin in ("fix", "merge"):
                depth += 1
            cand = self.candidates[cand.parents[0]]
        return depth

    # ------------------------------------------------------------------ decisions

    def record(
        self,
        action: str,
        reason: str,
        targets: tuple[str, ...] = (),
        *,
        gain: float | None = None,
        cost: float | None = None,
    ) -> None:
        decision = Decision(self.round, action, reason, targets=targets, gain=gain, cost=cost)
        self.decisions.append(decision)
        self.announce(DecisionMade(decision))

    def stop(self, reason: FinishReason, explanation: str) -> None:
        self.finish = reason
        self.explanation = explanation
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
        """Make `model` the current model (recorded as an escalation unless `record` is
        false: the decision that chose it says so)."""
        before = self.current_model()
        self._current_model = self.models.index(model)
        if before != model and record:
            p = self.beliefs.p_sample(before) if before else 0.0
            self.record(
                "switch_model", f"escalate from {before} (chance of a pass {p:.2f}) to {model}"
            )

    def checked(self, cost: Cost, model: str, kind: str) -> Cost:
        """`cost` plus judging what the call writes on every judged requirement."""
        judges = len(self.validator.judged)
        return self.costs.checked(cost, model, kind, judges, self.judge_model)

    def sample_cost(self, model: str) -> Cost:
        """One sample and its judging."""
        return self.checked(self.costs.sample(model), model, "sample")
