"""`tree` (the default): sample several candidates, keep the most promising, fix them on
exactly their failed requirements, and after each round choose fix, resample, switch
model, merge or stop by expected gain per cost. Speculation bets on what the round will
want (fix a failing leader at once or on predicted verdicts, sample the next round)."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any, Self

from cadenza.planner.context import SolveContext
from cadenza.planner.costs import Remaining, affordable, cost_fraction
from cadenza.planner.solve import PreludeFn, solve_with
from cadenza.planner.state import Candidate, Search, SearchLimits
from cadenza.planner.steps import DriveOptions
from cadenza.planner.strategy import Action, FixAction, MergeAction, Policy, SampleAction
from cadenza.providers.base import estimate_tokens
from cadenza.result import SolveResult


def at_least_one(p: float, n: int) -> float:
    """Chance that at least one of `n` independent tries with chance `p` succeeds."""
    return 1.0 - (1.0 - p) ** n


def choose_width(
    p: float, *, affordable: int, max_width: int, target: float = 0.85, reserve: float = 0.5
) -> int:
    """The fewest samples that reach `target` chance of a pass, at least one and at most
    `max_width` or `reserve` of what the budget affords (the rest pays for fixes)."""
    cap = max(1, min(max_width, int(affordable * reserve) or 1))
    for n in range(1, cap + 1):
        if at_least_one(p, n) >= target:
            return n
    return cap


@dataclass(frozen=True, slots=True)
class Option:
    """One thing to do next: `gain`, the chance of a pass; `cost`, a share of what is left."""

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
    return max(usable, key=lambda o: (o.value, o.gain), default=None)


class TreePolicy(Policy):
    """The tree's choices; a speculative fix also fixes judged ones doubted below `confidence`."""

    def __init__(
        self, max_width: int | None = None, *, speculate: bool = False, confidence: float = 0.75
    ) -> None:
        self.max_width = max_width
        self.speculate = speculate
        self.confidence = confidence
        self._best_by_round: list[tuple[float, float, float, float]] = []

    @classmethod
    def from_options(cls, opts: Mapping[str, Any]) -> Self:
        return cls(
            opts.get("max_width"),
            speculate=bool(opts.get("speculate", True)),
            confidence=float(opts.get("speculation_confidence", 0.75)),
        )

    def first(self, search: Search, remaining: Remaining, slots: int) -> list[Action]:
        model = search.current_model()
        if model is None:
            return []
        p = search.beliefs.p_sample(model)
        share = cost_fraction(search.costs.checked("sample", model), remaining)
        cap = self.max_width or max(3, min(6, 2 * slots))
        width = choose_width(p, affordable=affordable(share), max_width=cap)
        per = search.costs.sample(model)
        alive = search.alive_models()
        spread = len(alive) > 1 and len({search.costs.sample(m).dollars for m in alive}) == 1
        if spread:  # equal cost: sample across models for diversity
            samples = [SampleAction(alive[i % len(alive)]) for i in range(width)]
        else:
            samples = [SampleAction(model, width)]
        names = ", ".join(sorted({a.model for a in samples}))
        search.record(
            "sample",
            f"round 0: {width} candidate(s) on {names}"
            f" (estimated pass chance {p:.2f} each, {per.tokens:.0f} tokens each)",
            gain=p,
            cost=cost_fraction(per.times(width), remaining),
        )
        return [*samples]

    def after_round(self, search: Search, remaining: Remaining, slots: int) -> list[Action]:
        """Keep the best, then up to `slots` actions by expected gain per cost, or stop."""
        ranked = search.live()
        leader = search.leader()
        done = leader is not None and leader.assessment.passed
        if leader is not None and self.settled(search, leader.id):
            return []
        if not search.alive_models():
            search.stop("failed" if leader is None else "no_progress", "every model failed")
            return []
        self._ditch(search, ranked)
        best = leader.assessment.rank_key if leader else (0.0, 0.0, 0.0, 0.0)
        self._best_by_round.append(best)
        patience = search.limits.patience
        if len(self._best_by_round) > patience and best <= self._best_by_round[-patience - 1]:
            stuck = f"the best score has not improved for {patience} rounds"
            return _give_up(search, leader, "optional ones stopped improving", stuck)
        options = self.options(search, remaining)
        actions: list[Action] = []
        spent, taken = 0.0, set[str]()
        for _ in range(max(1, slots)):
            left = [o for o in options if (o.targets or (o.action,))[0] not in taken]
            pick = best_option([replace(o, cost=o.cost + spent) for o in left])
            if pick is None:
                break
            search.record(pick.action, pick.detail, pick.targets, gain=pick.gain, cost=pick.cost)
            actions.append(self.to_action(search, pick))
            spent = pick.cost
            taken.add((pick.targets or (pick.action,))[0])
        if actions:
            return actions
        if not done and not any(o.cost <= 1.0 for o in options):
            search.stop("budget_spent", "the remaining budget cannot pay for another call")
            return []
        met = "no step is expected to improve the optional ones within the budget"
        return _give_up(search, leader, met, "no next step is expected to help")

    def _speculating(self, slots: int) -> bool:
        return self.speculate and slots > 1

    def _fixer(self, search: Search, cand: Candidate, slots: int) -> str | None:
        """The model to fix `cand` on speculatively (None: it has a fix, or is too deep)."""
        model = search.current_model()
        if not self._speculating(slots) or cand.id in search.fixing:
            return None
        return model if search.fixes_in_lineage(cand) < search.limits.max_fix_depth else None

    def judge(self, search: Search, cid: str, slots: int) -> bool:
        """When speculating, also judge a leader that fails a check, beside the fix on
        its predicted verdicts: those calls buy a round of latency."""
        return super().judge(search, cid, slots) or (
            self._speculating(slots) and _leads(search, cid, pending_ok=True)
        )

    def fix_now(self, search: Search, cid: str, slots: int) -> list[Action]:
        """Fix a failing leader, never fixed before, now: it is expected to stay kept."""
        cand = search.candidates[cid]
        model = self._fixer(search, cand, slots)
        if not (model and search.fixes_in_lineage(cand) == 0 and _leads(search, cid)):
            return []
        search.record(
            "speculate_fix",
            f"fix leader {cid} now, before the round ends (it is expected to stay kept)",
            (cid,),
        )
        return [FixAction(cid, model)]

    def fix_while_judged(self, search: Search, cid: str, slots: int) -> list[Action]:
        """Fix a leader failing a check while its judges run, betting on its failures."""
        cand = search.candidates[cid]
        model = self._fixer(search, cand, slots)
        if not (model and cand.assessment.failed and _leads(search, cid, pending_ok=True)):
            return []
        root = cand.model or model
        doubt = frozenset(
            i for i in search.validator.judged if search.beliefs.p_meets(root, i) < self.confidence
        )
        predicted = frozenset(cand.assessment.failed) | doubt
        search.record(
            "speculate_fix",
            f"fix {cid} while its judges run, predicting its failures are among "
            f"{', '.join(search.requirements[i].label for i in sorted(predicted))}",
            (cid,),
        )
        return [FixAction(cid, model, predicted=predicted, assume_failed=doubt)]

    def sample_early(
        self, search: Search, remaining: Remaining, slots: int, chosen: list[Action]
    ) -> list[Action]:
        """Sample the next round now when this one samples nothing and likely fails."""
        if not self._speculating(slots) or any(isinstance(a, SampleAction) for a in chosen):
            return []
        model = search.current_model()
        if model is None:
            return []
        live = search.live()
        p_best = max((search.beliefs.p_fix(c.assessment) for c in live[:2]), default=0.0)
        if p_best >= 0.5 or not remaining.fits(search.costs.checked("sample", model)):
            return []
        search.record(
            "speculate_sample",
            f"sample the next round now: the chance this round passes is low ({p_best:.2f})",
        )
        return [SampleAction(model)]

    def to_action(self, search: Search, option: Option) -> Action:
        if option.action == "merge":
            return MergeAction(option.targets, option.model)
        if option.action == "fix":
            if option.model != search.current_model():
                search.switch_to(option.model)
            return FixAction(option.targets[0], option.model)
        if option.action == "switch_model":
            search.switch_to(option.model, record=False)  # the option says it
        return SampleAction(option.model)

    def _ditch(self, search: Search, ranked: list[Candidate]) -> None:
        kept, dropped = ranked[: search.limits.keep], ranked[search.limits.keep :]
        for cand in kept:
            if cand.status == "open":
                search.set_status(cand.id, "kept")
        for cand in dropped:
            search.set_status(cand.id, "ditched", "ranked below the kept candidates")
        if dropped:
            ids = tuple(c.id for c in dropped)
            detail = f"keep {', '.join(c.id for c in kept)}; ditch {', '.join(ids)} (lower scores)"
            search.record("ditch", detail, ids)

    def options(self, search: Search, remaining: Remaining) -> list[Option]:
        options: list[Option] = []
        model = search.current_model()
        if model is None:
            return options
        escalate = self._escalation(search, model)
        fixer = escalate or model  # a model whose samples keep failing should not fix either
        kept = [c for c in search.live() if c.status == "kept"]
        fixed = {c.parents for c in search.candidates.values() if c.origin == "fix"}
        for cand in kept:
            deep = search.fixes_in_lineage(cand) >= search.limits.max_fix_depth
            if deep or (cand.id,) in fixed or not cand.assessment.failed:  # one fix of it is enough
                continue
            failed = [search.requirements[i].label for i in cand.assessment.failed]
            cost = search.costs.checked("fix", fixer, estimate_tokens(cand.text))
            share = cost_fraction(cost, remaining)
            gain = search.beliefs.p_fix(cand.assessment)
            detail = f"fix {cand.id} on {', '.join(failed)} with {fixer} (chance {gain:.2f})"
            options.append(Option("fix", gain, share, detail, (cand.id,), fixer))
        p = search.beliefs.p_sample(model)
        share = cost_fraction(search.costs.checked("sample", model), remaining)
        detail = f"sample a new candidate on {model} (chance {p:.2f})"
        options.append(Option("resample", p, share, detail, model=model))
        if escalate is not None:
            q = search.beliefs.p_sample(escalate)
            share = cost_fraction(search.costs.checked("sample", escalate), remaining)
            detail = f"escalate from {model} (chance {p:.2f}) to {escalate} (chance {q:.2f})"
            options.append(Option("switch_model", q, share, detail, model=escalate))
        drafts = [c for c in kept if c.assessment.failed][:3]
        mandatory = search.beliefs.mandatory
        if len(drafts) >= 2 and all(any(c.assessment.meets(i) for c in drafts) for i in mandatory):
            ids = tuple(c.id for c in drafts)
            gain = search.beliefs.p_merge([c.assessment for c in drafts])
            tokens = sum(estimate_tokens(c.text) for c in drafts)
            share = cost_fraction(search.costs.checked("merge", model, tokens), remaining)
            detail = f"merge {', '.join(ids)}: together they meet every mandatory requirement"
            detail += f" (chance {gain:.2f})"
            options.append(Option("merge", gain, share, detail, ids, model))
        return options

    def _escalation(self, search: Search, model: str) -> str | None:
        """The next model when `model`'s samples keep failing (chance below 0.35 after two)."""
        if search.beliefs.p_sample(model) >= 0.35 or search.beliefs.samples_seen.get(model, 0) < 2:
            return None
        alive = search.alive_models()
        after = alive[alive.index(model) + 1 :] if model in alive else []
        return after[0] if after else None


def _give_up(search: Search, leader: Candidate | None, met: str, stuck: str) -> list[Action]:
    """Stop: ``satisfied`` when the leader passes (`met`), else ``no_progress`` (`stuck`)."""
    if leader is not None and leader.assessment.passed:
        search.stop("satisfied", f"every mandatory requirement passes; {met}")
        return []
    failing = "no candidate"
    if leader is not None:
        a, reqs = leader.assessment, search.requirements
        why = (f"{reqs[i].label} ({a.verdicts[i].reason})" for i in a.failed_mandatory)
        failing = "; ".join(why) or "nothing"
    search.stop("no_progress", f"{stuck}; failing: {failing}")
    return []


def _leads(search: Search, cid: str, *, pending_ok: bool = False) -> bool:
    """Whether `cid` leads the live candidates (fully assessed ones, unless `pending_ok`)."""
    ranked = [c for c in search.live() if pending_ok or c.assessment.complete]
    return bool(ranked) and ranked[0].id == cid


async def run(context: SolveContext) -> SolveResult:
    return await solve_tree(context, "tree", TreePolicy.from_options(context.options))


async def solve_tree(
    context: SolveContext, strategy: str, policy: TreePolicy, prelude: PreludeFn | None = None
) -> SolveResult:
    """Solve with a tree's `policy` and the tree's options (`plan`'s too)."""
    opts = context.options
    keep, improve = int(opts.get("keep", 2)), bool(opts.get("improve_optional", True))
    limits = SearchLimits(keep=keep, improve_optional=improve)
    options = DriveOptions.of(opts, 0.9)
    return await solve_with(
        context, strategy, policy, options, repairs=True, limits=limits, prelude=prelude
    )
