"""OpenTelemetry spans of a solve, read back from the SDK's in-memory exporter: the
run, its steps and its model calls, nested, with the GenAI attributes, and the
planner's decisions as events."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind, StatusCode

from cadenza.api import solve
from cadenza.errors import ProviderUnavailableError
from cadenza.providers.scripted import Reply, ScriptedModel
from cadenza.telemetry import active_provider

TASK = "Describe the harbour of Valparaiso at dawn"


@pytest.fixture
def traced() -> Iterator[tuple[TracerProvider, InMemorySpanExporter]]:
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    yield provider, exporter
    provider.shutdown()


def _by_name(spans: tuple[ReadableSpan, ...], prefix: str) -> list[ReadableSpan]:
    return [s for s in spans if s.name.startswith(prefix)]


@pytest.mark.anyio
async def test_a_solve_is_a_run_span_over_step_spans_over_model_call_spans(
    traced: tuple[TracerProvider, InMemorySpanExporter],
) -> None:
    provider, exporter = traced
    model = ScriptedModel(["one two three four five six seven", "one two three"])
    result = await solve(
        TASK,
        ["Answer with at most 4 words"],
        models=[model],
        strategy="refine",
        store=":memory:",
        tracer_provider=provider,
        options={"task_requirement": False},
    )
    spans = exporter.get_finished_spans()
    (run,) = _by_name(spans, "invoke_agent")
    assert run.name == "invoke_agent cadenza"
    attrs = dict(run.attributes or {})
    assert attrs["gen_ai.operation.name"] == "invoke_agent"
    assert attrs["cadenza.run.id"] == result.run_id
    assert attrs["cadenza.finish_reason"] == result.finish_reason
    assert attrs["gen_ai.usage.output_tokens"] == result.usage.output_tokens
    assert attrs["cadenza.calls"] == result.calls == 2

    steps = _by_name(spans, "step ")
    calls = _by_name(spans, "chat ")
    assert len(calls) == 2 and {s.name for s in steps} == {"step sample", "step fix"}
    assert all(s.parent is not None and s.parent.span_id == run.context.span_id for s in steps)
    step_ids = {s.context.span_id: s for s in steps}
    for call, completion_tokens in zip(calls, (7, 3), strict=True):
        assert call.kind == SpanKind.CLIENT
        assert call.parent is not None and call.parent.span_id in step_ids  # under its step
        a = dict(call.attributes or {})
        assert a["gen_ai.operation.name"] == "chat"
        assert a["gen_ai.provider.name"] == "scripted"
        assert a["gen_ai.request.model"] == "echo"
        assert a["gen_ai.usage.output_tokens"] == completion_tokens
        assert a["gen_ai.response.finish_reasons"] == ("stop",)
        assert isinstance(a["gen_ai.request.seed"], int)
        step = step_ids[call.parent.span_id]
        assert step.attributes is not None
        assert step.attributes["gen_ai.usage.output_tokens"] == completion_tokens
        assert step.attributes["cadenza.step.outcome"] == "ok"
        assert step.start_time is not None and call.start_time is not None
        assert step.start_time <= call.start_time

    decisions = [e for e in run.events if e.name == "cadenza.decision"]
    assert [e.attributes["action"] for e in decisions if e.attributes] == [
        d.action for d in result.decisions
    ]
    assert all(e.attributes and e.attributes["reason"] for e in decisions)
    requirement = [e for e in run.events if e.name == "cadenza.requirement"]
    assert requirement and requirement[0].attributes is not None
    assert requirement[0].attributes["passed"] is True

    # No prompt or answer text travels in a trace.
    for span in spans:
        texts = [str(v) for v in (span.attributes or {}).values()]
        texts += [str(v) for e in span.events for v in (e.attributes or {}).values()]
        assert not any("Valparaiso" in t or "one two three" in t for t in texts), span.name


@pytest.mark.anyio
async def test_a_failed_call_is_an_error_span_with_its_type_only(
    traced: tuple[TracerProvider, InMemorySpanExporter],
) -> None:
    provider, exporter = traced
    secret_message = "upstream said: Authorization: Bearer sk-do-not-leak"
    down = ProviderUnavailableError(secret_message, provider="scripted", retryable=False)
    model = ScriptedModel([Reply(error=down)])
    result = await solve(
        TASK,
        None,
        models=[model],
        strategy="single",
        tracer_provider=provider,
        options={"task_requirement": False},
    )
    assert result.finish_reason == "failed"
    spans = exporter.get_finished_spans()
    (call,) = _by_name(spans, "chat ")
    assert call.status.status_code == StatusCode.ERROR
    assert call.attributes is not None
    assert call.attributes["error.type"] == "ProviderUnavailableError"
    (step,) = _by_name(spans, "step ")
    assert step.status.status_code == StatusCode.ERROR
    # The call's own spans carry the error's type, never the provider's message.
    for span in (call, step):
        seen = [str(v) for v in (span.attributes or {}).values()]
        seen += [str(span.status.description)]
        seen += [str(v) for e in span.events for v in (e.attributes or {}).values()]
        assert not any("sk-do-not-leak" in t for t in seen), span.name


@pytest.mark.anyio
async def test_without_a_provider_nothing_is_traced(
    traced: tuple[TracerProvider, InMemorySpanExporter],
) -> None:
    _, exporter = traced
    assert active_provider() is None  # no SDK provider installed globally
    await solve(
        TASK, None, models=[ScriptedModel()], strategy="single", options={"task_requirement": False}
    )
    assert exporter.get_finished_spans() == ()


@pytest.mark.real_model
@pytest.mark.anyio
async def test_a_real_model_call_is_traced_with_its_token_counts(
    traced: tuple[TracerProvider, InMemorySpanExporter],
) -> None:
    provider, exporter = traced
    result = await solve(
        "Name one colour.",
        ["at most 5 words"],
        models=["local:smollm2-135m"],
        strategy="single",
        options={"task_requirement": False, "max_tokens": 12},
        tracer_provider=provider,
    )
    (call,) = _by_name(exporter.get_finished_spans(), "chat ")
    a = dict(call.attributes or {})
    assert a["gen_ai.provider.name"] == "local"
    assert a["gen_ai.request.model"] == "smollm2-135m"
    assert a["gen_ai.usage.output_tokens"] == result.usage.output_tokens > 0
    assert a["gen_ai.usage.input_tokens"] == result.usage.input_tokens > 0
    assert call.end_time is not None and call.start_time is not None
    assert call.end_time > call.start_time
