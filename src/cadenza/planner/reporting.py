"""The final per-requirement report on an answer."""

from __future__ import annotations

from cadenza.planner.context import SolveContext
from cadenza.result import RequirementReport


async def report_on(text: str, context: SolveContext) -> tuple[RequirementReport, ...]:
    """Verdicts of `text` against the caller's requirements.

    Until the validators land (requirements issue), requirements are echoed unverified.
    """
    return tuple(
        RequirementReport(
            name=r.label,
            description=r.description,
            passed=False,
            score=0.0,
            reason="not verified: no validator for this requirement yet",
            is_mandatory=r.is_mandatory,
            method="unverified",
            weight=r.weight,
        )
        for r in context.requirements or ()
    )
