"""Checking a plan before anything runs: known tools, valid arguments against each
tool's schema (a reference stands for any value), unique ids, references to steps
that exist, no cycles, not too many steps. Every problem is a sentence the model can
act on when asked to repair its plan."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from graphlib import CycleError, TopologicalSorter

from cadenza.planner.plans.plan import PlanNode, ToolPlan, with_refs
from cadenza.tools.base import ToolInfo, argument_problems


def plan_problems(plan: ToolPlan, tools: Sequence[ToolInfo], max_steps: int) -> list[str]:
    """What is wrong with `plan` (empty: it may run)."""
    problems: list[str] = []
    known = known_tools(tools)
    if len(plan.nodes) > max_steps:
        problems.append(f"the plan has {len(plan.nodes)} steps; at most {max_steps} are allowed")
    ids: set[int] = set()
    for node in plan.nodes:
        if node.id in ids:
            problems.append(f"two steps have id {node.id}: give every step its own id")
        ids.add(node.id)
    for node in plan.nodes:
        problems.extend(node_problems(node, known, ids))
    for ref in plan.answer_deps:
        if ref not in ids:
            problems.append(f"the answer refers to ${ref}, but no step has id {ref}")
    cycle = _cycle(plan)
    if cycle:
        path = " -> ".join(f"${n}" for n in cycle)
        problems.append(
            f"steps refer to each other in a cycle ({path}): a step can only use "
            "outputs of steps that do not need it"
        )
    return problems


def node_problems(node: PlanNode, known: Mapping[str, ToolInfo], ids: set[int]) -> list[str]:
    """What is wrong with one step, given the tools and the ids its references may
    name (a step started before the plan is complete may only use earlier steps)."""
    tool = known.get(node.tool)
    if tool is None:
        names = ", ".join(sorted(known))
        return [f"step {node.id} calls {node.tool!r}, which is not a tool (use: {names})"]
    problems = [
        f"step {node.id} ({node.tool}): {issue}"
        for issue in argument_problems(with_refs(tool.parameters), node.args)
    ]
    for ref in node.deps:
        if ref == node.id:
            problems.append(f"step {node.id} refers to its own output ${ref}")
        elif ref not in ids:
            problems.append(f"step {node.id} refers to ${ref}, but no step has id {ref}")
    return problems


def known_tools(tools: Sequence[ToolInfo]) -> dict[str, ToolInfo]:
    """The tools a plan may call by name (``llm`` only when it is among them)."""
    return {t.name: t for t in tools}


def _cycle(plan: ToolPlan) -> list[int]:
    """One dependency cycle among the steps, each step followed by one it refers to
    (empty when there is none)."""
    ids = {n.id for n in plan.nodes}
    deps = {n.id: [d for d in n.deps if d != n.id and d in ids] for n in plan.nodes}
    try:
        TopologicalSorter(deps).prepare()
    except CycleError as error:  # its cycle runs from each step to one that refers to it
        return list(reversed(error.args[1]))
    return []
