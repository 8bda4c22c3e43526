"""`plan`: plan-and-execute with tools, then the requirement tree.

The model writes a plan (a DAG of tool calls and sub-tasks); the engine runs it
eagerly (independent calls at once, each within its tool's slots); a joiner answers or
replans (`cadenza.planner.plans.phase`). The joined answer then seeds the tree
strategy: it is validated against the requirements like any candidate and, when it
fails one, fixed or replaced by samples that see the gathered facts (as delimited
data in the task's context), on what is left of the budget."""

from __future__ import annotations

from cadenza.planner.context import SolveContext
from cadenza.planner.costs import Remaining
from cadenza.planner.plans.phase import PlanOptions, PlanPhase
from cadenza.planner.runner import Wiring
from cadenza.planner.state import Search
from cadenza.planner.strategies.tree import TreePolicy, solve_tree
from cadenza.planner.strategy import Action, Prelude, Seed
from cadenza.result import SolveResult
from cadenza.tools.toolset import Toolbox


class SeededPolicy(TreePolicy):
    """The tree, started from the plan's answer instead of fresh samples."""

    seeded = True  # False: the plan gave no answer; sample (with its facts)

    def start_from(self, search: Search, before: Prelude, *, exhausted: bool) -> Seed | None:
        """The plan's answer (None: no answer, or the search stopped); with nothing left
        of the budget (`exhausted`) it is checked, not judged, and the run ends."""
        seed = before.seed
        self.seeded = seed is not None
        if seed is None:
            if before.finish is not None:
                search.stop(before.finish, before.explanation)
            else:
                search.notes.append(before.explanation)
            return None
        if not exhausted:
            return seed
        cand = search.admit(
            seed.text,
            "plan",
            seed.model,
            step_id="seed",
            finish_reason="length" if seed.cut else "stop",
            from_tool=seed.from_tool,
        )
        search.stop("budget_spent", "the plan used the whole budget")
        search.settled(cand.id)
        return None

    def first(self, search: Search, remaining: Remaining, slots: int) -> list[Action]:
        if not self.seeded:
            return super().first(search, remaining, slots)
        search.record("validate", "validate the plan's answer against the requirements")
        return []


async def run(context: SolveContext) -> SolveResult:
    opts = context.options  # checked on entry (`cadenza.options`): the types are right
    names = ("max_steps", "max_replans", "llm_steps", "max_answer_chars")
    plan_options = PlanOptions(**{name: opts[name] for name in names if name in opts})
    toolbox = Toolbox(context.tools)

    async def prelude(ctx: SolveContext, search: Search, wiring: Wiring) -> Prelude:
        return await PlanPhase(ctx, search, toolbox, plan_options, wiring).run()

    return await solve_tree(context, "plan", SeededPolicy.from_options(opts), prelude)
