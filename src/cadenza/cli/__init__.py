"""The `cadenza` command. Thin: parse, call the library, render."""

from __future__ import annotations

import sys

from opentelemetry import trace
from rich.markup import escape

from cadenza.cli import (
    batch,
    bench_ifeval,
    bench_requirements,
    bench_validators,
    check,
    models,
    run,
    runs,
    serve,
)
from cadenza.cli.app import EXIT_USER_ERROR, app, err_console
from cadenza.errors import UserError
from cadenza.telemetry import provider_from_env

__all__ = [
    "app",
    "batch",
    "bench_ifeval",
    "bench_requirements",
    "bench_validators",
    "check",
    "main",
    "models",
    "run",
    "runs",
    "serve",
]


def main() -> None:
    # OpenTelemetry: when the standard OTEL_* variables name an OTLP endpoint, every
    # command's solves are traced there; spans still queued are sent on the way out.
    try:
        provider = provider_from_env()
    except UserError as exc:
        err_console.print(f"[bold red]error:[/] {escape(str(exc))}", highlight=False)
        sys.exit(EXIT_USER_ERROR)
    if provider is None:
        app()
        return
    trace.set_tracer_provider(provider)
    try:
        app()
    finally:
        provider.shutdown()
