"""The `cadenza` command. Thin: parse, call the library, render."""

from __future__ import annotations

from cadenza.cli import (
    batch,
    bench_ifeval,
    bench_requirements,
    bench_validators,
    check,
    models,
    run,
    runs,
)
from cadenza.cli.app import app

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
]


def main() -> None:
    app()
