"""Plan, execute, join, replan: one engine run that grows as it goes.

The run starts with one step: the model writes a plan (grammar-constrained JSON).
When it ends the plan is checked (`checks.plan_problems`); an invalid plan is
repaired once by the model (a second step that shows it the problems), then refused
with the reason. A valid plan becomes engine steps: one per tool call (resource
``tool:NAME``: the tool's own slots, retry policy, timeout, latency estimate and cost,
charged to the budget as a call) or ``llm`` sub-task (on the model), each depending
on the steps its arguments refer to, so independent calls run at once and each starts
as soon as its inputs exist; then a join step that waits for all of them whatever
their outcome. The joiner answers, or replans with what was learnt (a failed tool, a
missing fact) up to `max_replans` times: the next plan is another step of the same
run. Every plan, repair, refusal, replan and answer is a decision in the search's log
(`Search.record`, numbered by plan). The phase is a `cadenza.planner.runner.Runner`
handler, as the tree's rounds are.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from cadenza.engine.context import StepContext
from cadenza.engine.events import StepFinished, StepStarted
from cadenza.engine.graph import Step
from cadenza.engine.outcomes import Spend
from cadenza.engine.retry import RetryPolicy
from cadenza.engine.scheduler import Limits
from cadenza.errors import ProviderError, ToolError
from cadenza.planner.context import SolveContext
from cadenza.planner.events import NodeChanged, PlanMade
from cadenza.planner.plans.checks import known_tools, node_problems, plan_problems
from cadenza.planner.plans.plan import (
    LLM,
    LLM_INFO,
    PlanNode,
    ToolPlan,
    fill,
    node_of,
    only_references,
    parse_plan,
    resolve,
    streamed_steps,
)
from cadenza.planner.plans.requests import (
    Result,
    facts_context,
    join_request,
    plan_request,
    read_join,
    repair_request,
    subtask_request,
)
from cadenza.planner.runner import Runner, Wiring
from cadenza.planner.state import Search
from cadenza.planner.steps import model_step
from cadenza.planner.strategy import Prelude, Seed
from cadenza.providers.base import Completion, CompletionRequest, Model, Progress
from cadenza.requirements.screens import gives_instructions
from cadenza.result import FinishReason, NodeReport, PlanReport
from cadenza.task import Task
from cadenza.tools.base import ToolOutput, cap, coerce, invoke
from cadenza.tools.toolset import Toolbox


@dataclass(frozen=True, slots=True)
class PlanOptions:
    """`llm_steps`: whether a plan may contain ``llm`` sub-tasks (None: only when no
    tools are given; with tools, a small model uses them to answer the whole task
    from memory instead of looking facts up). `max_answer_chars` caps an answer filled
    in from the plan's template with step outputs (a tool may return megabytes)."""

    max_steps: int = 6
    max_replans: int = 2
    llm_steps: bool | None = None
    max_answer_chars: int = 8_000


@dataclass(frozen=True, slots=True)
class Filled:
    """An answer filled in from the plan's template: its `text` (capped), whether it
    is one tool's output as it came (`from_tool`), whether it was `cut` to the cap, and
    why it must not be the answer (`declined`: the joiner answers instead)."""

    text: str
    from_tool: bool = False
    cut: bool = False
    declined: str = ""


@dataclass(slots=True)
class _Node:
    plan: int
    node: PlanNode
    step_id: str
    ids: dict[int, str] = field(default_factory=dict)  # node id -> step id (this plan)


class PlanPhase:
    """The tool plan of one solve, for `search` (whose log takes its decisions and whose
    event callback its events)."""

    def __init__(
        self,
        context: SolveContext,
        search: Search,
        toolbox: Toolbox,
        options: PlanOptions,
        wiring: Wiring,
    ) -> None:
        self.context = context
        self.search = search
        self.toolbox = toolbox
        self.options = options
        self.model: Model = context.models[0]
        llm = options.llm_steps if options.llm_steps is not None else not toolbox
        self.tools = (*toolbox.infos(), LLM_INFO) if llm else toolbox.infos()
        self.task = context.task.prompt()
        slots = {f"tool:{t.name}": t.limits.max_concurrency for t in toolbox.values()}
        self.runner = Runner(
            self,
            budget=context.budget,
            limits=Limits(None, {self.model.id: self.model.max_concurrency, **slots}),
            wiring=wiring,
            costs=search.costs,
            data_errors=(ProviderError, ToolError),
        )
        self._plan_no = 0
        self._request: CompletionRequest | None = None
        self._repaired = False
        self._nodes: dict[str, _Node] = {}
        self._resolved: dict[str, dict[str, Any]] = {}
        self._reports: dict[str, NodeReport] = {}
        self._plans: list[dict[str, Any]] = []
        self._replannable: dict[int, bool] = {}  # plan number -> its joiner may replan
        self._known = known_tools(self.tools)
        self._discarded: set[str] = set()  # steps of a plan that failed its checks
        self.results: list[Result] = []
        self.answer: Seed | None = None
        self.refused = ""
        self.stopped = ""

    # ------------------------------------------------------------------ running

    async def run(self) -> Prelude:
        """Plan, execute, join: what the tree then starts from. The task gains the
        facts the tools found (as delimited data in its context); the joined answer is
        the seed (none: no answer, or an empty one, and the tree samples instead)."""
        report = await self.runner.run([self._plan_step()])
        if self.answer is None and not self.stopped:
            self.stopped = (
                "budget" if report.status in ("budget_exhausted", "deadline") else "failed"
            )
        task = self.context.task
        facts = facts_context(self.results) if any(r.ok for r in self.results) else ""
        if facts:
            task = Task(instruction=task.instruction, context=f"{task.context}\n\n{facts}".strip())
        finish: FinishReason | None = "budget_spent" if self.stopped == "budget" else "failed"
        seed = self.answer
        if seed is not None and not seed.text.strip():  # joined, but empty: sample instead
            seed, finish = None, None
        why = {
            "refused": self.refused,
            "budget": "the budget ran out before the plan produced an answer",
            "failed": "the plan produced no answer (a planner or joiner call failed)",
        }.get(self.stopped, "the joiner wrote an empty answer: sampled with the facts instead")
        nodes = tuple(sorted(self._reports.values(), key=lambda r: (r.plan, r.node)))
        return Prelude(
            task=task,
            seed=seed,
            spent=report.stats.spent,
            usage=self.runner.tally.usage,
            calls=self.runner.tally.calls,
            plan=PlanReport(tuple(self._plans), nodes, self.runner.tally.tools, self.refused),
            trace=[r.to_dict() for r in report.records.values()],
            finish=finish,
            explanation=why,
        )

    def _decide(self, action: str, reason: str) -> None:
        self.search.record(action, reason, round=self._plan_no)

    def _model_step(
        self,
        sid: str,
        kind: str,
        request: CompletionRequest,
        inputs: tuple[str, ...] = (),
        *,
        partial: bool = False,
        build: Callable[[StepContext], CompletionRequest] | None = None,
    ) -> Step:
        """One call of the model (`cadenza.planner.steps.model_step`); a plan is read
        as it streams."""
        shown = self.context.on_progress

        def on_progress(progress: Progress) -> None:
            if shown is not None:
                shown(progress)
            if progress.text:
                self._on_plan_text(progress.text)

        return model_step(
            sid,
            self.model,
            kind,
            request,
            self.search.costs,
            build=build,
            inputs=inputs,
            partial=partial,
            on_progress=on_progress if kind == "plan" else shown,
        )

    def _plan_step(self, previous: Sequence[Result] = (), reason: str = "") -> Step:
        """The next plan (a replan sees the `previous` results and why)."""
        self._plan_no += 1
        steps = self.options.max_steps
        self._request = plan_request(
            self.task, self.tools, max_steps=steps, previous=previous, reason=reason
        )
        self._repaired = False
        self._begin_attempt("")
        return self._model_step(f"plan-{self._plan_no}", "plan", self._request)

    def _begin_attempt(self, tag: str) -> None:
        """A plan (or its repair) is being written: no step of it has started yet."""
        self._tag = tag
        self._ids: dict[int, str] = {}
        self._early: dict[int, PlanNode] = {}
        self._early_open = True
        self._early_seen = 0

    # ------------------------------------------------------------------ early steps

    def _on_plan_text(self, text: str) -> None:
        """Start each step of the plan being written as soon as it is complete and
        checked on its own (known tool, valid arguments, references only to steps
        already started: no cycle can form), as LLMCompiler's planner streams its DAG.
        The first step that cannot start yet (a forward reference, a problem) stops
        early starts for this plan: the rest waits for the whole plan's checks."""
        if not self._early_open:
            return
        steps = streamed_steps(text)
        while self._early_seen < len(steps):
            self._early_seen += 1
            node = node_of(steps[self._early_seen - 1], self._early_seen)
            if (
                isinstance(node, str)
                or node.id in self._ids
                or self._early_seen > self.options.max_steps
                or node_problems(node, self._known, set(self._ids))
            ):
                self._early_open = False
                return
            self._early[node.id] = node
            self.runner.add(*self._node_steps([node]))

    def _discard_early(self) -> int:
        """The whole plan failed its checks: cancel the steps started early (their
        spend stays counted) and forget their results."""
        sids = [self._ids[n] for n in self._early]
        for sid in sids:
            self._discarded.add(sid)
            self._reports.pop(sid, None)
        self.results = [r for r in self.results if r.step_id not in sids]
        self.runner.cancel(*sids)
        self._early = {}
        return len(sids)

    # ------------------------------------------------------------------ nodes

    def _node_steps(self, nodes: Sequence[PlanNode]) -> list[Step]:
        ids = self._ids
        for node in nodes:
            ids[node.id] = f"p{self._plan_no}{self._tag}-n{node.id}"
        steps = []
        for node in nodes:
            sid = ids[node.id]
            entry = _Node(self._plan_no, node, sid, ids)
            self._nodes[sid] = entry
            inputs = tuple(ids[d] for d in node.deps)
            steps.append(
                self._tool_step(entry, inputs)
                if node.tool != LLM
                else self._llm_step(entry, inputs)
            )
            self._reports[sid] = NodeReport(
                self._plan_no, node.id, node.tool, dict(node.args), node.reason, "pending", sid
            )
        return steps

    def _tool_step(self, entry: _Node, inputs: tuple[str, ...]) -> Step:
        tool = self.toolbox[entry.node.tool]
        limits = tool.limits

        async def fn(ctx: StepContext) -> ToolOutput:
            outputs = {n: _value(ctx.results[s]) for n, s in entry.ids.items() if s in ctx.results}
            resolved = resolve(dict(entry.node.args), outputs)
            assert isinstance(resolved, dict)
            args = coerce(resolved, tool.parameters)
            self._resolved[entry.step_id] = args
            ctx.charge(Spend(dollars=limits.cost_usd, calls=1))  # paid even if it fails
            return await invoke(tool, args)

        return Step(
            entry.step_id,
            fn,
            inputs=inputs,
            kind="tool",
            resource=f"tool:{tool.name}",
            estimate=Spend(dollars=limits.cost_usd, calls=1),
            latency_s=limits.latency_s,
            retry=RetryPolicy(max_attempts=limits.max_attempts, base_delay_s=0.2, max_delay_s=5.0),
        )

    def _llm_step(self, entry: _Node, inputs: tuple[str, ...]) -> Step:
        prompt = str(entry.node.args.get("prompt", ""))

        def build(ctx: StepContext) -> CompletionRequest:
            self._resolved[entry.step_id] = {"prompt": prompt}
            results = [
                Result(node_id, self._nodes[sid].node.call_text(), True, _text(ctx.results[sid]))
                for node_id, sid in entry.ids.items()
                if sid in ctx.results
            ]
            return subtask_request(prompt, results)

        return self._model_step(
            entry.step_id, "subtask", subtask_request(prompt, []), inputs, build=build
        )

    def _fill_step(self, plan: ToolPlan, inputs: tuple[str, ...]) -> Step:
        """The plan's answer template filled in from the outputs (no model call), as
        text (structured outputs as JSON), capped at `PlanOptions.max_answer_chars`;
        None when a step did not succeed, or when the answer would be one tool's output
        that gives instructions (`screens.gives_instructions`): then the model joiner
        takes over and reads that output as data."""
        template = plan.answer or ""
        ids = dict(self._ids)
        refs = plan.answer_deps
        sole_tool = only_references(template) and len(refs) == 1 and plan.node(refs[0]).tool != LLM
        limit = self.options.max_answer_chars

        async def fn(ctx: StepContext) -> Filled | None:
            if any(outcome != "ok" for outcome in ctx.outcomes.values()):
                return None
            outputs = {n: _value(ctx.results[sid]) for n, sid in ids.items()}
            text, cut = cap(fill(template, outputs), limit)
            if sole_tool and gives_instructions(text):
                why = (
                    f"the answer would be ${refs[0]}'s output as it came, and that output "
                    "gives instructions: the joiner answers, reading it as data"
                )
                return Filled("", from_tool=True, declined=why)
            return Filled(text, from_tool=sole_tool, cut=cut)

        return Step(f"fill-{self._plan_no}", fn, inputs=inputs, kind="fill", partial_inputs=True)

    def _join_step(self, inputs: tuple[str, ...], *, can_replan: bool = True) -> Step:
        """The joiner waits for every step of the plan, whatever their outcome. It may
        replan only when a step failed (or was skipped) and replans are left: a small
        model asked whether to replan after every step succeeded replans for nothing."""
        plan_no = self._plan_no
        allowed = can_replan

        def build(ctx: StepContext) -> CompletionRequest:
            failed = any(outcome != "ok" for outcome in ctx.outcomes.values())
            can_replan = allowed and failed and plan_no <= self.options.max_replans
            self._replannable[plan_no] = can_replan
            return join_request(self.task, self.results, can_replan=can_replan)

        request = join_request(self.task, self.results, can_replan=True)
        return self._model_step(
            f"join-{plan_no}", "join", request, inputs, partial=True, build=build
        )

    # ------------------------------------------------------------------ events

    def started(self, event: StepStarted) -> None:
        entry = self._nodes.get(event.step_id)
        if entry is not None and event.attempt == 1:
            self._node_changed(entry.step_id, status="running")

    def finished(self, event: StepFinished) -> list[Step]:
        kind = event.record.kind
        if kind == "plan":
            return self._on_plan(event)
        if kind in ("tool", "subtask"):
            self._on_node(event)
        elif kind == "join":
            return self._on_join(event)
        elif kind == "fill":
            return self._on_fill(event)
        return []

    def _stop(self, why: str) -> None:
        self.stopped = self.stopped or why
        self.runner.stop()

    def _ended_badly(self, event: StepFinished, what: str = "") -> bool:
        """A step the phase cannot go on without (the planner, the joiner, the fill)
        did not end ok: stop (recorded as a decision when `what` names the call)."""
        record = event.record
        if record.outcome == "ok":
            return False
        if what:
            self._decide("stop", f"{what} {record.outcome} ({record.error or record.reason})")
        self._stop("budget" if record.reason in ("budget", "deadline") else "failed")
        return True

    def _on_plan(self, event: StepFinished) -> list[Step]:
        if self._ended_badly(event, "no plan: the planner call"):
            return []
        assert isinstance(event.value, Completion) and self._request is not None
        text = event.value.text
        plan, unreadable = parse_plan(text)
        problems = (
            [unreadable]
            if plan is None
            else plan_problems(plan, self.tools, self.options.max_steps)
        )
        if problems:
            dropped = self._discard_early()
            note = f" ({dropped} step(s) started early were cancelled)" if dropped else ""
            if not self._repaired:
                self._repaired = True
                self._decide(
                    "repair_plan", "the plan cannot run: " + "; ".join(problems[:4]) + note
                )
                request = repair_request(self._request, text, problems)
                self._request = request
                self._begin_attempt("r")
                return [self._model_step(f"plan-{self._plan_no}-fix", "plan", request)]
            why = "the plan cannot run, even after one repair: " + "; ".join(problems[:4])
            self._decide("refuse_plan", why)
            if self.results:  # a refused replan: answer from what the earlier plans found
                self._replannable[self._plan_no] = False
                return [self._join_step((), can_replan=False)]
            self.refused = why
            self._stop("refused")
            return []
        assert plan is not None
        self._plans.append(plan.to_json())
        lines = tuple((n.id, n.call_text(), n.reason) for n in plan.nodes)
        summary = "; ".join(f"${i} {call}" for i, call, _ in lines) or "no tool call needed"
        early = f" ({len(self._early)} started while it was written)" if self._early else ""
        self._decide("plan", f"plan {self._plan_no}: {summary}{early}")
        self.search.announce(PlanMade(self._plan_no, lines))
        steps = self._node_steps([n for n in plan.nodes if n.id not in self._early])
        inputs = tuple(self._ids[n.id] for n in plan.nodes)
        if plan.answer is not None:
            steps.append(self._fill_step(plan, inputs))
        else:
            steps.append(self._join_step(inputs))
        return steps

    def _on_node(self, event: StepFinished) -> None:
        record = event.record
        entry = self._nodes[record.step_id]
        if record.step_id in self._discarded:
            return
        output = "" if event.value is None else _text(event.value)
        ok = record.outcome == "ok"
        error = record.error or ("" if ok else f"{record.outcome} ({record.reason})")
        self.results.append(
            Result(
                entry.node.id,
                entry.node.call_text(),
                ok,
                output if ok else f"failed: {error}",
                record.step_id,
            )
        )
        self._node_changed(
            record.step_id,
            status=record.outcome,
            output=output,
            error=error,
            latency_s=record.duration_s,
            cost_usd=record.spend.dollars,
            tokens=record.spend.tokens,
            attempts=record.attempts,
        )

    def _node_changed(self, sid: str, **changes: Any) -> None:
        report = replace(self._reports[sid], inputs=self._resolved.get(sid), **changes)
        self._reports[sid] = report
        self.search.announce(NodeChanged(report))

    def _on_fill(self, event: StepFinished) -> list[Step]:
        if self._ended_badly(event):
            return []
        if event.value is None or (isinstance(event.value, Filled) and event.value.declined):
            if event.value is not None:  # a tool's output that gives instructions
                self._decide("join", event.value.declined)
            inputs = tuple(e.step_id for e in self._nodes.values() if e.plan == self._plan_no)
            return [self._join_step(inputs)]
        assert isinstance(event.value, Filled)
        self.answer = Seed(event.value.text, self.model.id, event.value.from_tool, event.value.cut)
        what = "one tool's output as it came" if event.value.from_tool else "the plan's answer"
        cut = f", cut to {self.options.max_answer_chars:,} characters" if event.value.cut else ""
        self._decide("answer", f"{what}, filled in from the results (no joiner call){cut}")
        self._stop("")
        return []

    def _on_join(self, event: StepFinished) -> list[Step]:
        if self._ended_badly(event, "no answer: the joiner call"):
            return []
        assert isinstance(event.value, Completion)
        can_replan = self._replannable.get(self._plan_no, False)
        joined = read_join(event.value.text, can_replan=can_replan)
        if joined.decision == "replan":
            self._decide("replan", joined.reason or "the results do not settle the task yet")
            reason = joined.reason or "a needed result is missing"
            return [self._plan_step(self.results, reason)]
        source = self._instructions_copied(joined.answer)
        # screened as the tool's output it is, not as the model's
        self.answer = Seed(joined.answer, self.model.id, from_tool=source is not None)
        if source is not None:
            self._decide(
                "answer", f"the joiner copied ${source}'s output, which gives instructions"
            )
        else:
            self._decide("answer", joined.reason or "the results answer the task")
        self._stop("")
        return []

    def _instructions_copied(self, answer: str) -> int | None:
        """The step whose output gives instructions and that `answer` copies (most of
        its words, in order), if there is one: an answer obeying an injected order."""
        said = answer.split()
        if not said or not gives_instructions(answer):
            return None
        for result in self.results:
            if not (result.ok and gives_instructions(result.text)):
                continue
            output = result.text.split()
            match = difflib.SequenceMatcher(None, output, said, autojunk=False)
            if sum(b.size for b in match.get_matching_blocks()) >= 0.8 * len(said):
                return result.node
        return None


def _value(value: object) -> object:
    """A step's output as a reference sees it."""
    if isinstance(value, ToolOutput):
        return value.value
    if isinstance(value, Completion):
        return value.text.strip()
    return value


def _text(value: object) -> str:
    """A step's output as a prompt shows it."""
    return value.text if isinstance(value, ToolOutput) else str(_value(value))
