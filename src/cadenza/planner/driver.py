"""Run a strategy's plan on the engine.

The driver turns the planner's actions (sample, fix, merge) into engine steps, and
reacts to the engine's events: a finished call becomes a candidate (checked, repaired
for free when safe, then judged by judge steps when the policy says so), and every
choice goes to the strategy's policy (`cadenza.planner.plan_steps.Policy`): whether a
candidate ends the run, what replaces a failed model's call, what to start early
(speculation) and, when a round has settled, what to do next or to stop. The driver
makes none of them, and never stops the search itself. Its event handler runs in the
engine's state-owning coroutine, so planner state has one owner. A speculative step
that turned out not to be wanted is cancelled: the engine counts hits, misses and the
spend they wasted.
"""

from __future__ import annotations

import math
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import assert_never

import anyio

from cadenza.engine.context import StepContext
from cadenza.engine.estimates import Estimates
from cadenza.engine.events import Event, StepFinished, StepStarted
from cadenza.engine.graph import Step, StepFn
from cadenza.engine.outcomes import ZERO, Spend
from cadenza.engine.report import RunReport
from cadenza.engine.scheduler import Limits
from cadenza.engine.speculation import Speculation
from cadenza.errors import ProviderError
from cadenza.planner.candidates import Origin
from cadenza.planner.context import SolveContext
from cadenza.planner.costs import planning_slots, request_tokens
from cadenza.planner.events import CallStarted
from cadenza.planner.plan_steps import (
    UNJUDGED,
    DriveOptions,
    Policy,
    StepInfo,
    Tally,
    covers,
    drop_samples,
)
from cadenza.planner.policy import Cost, Remaining
from cadenza.planner.prompting import fix_request, merge_request, sample_request
from cadenza.planner.runner import Runner, model_call
from cadenza.planner.search import Action, FixAction, MergeAction, SampleAction, Search
from cadenza.planner.task_screen import TASK_REQUIREMENT, screen
from cadenza.planner.validation import Assessment, Judgement
from cadenza.providers.base import Completion, CompletionRequest, Model, Usage
from cadenza.requirements.asked import Expected, expected
from cadenza.requirements.judge import judge_request, read_reason, reason_request
from cadenza.requirements.verdict import Verdict


@dataclass(frozen=True, slots=True)
class Seed:
    """An answer to start the tree from, written by `model` before the tree ran;
    `from_tool`: it is one tool's output as it came; `cut`: it was capped."""

    text: str
    model: str
    from_tool: bool = False
    cut: bool = False


class Driver:
    def __init__(
        self,
        context: SolveContext,
        search: Search,
        policy: Policy,
        options: DriveOptions,
        *,
        estimates: Estimates | None = None,
        on_engine_event: Callable[[Event], None] | None = None,
        run_id: str | None = None,
        seed: Seed | None = None,
    ) -> None:
        self.run_id = run_id
        self.seed = seed
        self.context = context
        self.search = search
        self.policy = policy
        self.options = options
        self.models: dict[str, Model] = {m.id: m for m in context.models}
        self.judge_model = context.models[0]
        self.estimates = estimates if estimates is not None else Estimates()
        judges = [] if self.judge_model in context.models else [self.judge_model]
        self.runner = Runner(
            self,
            budget=context.budget,
            limits=Limits.for_models([*context.models, *judges]),
            estimates=self.estimates,
            on_engine_event=on_engine_event,
            run_id=run_id,
        )
        self._steps: dict[str, StepInfo] = {}
        self._seq = 0
        self._outstanding: set[str] = set()  # this round's steps not yet settled
        self._next_round: set[str] = set()  # steps sampled early for the next round
        self._backlog: deque[Action] = deque()
        self._judges: dict[str, dict[int, Verdict]] = {}
        self._spec_fixes: dict[str, str] = {}  # candidate id -> speculative fix step id
        self._started = 0.0
        self._budget_hit = False
        self._closed = False
        self._asked: Expected | None = None

    @property
    def tally(self) -> Tally:
        return self.runner.tally

    # ------------------------------------------------------------------ running

    @property
    def slots(self) -> int:
        model = self.search.current_model()
        return planning_slots(self.models[model]) if model else 1

    def remaining(self) -> Remaining:
        budget = self.context.budget
        spent = self.runner.spent
        elapsed = time.monotonic() - self._started
        return Remaining(
            calls=None if budget.calls is None else budget.calls - spent.calls,
            tokens=None if budget.tokens is None else budget.tokens - spent.tokens,
            dollars=None if budget.dollars is None else budget.dollars - spent.dollars,
            seconds=None if budget.seconds is None else budget.seconds - elapsed,
        )

    async def run(self) -> None:
        self._started = time.monotonic()
        actions = self.policy.first(self.search, self.remaining(), self.slots)
        steps = self._expand(actions)
        if self.seed is not None:
            steps.insert(0, self._seed_step(self.seed))
        await self.runner.run(steps)

    # ------------------------------------------------------------------ steps

    def _new_id(self, purpose: str) -> str:
        self._seq += 1
        return f"{purpose}-{self._seq}"

    def _expand(
        self, actions: list[Action], *, early: bool = False, judges: tuple[str, ...] = ()
    ) -> list[Step]:
        """Steps for `actions`; on a one-slot model, samples beyond the free slot wait
        in a backlog so an early pass costs nothing more. A fix on predicted verdicts
        waits on the target's judge steps `judges`."""
        steps: list[Step] = []
        for action in actions:
            match action:
                case SampleAction():
                    cap = max(1, self.models[action.model].max_concurrency)
                    for n in range(action.count):
                        if n < cap or early:
                            steps.append(self._sample_step(action.model, early))
                        else:
                            self._backlog.append(SampleAction(action.model))
                case FixAction() if action.predicted is not None:
                    steps += self._predicted_fix(action, judges)
                case FixAction():
                    steps.append(self._fix_step(action))
                case MergeAction():
                    steps.append(self._merge_step(action))
                case _:
                    assert_never(action)
        target = self._next_round if early else self._outstanding
        target.update(s.id for s in steps)
        return steps

    def _call(self, model_id: str, request: CompletionRequest) -> StepFn:
        return model_call(self.models[model_id], lambda ctx: request, self.context.on_progress)

    @staticmethod
    def _estimate(cost: Cost) -> Spend:
        """What the ledger reserves for a step: the call's whole expected cost."""
        return Spend.estimate(
            dollars=cost.dollars, tokens=math.ceil(cost.tokens), calls=max(1, cost.calls)
        )

    def _sample_step(self, model_id: str, speculative: bool) -> Step:
        sid = self._new_id("sample")
        task = self.context.task.prompt()
        reqs = (
            [r.description for r in self.search.requirements]
            if self.options.list_requirements
            else []
        )
        seed = self._seq
        request = sample_request(
            task,
            reqs,
            temperature=self.options.temperature,
            max_tokens=self.options.max_tokens,
            seed=seed,
        )
        self._steps[sid] = StepInfo(
            "sample",
            model_id,
            self.search.round,
            speculative=speculative,
            action=SampleAction(model_id),
        )
        cost = self.search.costs.call(model_id, "sample", request_tokens(request))
        return Step(
            sid,
            self._call(model_id, request),
            kind="sample",
            resource=model_id,
            estimate=self._estimate(cost),
            latency_s=cost.latency_s,
        )

    def _seed_step(self, seed: Seed) -> Step:
        """A candidate written before the tree started (plan-and-execute's joined
        answer): it costs nothing here and is validated like a sample."""
        sid = self._new_id("seed")
        completion = Completion(seed.text, "length" if seed.cut else "stop", Usage(), seed.model)

        async def fn(ctx: StepContext) -> Completion:
            return completion

        self._steps[sid] = StepInfo("seed", seed.model, self.search.round)
        self._outstanding.add(sid)
        return Step(sid, fn, kind="seed")

    def _fix_step(
        self,
        action: FixAction,
        *,
        inputs: tuple[str, ...] = (),
        speculation: Speculation | None = None,
    ) -> Step:
        sid = self._new_id("fix")
        target, model_id, assume_failed = action.target, action.model, action.assume_failed
        search = self.search
        search.fixing.add(target)
        task = self.context.task.prompt()

        model = self.models[model_id]

        async def fn(ctx: StepContext) -> Completion:
            cand = search.candidates[target]
            assessment = cand.assessment
            if ctx.speculative:
                assessment = assessment.with_verdicts(
                    {i: UNJUDGED for i in assume_failed if i not in assessment.verdicts}
                )
            elif inputs:
                assessment = assessment.with_verdicts(self._judges.get(target, {}))
            assessment = await self._with_reasons(ctx, cand.text, assessment)
            request = fix_request(
                task,
                cand.text,
                assessment,
                temperature=self.options.fix_temperature,
                max_tokens=self.options.max_tokens,
                seed=self._seq,
            )
            return await ctx.complete(model, request, on_progress=self.context.on_progress)

        self._steps[sid] = StepInfo(
            "fix",
            model_id,
            search.round,
            (target,),
            speculative=speculation is not None,
            action=FixAction(target, model_id),
        )
        # the request is built when the step starts (with the verdicts known then): its
        # size now, with every unjudged requirement listed as a failure, bounds it
        cand = search.candidates[target]
        widest = cand.assessment.with_verdicts(dict.fromkeys(cand.assessment.pending, UNJUDGED))
        preview = fix_request(
            task, cand.text, widest, temperature=0.0, max_tokens=self.options.max_tokens
        )
        cost = search.costs.call(model_id, "fix", request_tokens(preview))
        return Step(
            sid,
            fn,
            inputs=inputs,
            kind="fix",
            resource=model_id,
            estimate=self._estimate(cost) + self._reasons_estimate(cand.text, widest),
            latency_s=cost.latency_s,
            speculation=speculation,
        )

    def _reasons_estimate(self, text: str, assessment: Assessment) -> Spend:
        """What `_with_reasons` may spend inside a fix step (one call per judged
        requirement that failed, or may yet, without a hint), so the ledger reserves it
        with the fix."""
        spend = ZERO
        task = self.context.task.prompt()
        for index in assessment.failed:
            verdict = assessment.verdicts[index]
            # a pending verdict may come back a judge's "no" that needs a reason
            if not (verdict.method == UNJUDGED.method or _needs_reason(verdict)):
                continue
            rubric = self.search.requirements[index].description
            sent = reason_request(text, rubric, task_prompt=task)
            cost = self.search.costs.call(self.judge_model.id, "judge", request_tokens(sent))
            spend = spend + self._estimate(cost)
        return spend

    async def _with_reasons(
        self, ctx: StepContext, text: str, assessment: Assessment
    ) -> Assessment:
        """`assessment` with a fix hint for each requirement the judge said no to: the
        yes/no judge gives none, so what is wrong is asked now, once per requirement, when
        a fix needs it (`cadenza.requirements.judge.reason_request`). A failed call
        leaves the verdict as it was."""
        hints: dict[int, Verdict] = {}
        for index in assessment.failed:
            verdict = assessment.verdicts[index]
            if not _needs_reason(verdict):
                continue
            rubric = self.search.requirements[index].description
            sent = reason_request(text, rubric, task_prompt=self.context.task.prompt())
            try:
                completion = await ctx.complete(self.judge_model, sent)
            except ProviderError:
                continue
            hints[index] = replace(verdict, fix_hint=read_reason(completion.text))
        return assessment.with_verdicts(hints) if hints else assessment

    def _merge_step(self, action: MergeAction) -> Step:
        sid = self._new_id("merge")
        targets, model_id = action.targets, action.model
        drafts = [
            (self.search.candidates[t].text, self.search.candidates[t].assessment) for t in targets
        ]
        request = merge_request(
            self.context.task.prompt(),
            drafts,
            temperature=self.options.fix_temperature,
            max_tokens=self.options.max_tokens,
            seed=self._seq,
        )
        self._steps[sid] = StepInfo("merge", model_id, self.search.round, targets, action=action)
        cost = self.search.costs.call(model_id, "merge", request_tokens(request))
        return Step(
            sid,
            self._call(model_id, request),
            kind="merge",
            resource=model_id,
            estimate=self._estimate(cost),
            latency_s=cost.latency_s,
        )

    def _screened(self, cid: str) -> dict[int, Verdict]:
        """The judged requirements of `cid` settled without a call: the implicit task
        requirement, where the text settles it (`cadenza.planner.task_screen`)."""
        search = self.search
        cand = search.candidates[cid]
        for index in search.validator.judged:
            if search.requirements[index].name != TASK_REQUIREMENT:
                continue
            parents = [  # a tool's output is no content a rewrite of it must keep
                search.candidates[p].text
                for p in cand.parents
                if p in search.candidates and not search.candidates[p].from_tool
            ]
            if self._asked is None:  # what the task asks for, read once per solve
                others = [r.description for r in search.requirements if r.name != TASK_REQUIREMENT]
                self._asked = expected(self.context.task.prompt(), others)
            verdict = screen(
                cand.text,
                parents,
                self.context.task.prompt(),
                repeat_asked=search.validator.repeat_asked,
                finish_reason=cand.finish_reason,
                from_tool=cand.from_tool,
                asked=self._asked,
            )
            return {} if verdict is None else {index: verdict}
        return {}

    def _judge_steps_for(self, cid: str, source: str) -> list[Step]:
        text = self.search.candidates[cid].text
        validator = self.search.validator
        judge = self.judge_model
        steps: list[Step] = []
        decided = self._screened(cid)
        judging = bool(self.context.options.get("judge", True))
        for index in validator.judged:
            if index in decided or not judging:
                self._judges.setdefault(cid, {})[index] = decided.get(index, NOT_JUDGED)
                continue
            sid = self._new_id("judge")

            async def fn(ctx: StepContext, index: int = index) -> Judgement:
                try:
                    judgement = await validator.judge(text, index, judge)
                except ProviderError as error:  # charged as `StepContext.complete` does
                    ctx.charge(Spend(error.cost_usd, error.input_tokens, error.output_tokens, 1))
                    raise
                except (Exception, anyio.get_cancelled_exc_class()):
                    ctx.charge(Spend(calls=1))
                    raise
                ctx.charge(Spend.of_usage(judgement.usage))
                return judgement

            self._steps[sid] = StepInfo("judge", judge.id, self.search.round, (cid,), index)
            rubric = self.search.requirements[index].description
            sent = judge_request(text, rubric, task_prompt=self.context.task.prompt())
            cost = self.search.costs.call(judge.id, "judge", request_tokens(sent))
            steps.append(
                Step(
                    sid,
                    fn,
                    inputs=(source,) if source in self._steps else (),
                    kind="judge",
                    resource=judge.id,
                    estimate=self._estimate(cost),
                    latency_s=cost.latency_s,
                )
            )
        return steps

    # ------------------------------------------------------------------ events

    def started(self, event: StepStarted) -> None:
        info = self._steps.get(event.step_id)
        if info is not None and info.purpose not in ("verdict", "seed"):
            self.search.announce(
                CallStarted(info.purpose, info.model, ",".join(info.targets), event.speculative)
            )

    def finished(self, event: StepFinished) -> list[Step]:
        """A step ended: what it produced enters the search, and the steps that follow
        (judges, a fallback, speculation, the next round) are returned to the runner."""
        sid = event.step_id
        info = self._steps.get(sid)
        if info is None:
            return []
        self._outstanding.discard(sid)
        promoted = sid in self._next_round
        self._next_round.discard(sid)
        new: list[Step] = []
        outcome = event.outcome
        if outcome == "ok":
            new += self._on_ok(sid, info, event.value)
        elif outcome == "failed":
            new += self._on_failed(info, event.record.error or "failed", event.record.reason)
        elif event.record.reason == "budget":
            self._budget_hit = True
        elif event.record.reason == "deadline" and not self._closed:
            self._closed = True
            self.policy.ran_out(self.search, seconds=True)
        if promoted and outcome == "ok":
            self.search.record("speculation_hit", f"early sample {sid} finished")
        # new steps keep the round open, so a next round starts only when there are none
        new += self._next_round_steps()
        return new if self.search.finish is None else []

    def _on_ok(self, sid: str, info: StepInfo, value: object) -> list[Step]:
        search = self.search
        if info.purpose in ("sample", "fix", "merge", "seed"):
            assert isinstance(value, Completion)
            if info.purpose == "seed":
                pass  # paid for before the tree started
            elif value.cached:
                self.tally.served += 1
            else:
                search.costs.observe(
                    info.model,
                    info.purpose,
                    output_tokens=value.usage.output_tokens,
                    latency_s=value.usage.latency_s,
                )
            if info.purpose == "fix" and info.targets:
                search.set_status(info.targets[0], "fixed", f"fixed by {sid}")
            origin: Origin = "sample"
            if info.purpose in ("fix", "merge"):
                origin = "fix" if info.purpose == "fix" else "merge"
            elif info.purpose == "seed":
                origin = "plan"
            cand = search.admit(
                value.text,
                origin,
                info.model,
                parents=info.targets,
                usage=value.usage,
                speculative=info.speculative,
                step_id=sid,
                finish_reason=value.finish_reason,
                from_tool=info.purpose == "seed" and self.seed is not None and self.seed.from_tool,
            )
            if search.validator.judged and self.policy.judge(search, cand.id, self.slots):
                steps = self._judge_steps_for(cand.id, sid)
                if steps:
                    self._outstanding.update(s.id for s in steps)
                    early = self.policy.fix_while_judged(search, cand.id, self.slots)
                    steps += self._expand(early, judges=tuple(s.id for s in steps))
                    return steps
                search.judged(cand.id, self._judges[cand.id])  # settled without a call
            search.settled(cand.id)
            return self._after_settled(cand.id)
        if info.purpose == "judge":
            assert isinstance(value, Judgement)
            cid = info.targets[0]
            if value.usage.output_tokens:
                search.costs.observe(
                    info.model,
                    "judge",
                    output_tokens=value.usage.output_tokens,
                    latency_s=value.usage.latency_s,
                )
            self._judges.setdefault(cid, {})[info.judge_index] = value.verdict
            done = self._judges[cid]
            if len(done) == len(search.validator.judged):
                search.judged(cid, done)
                search.settled(cid)
                return self._after_settled(cid)
        return []

    def _on_failed(self, info: StepInfo, error: str, reason: str) -> list[Step]:
        if reason == "budget":
            self._budget_hit = True
            return []
        search = self.search
        if info.purpose == "judge":
            cid = info.targets[0]
            self._judges.setdefault(cid, {})[info.judge_index] = Verdict(
                0.0, False, f"not verified, the judge failed: {error}", "", "judge_failed"
            )
            if len(self._judges[cid]) == len(search.validator.judged):
                search.judged(cid, self._judges[cid])
                search.settled(cid)
            return []
        search.model_failed(info.model, error)
        if info.action is None:
            return []
        return self._expand(self.policy.fallback(search, info.action))

    def _after_settled(self, cid: str) -> list[Step]:
        """A candidate is fully assessed: the policy says whether the run ends, or
        (while the round runs) what to start now."""
        if self.policy.settled(self.search, cid):
            self._finish_run()
            return []
        if not self._outstanding:
            return []
        return self._expand(self.policy.fix_now(self.search, cid, self.slots))

    def _predicted_fix(self, action: FixAction, judges: tuple[str, ...]) -> list[Step]:
        """A fix that starts while the judges of its target run, on the verdicts the
        policy predicted (`FixAction.predicted`): a verdict step gathers the judges'
        real failures, and the engine keeps the fix when they are among the predicted
        ones, else cancels it (`covers`)."""
        assert action.predicted is not None
        cid = action.target
        vid = self._new_id("verdict")
        mechanical = frozenset(self.search.candidates[cid].assessment.failed)
        index_of = {sid: self._steps[sid].judge_index for sid in judges}

        async def verdict(ctx: StepContext) -> frozenset[int]:
            failed = set(mechanical)
            for sid, value in ctx.results.items():
                if isinstance(value, Judgement) and not value.verdict.passed:
                    failed.add(index_of[sid])
            for sid in judges:
                if sid not in ctx.results:
                    failed.add(index_of[sid])
            return frozenset(failed)

        self._steps[vid] = StepInfo("verdict", "", self.search.round, (cid,))
        verdict_step = Step(vid, verdict, inputs=judges, kind="verdict", partial_inputs=True)
        fix = self._fix_step(
            action, inputs=(vid,), speculation=Speculation(vid, action.predicted, holds=covers)
        )
        self._spec_fixes[cid] = fix.id
        return [verdict_step, fix]

    # ------------------------------------------------------------------ rounds

    def _next_round_steps(self) -> list[Step]:
        """When the round has settled: the next sample waiting in the backlog, or the
        steps of the policy's next round (none: the run ends)."""
        search = self.search
        if search.finish is not None or self._outstanding or self._closed:
            return []
        if self._backlog:
            action = self._backlog.popleft()
            return self._expand([action])
        if self._budget_hit:
            self.policy.ran_out(search, seconds=False)
            self._finish_run()
            return []
        search.next_round()
        actions = self.policy.after_round(search, self.remaining(), self.slots)
        if not actions:
            self._finish_run()  # early samples still running were a miss: cancelled
            return []
        carried = len(self._next_round)
        if carried:  # early samples of this round are hits: they replace new samples
            actions = drop_samples(actions, carried)
            search.record("speculation_hit", f"{carried} early sample(s) join round {search.round}")
        self._outstanding.update(self._next_round)
        self._next_round.clear()
        self._cancel_losers()
        steps = self._expand(actions)
        early = self.policy.sample_early(search, self.remaining(), self.slots, actions)
        steps += self._expand(early, early=True)
        return steps

    def _cancel_losers(self) -> None:
        """Speculative fixes of candidates that were ditched are misses: cancel them."""
        for cid, sid in list(self._spec_fixes.items()):
            if self.search.candidates[cid].status == "ditched" and sid in self._outstanding:
                self.runner.cancel(sid)

    def _finish_run(self) -> None:
        self.runner.stop()

    def report(self) -> RunReport | None:
        """The engine's report of the run (None before it started)."""
        return self.runner.report()


def _needs_reason(verdict: Verdict) -> bool:
    """A judge's "no" that came without a fix hint (the yes/no judge gives none)."""
    return verdict.method == "judged" and not verdict.fix_hint


NOT_JUDGED = Verdict(
    0.0,
    False,
    "not verified: the judge is turned off (option judge=false)",
    "turn the judge on to verify this requirement",
    "unjudged",
)
"""The verdict of a requirement only a judge decides, when the caller turned it off."""
