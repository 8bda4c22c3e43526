"""An action becomes an engine step, with its request (from the ``plan_*.txt``
templates) and its cost estimate, which it reserves in the engine's ledger."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from cadenza.engine.context import StepContext
from cadenza.engine.graph import Step, StepFn
from cadenza.engine.outcomes import ZERO, Spend
from cadenza.engine.speculation import Speculation
from cadenza.errors import ProviderError
from cadenza.options import DEFAULT_MAX_TOKENS
from cadenza.planner.context import SolveContext
from cadenza.planner.costs import Cost, CostBook, PromptSizes, request_tokens
from cadenza.planner.state import Search
from cadenza.planner.strategy import Action, FixAction, MergeAction, SampleAction, Seed
from cadenza.prompts import render
from cadenza.providers.base import Completion, CompletionRequest, Model, ProgressCallback, Usage
from cadenza.requirements.asked import Expected, expected
from cadenza.requirements.assessment import (
    NOT_JUDGED,
    TASK_REQUIREMENT,
    Assessment,
    Judgement,
    screen,
)
from cadenza.requirements.judge import judge_request, read_reason, reason_request
from cadenza.requirements.verdict import Verdict
from cadenza.task import Requirement


@dataclass(frozen=True, slots=True)
class DriveOptions:
    """How a strategy's calls are made."""

    temperature: float = 0.9
    fix_temperature: float = 0.4
    max_tokens: int = DEFAULT_MAX_TOKENS
    list_requirements: bool = True  # append the requirements to the task in samples

    @classmethod
    def of(cls, options: Mapping[str, Any], temperature: float) -> DriveOptions:
        """The caller's ``temperature`` (default: the strategy's) and ``max_tokens``."""
        return cls(
            float(options.get("temperature", temperature)),
            max_tokens=int(options.get("max_tokens", DEFAULT_MAX_TOKENS)),
        )


@dataclass(slots=True)
class StepInfo:
    """What the runner knows of a step it made."""

    purpose: str  # sample | fix | merge | judge | verdict | seed
    model: str
    targets: tuple[str, ...] = ()
    judge_index: int = -1
    speculative: bool = False
    action: Action | None = None


def covers(predicted: object, actual: object) -> bool:
    """A fix made for the predicted failures holds when every real failure is among them."""
    assert isinstance(predicted, frozenset) and isinstance(actual, frozenset)
    return actual <= predicted


UNJUDGED = Verdict(0.0, False, "not judged yet", "make sure the answer meets it", "predicted")


def model_step(
    sid: str,
    model: Model,
    kind: str,
    request: CompletionRequest,
    costs: CostBook,
    *,
    build: Callable[[StepContext], CompletionRequest] | None = None,
    inputs: tuple[str, ...] = (),
    partial: bool = False,
    on_progress: ProgressCallback | None = None,
) -> Step:
    """One call of `model` with `request` (or what `build` makes when the step starts)."""

    async def fn(ctx: StepContext) -> Completion:
        sent = request if build is None else build(ctx)
        return await ctx.complete(model, sent, on_progress=on_progress)

    cost = costs.request(model.id, kind, request)
    return call_step(sid, fn, model.id, kind, cost, inputs=inputs, partial_inputs=partial)


def call_step(
    sid: str, fn: StepFn, model: str, kind: str, cost: Cost, *, also: Spend = ZERO, **more: Any
) -> Step:
    """A step of `kind` calling `model`, reserving `cost` (and `also`) in the ledger."""
    estimate = cost.reserve() + also
    return Step(
        sid, fn, kind=kind, resource=model, estimate=estimate, latency_s=cost.latency_s, **more
    )


class Steps:
    """The steps of one tree run; `judges` holds each candidate's judged verdicts as they
    come (the runner fills it; a fix that waited on the judges reads it)."""

    def __init__(self, context: SolveContext, search: Search, options: DriveOptions) -> None:
        self.context = context
        self.task = context.task.prompt()
        self.search = search
        self.options = options
        self.models: dict[str, Model] = {m.id: m for m in context.models}
        self.judge_model = context.models[0]
        self.info: dict[str, StepInfo] = {}
        self.judges: dict[str, dict[int, Verdict]] = {}
        self._seq = 0
        self._asked: Expected | None = None

    def _new_id(self, purpose: str) -> str:
        self._seq += 1
        return f"{purpose}-{self._seq}"

    def _request(self, prompt: str, temperature: float) -> CompletionRequest:
        """`prompt` at `temperature`, seeded with the number of the latest step."""
        return CompletionRequest.of(
            prompt, temperature=temperature, max_tokens=self.options.max_tokens, seed=self._seq
        )

    def _model_step(self, sid: str, model_id: str, kind: str, prompt: str, temp: float) -> Step:
        request = self._request(prompt, temp)
        shown = self.context.on_progress
        return model_step(
            sid, self.models[model_id], kind, request, self.search.costs, on_progress=shown
        )

    def sample(self, action: SampleAction, speculative: bool) -> Step:
        sid = self._new_id("sample")
        listed = self.options.list_requirements
        reqs = [r.description for r in self.search.requirements] if listed else []
        prompt = sample_prompt(self.task, reqs)
        self.info[sid] = StepInfo("sample", action.model, speculative=speculative, action=action)
        return self._model_step(sid, action.model, "sample", prompt, self.options.temperature)

    def seed(self, seed: Seed) -> Step:
        """An answer written before the tree started: free, validated like a sample."""
        sid = self._new_id("seed")
        completion = Completion(seed.text, "length" if seed.cut else "stop", Usage(), seed.model)

        async def fn(ctx: StepContext) -> Completion:
            return completion

        self.info[sid] = StepInfo("seed", seed.model)
        return Step(sid, fn, kind="seed")

    def fix(self, action: FixAction, speculation: Speculation | None = None) -> Step:
        """A fix whose request is built when it starts, from the verdicts known then."""
        sid = self._new_id("fix")
        inputs = () if speculation is None else (speculation.input,)
        target, model_id, assume_failed = action.target, action.model, action.assume_failed
        search = self.search
        search.fixing.add(target)
        model = self.models[model_id]

        async def fn(ctx: StepContext) -> Completion:
            cand = search.candidates[target]
            assessment = cand.assessment
            if ctx.speculative:
                assessment = assessment.with_verdicts(
                    {i: UNJUDGED for i in assume_failed if i not in assessment.verdicts}
                )
            elif inputs:
                assessment = assessment.with_verdicts(self.judges.get(target, {}))
            assessment = await self._with_reasons(ctx, cand.text, assessment)
            prompt = fix_prompt(self.task, cand.text, assessment)
            request = self._request(prompt, self.options.fix_temperature)
            return await ctx.complete(model, request, on_progress=self.context.on_progress)

        self.info[sid] = StepInfo(
            "fix", model_id, (target,), speculative=speculation is not None, action=action
        )
        # its size now, with every unjudged requirement listed as a failure, bounds it
        cand = search.candidates[target]
        widest = cand.assessment.with_verdicts(dict.fromkeys(cand.assessment.pending, UNJUDGED))
        preview = self._request(fix_prompt(self.task, cand.text, widest), 0.0)
        cost = search.costs.request(model_id, "fix", preview)
        judge = self.judge_model.id  # asking the judge for fix hints may spend this too
        asks = self._reason_requests(cand.text, widest, pending=True)
        also = sum((search.costs.request(judge, "judge", r).reserve() for _, _, r in asks), ZERO)
        return call_step(
            sid, fn, model_id, "fix", cost, also=also, inputs=inputs, speculation=speculation
        )

    def _reason_requests(
        self, text: str, assessment: Assessment, *, pending: bool = False
    ) -> Iterator[tuple[int, Verdict, CompletionRequest]]:
        """A reason request for each judge's "no" without a fix hint (`pending`: and for
        each not judged yet, which may come back one)."""
        for index in assessment.failed:
            verdict = assessment.verdicts[index]
            no_hint = verdict.method == "judged" and not verdict.fix_hint  # a judge's "no"
            if no_hint or (pending and verdict.method == UNJUDGED.method):
                rubric = self.search.requirements[index].description
                yield index, verdict, reason_request(text, rubric, task_prompt=self.task)

    async def _with_reasons(
        self, ctx: StepContext, text: str, assessment: Assessment
    ) -> Assessment:
        """`assessment` with a fix hint for each judge's "no": the yes/no judge gives
        none, so a fix asks what is wrong (a failed call leaves the verdict)."""
        hints: dict[int, Verdict] = {}
        for index, verdict, sent in self._reason_requests(text, assessment):
            try:
                completion = await ctx.complete(self.judge_model, sent)
            except ProviderError:
                continue
            hints[index] = replace(verdict, fix_hint=read_reason(completion.text))
        return assessment.with_verdicts(hints) if hints else assessment

    def merge(self, action: MergeAction) -> Step:
        sid = self._new_id("merge")
        drafts = [self.search.candidates[t] for t in action.targets]
        prompt = merge_prompt(self.task, [(c.text, c.assessment) for c in drafts])
        self.info[sid] = StepInfo("merge", action.model, action.targets, action=action)
        return self._model_step(sid, action.model, "merge", prompt, self.options.fix_temperature)

    def _screened(self, cid: str) -> dict[int, Verdict]:
        """The task requirement of `cid`, when a screen settles it without a call."""
        search = self.search
        index = search.validator.task_index
        if index is None:
            return {}
        cand = search.candidates[cid]
        kin = [search.candidates[p] for p in cand.parents if p in search.candidates]
        parents = [c.text for c in kin if not c.from_tool]  # a rewrite need not keep a tool's
        if self._asked is None:  # what the task asks for, read once per solve
            others = [r.description for r in search.requirements if r.name != TASK_REQUIREMENT]
            self._asked = expected(self.task, others)
        verdict = screen(
            cand.text,
            parents,
            self.task,
            repeat_asked=search.validator.repeat_asked,
            finish_reason=cand.finish_reason,
            from_tool=cand.from_tool,
            asked=self._asked,
        )
        return {} if verdict is None else {index: verdict}

    def judges_for(self, cid: str, source: str) -> list[Step]:
        """A judge step per judged requirement of `cid`; the rest goes straight to `judges`."""
        text = self.search.candidates[cid].text
        validator = self.search.validator
        judge = self.judge_model
        steps: list[Step] = []
        decided = self._screened(cid)
        judging = bool(self.context.options.get("judge", True))
        for index in validator.judged:
            if index in decided or not judging:
                self.judges.setdefault(cid, {})[index] = decided.get(index, NOT_JUDGED)
                continue
            sid = self._new_id("judge")

            async def fn(ctx: StepContext, index: int = index) -> Judgement:
                judging = validator.judge(text, index, judge)
                return await ctx.charged(judging, lambda j: Spend.of_usage(j.usage))

            self.info[sid] = StepInfo("judge", judge.id, (cid,), index)
            rubric = self.search.requirements[index].description
            sent = judge_request(text, rubric, task_prompt=self.task)
            cost = self.search.costs.request(judge.id, "judge", sent)
            inputs = (source,) if source in self.info else ()
            steps.append(call_step(sid, fn, judge.id, "judge", cost, inputs=inputs))
        return steps

    def predicted_fix(self, action: FixAction, judges: tuple[str, ...]) -> list[Step]:
        """A fix on predicted verdicts, started while its target's judges run: a verdict
        step gathers the real failures, and the engine cancels the fix unless `covers`."""
        assert action.predicted is not None
        cid = action.target
        vid = self._new_id("verdict")
        mechanical = frozenset(self.search.candidates[cid].assessment.failed)
        index_of = {sid: self.info[sid].judge_index for sid in judges}

        async def verdict(ctx: StepContext) -> frozenset[int]:
            res = ctx.results  # a judge that did not answer counts as a failure
            no = {s for s, v in res.items() if isinstance(v, Judgement) and not v.verdict.passed}
            return mechanical | {index_of[s] for s in judges if s in no or s not in res}

        self.info[vid] = StepInfo("verdict", "", (cid,))
        verdict_step = Step(vid, verdict, inputs=judges, kind="verdict", partial_inputs=True)
        return [verdict_step, self.fix(action, Speculation(vid, action.predicted, holds=covers))]


def prompt_sizes(
    task: str, requirements: Sequence[Requirement], judged: Sequence[int], *, listed: bool
) -> PromptSizes:
    """Input tokens of each kind of request this solve will render, drafts left empty."""

    def size(prompt: str) -> int:
        return request_tokens(CompletionRequest.of(prompt))

    pending = Verdict(0.0, False, "not met yet", "make sure the answer meets it", "")
    failing = Assessment(tuple(requirements), dict.fromkeys(range(len(requirements)), pending))
    sample = size(sample_prompt(task, [r.description for r in requirements] if listed else []))
    fix = size(fix_prompt(task, "", failing))
    merge = size(merge_prompt(task, [("", failing)] * 2))
    rubrics = [requirements[i].description for i in judged] or ["a requirement"]
    judges = [request_tokens(judge_request("", r, task_prompt=task)) for r in rubrics]
    return PromptSizes(sample, fix, merge, math.ceil(sum(judges) / len(judges)))


def sample_prompt(task: str, requirements: Sequence[str]) -> str:
    """A fresh answer; `requirements` are listed after the task when given separately."""
    listed = render("plan_requirements", items=_bullets(requirements)) if requirements else ""
    return render("plan_sample", task=task.strip(), requirements=listed).strip()


def fix_prompt(task: str, draft: str, assessment: Assessment) -> str:
    """Rewrite `draft` so that its failed requirements pass, each with what was found."""
    reqs = assessment.requirements
    failures = []
    for i in assessment.failed:
        verdict = assessment.verdicts[i]
        line = f"{reqs[i].description} (found: {verdict.reason}"
        line += f"; fix: {verdict.fix_hint})" if verdict.fix_hint else ")"
        failures.append(line)
    met = [reqs[i].description for i, v in sorted(assessment.verdicts.items()) if v.passed]
    keep = render("plan_keep", items=_bullets(met)) if met else ""
    return render(
        "plan_fix", task=task.strip(), draft=draft.strip(), failures=_bullets(failures), keep=keep
    )


def merge_prompt(task: str, drafts: Sequence[tuple[str, Assessment]]) -> str:
    """One answer combining `drafts`, each shown with what it meets and misses."""
    parts = []
    for n, (text, assessment) in enumerate(drafts, start=1):
        reqs = assessment.requirements
        passed = [i for i, v in sorted(assessment.verdicts.items()) if v.passed]
        met = ", ".join(reqs[i].label for i in passed) or "none"
        missed = ", ".join(reqs[i].label for i in assessment.failed) or "none"
        parts.append(render("plan_draft", n=n, text=text.strip(), met=met, missed=missed))
    items = [r.description for r in drafts[0][1].requirements] if drafts else []
    return render("plan_merge", task=task.strip(), drafts="".join(parts), items=_bullets(items))


def _bullets(lines: Sequence[str]) -> str:
    return "\n".join(f"- {line}" for line in lines)
