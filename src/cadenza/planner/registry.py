"""Strategies by name."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from cadenza.errors import UserError
from cadenza.planner.context import SolveContext
from cadenza.result import SolveResult

Strategy = Callable[[SolveContext], Awaitable[SolveResult]]


def _strategies() -> dict[str, Strategy]:
    from cadenza.planner.strategies import best_of_n, plan, refine, single, tree

    return {
        "tree": tree.run,
        "single": single.run,
        "single_repair": single.run_with_repairs,
        "best_of_n": best_of_n.run,
        "refine": refine.run,
        "plan": plan.run,
    }


def names() -> list[str]:
    return list(_strategies())


def get(name: str) -> Strategy:
    table = _strategies()
    if name not in table:
        raise UserError(f"Unknown strategy {name!r}: choose one of {', '.join(table)}.")
    return table[name]
