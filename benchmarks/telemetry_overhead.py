"""What tracing costs a solve, off and on, side by side in one run.

    python benchmarks/telemetry_overhead.py [--solves 300] [--json]

The same `solve` (tree strategy, two requirements, the scripted echo model, no store)
is run with tracing off (no provider: the default), and on (an SDK tracer provider
exporting to memory), alternating so noise hits both alike. Off, the only work tracing
adds is asking whether a provider is installed; that check is timed on its own too,
and compared with a solve.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
import timeit

import anyio
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from cadenza.api import solve
from cadenza.telemetry import active_provider

REQUIREMENTS = ["at most 12 words", "mention the sea"]


async def measure(solves: int) -> dict[str, float]:
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    off: list[float] = []
    on: list[float] = []
    for n in range(solves):
        for times, tracer in ((off, None), (on, provider)):
            start = time.perf_counter()
            await solve(
                f"Write line {n} about the sea",
                REQUIREMENTS,
                models=["scripted:echo"],
                tracer_provider=tracer,
            )
            times.append(time.perf_counter() - start)
        exporter.clear()
    check = timeit.timeit(active_provider, number=100_000) / 100_000
    off_ms = statistics.median(off) * 1e3
    return {
        "solve_off_median_ms": off_ms,
        "solve_on_median_ms": statistics.median(on) * 1e3,
        "on_over_off": statistics.median(on) / statistics.median(off),
        "off_check_us": check * 1e6,
        "off_check_share_of_solve": check * 1e3 / off_ms,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--solves", type=int, default=300)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    figures = anyio.run(measure, args.solves)
    if args.json:
        print(json.dumps(figures, indent=2))
        return
    print(
        f"solve: {figures['solve_off_median_ms']:.2f} ms off, "
        f"{figures['solve_on_median_ms']:.2f} ms on ({figures['on_over_off']:.2f}x); "
        f"off, tracing adds one check of {figures['off_check_us']:.2f} us "
        f"({figures['off_check_share_of_solve']:.5%} of a solve)"
    )


if __name__ == "__main__":
    main()
