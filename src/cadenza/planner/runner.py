"""The planner's one event handler: a `Runner` owns one engine run and hands each step to
its `Handler` (`Rounds`, or the tool plan's phase) in the engine's coroutine, so planner
state has one owner."""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable
from dataclasses import KW_ONLY, dataclass, field, replace
from typing import Protocol

from cadenza.engine.estimates import Estimates
from cadenza.engine.events import Event, StepFinished, StepStarted
from cadenza.engine.graph import Plan, Step
from cadenza.engine.outcomes import Spend
from cadenza.engine.report import RunReport
from cadenza.engine.scheduler import Limits, Run
from cadenza.errors import ProviderError
from cadenza.planner.costs import CostBook, Remaining, planning_slots
from cadenza.planner.events import CallStarted
from cadenza.planner.state import Origin
from cadenza.planner.steps import StepInfo, Steps
from cadenza.planner.strategy import Action, MergeAction, Policy, SampleAction, Seed
from cadenza.providers.base import Completion, Usage
from cadenza.requirements.assessment import Judgement, judge_failed
from cadenza.requirements.verdict import Verdict
from cadenza.task import Budget


@dataclass(slots=True)
class Tally:
    """What the model calls of a run spent, for its result."""

    usage: Usage = field(default_factory=Usage)
    calls: int = 0
    served: int = 0  # answers served from the response cache: no call, no cost
    tools: int = 0  # tool calls (every attempt), a tool plan's

    def add(self, event: StepFinished) -> None:
        """What a model step spent by the ledger: retries and lost bets count too."""
        spent = event.record.spend
        usage = getattr(event.value, "usage", None)
        latency = usage.latency_s if isinstance(usage, Usage) else 0.0
        self.usage += Usage(spent.input_tokens, spent.output_tokens, spent.dollars, latency)
        self.calls += spent.calls


_ORIGINS: dict[str, Origin] = {"sample": "sample", "fix": "fix", "merge": "merge", "seed": "plan"}
CALLS = frozenset({"sample", "fix", "merge", "judge", "plan", "join", "subtask"})  # model calls


@dataclass(frozen=True, slots=True)
class Wiring:
    """A run's engine `estimates` (a solve's), its event listeners and its record's id."""

    estimates: Estimates
    listeners: tuple[Callable[[Event], None], ...] = ()
    run_id: str | None = None


class Handler(Protocol):
    """What a runner tells the planner it runs; `finished` returns the steps that follow."""

    def started(self, event: StepStarted) -> None: ...

    def finished(self, event: StepFinished) -> list[Step]: ...


@dataclass(eq=False)
class Runner:
    """One engine run for `handler`; each model call's usage goes to `costs`, for the
    next estimate. `data_errors`: what a step fails with as data."""

    handler: Handler
    _: KW_ONLY
    budget: Budget
    limits: Limits
    wiring: Wiring
    costs: CostBook
    data_errors: tuple[type[BaseException], ...] = (ProviderError,)
    tally: Tally = field(default_factory=Tally, init=False)
    _run: Run | None = field(default=None, init=False)

    @property
    def spent(self) -> Spend:
        return self._run.spent if self._run is not None else Spend()

    async def run(self, steps: list[Step]) -> RunReport:
        self._run = Run(
            Plan.of(steps),
            budget=self.budget,
            limits=self.limits,
            estimates=self.wiring.estimates,
            on_event=self._on_event,
            data_errors=self.data_errors,
            run_id=self.wiring.run_id,
        )
        return await self._run.run()

    def _on_event(self, event: Event) -> None:
        for listener in self.wiring.listeners:
            listener(event)
        if isinstance(event, StepStarted):
            self.handler.started(event)
        elif isinstance(event, StepFinished):
            if event.record.kind in CALLS:
                self.tally.add(event)
                self._observe(event)
            elif event.record.kind == "tool":
                self.tally.tools += event.record.attempts
            self.add(*self.handler.finished(event))

    def _observe(self, event: StepFinished) -> None:
        """A model call's usage to the cost book (a cached answer is counted, not seen)."""
        value, model, kind = event.value, event.record.resource or "", event.record.kind
        if isinstance(value, Completion) and value.cached:
            self.tally.served += 1
        elif isinstance(value, Completion) or (
            isinstance(value, Judgement) and value.usage.output_tokens
        ):
            self.costs.observe(model, kind, value.usage)

    def add(self, *steps: Step) -> None:
        if steps and self._run is not None:
            self._run.add_steps(*steps)

    def cancel(self, *step_ids: str) -> None:
        if step_ids and self._run is not None:
            self._run.cancel(*step_ids)

    def stop(self) -> None:
        if self._run is not None:
            self._run.stop()

    def report(self) -> RunReport | None:
        return self._run.report() if self._run is not None else None


class Rounds:
    """A tree's run: `policy` over the search of `steps`, starting from `seed` if any."""

    def __init__(self, steps: Steps, policy: Policy, wiring: Wiring, seed: Seed | None) -> None:
        self.steps, self.context, self.search = steps, steps.context, steps.search
        self.policy, self.seed = policy, seed
        limits = Limits.for_models(self.context.models)  # the judge is the first model
        budget, costs = self.context.budget, self.search.costs
        self.runner = Runner(self, budget=budget, limits=limits, wiring=wiring, costs=costs)
        self._outstanding: set[str] = set()  # this round's steps not yet settled
        self._next_round: set[str] = set()  # steps sampled early for the next round
        self._backlog: deque[Action] = deque()
        self._spec_fixes: dict[str, str] = {}  # candidate id -> speculative fix step id
        self._started = 0.0
        self._budget_hit = False
        self._closed = False

    @property
    def slots(self) -> int:
        model = self.search.current_model()
        return planning_slots(self.steps.models[model]) if model else 1

    def remaining(self) -> Remaining:
        elapsed = time.monotonic() - self._started
        return Remaining.left(self.context.budget, self.runner.spent, elapsed)

    async def run(self) -> None:
        self._started = time.monotonic()
        actions = self.policy.first(self.search, self.remaining(), self.slots)
        steps = self._expand(actions)
        if self.seed is not None:
            seeded = self.steps.seed(self.seed)
            self._outstanding.add(seeded.id)
            steps.insert(0, seeded)
        await self.runner.run(steps)

    def _expand(
        self, actions: list[Action], *, early: bool = False, judges: tuple[str, ...] = ()
    ) -> list[Step]:
        """Steps for `actions`; samples beyond the model's slots wait in a backlog, so an
        early pass costs nothing more. A fix on predicted verdicts waits on `judges`."""
        steps: list[Step] = []
        for action in actions:
            if isinstance(action, SampleAction):
                cap = max(1, self.steps.models[action.model].max_concurrency)
                for n in range(action.count):
                    if n < cap or early:
                        steps.append(self.steps.sample(action, early))
                    else:
                        self._backlog.append(replace(action, count=1))
            elif isinstance(action, MergeAction):
                steps.append(self.steps.merge(action))
            elif action.predicted is None:
                steps.append(self.steps.fix(action))
            else:
                spec = self.steps.predicted_fix(action, judges)
                self._spec_fixes[action.target] = spec[-1].id
                steps += spec
        target = self._next_round if early else self._outstanding
        target.update(s.id for s in steps)
        return steps

    def started(self, event: StepStarted) -> None:
        info = self.steps.info.get(event.step_id)
        if info is not None and info.purpose not in ("verdict", "seed"):
            self.search.announce(
                CallStarted(info.purpose, info.model, ",".join(info.targets), event.speculative)
            )

    def finished(self, event: StepFinished) -> list[Step]:
        """What a step produced enters the search; the steps that follow are returned."""
        sid = event.step_id
        info = self.steps.info.get(sid)
        if info is None:
            return []
        self._outstanding.discard(sid)
        promoted = sid in self._next_round
        self._next_round.discard(sid)
        new: list[Step] = []
        outcome, reason = event.outcome, event.record.reason
        if outcome == "ok":
            new += self._on_ok(sid, info, event.value)
        elif reason == "budget":
            self._budget_hit = True
        elif outcome == "failed":
            new += self._on_failed(info, event.record.error or "failed")
        elif reason == "deadline" and not self._closed:
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
            if info.purpose == "fix" and info.targets:
                search.set_status(info.targets[0], "fixed", f"fixed by {sid}")
            cand = search.admit(
                value.text,
                _ORIGINS[info.purpose],
                info.model,
                parents=info.targets,
                usage=value.usage,
                speculative=info.speculative,
                step_id=sid,
                finish_reason=value.finish_reason,
                from_tool=info.purpose == "seed" and self.seed is not None and self.seed.from_tool,
            )
            if search.validator.judged and self.policy.judge(search, cand.id, self.slots):
                steps = self.steps.judges_for(cand.id, sid)
                if steps:
                    self._outstanding.update(s.id for s in steps)
                    early = self.policy.fix_while_judged(search, cand.id, self.slots)
                    steps += self._expand(early, judges=tuple(s.id for s in steps))
                    return steps
                search.judged(cand.id, self.steps.judges[cand.id])  # settled without a call
            search.settled(cand.id)
            return self._after_settled(cand.id)
        if info.purpose == "judge":
            assert isinstance(value, Judgement)
            cid = info.targets[0]
            if self._verdict(cid, info.judge_index, value.verdict):
                return self._after_settled(cid)
        return []

    def _verdict(self, cid: str, index: int, verdict: Verdict) -> bool:
        """A judge's verdict on `cid`: whether it was the last one (`cid` settled)."""
        done = self.steps.judges.setdefault(cid, {})
        done[index] = verdict
        if len(done) < len(self.search.validator.judged):
            return False
        self.search.judged(cid, done)
        self.search.settled(cid)
        return True

    def _on_failed(self, info: StepInfo, error: str) -> list[Step]:
        if info.purpose == "judge":
            self._verdict(info.targets[0], info.judge_index, judge_failed(error))
            return []
        self.search.model_failed(info.model, error)
        action = info.action
        return [] if action is None else self._expand(self.policy.fallback(self.search, action))

    def _after_settled(self, cid: str) -> list[Step]:
        """The policy says whether the run ends, or (mid-round) what to start now."""
        if self.policy.settled(self.search, cid):
            self.runner.stop()
            return []
        if not self._outstanding:
            return []
        return self._expand(self.policy.fix_now(self.search, cid, self.slots))

    def _next_round_steps(self) -> list[Step]:
        """Once the round settled: the next backlog sample, or the policy's next round."""
        search = self.search
        if search.finish is not None or self._outstanding or self._closed:
            return []
        if self._backlog:
            return self._expand([self._backlog.popleft()])
        if self._budget_hit:
            self.policy.ran_out(search, seconds=False)
            self.runner.stop()
            return []
        search.next_round()
        actions = self.policy.after_round(search, self.remaining(), self.slots)
        if not actions:
            self.runner.stop()  # early samples still running were a miss: cancelled
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
        return steps + self._expand(early, early=True)

    def _cancel_losers(self) -> None:
        """Speculative fixes of ditched candidates are misses: cancel them."""
        for cid, sid in list(self._spec_fixes.items()):
            if self.search.candidates[cid].status == "ditched" and sid in self._outstanding:
                self.runner.cancel(sid)


def drop_samples(actions: list[Action], n: int) -> list[Action]:
    """`actions` less `n` samples (early samples of the round took their place)."""
    out: list[Action] = []
    for action in actions:
        if isinstance(action, SampleAction) and n > 0:
            keep = action.count - min(n, action.count)
            n -= action.count - keep
            if keep:
                out.append(replace(action, count=keep))
        else:
            out.append(action)
    return out
