"""Build the validator (`ExprValidator`) for one solve from the requirements work.

Given requirements are compiled once per solve (rules, then the model compiler with
its cache, then the judge); with none, they are extracted from the task text.
Mechanical requirements become expressions checked in-process; the others are left to
a judge; a requirement with both parts is validated as two (its expression, and the
judged rest), and reported as one again (`joined`), graded as `cadenza check` grades it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

from cadenza.planner.context import SolveContext
from cadenza.providers.base import Usage
from cadenza.providers.metered import Metered
from cadenza.requirements.assessment import (
    TASK_REQUIREMENT,
    ExprValidator,
    metered_judge,
    report_of,
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
from cadenza.requirements.lang.nodes import Expr
from cadenza.requirements.repair import repair
from cadenza.requirements.validate import combine
from cadenza.requirements.verdict import Verdict
from cadenza.result import RequirementReport
from cadenza.task import Requirement


@dataclass(frozen=True, slots=True)
class Prepared:
    validator: ExprValidator
    compiled: tuple[CompiledRequirement, ...] = ()
    usage: Usage = field(default_factory=Usage)
    calls: int = 0
    extracted: bool = False


Allowance = Callable[[Sequence[Requirement]], int]
"""How many requirements the model may compile, given the validator's requirements as
the rules alone read them (`cadenza.planner.costs.model_compiles`: what the budget can
spare). A model compile only turns a judged requirement, or the judged rest of one,
into a check, so a sample lists no more requirements than these."""


async def prepare(context: SolveContext, *, allowance: Allowance, repairs: bool = True) -> Prepared:
    """The validator for `context`'s requirements (extracted when there are none).

    A given requirement that no rule reads and that names nothing only a judge can
    assess is compiled by the first model (a restatement in the controlled language
    the grammar reads, one or two grammar-constrained calls, verified by literal
    accounting and a round trip, cached in the store), at most as many as
    `allowance` grants; what the compiler cannot turn into a check is judged."""
    prompt = context.task.prompt()
    metered = Metered(context.models[0])
    implicit = []
    if context.options.get("task_requirement", True):
        implicit.append(task_requirement(float(context.options.get("task_weight", 1.0))))
    ruled = None
    if context.requirements is not None:
        ruled = [compile_requirement(r) for r in context.requirements]
    compiles = allowance(split([*(ruled or ()), *implicit])[0])
    extract = compiles > 0 and bool(context.options.get("extract_with_model", True))
    compiler = ModelCompiler(metered, store=context.store, limit=compiles - int(extract))
    reading_notes: tuple[str, ...] = ()
    extracted = ruled is None
    if ruled is None:
        if extract:
            reading = await read_prompt_with_model(prompt, model=metered, compiler=compiler)
        else:
            reading = read_prompt(prompt)
        compiled = list(reading.requirements)
        reading_notes = reading.notes
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
    return Prepared(validator, tuple(compiled), metered.usage, metered.calls, extracted=extracted)


def split(
    compiled: Sequence[CompiledRequirement],
) -> tuple[list[Requirement], list[Expr | None], list[str], list[str]]:
    """One validator requirement per way of deciding it. A mixed requirement ("a formal
    tone, under 100 words") becomes two, each with half its weight: its expression, and
    a judged part whose description is the rubric for what the checks cannot see."""
    rows: list[tuple[Requirement, Expr | None, str, str]] = []
    for c in compiled:
        req = c.requirement
        if c.expr is not None and c.rubric:
            half = req.weight / 2
            checks = replace(req, name=f"{req.label} (checks)", weight=half)
            judged = replace(req, name=f"{req.label} (judged)", description=c.rubric, weight=half)
            rows += [
                (checks, c.expr, c.method, req.description),
                (judged, None, "judged", c.rubric),
            ]
        else:
            rows.append((req, c.expr, c.method, c.rubric or req.description))
    return [r[0] for r in rows], [r[1] for r in rows], [r[2] for r in rows], [r[3] for r in rows]


def joined(
    reports: Sequence[RequirementReport], compiled: Sequence[CompiledRequirement]
) -> tuple[RequirementReport, ...]:
    """The reports of `split`'s parts joined back into one per requirement, graded as
    `cadenza check` grades it (`cadenza.requirements.validate.combine`): a mixed
    requirement passes when its checks and its judged part both pass, and scores the
    lower of the two. `reports` not made from `compiled`'s parts are returned as they are."""
    widths = [2 if c.expr is not None and c.rubric else 1 for c in compiled]
    if sum(widths) != len(reports):
        return tuple(reports)
    out: list[RequirementReport] = []
    at = 0
    for c, width in zip(compiled, widths, strict=True):
        parts = reports[at : at + width]
        at += width
        if width == 1:
            out.append(parts[0])
            continue
        both = combine([Verdict(r.score, r.passed, r.reason, r.fix_hint, r.method) for r in parts])
        out.append(report_of(c.requirement, both))
    return tuple(out)
