"""The execution tree as it grows: candidates, their scores, what was ditched, fixed
and chosen, and the planner's latest decisions. Renders planner events; no logic."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.text import Text
from rich.tree import Tree

from cadenza.planner.events import (
    CallStarted,
    CandidateAdded,
    CandidateChanged,
    DecisionMade,
    NodeChanged,
    PlanMade,
    PlannerEvent,
)
from cadenza.planner.state import Candidate
from cadenza.providers.base import Progress
from cadenza.result import Decision, NodeReport, SolveResult

_STYLE = {
    "open": "white",
    "kept": "cyan",
    "ditched": "dim strike",
    "fixed": "yellow",
    "winner": "bold green",
}


class TreeView:
    """Collects planner events; `render()` draws the current tree."""

    def __init__(self, *, decisions_shown: int = 4) -> None:
        self.candidates: dict[str, Candidate] = {}
        self.decisions: list[Decision] = []
        self.calls = 0
        self.speculative_calls = 0
        self.progress: Progress | None = None
        self.plans: dict[int, tuple[tuple[int, str, str], ...]] = {}
        self.nodes: dict[tuple[int, int], NodeReport] = {}
        self._shown = decisions_shown

    def handle(self, event: PlannerEvent) -> None:
        match event:
            case CandidateAdded(candidate=c) | CandidateChanged(candidate=c):
                self.candidates[c.id] = c
            case DecisionMade(decision=d):
                self.decisions.append(d)
            case CallStarted(speculative=speculative):
                self.calls += 1
                self.speculative_calls += int(speculative)
            case PlanMade(plan=plan, steps=steps):
                self.plans[plan] = steps
            case NodeChanged(report=report):
                self.nodes[(report.plan, report.node)] = report

    def on_progress(self, progress: Progress) -> None:
        self.progress = progress

    def tree(self, title: str = "plan") -> Tree:
        root = Tree(Text(title, style="bold"))
        for plan, steps in self.plans.items():
            branch = root.add(Text(f"tool plan {plan}", style="bold"))
            for node_id, call, reason in steps:
                report = self.nodes.get((plan, node_id))
                branch.add(node_label(node_id, call, reason, report))
        nodes: dict[str, Tree] = {}
        for cand in self.candidates.values():
            parent = nodes.get(cand.parents[0]) if cand.parents else None
            nodes[cand.id] = (parent or root).add(label(cand))
        return root

    def render(self) -> RenderableType:
        parts: list[RenderableType] = [self.tree()]
        for d in self.decisions[-self._shown :]:
            parts.append(Text(f"  round {d.round} · {d.action}: {d.reason}", style="dim"))
        status = f"{self.calls} call(s) started"
        if self.speculative_calls:
            status += f" ({self.speculative_calls} speculative)"
        if self.progress is not None:
            status += (
                f" · generating {self.progress.output_tokens} tokens "
                f"at {self.progress.tokens_per_s:.1f} tok/s"
            )
        parts.append(Text(status, style="cyan"))
        return Group(*parts)


def label(cand: Candidate) -> Text:
    a = cand.assessment
    origin = cand.origin + (" (speculative)" if cand.speculative else "")
    text = Text(f"{cand.id} ", style="bold")
    text.append(f"{origin} ")
    if cand.model:
        text.append(f"{cand.model} ", style="dim")
    text.append(f"score {a.score:.2f} ", style=_STYLE.get(cand.status, ""))
    if a.passed:
        text.append("passes ", style="green")
    else:
        failed = [a.requirements[i].label for i in a.failed]
        if failed:
            text.append(f"fails {', '.join(failed)} ", style="red")
        if a.pending:
            text.append(f"{len(a.pending)} being judged ", style="yellow")
    text.append(f"[{cand.status}]", style=_STYLE.get(cand.status, ""))
    return text


_NODE_STYLE = {"ok": "green", "running": "yellow", "pending": "dim"}


def node_label(node_id: int, call: str, reason: str, report: NodeReport | None) -> Text:
    """One step of a tool plan: its call, status, latency and output (or error)."""
    status = report.status if report is not None else "pending"
    text = Text(f"${node_id} ", style="bold")
    text.append(f"{call} ")
    text.append(f"[{status}]", style=_NODE_STYLE.get(status, "red"))
    if report is not None and report.latency_s is not None:
        text.append(f" {report.latency_s:.2f}s", style="dim")
    if report is not None and report.status == "ok":
        text.append(f" → {report.output[:60]}", style="cyan")
    elif report is not None and report.error:
        text.append(f" {report.error[:80]}", style="red")
    if reason:
        text.append(f"  ({reason})", style="dim")
    return text


def final_tree(result: SolveResult) -> Tree:
    """The execution tree of a finished result, from its trace."""
    root = Tree(Text(f"{result.strategy}: {result.finish_reason}", style="bold"))
    if result.plan is not None:
        reports = {(r.plan, r.node): r for r in result.plan.nodes}
        for number, plan in enumerate(result.plan.plans, start=1):
            branch = root.add(Text(f"tool plan {number}", style="bold"))
            for step in plan.get("steps", []):
                report = reports.get((number, int(step["id"])))
                call = report.tool if report else str(step.get("tool"))
                args = step.get("args") or {}
                call += "(" + ", ".join(f"{k}={v!r}" for k, v in args.items()) + ")"
                branch.add(node_label(int(step["id"]), call, str(step.get("reason", "")), report))
    nodes: dict[str, Tree] = {}
    for node in result.trace:
        if node.get("type") != "candidate":
            continue
        parents = node.get("parents") or []
        parent = nodes.get(str(parents[0])) if parents else None
        status = str(node.get("status", ""))
        text = Text(f"{node['id']} ", style="bold")
        text.append(f"{node['origin']} ")
        text.append(f"score {float(node['score']):.2f} ", style=_STYLE.get(status, ""))
        failed = node.get("failed") or []
        text.append(
            "passes " if not failed else f"fails {', '.join(map(str, failed))} ",
            style="green" if not failed else "red",
        )
        text.append(f"[{status}]", style=_STYLE.get(status, ""))
        nodes[str(node["id"])] = (parent or root).add(text)
    return root
