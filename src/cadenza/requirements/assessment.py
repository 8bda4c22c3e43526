"""How a text stands against the requirements of one solve.

`ExprValidator` owns the compiled requirements: mechanical ones are checked in-process
(`check`: free and instant), the others need a model (`judge`: one call per requirement,
run by the planner as engine steps so they are budgeted, parallel and cancellable);
`repair` proposes a safe deterministic repair (no model call) or None. An `Assessment`
is one candidate's verdicts on every requirement. A requirement with a checked and a
judged part is validated as two (`split`) and reported as one again (`joined`).

The implicit requirement that the answer does its task (`TASK_REQUIREMENT`) is decided
from the text where the text settles it (`screen`), and left to the judge only where it
does not. What makes an answer stop doing its task is mostly visible in the text
(`cadenza.requirements.screens`): it is empty, it loops, it was cut off at the token
limit, it is the request pasted back, it refuses, it is far too short for what the task
asks, or it is a tool's output that gives instructions. So:

- a text a screen is certain about fails, with the screen's reason and fix hint;
- one a screen only suspects (a refusal followed by more text, a last line that may be
  cut, a text mostly copied from the request) goes to the judge;
- a tool's output given as the answer is never passed by rule: it was not written for
  the task, so the judge tells whether it does it;
- a rewrite (a fix, a merge, a deterministic repair) that keeps at least `KEEP` of the
  content words of the answer it revises passes (words in any script; characters in
  scripts without spaces); one that keeps less goes to the judge;
- the model's own answer passes: it was written for the task and no screen found a
  fault in it.

A screen's pass is reported as `SCREENED`: no fault shows in the text, which is not
proof that it does the task. The answer a solve returns is then asked of the judge
(`cadenza.planner.solve.judge_final`); where no judge is asked (turned off, no budget
left) the solve finishes ``unverified``, never ``satisfied`` on the screens alone.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace

from cadenza.errors import ProviderError
from cadenza.providers.base import Model, Usage
from cadenza.providers.metered import Metered
from cadenza.requirements.asked import Expected, expected
from cadenza.requirements.compile import CompiledRequirement
from cadenza.requirements.judge import judge, unsure_pass
from cadenza.requirements.lang.codec import to_json
from cadenza.requirements.lang.evaluate import evaluate
from cadenza.requirements.lang.nodes import Expr
from cadenza.requirements.screens import screen_text
from cadenza.requirements.validate import combine
from cadenza.requirements.verdict import Verdict
from cadenza.requirements.words import content_words
from cadenza.result import RequirementReport, overall_score
from cadenza.task import Requirement

UNDECIDED = frozenset({"unverified", "judge_failed", "unjudged", "unsure"})
"""Verdict methods that mean no verdict was reached: the requirement is neither met nor
failed (`Assessment.undecided`)."""

TASK_REQUIREMENT = "does-the-task"
"""The name of the implicit requirement (`task_requirement`)."""

TASK_RUBRIC = "The answer does what the task asks."
"""Short on purpose: asked as an instruction the 1.5B judge follows, a rubric listing what
a non-answer is (a refusal, a title, the request copied back ...) made it say yes to
exactly those (``docs/results/judge-calibration/``)."""

SCREENED = "screen"
"""The method of a task verdict the screens passed (no fault found, nothing proven)."""

KEEP = 0.5
"""The least share of its parent's content words a rewrite keeps to pass unjudged."""


def task_requirement(weight: float = 1.0) -> CompiledRequirement:
    """The implicit requirement of every solve: the answer still does the task (judged),
    so an answer that meets every check by gutting itself does not win."""
    return CompiledRequirement(
        Requirement(
            description="the answer does what the task asks", name=TASK_REQUIREMENT, weight=weight
        ),
        "judged",
        rubric=TASK_RUBRIC,
        why="implicit: every answer must still do the task (option task_requirement)",
    )


def judge_failed(error: str) -> Verdict:
    """The verdict of a requirement whose judge call failed: not verified, never a pass."""
    return Verdict(0.0, False, f"not verified, the judge failed: {error}", "", "judge_failed")


NOT_JUDGED = Verdict(
    0.0,
    False,
    "not verified: the judge is turned off (option judge=false)",
    "turn the judge on to verify this requirement",
    "unjudged",
)
"""The verdict of a requirement only a judge decides, when the caller turned it off."""


@dataclass(frozen=True, slots=True)
class Judgement:
    """A judge's verdict and what the judge call cost."""

    verdict: Verdict
    usage: Usage = field(default_factory=Usage)


JudgeFn = Callable[[str, str, Model], Awaitable[Judgement]]
"""(answer, rubric, judge model) -> the judge's verdict and what it cost."""
RepairFn = Callable[[str, Expr, Sequence[Expr]], "str | None"]


def metered_judge(prompt: str) -> JudgeFn:
    """The LLM judge of `cadenza.requirements.judge`, metered so its calls can be
    charged to the budget."""

    async def run(text: str, rubric: str, model: Model) -> Judgement:
        metered = Metered(model)
        try:
            verdict = await judge(text, rubric, model=metered, task_prompt=prompt)
        except ProviderError as error:  # a reply that is no verdict was still paid for
            error.input_tokens += metered.usage.input_tokens
            error.output_tokens += metered.usage.output_tokens
            error.cost_usd += metered.usage.cost_usd
            raise
        return Judgement(replace(verdict, method="judged"), metered.usage)

    return run


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
        self.requirements = tuple(requirements)
        self._exprs = tuple(exprs)
        self._methods = tuple(methods) if methods is not None else ("check",) * len(exprs)
        self._rubrics = (
            tuple(rubrics) if rubrics is not None else tuple(r.description for r in requirements)
        )
        self._judge_fn = judge_fn
        self._repair_fn = repair_fn
        self._prompt = prompt
        self.conflicts = tuple(conflicts)
        self.notes = tuple(notes)
        # whether a requirement asks for the request to be repeated in the answer
        self.repeat_asked = any(
            e is not None and "repeats_request" in json.dumps(to_json(e)) for e in self._exprs
        )

    @property
    def judged(self) -> tuple[int, ...]:
        return tuple(i for i, e in enumerate(self._exprs) if e is None)

    @property
    def task_index(self) -> int | None:
        """The index of the implicit task requirement (judged), if there is one."""
        return next((i for i in self.judged if self.requirements[i].name == TASK_REQUIREMENT), None)

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


@dataclass(frozen=True, slots=True)
class Assessment:
    """How one text stands against every requirement. `verdicts` maps requirement
    index to verdict; a judged requirement whose verdict is still pending is absent."""

    requirements: tuple[Requirement, ...]
    verdicts: Mapping[int, Verdict]

    @property
    def complete(self) -> bool:
        return len(self.verdicts) == len(self.requirements)

    @property
    def pending(self) -> tuple[int, ...]:
        return tuple(i for i in range(len(self.requirements)) if i not in self.verdicts)

    @property
    def failed(self) -> tuple[int, ...]:
        """Indexes of the requirements known to fail (mandatory or not)."""
        return tuple(i for i, v in sorted(self.verdicts.items()) if not v.passed)

    @property
    def failed_mandatory(self) -> tuple[int, ...]:
        return tuple(i for i in self.failed if self.requirements[i].is_mandatory)

    @property
    def undecided(self) -> tuple[int, ...]:
        """Indexes of the mandatory requirements whose verdict could not be reached (no
        judge available, the judge failed): not known to fail, not known to pass."""
        return tuple(i for i in self.failed_mandatory if self.verdicts[i].method in UNDECIDED)

    @property
    def unverified(self) -> bool:
        """Whether the answer meets every mandatory requirement that could be checked,
        and some could not be: not satisfied, not failed either."""
        undecided = self.undecided
        return (
            bool(undecided)
            and set(self.failed_mandatory) == set(undecided)
            and not any(self.requirements[i].is_mandatory for i in self.pending)
        )

    @property
    def unsure(self) -> tuple[int, ...]:
        """Indexes of the mandatory requirements met without proof: by a judge's
        unconfident yes, or by the task screens alone (no fault found in the text)."""
        return tuple(
            i
            for i, v in sorted(self.verdicts.items())
            if self.requirements[i].is_mandatory
            and (unsure_pass(v) or (v.passed and v.method == SCREENED))
        )

    def meets(self, index: int) -> bool:
        """Whether requirement `index` is known to pass (a pending one is not yet)."""
        verdict = self.verdicts.get(index)
        return verdict is not None and verdict.passed

    @property
    def passed(self) -> bool:
        """Every mandatory requirement known to pass."""
        return all(self.meets(i) for i, r in enumerate(self.requirements) if r.is_mandatory)

    @property
    def satisfied(self) -> bool:
        """Every requirement, optional ones included, passes."""
        return self.complete and not self.failed

    @property
    def score(self) -> float:
        """The overall score (0 when a mandatory requirement fails); pending verdicts
        count as 0.5 so a partial assessment ranks between a pass and a fail."""
        return overall_score(self.reports(pending_score=0.5))

    @property
    def soft_score(self) -> float:
        """The weighted mean verdict score, ignoring the mandatory rule: ranks
        candidates that all fail by how near they are."""
        reqs = self.requirements
        if not reqs:
            return 1.0
        total = sum(r.weight for r in reqs)
        got = sum(  # a pending verdict counts 0.5
            r.weight * (self.verdicts[i].score if i in self.verdicts else 0.5)
            for i, r in enumerate(reqs)
        )
        return got / total

    @property
    def rank_key(self) -> tuple[float, float, float, float]:
        """Sort key, larger is better: passes first; then an answer not known to fail its
        task (a song missing its highlight beats a highlighted title alone, however
        many checks the title meets); then score, then nearness."""
        passed_mandatory = sum(
            self.meets(i) for i, r in enumerate(self.requirements) if r.is_mandatory
        )
        fails_task = any(
            r.name == TASK_REQUIREMENT
            and (v := self.verdicts.get(i)) is not None
            and not v.passed
            and v.method not in UNDECIDED
            for i, r in enumerate(self.requirements)
        )
        return (
            float(self.passed),
            float(not fails_task),
            self.score + self.soft_score,
            float(passed_mandatory),
        )

    def with_verdicts(self, more: Mapping[int, Verdict]) -> Assessment:
        return Assessment(self.requirements, {**self.verdicts, **more})

    def reports(self, pending_score: float = 0.0) -> tuple[RequirementReport, ...]:
        pending = Verdict(
            pending_score,
            False,
            "not judged: the judge is asked once the checks pass, and the run stopped first",
            "",
            "pending",
        )
        reqs = self.requirements
        return tuple(report_of(r, self.verdicts.get(i, pending)) for i, r in enumerate(reqs))


def report_of(requirement: Requirement, verdict: Verdict) -> RequirementReport:
    """How an answer stands against `requirement`, given its `verdict`, as a result
    reports it."""
    return RequirementReport(
        name=requirement.label,
        description=requirement.description,
        passed=verdict.passed,
        score=verdict.score,
        reason=verdict.reason,
        is_mandatory=requirement.is_mandatory,
        fix_hint=verdict.fix_hint,
        method=verdict.method,
        weight=requirement.weight,
    )


def kept_share(parent: str, text: str) -> float:
    """The share of `parent`'s content words that `text` still has (1.0: nothing lost)."""
    before = content_words(parent)
    return 1.0 if not before else len(before & content_words(text)) / len(before)


def screen(
    text: str,
    parents: Sequence[str],
    request: str,
    *,
    repeat_asked: bool = False,
    finish_reason: str = "",
    from_tool: bool = False,
    asked: Expected | None = None,
) -> Verdict | None:
    """The task requirement's verdict for `text` (a rewrite of `parents`, or the model's
    own answer when there are none), or None when only a judge can tell.
    `finish_reason` is the provider's for the call that wrote it (``length``: cut at the
    token limit); `from_tool`: the text is a tool's output; `asked`: what the task asks
    for (read from `request` when not given)."""
    finding = screen_text(
        text,
        request,
        asked if asked is not None else expected(request),
        finish_reason=finish_reason,
        from_tool=from_tool,
        restates_request=repeat_asked,
    )
    if finding is not None:
        if not finding.certain:
            return None
        return Verdict(0.0, False, finding.reason, finding.hint, "rule")
    if from_tool:
        return None
    if parents:
        kept = max(kept_share(p, text) for p in parents)
        if kept < KEEP:
            return None
        reason = f"a revision that keeps {kept:.0%} of the content of the answer it revises"
        return Verdict(1.0, True, reason, "", SCREENED)
    reason = (
        "the model's own answer to the task: not empty, no loop, not cut off, not the "
        "request, not a refusal, not too short for what was asked"
    )
    return Verdict(1.0, True, reason, "", SCREENED)


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
