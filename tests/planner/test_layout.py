"""Each decision has one home: actions are built, and a search is stopped, only on
the strategy side (`planner/strategy.py` and `planner/strategies/`); the runner and
the steps only carry them out."""

from __future__ import annotations

import ast
from pathlib import Path

import cadenza

PLANNER = Path(cadenza.__file__).resolve().parent / "planner"
DECIDING = {"SampleAction", "FixAction", "MergeAction", "stop"}


def _decisions(path: Path) -> list[str]:
    """Where `path` builds an action or stops a search (`Search.stop(reason, why)`;
    an engine run's `stop()` takes no argument)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
        if name in DECIDING and (name != "stop" or node.args):
            found.append(f"{path.relative_to(PLANNER)}:{node.lineno} {name}")
    return found


def _strategy_side(path: Path) -> bool:
    return path == PLANNER / "strategy.py" or path.parent == PLANNER / "strategies"


def test_only_strategies_build_actions_and_stop_a_search() -> None:
    paths = sorted(PLANNER.rglob("*.py"))
    assert any(_decisions(p) for p in paths if _strategy_side(p)), "the check must see them"
    elsewhere = [d for p in paths if not _strategy_side(p) for d in _decisions(p)]
    assert elsewhere == []
