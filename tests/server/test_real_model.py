"""The server and its traces on the real embedded model (135M): a run through the API
completes with real token counts, and its model call is a GenAI span."""

from __future__ import annotations

from pathlib import Path

import pytest
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from cadenza.client import Client
from cadenza.server.serving import running

from .conftest import TOKEN, config_for


@pytest.mark.real_model
@pytest.mark.anyio
async def test_an_api_run_on_the_real_model_completes_and_is_traced(tmp_path: Path) -> None:
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    config = config_for(tmp_path / "s.db", tracer_provider=provider)
    async with running(config) as url, Client(url, TOKEN) as client:
        done = await client.solve(
            "Name one colour.",
            ["at most 5 words"],
            models=["local:smollm2-135m"],
            strategy="single",
            options={"max_tokens": 12},
        )
    provider.shutdown()
    assert done["status"] == "completed", done
    result = done["result"]
    assert result["usage"]["output_tokens"] > 0 and result["calls"] == 1
    assert result["requirements"][0]["method"] == "rule"  # read by the grammar, checked
    spans = exporter.get_finished_spans()
    (call,) = [s for s in spans if s.name == "chat smollm2-135m"]
    assert call.attributes is not None
    assert call.attributes["gen_ai.usage.output_tokens"] == result["usage"]["output_tokens"]
    (run,) = [s for s in spans if s.name == "invoke_agent cadenza"]
    assert run.attributes is not None and run.attributes["cadenza.run.id"] == done["id"]
