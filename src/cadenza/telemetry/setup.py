"""An OTLP-exporting tracer provider from the standard OpenTelemetry variables.

Exporting is on when ``OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`` or
``OTEL_EXPORTER_OTLP_ENDPOINT`` is set, unless ``OTEL_SDK_DISABLED=true`` or
``OTEL_TRACES_EXPORTER=none``. The exporter reads the rest of its settings (headers,
timeout, certificates) from the same standard variables; the service is named by
``OTEL_SERVICE_NAME`` (default ``cadenza``). Spans are sent over OTLP/HTTP (protobuf)
by a background batch processor."""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import TYPE_CHECKING

from cadenza.errors import UserError

if TYPE_CHECKING:
    from opentelemetry.sdk.trace import TracerProvider

ENDPOINT_VARIABLES = ("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "OTEL_EXPORTER_OTLP_ENDPOINT")


def wanted(env: Mapping[str, str]) -> bool:
    """Whether the environment asks for traces to be exported."""
    if env.get("OTEL_SDK_DISABLED", "").strip().lower() == "true":
        return False
    if env.get("OTEL_TRACES_EXPORTER", "").strip().lower() == "none":
        return False
    return any(env.get(name, "").strip() for name in ENDPOINT_VARIABLES)


def provider_from_env(env: Mapping[str, str] | None = None) -> TracerProvider | None:
    """An SDK tracer provider exporting to the OTLP endpoint the environment names,
    or None when the environment does not ask for traces (then nothing is traced and
    nothing is imported). Call its ``shutdown()`` before exiting: it sends the spans
    still queued."""
    env = os.environ if env is None else env
    if not wanted(env):
        return None
    protocol = (
        env.get("OTEL_EXPORTER_OTLP_TRACES_PROTOCOL") or env.get("OTEL_EXPORTER_OTLP_PROTOCOL", "")
    ).strip()
    if protocol not in ("", "http/protobuf"):
        raise UserError(
            f"OTEL_EXPORTER_OTLP_PROTOCOL is {protocol!r}, but cadenza exports traces over "
            "OTLP/HTTP only: set it to http/protobuf (or unset it) and point the endpoint at "
            "the collector's HTTP port (usually 4318)."
        )
    try:
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
        from opentelemetry.sdk.resources import SERVICE_NAME, Resource
        from opentelemetry.sdk.trace import TracerProvider as SdkTracerProvider
        from opentelemetry.sdk.trace.export import BatchSpanProcessor
    except ImportError as exc:
        raise UserError(
            "An OTLP endpoint is set (OTEL_EXPORTER_OTLP_ENDPOINT), but the OpenTelemetry SDK "
            f"is not installed ({exc.name}): pip install 'cadenza[otel]', or unset the variable."
        ) from None
    name = env.get("OTEL_SERVICE_NAME", "").strip() or "cadenza"
    provider = SdkTracerProvider(resource=Resource.create({SERVICE_NAME: name}))
    provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
    return provider
