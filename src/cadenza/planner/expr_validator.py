"""`ExprValidator`: a `Validator` over requirements compiled to expressions of the check
language (checked in-process) or left to a judge (the rest)."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import replace

from cadenza.planner.validation import Judgement
from cadenza.providers.base import Model
from cadenza.requirements.lang.codec import to_json
from cadenza.requirements.lang.evaluate import evaluate
from cadenza.requirements.lang.nodes import Expr
from cadenza.requirements.verdict import Verdict
from cadenza.task import Requirement

JudgeFn = Callable[[str, str, Model], Awaitable[Judgement]]
"""(answer, rubric, judge model) -> the judge's verdict and what it cost."""
RepairFn = Callable[[str, Expr, Sequence[Expr]], "str | None"]


class ExprValidator:
    """Validates requirement `i` with the expression `exprs[i]`; None is decided by
    `judge_fn` (an LLM judge) against `rubrics[i]` (default: the description).
    `methods[i]` names how the expression was made (``rule``, ``compiled``, ``given``)
    for the verdicts. `repair_fn(text, failed, all)` proposes a
    safe deterministic repair, kept only if no check regresses and one more passes."""

    def __init__(
        self,
        requirements: Sequence[Requirement],
        exprs: Sequence[Expr | None],
        *,
        methods: Sequence[str] | None = None,
        rubrics: Sequence[str] | None = None,
        judge_fn: JudgeFn | None = None,
        repair_fn: RepairFn | None = None,
        prompt: str | None = None,
        conflicts: Sequence[str] = (),
        notes: Sequence[str] = (),
    ) -> None:
        if len(requirements) != len(exprs):
            raise ValueError("one expression (or None) per requirement")  # a bug
        self._requirements = tuple(requirements)
        self._exprs = tuple(exprs)
        self._methods = tuple(methods) if methods is not None else ("check",) * len(exprs)
        self._rubrics = (
            tuple(rubrics) if rubrics is not None else tuple(r.description for r in requirements)
        )
        self._judge_fn = judge_fn
        self._repair_fn = repair_fn
        self._prompt = prompt
        self._conflicts = tuple(conflicts)
        self._notes = tuple(notes)
        self._repeat_asked = any(
            e is not None and "repeats_request" in json.dumps(to_json(e)) for e in self._exprs
        )

    @property
    def repeat_asked(self) -> bool:
        """Whether a requirement asks for the request to be repeated in the answer."""
        return self._repeat_asked

    @property
    def requirements(self) -> tuple[Requirement, ...]:
        return self._requirements

    @property
    def judged(self) -> tuple[int, ...]:
        return tuple(i for i, e in enumerate(self._exprs) if e is None)

    @property
    def conflicts(self) -> tuple[str, ...]:
        return self._conflicts

    @property
    def notes(self) -> tuple[str, ...]:
        return self._notes

    def check(self, text: str) -> dict[int, Verdict]:
        out: dict[int, Verdict] = {}
        for i, expr in enumerate(self._exprs):
            if expr is not None:
                verdict = evaluate(expr, text, request=self._prompt)
                out[i] = replace(verdict, method=self._methods[i])
        return out

    async def judge(self, text: str, index: int, model: Model) -> Judgement:
        if self._judge_fn is None:
            return Judgement(
                Verdict(0.0, False, "not verified: no judge available", "", "unverified")
            )
        return await self._judge_fn(text, self._rubrics[index], model)

    def repair(self, text: str, verdicts: Mapping[int, Verdict]) -> str | None:
        """Repair failed mechanical requirements one at a time; keep each repair only
        when it makes that check pass and no other check regresses."""
        if self._repair_fn is None:
            return None
        exprs = [e for e in self._exprs if e is not None]
        current, current_verdicts = text, dict(verdicts)
        changed = False
        for i, expr in enumerate(self._exprs):
            if expr is None or current_verdicts.get(i, Verdict(1.0, True, "")).passed:
                continue
            fixed = self._repair_fn(current, expr, exprs)
            if fixed is None or fixed == current:
                continue
            new = self.check(fixed)
            if any(current_verdicts[j].passed and not new[j].passed for j in new):
                continue
            if new[i].score < current_verdicts[i].score:
                continue
            current, changed = fixed, True
            current_verdicts.update(new)
        return current if changed else None
