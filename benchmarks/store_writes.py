"""How much recording a step costs, to choose between writing from the event loop and
handing writes to a worker thread.

    python benchmarks/store_writes.py [--steps 2000] [--json]

Measures, on a file store in a temporary folder: `Store.record_step` called directly
(each a committed transaction), the same through ``anyio.to_thread.run_sync``, a cache
hit (`cache_get`), and `load_run` of the whole run.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from pathlib import Path

import anyio
import anyio.to_thread

from cadenza.engine.outcomes import Spend, StepRecord
from cadenza.providers.base import Completion, Usage
from cadenza.store import Store


def _record(run_id: str, step_id: str) -> StepRecord:
    mono, wall = time.monotonic(), time.time()
    return StepRecord(
        run_id, step_id, "sample", "local:smollm2-135m", "ok", "", None, 1,
        mono - 0.5, mono, wall - 0.5, wall, Spend(0.0, 120, 80, 1), ("prompt",),
    )  # fmt: skip


def _value(n: int) -> Completion:
    return Completion(f"candidate {n} " * 60, "stop", Usage(120, 80, 0.0, 0.5), "local:m")


def _us(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    return {
        "median_us": statistics.median(ordered) * 1e6,
        "p99_us": ordered[int(len(ordered) * 0.99) - 1] * 1e6,
        "mean_us": statistics.fmean(ordered) * 1e6,
    }


async def measure(steps: int) -> dict[str, object]:
    with tempfile.TemporaryDirectory() as folder, Store.open(Path(folder) / "b.db") as store:
        direct_run = store.start_run(strategy="bench")
        direct: list[float] = []
        for n in range(steps):
            record, value = _record(direct_run, f"s{n}"), _value(n)
            start = time.perf_counter()
            store.record_step(record, value)
            direct.append(time.perf_counter() - start)

        thread_run = store.start_run(strategy="bench")
        threaded: list[float] = []
        for n in range(steps):
            record, value = _record(thread_run, f"s{n}"), _value(n)
            start = time.perf_counter()
            await anyio.to_thread.run_sync(store.record_step, record, value)
            threaded.append(time.perf_counter() - start)

        store.cache_put("k", _value(0))
        hits: list[float] = []
        for _ in range(steps):
            start = time.perf_counter()
            store.cache_get("k")
            hits.append(time.perf_counter() - start)

        start = time.perf_counter()
        history = store.load_run(direct_run)
        load_s = time.perf_counter() - start
        assert len(history.steps) == steps
    return {
        "steps": steps,
        "record_step_in_loop": _us(direct),
        "record_step_to_thread": _us(threaded),
        "cache_get_hit": _us(hits),
        "load_run_ms": load_s * 1e3,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=2000)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args()
    figures = anyio.run(measure, args.steps)
    if args.json:
        print(json.dumps(figures))
        return
    print(f"{args.steps} steps recorded on a file store (WAL, synchronous=NORMAL):")
    for name in ("record_step_in_loop", "record_step_to_thread", "cache_get_hit"):
        row = figures[name]
        assert isinstance(row, dict)
        print(
            f"  {name:24s} median {row['median_us']:8.1f} us   p99 {row['p99_us']:8.1f} us"
            f"   mean {row['mean_us']:8.1f} us"
        )
    print(f"  load_run of {args.steps} steps: {figures['load_run_ms']:.1f} ms")


if __name__ == "__main__":
    main()
