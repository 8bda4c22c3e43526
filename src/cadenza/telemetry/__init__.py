"""OpenTelemetry for cadenza: spans for a run, each engine step and each model call,
with the GenAI semantic conventions' attributes (model, tokens; cost as
``cadenza.cost_usd``) and the planner's decisions as span events.

Opt-in: `cadenza.solve` traces when given a ``tracer_provider``, or when the
application installed an SDK tracer provider globally; otherwise it does nothing at
all. `provider_from_env` builds an OTLP-exporting provider from the standard
``OTEL_*`` variables (`cadenza run` and `cadenza serve` call it)."""

from cadenza.telemetry.setup import provider_from_env
from cadenza.telemetry.tracing import RunTracer, TracedModel, active_provider

__all__ = ["RunTracer", "TracedModel", "active_provider", "provider_from_env"]
