"""Validate one candidate against compiled requirements: the expression's checks where
the requirement is mechanical, the LLM judge where it is not.

`validate_checks` is the synchronous fast path (checks only, no model); `validate`
adds the judge for the rest, running judge calls concurrently up to the model's
`max_concurrency`. A verdict's `method` says how it was decided: ``rule``,
``compiled`` or ``given`` (a program checked it), ``judged`` (the LLM judge),
``unjudged`` (it needs a judge and none was given).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import anyio

from cadenza.providers.base import Model
from cadenza.requirements.compile import CompiledRequirement
from cadenza.requirements.judge import judge
from cadenza.requirements.lang.evaluate import evaluate
from cadenza.requirements.verdict import Verdict
from cadenza.task import Requirement


@dataclass(frozen=True, slots=True)
class RequirementVerdict:
    """The verdict on one requirement; `parts` holds the checks' and the judge's
    verdicts of a mixed requirement (both must pass; the score is the lowest)."""

    compiled: CompiledRequirement
    verdict: Verdict
    parts: tuple[Verdict, ...] = ()

    @property
    def requirement(self) -> Requirement:
        return self.compiled.requirement

    @property
    def passed(self) -> bool:
        return self.verdict.passed

    @property
    def mandatory(self) -> bool:
        return self.compiled.requirement.is_mandatory


def combine(verdicts: Sequence[Verdict]) -> Verdict:
    """One verdict from several of the same requirement."""
    if len(verdicts) == 1:
        return verdicts[0]
    failed = [v for v in verdicts if not v.passed]
    methods = "+".join(dict.fromkeys(v.method for v in verdicts))
    if not failed:  # as sure as its least sure part (a judge's P(yes))
        score = min(v.score for v in verdicts)
        return Verdict(score, True, "; ".join(v.reason for v in verdicts), "", methods)
    return Verdict(
        min(v.score for v in verdicts),
        False,
        "; ".join(v.reason for v in failed),
        "; ".join(v.fix_hint for v in failed if v.fix_hint),
        methods,
    )


def check(
    candidate: str, compiled: CompiledRequirement, *, prompt: str | None = None
) -> Verdict | None:
    """The expression's verdict (method: how the expression was made), or None when
    only the judge decides."""
    if compiled.expr is None:
        return None
    verdict = evaluate(compiled.expr, candidate, request=prompt)
    return replace(verdict, method=compiled.method)


def check_requirement(
    candidate: str, compiled: CompiledRequirement, *, prompt: str | None = None
) -> RequirementVerdict | None:
    verdict = check(candidate, compiled, prompt=prompt)
    return None if verdict is None else RequirementVerdict(compiled, verdict, (verdict,))


def validate_checks(
    candidate: str, compiled: Sequence[CompiledRequirement], *, prompt: str | None = None
) -> list[RequirementVerdict | None]:
    """Checks only, synchronously: one entry per requirement, None where only the judge
    decides (mixed requirements report their checks' verdict)."""
    return [check_requirement(candidate, c, prompt=prompt) for c in compiled]


def unjudged(compiled: CompiledRequirement) -> RequirementVerdict:
    """The verdict of a judged requirement when no judge model is available."""
    verdict = Verdict(
        0.0,
        False,
        "needs the LLM judge, and no judge model was given",
        "give a judge model (e.g. --model) to verify this requirement",
        "unjudged",
    )
    return RequirementVerdict(compiled, verdict, (verdict,))


async def validate(
    candidate: str,
    compiled: Sequence[CompiledRequirement],
    *,
    prompt: str | None = None,
    judge_model: Model | None = None,
) -> list[RequirementVerdict]:
    """Every requirement's verdict, in order: checks first, then the judge (concurrently)
    for the requirements that need it. Without `judge_model` those are reported as
    not verified (failed, method ``unjudged``)."""
    results: list[RequirementVerdict | None] = validate_checks(candidate, compiled, prompt=prompt)
    pending = [i for i, c in enumerate(compiled) if c.needs_judge]
    if pending and judge_model is None:
        for i in pending:
            results[i] = _with(results[i], unjudged(compiled[i]))
    elif pending and judge_model is not None:
        model = judge_model
        limiter = anyio.CapacityLimiter(max(1, model.max_concurrency))

        async def run_one(i: int) -> None:
            rubric = compiled[i].rubric or compiled[i].requirement.description
            async with limiter:
                verdict = await judge(candidate, rubric, model=model, task_prompt=prompt)
            verdict = replace(verdict, method="judged")  # as the planner's adapter reports it
            results[i] = _with(results[i], RequirementVerdict(compiled[i], verdict, (verdict,)))

        async with anyio.create_task_group() as tg:
            for i in pending:
                tg.start_soon(run_one, i)
    return [r for r in results if r is not None]


def _with(checked: RequirementVerdict | None, judged: RequirementVerdict) -> RequirementVerdict:
    """The judge's verdict, combined with the checks' verdict of a mixed requirement."""
    if checked is None:
        return judged
    parts = checked.parts + judged.parts
    return RequirementVerdict(checked.compiled, combine(parts), parts)


def all_mandatory_passed(verdicts: Sequence[RequirementVerdict]) -> bool:
    return all(v.passed for v in verdicts if v.mandatory)
