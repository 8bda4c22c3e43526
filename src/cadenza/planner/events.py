"""What a solve reports while it runs, for live displays (the CLI's tree view).

The planner emits these through the ``on_event`` callback of `cadenza.solve`; they
describe the execution tree (candidates and what became of them) and the decisions,
not engine internals."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from cadenza.result import Decision, NodeReport

if TYPE_CHECKING:
    from cadenza.planner.state import Candidate


@dataclass(frozen=True, slots=True)
class CandidateAdded:
    """A new candidate, already assessed (its verdicts may still miss judges)."""

    candidate: Candidate


@dataclass(frozen=True, slots=True)
class CandidateChanged:
    """A candidate's verdicts or status changed (judged, kept, ditched, fixed, winner)."""

    candidate: Candidate


@dataclass(frozen=True, slots=True)
class DecisionMade:
    decision: Decision


@dataclass(frozen=True, slots=True)
class CallStarted:
    """A model call started: `purpose` is sample, fix, merge or judge."""

    purpose: str
    model: str
    target: str = ""  # the candidate it works on, if any
    speculative: bool = False


@dataclass(frozen=True, slots=True)
class PlanMade:
    """A tool plan passed its checks and starts: `steps` as ``tool(args)`` lines by
    step id, with their reasons."""

    plan: int
    steps: tuple[tuple[int, str, str], ...]  # (id, call, reason)


@dataclass(frozen=True, slots=True)
class NodeChanged:
    """A step of a tool plan started (status ``running``) or ended."""

    report: NodeReport


PlannerEvent = (
    CandidateAdded | CandidateChanged | DecisionMade | CallStarted | PlanMade | NodeChanged
)
EventCallback = Callable[[PlannerEvent], None]
