"""`refine`: one candidate, validated and fixed with feedback in a loop until it
passes or the budget is spent (the Self-Refine / DSPy-Refine baseline)."""

from __future__ import annotations

from cadenza.planner.context import SolveContext
from cadenza.planner.costs import Remaining
from cadenza.planner.solve import solve_with
from cadenza.planner.state import Search, SearchLimits
from cadenza.planner.steps import DriveOptions
from cadenza.planner.strategy import Action, FixAction, Policy, SampleAction
from cadenza.providers.base import estimate_tokens
from cadenza.result import SolveResult


class RefinePolicy(Policy):
    def __init__(self, max_rounds: int) -> None:
        self.max_rounds = max_rounds

    def first(self, search: Search, remaining: Remaining, slots: int) -> list[Action]:
        model = search.current_model()
        search.record("sample", f"one candidate on {model}, then fix it until it passes")
        return [SampleAction(model)] if model else []

    def after_round(self, search: Search, remaining: Remaining, slots: int) -> list[Action]:
        model = search.current_model()
        leader = search.leader()
        if leader is not None and leader.assessment.passed:
            search.stop("satisfied", f"{leader.id} meets every mandatory requirement")
            return []
        if model is None:
            search.stop("failed", "every model failed")
            return []
        if leader is None:
            return [SampleAction(model)]
        if search.round > self.max_rounds:
            search.stop("no_progress", f"{self.max_rounds} fixes did not meet every requirement")
            return []
        if not remaining.fits(search.costs.checked("fix", model, estimate_tokens(leader.text))):
            search.stop("budget_spent", "the remaining budget cannot pay for another fix")
            return []
        failed = [search.requirements[i].label for i in leader.assessment.failed]
        search.record("fix", f"fix {leader.id} on {', '.join(failed)}", (leader.id,))
        return [FixAction(leader.id, model)]


async def run(context: SolveContext) -> SolveResult:
    options = DriveOptions.of(context.options, 0.7)
    policy = RefinePolicy(int(context.options.get("max_rounds", 10)))
    limits = SearchLimits(keep=1, max_fix_depth=100)
    return await solve_with(context, "refine", policy, options, repairs=False, limits=limits)
