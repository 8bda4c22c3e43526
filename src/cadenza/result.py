"""What a solve returns: the answer, a per-requirement report, the overall score,
why it stopped, what it cost, and the trace of what was done. Serialisable to JSON."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from cadenza.providers.base import Usage

FinishReason = Literal[
    "satisfied",  # every mandatory requirement passed, by a check or a confident judge
    "budget_spent",  # the budget ran out first
    "no_progress",  # further rounds were not expected to help
    "completed",  # a strategy with a fixed shape ran to its end (single, best_of_n)
    "failed",  # no candidate could be produced (every call failed)
    "impossible",  # the requirements contradict each other: no answer can meet them all
    "pending",  # it stopped (budget, time) before every requirement of the answer was judged
    "unverified",  # no requirement is known to fail, but some could not be checked
    # (no judge available, the judge failed, an unsure verdict)
]


@dataclass(frozen=True, slots=True)
class RequirementReport:
    """How the final answer stands against one requirement."""

    name: str
    description: str
    passed: bool
    score: float
    reason: str
    is_mandatory: bool = True
    fix_hint: str = ""
    method: str = ""  # "check:<family>", "judge", "unverified" ...
    weight: float = 1.0


@dataclass(frozen=True, slots=True)
class Decision:
    """One planner decision and why it was taken. `targets` are the candidates it acts
    on, `gain` the expected chance it yields a passing answer, `cost` the share of the
    remaining budget it was expected to use."""

    round: int
    action: str
    reason: str
    targets: tuple[str, ...] = ()
    gain: float | None = None
    cost: float | None = None


@dataclass(frozen=True, slots=True)
class NodeReport:
    """One step of a tool plan and how it went. `plan` numbers the plans of a solve
    (1, then 2 after a replan...); `args` are as planned (references as ``$N``),
    `inputs` as given to the tool once references were resolved (None: it never ran);
    `output` is the (capped) text it returned; `status` its engine outcome."""

    plan: int
    node: int
    tool: str
    args: dict[str, Any]
    reason: str
    status: str
    step_id: str
    inputs: dict[str, Any] | None = None
    output: str = ""
    error: str = ""
    latency_s: float | None = None
    cost_usd: float = 0.0
    tokens: int = 0
    attempts: int = 0


@dataclass(frozen=True, slots=True)
class PlanReport:
    """What plan-and-execute did: every plan as written (``{"steps": [...]}``), every
    step's report, the tool calls made (retries included), and, when no plan could
    run, why (`refused`). The joiner's decisions are among the result's decisions."""

    plans: tuple[dict[str, Any], ...] = ()
    nodes: tuple[NodeReport, ...] = ()
    tool_calls: int = 0
    refused: str = ""


@dataclass(frozen=True, slots=True)
class SolveResult:
    text: str
    requirements: tuple[RequirementReport, ...]
    score: float
    finish_reason: FinishReason
    usage: Usage
    calls: int
    wall_s: float
    strategy: str
    models: tuple[str, ...]
    decisions: tuple[Decision, ...] = ()
    trace: tuple[dict[str, Any], ...] = ()
    notes: tuple[str, ...] = ()
    run_id: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    plan: PlanReport | None = None  # plan-and-execute only (tools)

    @property
    def passed(self) -> bool:
        return all(r.passed for r in self.requirements if r.is_mandatory)

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["usage"]["total_tokens"] = self.usage.total_tokens
        data["passed"] = self.passed
        return data


def overall_score(reports: tuple[RequirementReport, ...] | list[RequirementReport]) -> float:
    """Weighted mean of requirement scores; 0 when any mandatory requirement fails.
    With no requirements the score is 1."""
    if not reports:
        return 1.0
    if any(r.is_mandatory and not r.passed for r in reports):
        return 0.0
    total = sum(r.weight for r in reports)
    return sum(r.score * r.weight for r in reports) / total
