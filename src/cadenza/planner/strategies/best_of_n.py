"""`best_of_n`: N samples in parallel, the best by verdicts. N is sized from the
budget (at most `n`, default 5)."""

from __future__ import annotations

from cadenza.planner.context import SolveContext
from cadenza.planner.costs import Remaining, affordable, cost_fraction
from cadenza.planner.solve import solve_with
from cadenza.planner.state import Search
from cadenza.planner.steps import DriveOptions
from cadenza.planner.strategies.single import OneRound
from cadenza.planner.strategy import Action, SampleAction
from cadenza.result import SolveResult


class BestOfNPolicy(OneRound):
    why = "every sample was validated"

    def __init__(self, n: int) -> None:
        self.n = n

    def first(self, search: Search, remaining: Remaining, slots: int) -> list[Action]:
        model = search.current_model()
        if model is None:
            return []
        share = cost_fraction(search.costs.checked("sample", model), remaining)
        n = max(1, min(self.n, affordable(share)))
        search.record("sample", f"{n} samples in parallel on {model}; keep the best by verdicts")
        return [SampleAction(model, n)]


async def run(context: SolveContext) -> SolveResult:
    options = DriveOptions.of(context.options, 0.9)
    policy = BestOfNPolicy(int(context.options.get("n", 5)))
    return await solve_with(context, "best_of_n", policy, options, repairs=False)
