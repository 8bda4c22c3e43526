"""Build the `Validator` for one solve from the requirements work.

Given requirements are compiled once per solve; with none, they are extracted from
the task text. Mechanical requirements become checks; the others are left to a judge.
Uses the compiler, extractor, judge and repairs of `cadenza.requirements`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from cadenza.planner.context import SolveContext
from cadenza.planner.spec_validator import JudgeFn, Specs, SpecValidator
from cadenza.planner.validation import Judgement, Validator
from cadenza.providers.base import (
    Completion,
    CompletionRequest,
    Model,
    ProgressCallback,
    Usage,
)
from cadenza.requirements.compile import compile_requirements
from cadenza.requirements.conflicts import find_conflicts
from cadenza.requirements.extract import extract_requirements
from cadenza.requirements.judge import judge
from cadenza.requirements.repair import repair
from cadenza.task import Requirement


@dataclass(frozen=True, slots=True)
class Prepared:
    validator: Validator
    usage: Usage = field(default_factory=Usage)
    calls: int = 0
    extracted: bool = False


async def prepare(context: SolveContext, *, repairs: bool = True) -> Prepared:
    """The validator for `context`'s requirements (extracted when there are none)."""
    prompt = context.task.prompt()
    notes: list[str] = []
    if context.requirements is None:
        reqs, groups, rubrics, notes = _extract(prompt)
        extracted = True
    else:
        reqs = list(context.requirements)
        groups, rubrics, notes = await _compile(reqs)
        extracted = False
    mandatory = [s for g, r in zip(groups, reqs, strict=True) if g and r.is_mandatory for s in g]
    conflicts = find_conflicts(mandatory) if mandatory else []
    validator = SpecValidator(
        reqs,
        groups,
        judge_fn=_judge_fn(rubrics, prompt),
        repair_fn=(lambda t, s, a: repair(t, s, a, prompt)) if repairs else None,
        prompt=prompt,
        conflicts=conflicts,
        notes=notes,
    )
    return Prepared(validator, extracted=extracted)


async def _compile(
    reqs: Sequence[Requirement],
) -> tuple[list[Specs | None], list[str], list[str]]:
    """Compile once per solve: checks for mechanical requirements, a judge rubric for
    the rest (the deterministic compiler; no model call)."""
    compiled = await compile_requirements(reqs, check_conflicts=False)
    groups: list[Specs | None] = [c.specs or None for c in compiled]
    rubrics = [c.rubric or c.requirement.description for c in compiled]
    notes = [f"{c.label}: {c.note}" for c in compiled if c.method == "not_understood" and c.note]
    return groups, rubrics, notes


def _extract(
    prompt: str,
) -> tuple[list[Requirement], list[Specs | None], list[str], list[str]]:
    reqs: list[Requirement] = []
    groups: list[Specs | None] = []
    rubrics: list[str] = []
    for compiled in extract_requirements(prompt):
        reqs.append(compiled.requirement)
        groups.append(compiled.specs or None)
        rubrics.append(compiled.rubric or compiled.requirement.description)
    notes = [] if reqs else ["No explicit requirement was found in the task text."]
    return reqs, groups, rubrics, notes


class _Metered:
    """A model wrapper that adds up the usage of the calls made through it."""

    def __init__(self, model: Model) -> None:
        self._model = model
        self.usage = Usage()

    @property
    def id(self) -> str:
        return self._model.id

    @property
    def max_concurrency(self) -> int:
        return self._model.max_concurrency

    async def complete(
        self, request: CompletionRequest, *, on_progress: ProgressCallback | None = None
    ) -> Completion:
        completion = await self._model.complete(request, on_progress=on_progress)
        self.usage = self.usage + completion.usage
        return completion


def _judge_fn(rubrics: Sequence[str], prompt: str) -> JudgeFn:
    """The LLM judge of `cadenza.requirements.judge`, metered so the planner can
    charge its calls to the budget."""

    async def run(text: str, requirement: Requirement, model: Model) -> Judgement:
        index = next((i for i, r in enumerate(rubrics) if r == requirement.description), None)
        rubric = rubrics[index] if index is not None else requirement.description
        metered = _Metered(model)
        verdict = await judge(text, rubric, model=metered, task_prompt=prompt)
        return Judgement(verdict, metered.usage)

    return run
