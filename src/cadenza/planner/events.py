"""What a solve reports while it runs, for live displays (the CLI's tree view).

The planner emits these through the ``on_event`` callback of `cadenza.solve`; they
describe the execution tree (candidates and what became of them) and the decisions,
not engine internals."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from cadenza.planner.candidates import Candidate
from cadenza.result import Decision


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


PlannerEvent = CandidateAdded | CandidateChanged | DecisionMade | CallStarted
EventCallback = Callable[[PlannerEvent], None]
