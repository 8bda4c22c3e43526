"""Spans of one solve: the run, each engine step, each model call.

`RunTracer` opens the run's span (``invoke_agent cadenza``), turns the engine's events
into one span per step (``step <kind>``, or ``execute_tool <tool>`` for a tool step,
child of the run's span, timed by the engine's clocks) and the planner's events into
span events on the run (``cadenza.decision`` with the reason, ``cadenza.candidate``).
`TracedModel` wraps a model so each call is a client span (``chat <model>``) with the
GenAI semantic conventions' attributes, a child of the step it was made for (the
engine tells which: `cadenza.engine.context.current_step`) or of the run.

No prompt or answer text is put in a span, and a failed call records the error's
type only: a provider's message may echo what it was sent.
"""

from __future__ import annotations

from typing import assert_never

from opentelemetry import trace
from opentelemetry.trace import Span, SpanKind, Status, StatusCode, TracerProvider

from cadenza.engine.context import current_step
from cadenza.engine.events import (
    BudgetUsed,
    Event,
    RunFinished,
    RunStarted,
    StepFinished,
    StepRetrying,
    StepsAdded,
    StepStarted,
)
from cadenza.planner.events import (
    CallStarted,
    CandidateAdded,
    CandidateChanged,
    DecisionMade,
    NodeChanged,
    PlanMade,
    PlannerEvent,
)
from cadenza.providers.base import Completion, CompletionRequest, Model, ProgressCallback
from cadenza.providers.wrapper import ModelWrapper
from cadenza.result import SolveResult

SCOPE = "cadenza"
AttributeValue = str | bool | int | float | list[str]


def active_provider(explicit: TracerProvider | None = None) -> TracerProvider | None:
    """`explicit`, else the provider the application installed globally, else None
    (nothing installed: tracing is off and costs nothing)."""
    if explicit is not None:
        return explicit
    installed = trace.get_tracer_provider()
    if isinstance(installed, (trace.ProxyTracerProvider, trace.NoOpTracerProvider)):
        return None
    return installed


def _ns(wall: float) -> int:
    return int(wall * 1e9)


class RunTracer:
    """The spans of one solve. Feed it the engine's events (`on_engine_event`) and
    the planner's (`on_planner_event`); call `finish` once at the end."""

    def __init__(
        self,
        provider: TracerProvider,
        *,
        strategy: str,
        models: tuple[str, ...],
        run_id: str | None = None,
    ) -> None:
        from cadenza import __version__

        self.tracer = provider.get_tracer(SCOPE, __version__)
        attributes: dict[str, AttributeValue] = {
            "gen_ai.operation.name": "invoke_agent",
            "gen_ai.agent.name": "cadenza",
            "cadenza.strategy": strategy,
            "cadenza.models": list(models),
        }
        if run_id:
            attributes["cadenza.run.id"] = run_id
        self.span = self.tracer.start_span("invoke_agent cadenza", attributes=attributes)
        self._context = trace.set_span_in_context(self.span)
        self._steps: dict[str, Span] = {}

    # ------------------------------------------------------------------ parents

    def parent_of_call(self) -> Span:
        """The span a model call belongs under: the running step's, else the run's."""
        step = current_step()
        if step is not None:
            span = self._steps.get(step.step_id)
            if span is not None:
                return span
        return self.span

    # ------------------------------------------------------------------ engine

    def on_engine_event(self, event: Event) -> None:
        match event:
            case StepStarted():
                span = self._steps.get(event.step_id)
                if span is None:
                    self._steps[event.step_id] = self._open_step(event)
                else:
                    span.add_event(
                        "cadenza.attempt",
                        {"attempt": event.attempt, "speculative": event.speculative},
                        timestamp=_ns(event.wall),
                    )
            case StepRetrying():
                span = self._steps.get(event.step_id)
                if span is not None:
                    span.add_event(
                        "cadenza.retry",
                        {"attempt": event.attempt, "delay_s": event.delay_s},
                        timestamp=_ns(event.wall),
                    )
            case StepFinished():
                self._close_step(event)
            case RunStarted():
                self.span.set_attribute("cadenza.run.id", event.run_id)
            case RunFinished():
                self.span.set_attribute("cadenza.engine.status", event.status)
                self.span.set_attribute("cadenza.engine.makespan_s", event.stats.makespan_s)
            case StepsAdded() | BudgetUsed():
                pass
            case _:
                assert_never(event)

    def _open_step(self, event: StepStarted) -> Span:
        tool = event.kind == "tool"
        name = f"execute_tool {event.resource}" if tool else f"step {event.kind}"
        attributes: dict[str, AttributeValue] = {
            "cadenza.step.id": event.step_id,
            "cadenza.step.kind": event.kind,
            "cadenza.step.speculative": event.speculative,
        }
        if tool:
            attributes["gen_ai.operation.name"] = "execute_tool"
            attributes["gen_ai.tool.name"] = event.resource or ""
        elif event.resource:
            attributes["cadenza.step.resource"] = event.resource
        return self.tracer.start_span(
            name, context=self._context, attributes=attributes, start_time=_ns(event.wall)
        )

    def _close_step(self, event: StepFinished) -> None:
        record = event.record
        span = self._steps.pop(record.step_id, None)
        if span is None:  # never started (skipped, pruned before it ran)
            self.span.add_event(
                "cadenza.step_not_run",
                {
                    "cadenza.step.id": record.step_id,
                    "cadenza.step.kind": record.kind,
                    "cadenza.step.outcome": record.outcome,
                    "cadenza.step.reason": record.reason,
                },
                timestamp=_ns(record.ended_wall),
            )
            return
        spend = record.spend
        span.set_attributes(
            {
                "cadenza.step.outcome": record.outcome,
                "cadenza.step.reason": record.reason,
                "cadenza.step.attempts": record.attempts,
                "gen_ai.usage.input_tokens": spend.input_tokens,
                "gen_ai.usage.output_tokens": spend.output_tokens,
                "cadenza.cost_usd": spend.dollars,
                "cadenza.calls": spend.calls,
            }
        )
        if record.outcome == "failed":
            span.set_status(Status(StatusCode.ERROR, record.reason or "failed"))
        span.end(end_time=_ns(record.ended_wall))

    # ------------------------------------------------------------------ planner

    def on_planner_event(self, event: PlannerEvent) -> None:
        match event:
            case DecisionMade(decision=d):
                attributes: dict[str, AttributeValue] = {
                    "round": d.round,
                    "action": d.action,
                    "reason": d.reason,
                    "targets": list(d.targets),
                }
                if d.gain is not None:
                    attributes["gain"] = d.gain
                if d.cost is not None:
                    attributes["cost"] = d.cost
                self.span.add_event("cadenza.decision", attributes)
            case CandidateAdded(candidate=c) | CandidateChanged(candidate=c):
                node = c.to_node()
                self.span.add_event(
                    "cadenza.candidate",
                    {
                        "id": c.id,
                        "origin": c.origin,
                        "model": c.model,
                        "status": c.status,
                        "score": float(node["score"]),
                        "passed": bool(node["passed"]),
                        "failed": [str(f) for f in node["failed"]],
                        "parents": list(c.parents),
                    },
                )
            case CallStarted():
                pass  # the call's own span says more
            case PlanMade(plan=plan, steps=steps):
                self.span.add_event("cadenza.plan", {"plan": plan, "steps": len(steps)})
            case NodeChanged(report=r):  # the tool and how it went; never its arguments
                self.span.add_event(
                    "cadenza.plan_node",
                    {"plan": r.plan, "node": r.node, "tool": r.tool, "status": r.status},
                )
            case _:
                assert_never(event)

    # ------------------------------------------------------------------ end

    def finish(self, result: SolveResult | None = None, error: BaseException | None = None) -> None:
        """End the run's span (and any step span the run left open)."""
        for span in self._steps.values():
            span.end()
        self._steps.clear()
        if result is not None:
            usage = result.usage
            self.span.set_attributes(
                {
                    "cadenza.finish_reason": result.finish_reason,
                    "cadenza.score": result.score,
                    "cadenza.calls": result.calls,
                    "gen_ai.usage.input_tokens": usage.input_tokens,
                    "gen_ai.usage.output_tokens": usage.output_tokens,
                    "cadenza.cost_usd": usage.cost_usd,
                }
            )
            if result.run_id:
                self.span.set_attribute("cadenza.run.id", result.run_id)
            for r in result.requirements:
                self.span.add_event(
                    "cadenza.requirement",
                    {
                        "name": r.name,
                        "passed": r.passed,
                        "score": r.score,
                        "method": r.method,
                        "is_mandatory": r.is_mandatory,
                    },
                )
        if error is not None:
            self.span.set_attribute("error.type", type(error).__name__)
            self.span.set_status(Status(StatusCode.ERROR, type(error).__name__))
        self.span.end()


class TracedModel(ModelWrapper):
    """`inner` with one client span per call, under the run's `RunTracer`."""

    def __init__(self, inner: Model, tracer: RunTracer) -> None:
        super().__init__(inner)
        self._tracer = tracer
        provider, _, name = inner.id.partition(":")
        self._provider = provider
        self._name = name or inner.id

    async def complete(
        self, request: CompletionRequest, *, on_progress: ProgressCallback | None = None
    ) -> Completion:
        attributes: dict[str, AttributeValue] = {
            "gen_ai.operation.name": "chat",
            "gen_ai.provider.name": self._provider,
            "gen_ai.request.model": self._name,
            "gen_ai.request.temperature": request.temperature,
            "gen_ai.request.max_tokens": request.max_tokens,
        }
        if request.seed is not None:
            attributes["gen_ai.request.seed"] = request.seed
        if request.json_schema is not None:
            attributes["gen_ai.output.type"] = "json"
        parent = trace.set_span_in_context(self._tracer.parent_of_call())
        span = self._tracer.tracer.start_span(
            f"chat {self._name}", context=parent, kind=SpanKind.CLIENT, attributes=attributes
        )
        try:
            completion = await self._inner.complete(request, on_progress=on_progress)
        except BaseException as exc:
            span.set_attribute("error.type", type(exc).__name__)
            span.set_status(Status(StatusCode.ERROR, type(exc).__name__))
            span.end()
            raise
        usage = completion.usage
        span.set_attributes(
            {
                "gen_ai.response.model": completion.model.partition(":")[2] or completion.model,
                "gen_ai.response.finish_reasons": [completion.finish_reason],
                "gen_ai.usage.input_tokens": usage.input_tokens,
                "gen_ai.usage.output_tokens": usage.output_tokens,
                "cadenza.cost_usd": usage.cost_usd,
                "cadenza.cached": completion.cached,
            }
        )
        span.end()
        return completion
