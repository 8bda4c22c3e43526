"""`tree` (the default): rounds that sample several candidates (high temperature, and
several models when given), validate them all, keep the most promising and ditch the
rest, fix the kept ones with feedback on exactly their failed requirements (a safe
deterministic repair first: it is free), re-validate, and repeat until every mandatory
requirement passes or the budget is spent; the best candidate — or a merge of the best
ones, when it scores higher after re-validation — is the answer.

Width comes from the estimated chance that one sample passes (the fewest samples
that reach 85% chance of a pass, within half the budget); after every round the
policy in `Search.next_actions` chooses fix, resample, switch model, merge or stop by
expected gain per cost. Speculation is on where the engine has more than one slot."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from cadenza.planner.context import SolveContext
from cadenza.planner.options import DEFAULT_MAX_TOKENS
from cadenza.planner.plan_steps import DriveOptions
from cadenza.planner.policy import Remaining, choose_width, cost_fraction
from cadenza.planner.search import Action, Search, SearchLimits
from cadenza.planner.solving import affordable, solve_with
from cadenza.result import SolveResult


class TreePolicy:
    def __init__(self, max_width: int | None = None) -> None:
        self.max_width = max_width

    def first(self, search: Search, remaining: Remaining, slots: int) -> list[Action]:
        model = search.current_model()
        if model is None:
            return []
        share = cost_fraction(search.sample_cost(model), remaining)
        cap = self.max_width or max(3, min(6, 2 * slots))
        width = choose_width(
            search.beliefs.p_sample(model), affordable=affordable(share), max_width=cap
        )
        return search.first_round(remaining, width=width)

    def after_round(self, search: Search, remaining: Remaining, slots: int) -> list[Action]:
        return search.next_actions(remaining, slots=slots)


def drive_options(opts: Mapping[str, Any]) -> DriveOptions:
    """The tree's options from a solve's ``options``."""
    return DriveOptions(
        temperature=float(opts.get("temperature", 0.9)),
        max_tokens=int(opts.get("max_tokens", DEFAULT_MAX_TOKENS)),
        speculate=bool(opts.get("speculate", True)),
        speculation_confidence=float(opts.get("speculation_confidence", 0.75)),
    )


def search_limits(opts: Mapping[str, Any]) -> SearchLimits:
    """The tree's search limits from a solve's ``options``."""
    return SearchLimits(
        keep=int(opts.get("keep", 2)), improve_optional=bool(opts.get("improve_optional", True))
    )


async def run(context: SolveContext) -> SolveResult:
    opts = context.options
    limits = search_limits(opts)
    policy = TreePolicy(opts.get("max_width"))
    return await solve_with(
        context, "tree", policy, drive_options(opts), repairs=True, limits=limits
    )
