"""The execution engine: eager parallel DAG execution with budgets, cancellation,
retries, estimates and speculation. It knows nothing of requirements: steps are async
functions; the planner decides what they do.

    plan = Plan.of([
        Step("a", sample, kind="generate", resource="local:smollm2-135m",
             estimate=Spend.estimate(tokens=300, calls=1)),
        Step("b", check, inputs=("a",), kind="validate"),
    ])
    report = await execute(plan, budget=Budget(calls=10), limits=Limits.for_models(models))
    report.status, report.records["b"].outcome, report.value("b")
"""

from cadenza.engine.context import RunControl, StepContext
from cadenza.engine.estimates import Estimate, Estimates
from cadenza.engine.events import (
    BudgetUsed,
    Event,
    RunFinished,
    RunStarted,
    RunStats,
    RunStatus,
    StepFinished,
    StepRetrying,
    StepsAdded,
    StepStarted,
)
from cadenza.engine.graph import Plan, PlanBuilder, PlanError, Step, StepFn
from cadenza.engine.outcomes import OUTCOMES, ZERO, Outcome, Reason, Spend, StepRecord
from cadenza.engine.report import Limits, RunReport
from cadenza.engine.retry import NO_RETRY, RetryPolicy
from cadenza.engine.scheduler import Run, execute, open_run
from cadenza.engine.speculation import Speculation

__all__ = [
    "NO_RETRY",
    "OUTCOMES",
    "ZERO",
    "BudgetUsed",
    "Estimate",
    "Estimates",
    "Event",
    "Limits",
    "Outcome",
    "Plan",
    "PlanBuilder",
    "PlanError",
    "Reason",
    "RetryPolicy",
    "Run",
    "RunControl",
    "RunFinished",
    "RunReport",
    "RunStarted",
    "RunStats",
    "RunStatus",
    "Speculation",
    "Spend",
    "Step",
    "StepContext",
    "StepFinished",
    "StepFn",
    "StepRecord",
    "StepRetrying",
    "StepStarted",
    "StepsAdded",
    "execute",
    "open_run",
]
