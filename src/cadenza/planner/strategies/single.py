"""`single`: one greedy call, the baseline a user has today (its answer is still
validated, so the report shows how it stands); `single_repair`: the same call, then
the safe deterministic repairs only, so a tree's gain over repairs alone is visible."""

from __future__ import annotations

from dataclasses import replace

from cadenza.planner.context import SolveContext
from cadenza.planner.costs import Remaining
from cadenza.planner.solve import solve_with
from cadenza.planner.state import Search
from cadenza.planner.steps import DriveOptions
from cadenza.planner.strategy import Action, Policy, SampleAction
from cadenza.result import SolveResult

ONE_CALL = {"judge": False, "judge_final": False, "extract_with_model": False}
"""`single`'s and `single_repair`'s defaults: the one call a user makes, nothing more
(`single_repair` adds only deterministic repairs, which make no call). Its answer is
still checked, and screened for not doing the task (no call); what only a judge could
decide is reported not verified, never passed."""


class OneRound(Policy):
    """A strategy of one round (`first`), then ``satisfied`` or ``completed`` (`why`); a
    round whose every call failed before any answer is tried again on the next model.
    `single`'s, and `best_of_n`'s."""

    why = ""

    def after_round(self, search: Search, remaining: Remaining, slots: int) -> list[Action]:
        leader = search.leader()
        if leader is None and search.current_model() and search.dead:
            return self.first(search, remaining, slots)  # the model failed: fall back
        done = leader is not None and leader.assessment.passed
        search.stop("satisfied" if done else "completed", self.why)
        return []


class SinglePolicy(OneRound):
    why = "a single call was made"

    def first(self, search: Search, remaining: Remaining, slots: int) -> list[Action]:
        model = search.current_model()
        search.record("sample", f"one call on {model}")
        return [SampleAction(model)] if model else []


async def _one_call(context: SolveContext, strategy: str, *, repairs: bool) -> SolveResult:
    """One call and nothing else by default: no model reading the prompt for
    requirements (the rules still do) and no judge; the options extract_with_model,
    judge and judge_final still ask for them (``judge=true`` alone turns both judges on)."""
    defaults = dict(ONE_CALL)
    if context.options.get("judge"):
        defaults["judge_final"] = True
    context = replace(context, options={**defaults, **context.options})
    options = DriveOptions.of(context.options, 0.0)
    return await solve_with(context, strategy, SinglePolicy(), options, repairs=repairs)


async def run(context: SolveContext) -> SolveResult:
    return await _one_call(context, "single", repairs=False)


async def run_with_repairs(context: SolveContext) -> SolveResult:
    return await _one_call(context, "single_repair", repairs=True)
