"""Build the validator for one solve. A requirement with a mechanical and a judged part
is validated as two and reported as one (`joined`), graded as `cadenza check` does."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from cadenza.planner.context import SolveContext
from cadenza.providers.base import Usage
from cadenza.providers.metered import Metered
from cadenza.requirements.assessment import (
    TASK_REQUIREMENT,
    ExprValidator,
    metered_judge,
    split,
    task_requirement,
)
from cadenza.requirements.compile import (
    CompiledRequirement,
    compile_requirement,
    compile_requirements,
    conflicts_of,
)
from cadenza.requirements.compiler import ModelCompiler
from cadenza.requirements.extract import read_prompt, read_prompt_with_model
from cadenza.requirements.repair import repair
from cadenza.task import Requirement


@dataclass(frozen=True, slots=True)
class Prepared:
    validator: ExprValidator
    compiled: tuple[CompiledRequirement, ...] = ()
    usage: Usage = field(default_factory=Usage)
    calls: int = 0
    extracted: bool = False
    unsorted: tuple[str, ...] = ()
    """Parts of the prompt the rules set aside and no model was asked about."""


Allowance = Callable[[Sequence[Requirement]], int]
"""How many requirements the model may compile, given them as the rules alone read them
(a compile only turns judged parts into checks, so a sample lists no more than these)."""


async def prepare(context: SolveContext, *, allowance: Allowance, repairs: bool = True) -> Prepared:
    """The validator for `context`'s requirements (or the task's); at most `allowance`
    are compiled by the first model, and what cannot become a check is judged."""
    prompt = context.task.prompt()
    metered = Metered(context.models[0])
    implicit = []
    if context.options.get("task_requirement", True):
        implicit.append(task_requirement(float(context.options.get("task_weight", 1.0))))
    given = context.requirements
    ruled = None if given is None else [compile_requirement(r) for r in given]
    compiles = allowance(split([*(ruled or ()), *implicit])[0])
    extract = compiles > 0 and bool(context.options.get("extract_with_model", True))
    compiler = ModelCompiler(metered, store=context.store, limit=compiles - int(extract))
    reading_notes: tuple[str, ...] = ()
    unsorted: tuple[str, ...] = ()
    extracted = ruled is None
    if ruled is None:
        if extract:
            reading = await read_prompt_with_model(prompt, model=metered, compiler=compiler)
        else:
            reading = read_prompt(prompt)
        compiled = list(reading.requirements)
        reading_notes, unsorted = reading.notes, reading.unsorted
    else:
        compiled = await compile_requirements(
            ruled, compiler=compiler, task=prompt, check_conflicts=False
        )
    found_none = extracted and not compiled
    compiled += implicit
    conflicts = conflicts_of(compiled)
    reqs, exprs, methods, rubrics = split(compiled)
    notes = [
        f"{c.label}: {c.method}, {c.why}"
        for c in compiled
        if c.method != "rule" and c.why and c.label != TASK_REQUIREMENT
    ]
    notes += reading_notes
    if found_none:
        notes.append("No explicit requirement was found in the task text.")
    validator = ExprValidator(
        reqs,
        exprs,
        methods=methods,
        rubrics=rubrics,
        judge_fn=metered_judge(prompt),
        repair_fn=(lambda t, e, a: repair(t, e, a, prompt)) if repairs else None,
        prompt=prompt,
        conflicts=conflicts,
        notes=notes,
    )
    return Prepared(validator, tuple(compiled), metered.usage, metered.calls, extracted, unsorted)
