"""A run's events as the API streams them (JSON objects with a ``type``).

Live runs send what `cadenza.solve` reports through ``on_event`` as it happens; a
run the server no longer holds in memory is told from the store (its final tree,
decisions and verdicts). Every stream ends with one ``end`` event carrying the run's
status and result.

- ``{"type": "status", "status", "queued"}``: the run is waiting for a slot or started;
- ``{"type": "call", "purpose", "model", "target", "speculative"}``: a model call began;
- ``{"type": "candidate", "candidate": {...}}``: a candidate appeared or changed (its
  text, model, status, score, tokens, cost, latency and verdicts);
- ``{"type": "decision", "round", "action", "reason", "targets", "gain", "cost"}``;
- ``{"type": "end", "status", "result", "error"}``.
"""

from __future__ import annotations

import dataclasses
from typing import Any, assert_never

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
from cadenza.result import Decision
from cadenza.store.records import RunHistory

Json = dict[str, Any]


def of_planner(event: PlannerEvent) -> Json:
    match event:
        case CandidateAdded(candidate=c) | CandidateChanged(candidate=c):
            return {"type": "candidate", "candidate": candidate(c)}
        case DecisionMade(decision=d):
            return decision(d)
        case CallStarted():
            return {
                "type": "call",
                "purpose": event.purpose,
                "model": event.model,
                "target": event.target,
                "speculative": event.speculative,
            }
        case PlanMade(plan=plan, steps=steps):
            return {
                "type": "plan",
                "plan": plan,
                "steps": [{"id": i, "call": call, "reason": why} for i, call, why in steps],
            }
        case NodeChanged(report=r):
            return {  # what a tool step did, not the tool's output (it may be large)
                "type": "plan_node",
                "plan": r.plan,
                "node": r.node,
                "tool": r.tool,
                "status": r.status,
                "error": r.error,
                "latency_s": r.latency_s,
                "cost_usd": r.cost_usd,
            }
        case _:
            assert_never(event)


def candidate(c: Candidate) -> Json:
    node = c.to_node()
    node["text"] = c.text
    node["verdicts"] = [
        {
            "requirement": r.name,
            "passed": r.passed,
            "score": r.score,
            "reason": r.reason,
            "method": r.method,
        }
        for r in c.assessment.reports()
    ]
    return node


def decision(d: Decision) -> Json:
    data = dataclasses.asdict(d)
    data["targets"] = list(d.targets)
    return {"type": "decision", **data}


def status(value: str, *, queued: bool = False) -> Json:
    return {"type": "status", "status": value, "queued": queued}


def end(value: str, result: Json | None, error: Json | None) -> Json:
    return {"type": "end", "status": value, "result": result, "error": error}


def of_history(history: RunHistory, result: Json | None) -> list[Json]:
    """The events of a run told from the store: its candidates as they ended (with
    the verdicts recorded for each), then its decisions."""
    verdicts: dict[str, list[Json]] = {}
    for v in history.verdicts:
        verdicts.setdefault(v.candidate, []).append(
            {
                "requirement": v.requirement,
                "passed": v.passed,
                "score": v.score,
                "reason": v.reason,
                "method": v.method,
            }
        )
    events: list[Json] = []
    trace = result.get("trace", []) if result else []
    for node in trace:
        if isinstance(node, dict) and node.get("type") == "candidate":
            data = {k: v for k, v in node.items() if k != "type"}
            data["verdicts"] = verdicts.get(str(data.get("id")), [])
            events.append({"type": "candidate", "candidate": data})
    events.extend(decision(d) for d in history.decisions)
    return events
