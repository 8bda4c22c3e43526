from __future__ import annotations

from rich.console import Console

from cadenza.cli.tree_view import TreeView
from cadenza.planner.events import CallStarted, CandidateAdded, CandidateChanged, DecisionMade
from cadenza.planner.state import Candidate
from cadenza.requirements.assessment import Assessment
from cadenza.requirements.verdict import Verdict
from cadenza.result import Decision
from cadenza.task import Requirement


def _render(view: TreeView) -> str:
    console = Console(width=120, record=True)
    console.print(view.render())
    return console.export_text()


def test_tree_view_draws_candidates_under_their_parents_with_status() -> None:
    reqs = (Requirement("at least 5 words"),)
    bad = Assessment(reqs, {0: Verdict(0.4, False, "2 words")})
    good = Assessment(reqs, {0: Verdict(1.0, True, "6 words")})
    view = TreeView()
    c1 = Candidate("c1", "a b", "sample", "scripted:x", 0, bad)
    view.handle(CandidateAdded(c1))
    view.handle(CallStarted("fix", "scripted:x", "c1", speculative=True))
    view.handle(
        CandidateAdded(Candidate("c2", "a b c d e f", "fix", "scripted:x", 1, good, ("c1",)))
    )
    view.handle(CandidateChanged(c1.with_status("fixed")))
    view.handle(DecisionMade(Decision(1, "fix", "fix c1 on at-least-5-words")))
    text = _render(view)
    assert "c1 sample" in text and "fails at-least-5-words" in text and "[fixed]" in text
    assert "c2 fix" in text and "passes" in text
    assert text.index("c1 sample") < text.index("c2 fix")
    assert "round 1 · fix: fix c1" in text and "1 speculative" in text


def test_tree_view_draws_the_tool_plan_with_each_step_as_it_goes() -> None:
    from cadenza.planner.events import NodeChanged, PlanMade
    from cadenza.result import NodeReport

    view = TreeView()
    view.handle(PlanMade(1, ((1, 'capital(country="France")', "need it"), (2, "add(a=1)", ""))))
    view.handle(NodeChanged(NodeReport(1, 1, "capital", {}, "need it", "running", "p1-n1")))
    text = _render(view)
    assert "tool plan 1" in text and '$1 capital(country="France") [running]' in text
    assert "$2 add(a=1) [pending]" in text
    done = NodeReport(1, 1, "capital", {}, "", "ok", "p1-n1", output="Paris", latency_s=0.25)
    failed = NodeReport(1, 2, "add", {}, "", "failed", "p1-n2", error="add failed: boom")
    view.handle(NodeChanged(done))
    view.handle(NodeChanged(failed))
    text = _render(view)
    assert "[ok] 0.25s → Paris" in text and "[failed]" in text and "add failed: boom" in text
