"""Exporting is opt-in, from the standard OpenTelemetry variables."""

from __future__ import annotations

import pytest
from opentelemetry.sdk.trace import TracerProvider

from cadenza.errors import UserError
from cadenza.telemetry import provider_from_env


def test_no_endpoint_means_no_provider() -> None:
    assert provider_from_env({}) is None
    assert provider_from_env({"OTEL_SERVICE_NAME": "x"}) is None


def test_an_endpoint_gives_an_exporting_provider_unless_disabled() -> None:
    env = {"OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:4318", "OTEL_SERVICE_NAME": "svc"}
    provider = provider_from_env(env)
    assert isinstance(provider, TracerProvider)
    assert provider.resource.attributes["service.name"] == "svc"
    provider.shutdown()
    assert provider_from_env({**env, "OTEL_SDK_DISABLED": "true"}) is None
    assert provider_from_env({**env, "OTEL_TRACES_EXPORTER": "none"}) is None
    traces_only = {"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": "http://127.0.0.1:4318/v1/traces"}
    other = provider_from_env(traces_only)
    assert isinstance(other, TracerProvider)
    other.shutdown()


def test_grpc_is_refused_with_what_to_do() -> None:
    env = {"OTEL_EXPORTER_OTLP_ENDPOINT": "http://c:4317", "OTEL_EXPORTER_OTLP_PROTOCOL": "grpc"}
    with pytest.raises(UserError, match="http/protobuf"):
        provider_from_env(env)
