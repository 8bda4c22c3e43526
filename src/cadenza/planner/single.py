"""`single`: one call, the baseline a user has today."""

from __future__ import annotations

import time

from cadenza.planner.context import SolveContext
from cadenza.planner.reporting import report_on
from cadenza.providers.base import CompletionRequest
from cadenza.result import SolveResult, overall_score


async def run(context: SolveContext) -> SolveResult:
    started = time.monotonic()
    model = context.models[0]
    request = CompletionRequest.of(context.task.prompt(), temperature=0.7, max_tokens=1024)
    completion = await model.complete(request, on_progress=context.on_progress)
    reports = await report_on(completion.text, context)
    return SolveResult(
        text=completion.text,
        requirements=reports,
        score=overall_score(reports),
        finish_reason="completed",
        usage=completion.usage,
        calls=1,
        wall_s=time.monotonic() - started,
        strategy="single",
        models=(model.id,),
    )
