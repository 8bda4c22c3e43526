"""`SpecValidator`: a `Validator` over requirements already compiled to check specs
(mechanical ones) or left to a judge (the rest)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence

from cadenza.planner.validation import Judgement
from cadenza.providers.base import Model
from cadenza.requirements.checks import run_check
from cadenza.requirements.spec import CheckSpec
from cadenza.requirements.verdict import Verdict
from cadenza.task import Requirement

JudgeFn = Callable[[str, Requirement, Model], Awaitable[Judgement]]
RepairFn = Callable[[str, CheckSpec, Sequence[CheckSpec]], "str | None"]


Specs = tuple[CheckSpec, ...]


def combine(verdicts: Sequence[Verdict]) -> Verdict:
    """One verdict for a requirement that compiled to several checks: passes when all
    pass, scores as the weakest, and says what each failing check found."""
    if len(verdicts) == 1:
        return verdicts[0]
    failing = [v for v in verdicts if not v.passed]
    return Verdict(
        min(v.score for v in verdicts),
        not failing,
        "; ".join(v.reason for v in (failing or verdicts)),
        "; ".join(v.fix_hint for v in failing if v.fix_hint),
        "+".join(dict.fromkeys(v.method for v in verdicts)),
    )


class SpecValidator:
    """Validates against the checks `specs[i]` for requirement `i`; None is decided by
    `judge_fn` (an LLM judge). `repair_fn(text, failed_spec, all_specs)` proposes a
    safe deterministic repair, kept only if no check regresses and one more passes."""

    def __init__(
        self,
        requirements: Sequence[Requirement],
        specs: Sequence[CheckSpec | Specs | None],
        *,
        judge_fn: JudgeFn | None = None,
        repair_fn: RepairFn | None = None,
        prompt: str | None = None,
        conflicts: Sequence[str] = (),
        notes: Sequence[str] = (),
    ) -> None:
        if len(requirements) != len(specs):
            raise ValueError("one spec (or None) per requirement")
        self._requirements = tuple(requirements)
        self._specs: tuple[Specs | None, ...] = tuple(
            (s,) if s is not None and not isinstance(s, tuple) else s for s in specs
        )
        self._judge_fn = judge_fn
        self._repair_fn = repair_fn
        self._prompt = prompt
        self._conflicts = tuple(conflicts)
        self._notes = tuple(notes)

    @property
    def requirements(self) -> tuple[Requirement, ...]:
        return self._requirements

    @property
    def judged(self) -> tuple[int, ...]:
        return tuple(i for i, s in enumerate(self._specs) if s is None)

    @property
    def conflicts(self) -> tuple[str, ...]:
        return self._conflicts

    @property
    def notes(self) -> tuple[str, ...]:
        return self._notes

    def check(self, text: str) -> dict[int, Verdict]:
        return {
            i: combine([run_check(s, text, prompt=self._prompt) for s in group])
            for i, group in enumerate(self._specs)
            if group is not None
        }

    async def judge(self, text: str, index: int, model: Model) -> Judgement:
        if self._judge_fn is None:
            return Judgement(
                Verdict(0.5, True, "not verified: no judge available", "", "unverified")
            )
        return await self._judge_fn(text, self._requirements[index], model)

    def repair(self, text: str, verdicts: Mapping[int, Verdict]) -> str | None:
        """Repair failed mechanical requirements one at a time; keep each repair only
        when it makes that check pass and no other check regresses."""
        if self._repair_fn is None:
            return None
        specs = [s for group in self._specs if group is not None for s in group]
        current, current_verdicts = text, dict(verdicts)
        changed = False
        for i, group in enumerate(self._specs):
            if group is None or current_verdicts.get(i, Verdict(1.0, True, "")).passed:
                continue
            for spec in group:
                fixed = self._repair_fn(current, spec, specs)
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
