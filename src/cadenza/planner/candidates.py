"""Candidates: the answers a plan produced, where each came from, how it stands,
and what became of it. The execution tree is the set of candidates and their parents."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, Literal

from cadenza.planner.validation import Assessment
from cadenza.providers.base import Usage

Origin = Literal["sample", "fix", "repair", "merge", "plan"]
Status = Literal["open", "kept", "ditched", "fixed", "winner"]


@dataclass(frozen=True, slots=True)
class Candidate:
    """One answer. `parents` are the candidates it was derived from (a fix or repair
    has one, a merge several, a sample none); `usage` is what producing it cost;
    `finish_reason` is why the call that wrote it stopped (``length``: at the token
    limit, so the text is cut; a repair keeps its parent's); `from_tool`: the text is a
    tool's output taken as the answer, not written by the model."""

    id: str
    text: str
    origin: Origin
    model: str
    round: int
    assessment: Assessment
    parents: tuple[str, ...] = ()
    usage: Usage = field(default_factory=Usage)
    status: Status = "open"
    speculative: bool = False
    note: str = ""
    step_id: str = ""  # the engine step that produced it (empty for a repair)
    finish_reason: str = ""
    from_tool: bool = False

    def with_status(self, status: Status, note: str = "") -> Candidate:
        return replace(self, status=status, note=note or self.note)

    def with_assessment(self, assessment: Assessment) -> Candidate:
        return replace(self, assessment=assessment)

    def to_node(self) -> dict[str, Any]:
        """The candidate as a node of the execution tree (JSON-ready)."""
        a = self.assessment
        return {
            "id": self.id,
            "origin": self.origin,
            "parents": list(self.parents),
            "model": self.model,
            "round": self.round,
            "status": self.status,
            "score": round(a.score, 4),
            "soft_score": round(a.soft_score, 4),
            "passed": a.passed,
            "failed": [a.requirements[i].label for i in a.failed],
            "tokens": self.usage.total_tokens,
            "cost_usd": self.usage.cost_usd,
            "latency_s": round(self.usage.latency_s, 4),
            "speculative": self.speculative,
            "note": self.note,
            "chars": len(self.text),
            "finish_reason": self.finish_reason,
            "from_tool": self.from_tool,
        }
