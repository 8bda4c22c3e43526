"""What the store hands back: a run's row, its steps, verdicts and decisions."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from cadenza.engine.outcomes import StepRecord
from cadenza.requirements.verdict import Verdict
from cadenza.result import Decision, PlanReport


@dataclass(frozen=True, slots=True)
class RunRow:
    """One run. `summary` holds what was asked (task, requirements, strategy, models,
        budget) as JSON-ready data. `status` is ``running`` until the run finishes, then the
        engine's status (``completed``, ``budget_exhausted``, ``deadline``, ``stopped``) or
        ``finished``; a run whose process died reads ``interrupted`` once a store is
        opened again on the same host (its recorded steps stay). `finish_reason` is the
        solve's (``satisfied``, ``budget_spent`` ...). `stats` are the engine's run
        statistics. A run that ended without a result reads ``failed``, ``refused`` or
    ``cancelled``, with `error` saying why (``{"type", "message"}``). Times are
    wall-clock seconds since the epoch."""

    id: str
    created: float
    summary: dict[str, Any]
    status: str
    finish_reason: str | None = None
    engine_status: str | None = None
    ended: float | None = None
    cost_usd: float | None = None
    input_tokens: int | None = None
    output_tokens: int | None = None
    calls: int | None = None
    wall_s: float | None = None
    score: float | None = None
    text: str | None = None
    stats: dict[str, Any] | None = None
    error: dict[str, Any] | None = None


@dataclass(frozen=True, slots=True)
class StoredStep:
    """A step as recorded when it ended: the engine's record and its result (the
    JSON-ready form of the step's value, None unless the outcome was ok)."""

    record: StepRecord
    result: Any = None

    @property
    def latency_s(self) -> float | None:
        return self.record.duration_s


@dataclass(frozen=True, slots=True)
class VerdictRecord:
    """How candidate `candidate` stood against requirement `requirement`, as decided by
    step `step_id` of run `run_id`."""

    run_id: str
    step_id: str
    candidate: str
    requirement: str
    score: float
    passed: bool
    reason: str
    fix_hint: str = ""
    method: str = ""

    @staticmethod
    def of(
        run_id: str, step_id: str, candidate: str, requirement: str, verdict: Verdict
    ) -> VerdictRecord:
        return VerdictRecord(
            run_id=run_id,
            step_id=step_id,
            candidate=candidate,
            requirement=requirement,
            score=verdict.score,
            passed=verdict.passed,
            reason=verdict.reason,
            fix_hint=verdict.fix_hint,
            method=verdict.method,
        )

    @property
    def verdict(self) -> Verdict:
        return Verdict(self.score, self.passed, self.reason, self.fix_hint, self.method)


@dataclass(frozen=True, slots=True)
class RunHistory:
    """Everything recorded about one run, each part in the order it was recorded
    (steps in the order they ended)."""

    run: RunRow
    steps: tuple[StoredStep, ...]
    verdicts: tuple[VerdictRecord, ...]
    decisions: tuple[Decision, ...]
    plan: PlanReport | None = None  # plan-and-execute runs only

    def step(self, step_id: str) -> StoredStep:
        for stored in self.steps:
            if stored.record.step_id == step_id:
                return stored
        raise KeyError(step_id)
