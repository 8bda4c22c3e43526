"""The state of one tree search and the replanning policy that drives it.

`Search` holds the candidates (the execution tree), what the planner believes, and
the decision log. After every round the strategy asks `Search.next_actions`, which
ranks candidates, keeps the most promising and ditches the rest, then chooses —
by expected gain per cost — to fix, resample, switch model, merge or stop, and
records why. It does no I/O: strategies run the chosen actions on the engine."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import count

from cadenza.planner.candidates import Candidate, Origin, Status
from cadenza.planner.costs import CostBook, approx_tokens
from cadenza.planner.events import (
    CandidateAdded,
    CandidateChanged,
    DecisionMade,
    EventCallback,
    PlannerEvent,
)
from cadenza.planner.policy import (
    Beliefs,
    Cost,
    Option,
    Remaining,
    best_option,
    cost_fraction,
)
from cadenza.planner.validation import Assessment, Validator
from cadenza.providers.base import Usage
from cadenza.redact import redact
from cadenza.requirements.verdict import Verdict
from cadenza.result import Decision, FinishReason


@dataclass(frozen=True, slots=True)
class SampleAction:
    model: str
    count: int = 1


@dataclass(frozen=True, slots=True)
class FixAction:
    target: str
    model: str


@dataclass(frozen=True, slots=True)
class MergeAction:
    targets: tuple[str, ...]
    model: str


Action = SampleAction | FixAction | MergeAction


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
        self.round = 0
        self.finish: FinishReason | None = None
        self.explanation = ""
        self._ids = count(1)
        self._emit = emit
        self._best_by_round: list[tuple[float, float, float]] = []
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

    def first_round(self, remaining: Remaining, *, width: int) -> list[Action]:
        model = self.current_model()
        if model is None:
            return []
        per = self.costs.sample(model)
        alive = self.alive_models()
        spread = len(alive) > 1 and len({self.costs.sample(m).dollars for m in alive}) == 1
        actions: list[Action] = []
        if spread:  # equal cost: sample across models for diversity
            for i in range(width):
                actions.append(SampleAction(alive[i % len(alive)]))
        else:
            actions.append(SampleAction(model, width))
        p = self.beliefs.p_sample(model)
        names = ", ".join(sorted({a.model for a in actions if isinstance(a, SampleAction)}))
        self.record(
            "sample",
            f"round 0: {width} candidate(s) on {names}"
            f" (estimated pass chance {p:.2f} each, {per.tokens:.0f} tokens each)",
            gain=p,
            cost=cost_fraction(per.times(width), remaining),
        )
        return actions

    def next_actions(self, remaining: Remaining, *, slots: int) -> list[Action]:
        """Decide what to do after a round: a list of actions, or [] with `finish` set."""
        self.round += 1
        ranked = self.live()
        leader = self.leader()
        done = leader is not None and leader.assessment.passed
        if done and (
            leader is None or leader.assessment.satisfied or not self.limits.improve_optional
        ):
            self.stop(
                "satisfied", f"{leader.id if leader else ''} meets every mandatory requirement"
            )
            return []
        if not self.alive_models():
            self.stop("failed" if leader is None else "no_progress", "every model failed")
            return []
        self._ditch(ranked)
        best = leader.assessment.rank_key if leader else (0.0, 0.0, 0.0)
        self._best_by_round.append(best)
        patience = self.limits.patience
        if len(self._best_by_round) > patience and best <= self._best_by_round[-patience - 1]:
            if done:
                self.stop(
                    "satisfied",
                    "every mandatory requirement passes; optional ones stopped improving",
                )
                return []
            self.stop(
                "no_progress",
                f"the best score has not improved for {patience} rounds; failing: "
                + self._failing_summary(leader),
            )
            return []
        options = self._options(remaining)
        chosen: list[Option] = []
        spent = 0.0
        taken: set[str] = set()
        for _ in range(max(1, slots)):
            left = [o for o in options if (o.targets or (o.action,))[0] not in taken]
            pick = best_option(
                [
                    Option(o.action, o.gain, o.cost + spent, o.detail, o.targets, o.model)
                    for o in left
                ]
            )
            if pick is None:
                break
            chosen.append(pick)
            spent = pick.cost
            taken.add((pick.targets or (pick.action,))[0])
        if not chosen:
            affordable = any(o.cost <= 1.0 for o in options)
            if done:
                self.stop(
                    "satisfied",
                    "every mandatory requirement passes; no step is expected to "
                    "improve the optional ones within the budget",
                )
            elif affordable:
                self.stop(
                    "no_progress",
                    "no next step is expected to help; failing: " + self._failing_summary(leader),
                )
            else:
                self.stop("budget_spent", "the remaining budget cannot pay for another call")
            return []
        actions: list[Action] = []
        for option in chosen:
            self.record(
                option.action, option.detail, option.targets, gain=option.gain, cost=option.cost
            )
            actions.append(self._to_action(option))
        return actions

    def _to_action(self, option: Option) -> Action:
        match option.action:
            case "fix":
                if option.model != self.current_model():
                    self._switch_to(option.model)
                return FixAction(option.targets[0], option.model)
            case "merge":
                return MergeAction(option.targets, option.model)
            case "resample" | "switch_model":
                if option.action == "switch_model":
                    self._switch_to(option.model, record=False)  # the option says it
                return SampleAction(option.model)
            case _:
                raise AssertionError(f"unknown option {option.action}")

    def _switch_to(self, model: str, *, record: bool = True) -> None:
        before = self.current_model()
        self._current_model = self.models.index(model)
        if before != model and record:
            p = self.beliefs.p_sample(before) if before else 0.0
            self.record(
                "switch_model", f"escalate from {before} (chance of a pass {p:.2f}) to {model}"
            )

    def _ditch(self, ranked: list[Candidate]) -> None:
        keep = ranked[: self.limits.keep]
        for cand in keep:
            if cand.status == "open":
                self.set_status(cand.id, "kept")
        dropped = list(ranked[self.limits.keep :])
        for cand in dropped:
            self.set_status(cand.id, "ditched", "ranked below the kept candidates")
        if dropped:
            self.record(
                "ditch",
                f"keep {', '.join(c.id for c in keep)}; ditch {', '.join(c.id for c in dropped)} "
                "(lower scores)",
                tuple(c.id for c in dropped),
            )

    def checked(self, cost: Cost, model: str, kind: str) -> Cost:
        """`cost` plus judging what the call writes on every judged requirement."""
        judges = len(self.validator.judged)
        return self.costs.checked(cost, model, kind, judges, self.judge_model)

    def sample_cost(self, model: str) -> Cost:
        """One sample and its judging."""
        return self.checked(self.costs.sample(model), model, "sample")

    def _options(self, remaining: Remaining) -> list[Option]:
        options: list[Option] = []
        model = self.current_model()
        if model is None:
            return options
        escalate = self._escalation(model)
        fixer = escalate or model  # a model whose samples keep failing should not fix either
        for cand in [c for c in self.live() if c.status == "kept"]:
            if self.fixes_in_lineage(cand) >= self.limits.max_fix_depth:
                continue
            if any(c.parents == (cand.id,) and c.origin == "fix" for c in self.candidates.values()):
                continue  # already fixed once from here
            failed = [self.requirements[i].label for i in cand.assessment.failed]
            if not failed:
                continue
            cost = self.checked(self.costs.fix(fixer, approx_tokens(cand.text)), fixer, "fix")
            gain = self.beliefs.p_fix(cand.assessment)
            options.append(
                Option(
                    "fix",
                    gain,
                    cost_fraction(cost, remaining),
                    f"fix {cand.id} on {', '.join(failed)} with {fixer} (chance {gain:.2f})",
                    (cand.id,),
                    fixer,
                )
            )
        p = self.beliefs.p_sample(model)
        options.append(
            Option(
                "resample",
                p,
                cost_fraction(self.sample_cost(model), remaining),
                f"sample a new candidate on {model} (chance {p:.2f})",
                (),
                model,
            )
        )
        if escalate is not None:
            for other in (escalate,):
                q = self.beliefs.p_sample(other)
                options.append(
                    Option(
                        "switch_model",
                        q,
                        cost_fraction(self.sample_cost(other), remaining),
                        f"escalate from {model} (chance {p:.2f}) to {other} (chance {q:.2f})",
                        (),
                        other,
                    )
                )
        kept = [c for c in self.live() if c.status == "kept" and c.assessment.failed]
        if len(kept) >= 2 and self._complementary(kept[:3]):
            drafts = kept[:3]
            gain = self.beliefs.p_merge([c.assessment for c in drafts])
            merging = self.costs.merge(model, sum(approx_tokens(c.text) for c in drafts))
            cost = self.checked(merging, model, "merge")
            options.append(
                Option(
                    "merge",
                    gain,
                    cost_fraction(cost, remaining),
                    f"merge {', '.join(c.id for c in drafts)}: together they meet every mandatory "
                    f"requirement (chance {gain:.2f})",
                    tuple(c.id for c in drafts),
                    model,
                )
            )
        return options

    def _escalation(self, model: str) -> str | None:
        """The next model to escalate to when `model`'s samples keep failing (its
        estimated chance of a pass is below 0.35 after at least two samples)."""
        if self.beliefs.p_sample(model) >= 0.35 or self.beliefs.samples_seen.get(model, 0) < 2:
            return None
        alive = self.alive_models()
        after = alive[alive.index(model) + 1 :] if model in alive else []
        return after[0] if after else None

    def _complementary(self, cands: list[Candidate]) -> bool:
        for i, r in enumerate(self.requirements):
            if r.is_mandatory and not any(
                c.assessment.verdicts.get(i) is not None and c.assessment.verdicts[i].passed
                for c in cands
            ):
                return False
        return True

    def _failing_summary(self, leader: Candidate | None) -> str:
        if leader is None:
            return "no candidate"
        a = leader.assessment
        return (
            "; ".join(
                f"{self.requirements[i].label} ({a.verdicts[i].reason})" for i in a.failed_mandatory
            )
            or "nothing"
        )
