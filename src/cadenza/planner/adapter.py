"""Build the `Validator` for one solve from the requirements work.

Given requirements are compiled once per solve; with none, they are extracted from
the task text. Mechanical requirements become checks; the others are left to a judge;
a requirement with both parts is validated as two (its checks, and the judged rest).
Uses the compiler, extractor, judge and repairs of `cadenza.requirements`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace

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
from cadenza.requirements.compile import (
    CompiledRequirement,
    compile_requirements,
    compile_with_model,
    is_subjective,
)
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


MAX_MODEL_COMPILES = 3
"""At most this many requirements per solve are mapped into checks by a model."""


async def prepare(context: SolveContext, *, repairs: bool = True) -> Prepared:
    """The validator for `context`'s requirements (extracted when there are none).

    A given requirement that no known phrasing parses and that is not subjective is
    mapped into checks by the first model (JSON-schema constrained, one call each, at
    most `MAX_MODEL_COMPILES`, only when the budget can spare them: see
    `model_compiles_allowed`); what the model cannot map is judged."""
    prompt = context.task.prompt()
    notes: list[str] = []
    metered = _Metered(context.models[0])
    if context.requirements is None:
        reqs, groups, rubrics, notes = _extract(prompt)
        extracted = True
    else:
        allowed = model_compiles_allowed(context)
        reqs, groups, rubrics, notes = await _compile(list(context.requirements), metered, allowed)
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
    return Prepared(validator, metered.usage, metered.calls, extracted=extracted)


def model_compiles_allowed(context: SolveContext) -> int:
    """How many requirements a model may map into checks before the search starts: none
    when the caller turned it off (option ``compile_with_model``) or the budget is small
    (under 8,000 tokens or 8 calls), so the search keeps what it needs."""
    if not context.options.get("compile_with_model", True):
        return 0
    budget = context.budget
    if (budget.tokens is not None and budget.tokens < 8_000) or (
        budget.calls is not None and budget.calls < 8
    ):
        return 0
    return MAX_MODEL_COMPILES


async def _compile(
    reqs: Sequence[Requirement], model: Model, allowed: int
) -> tuple[list[Requirement], list[Specs | None], list[str], list[str]]:
    """Compile once per solve: checks for mechanical requirements (deterministic
    phrasings, then `model` for up to `allowed` unparsed, non-subjective ones), a judge
    rubric for the rest."""
    compiled = await compile_requirements(reqs, check_conflicts=False)
    for i, c in enumerate(compiled):
        if allowed <= 0:
            break
        if c.method == "judge" and not is_subjective(c.requirement.description):
            compiled[i] = await compile_with_model(c.requirement, model)
            allowed -= 1
    parts, groups, rubrics = _split(compiled)
    notes = [f"{c.label}: {c.note}" for c in compiled if c.method == "not_understood" and c.note]
    notes += [
        f"{c.label}: no known phrasing; mapped into checks by {model.id}"
        for c in compiled
        if c.method == "llm"
    ]
    return parts, groups, rubrics, notes


def _extract(
    prompt: str,
) -> tuple[list[Requirement], list[Specs | None], list[str], list[str]]:
    parts, groups, rubrics = _split(extract_requirements(prompt))
    notes = [] if parts else ["No explicit requirement was found in the task text."]
    return parts, groups, rubrics, notes


def _split(
    compiled: Sequence[CompiledRequirement],
) -> tuple[list[Requirement], list[Specs | None], list[str]]:
    """One validator requirement per way of deciding it. A mixed requirement ("a formal
    tone, under 100 words") becomes two, each with half its weight: its checks, and a
    judged part whose description is the rubric for what the checks cannot see."""
    parts: list[Requirement] = []
    groups: list[Specs | None] = []
    rubrics: list[str] = []
    for c in compiled:
        req = c.requirement
        if c.specs and c.rubric:
            half = req.weight / 2
            parts.append(replace(req, name=f"{req.label} (checks)", weight=half))
            groups.append(c.specs)
            rubrics.append(req.description)
            parts.append(
                replace(req, name=f"{req.label} (judged)", description=c.rubric, weight=half)
            )
            groups.append(None)
            rubrics.append(c.rubric)
        else:
            parts.append(req)
            groups.append(c.specs or None)
            rubrics.append(c.rubric or req.description)
    return parts, groups, rubrics


class _Metered:
    """A model wrapper that adds up the usage of the calls made through it."""

    def __init__(self, model: Model) -> None:
        self._model = model
        self.usage = Usage()
        self.calls = 0

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
        if not completion.cached:
            self.usage = self.usage + completion.usage
            self.calls += 1
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
