"""What the server adds to a run, measured side by side with `solve` in one process.

    python benchmarks/server_overhead.py [--runs 100] [--concurrent 100] [--json]

A `cadenza serve` process (its own store) and `solve` in this process (its own store)
run the same inputs on the scripted echo model, one at a time and alternating, so
noise hits both alike. Two shapes of run: ``single`` with no requirement (the
smallest solve, where the server's share is largest) and ``tree`` with two
requirements (several calls, verdicts and decisions). An API run is POST, following
its event stream to the end, then GET of the result: what a client does. The
per-run overhead is the difference of the medians.

Then `--concurrent` runs are sent at once: all must complete (none lost), each with
its own result and per-requirement report, and the server's store must pass SQLite's
integrity check. (Their results are not compared with `solve`'s: each run plans with
the estimates the runs finished before it saved, so the tree's width may differ.)
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import anyio

from cadenza.api import solve
from cadenza.client import Client
from cadenza.store import Store

CADENZA = Path(sys.executable).with_name("cadenza")
SHAPES: dict[str, dict[str, Any]] = {
    "single": {"requirements": None, "strategy": "single"},
    "tree": {"requirements": ["at most 12 words", "mention the sea"], "strategy": "tree"},
}


def _server(folder: Path, token: str) -> tuple[subprocess.Popen[str], str]:
    env = {**os.environ, "CADENZA_DATA_DIR": str(folder), "CADENZA_TOKEN": token}
    server = subprocess.Popen(
        [str(CADENZA), "serve", "--port", "0", "--store", str(folder / "server.db"),
         "--max-running", "16"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=env,
    )  # fmt: skip
    assert server.stdout is not None
    return server, server.stdout.readline().split()[2]


async def _ready(client: Client) -> None:
    for _ in range(200):
        try:
            await client.info()
            return
        except Exception:
            await anyio.sleep(0.05)
    raise RuntimeError("the server did not start")


async def sequential(client: Client, store: Store, runs: int) -> dict[str, Any]:
    figures: dict[str, Any] = {}
    for shape, fields in SHAPES.items():
        direct: list[float] = []
        served: list[float] = []
        for n in range(runs):
            text = f"Write line {n} about the sea ({shape})"
            start = time.perf_counter()
            await solve(
                text,
                fields["requirements"],
                models=["scripted:echo"],
                strategy=fields["strategy"],
                store=store,
            )
            direct.append(time.perf_counter() - start)
            start = time.perf_counter()
            done = await client.solve(
                text + " ",  # another input: the response cache must not serve it
                fields["requirements"],
                models=["scripted:echo"],
                strategy=fields["strategy"],
            )
            served.append(time.perf_counter() - start)
            assert done["status"] == "completed", done
        figures[shape] = {
            "solve_median_ms": statistics.median(direct) * 1e3,
            "api_median_ms": statistics.median(served) * 1e3,
            "overhead_median_ms": (statistics.median(served) - statistics.median(direct)) * 1e3,
            "api_p90_ms": sorted(served)[int(len(served) * 0.9) - 1] * 1e3,
        }
    return figures


async def concurrent(client: Client, store: Path, count: int) -> dict[str, Any]:
    fields = SHAPES["tree"]
    results: dict[str, dict[str, Any]] = {}

    async def one(n: int) -> None:
        results[f"Concurrent line {n} about the sea"] = await client.solve(
            f"Concurrent line {n} about the sea", fields["requirements"], models=["scripted:echo"]
        )

    start = time.perf_counter()
    async with anyio.create_task_group() as tg:
        for n in range(count):
            tg.start_soon(one, n)
    wall = time.perf_counter() - start
    completed = sum(r["status"] == "completed" for r in results.values())
    given = fields["requirements"]

    def has_its_result(text: str, run: dict[str, Any]) -> bool:
        # its own input, and a report for each requirement it gave (beside the implicit
        # does-the-task one, which a solve adds)
        reported = {r["description"] for r in run["result"]["requirements"]}
        return run["input"] == text and set(given) <= reported

    whole = sum(has_its_result(text, run) for text, run in results.items())
    conn = sqlite3.connect(store)
    try:
        integrity = conn.execute("PRAGMA integrity_check").fetchone()[0]
        recorded = conn.execute(
            "SELECT COUNT(*) FROM runs WHERE summary LIKE '%Concurrent line%'"
        ).fetchone()[0]
    finally:
        conn.close()
    return {
        "runs": count,
        "completed": completed,
        "recorded_in_store": recorded,
        "with_their_result": whole,
        "integrity_check": integrity,
        "wall_s": wall,
        "runs_per_s": count / wall,
    }


async def measure(runs: int, count: int) -> dict[str, Any]:
    token = secrets.token_urlsafe(24)
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        server, url = _server(folder, token)
        try:
            async with Client(url, token) as client:
                await _ready(client)
                with Store.open(folder / "direct.db") as direct:  # held open, as the server does
                    figures = {"sequential": await sequential(client, direct, runs)}
                figures["concurrent"] = await concurrent(client, folder / "server.db", count)
        finally:
            server.send_signal(signal.SIGINT)
            server.wait(timeout=30)
            if server.stdout is not None:
                server.stdout.close()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=100, help="sequential runs per shape")
    parser.add_argument("--concurrent", type=int, default=100)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    figures = anyio.run(measure, args.runs, args.concurrent)
    if args.json:
        print(json.dumps(figures, indent=2))
        return
    for shape, f in figures["sequential"].items():
        print(
            f"{shape:>6}: solve {f['solve_median_ms']:.1f} ms, API {f['api_median_ms']:.1f} ms "
            f"(median of {args.runs}): server overhead {f['overhead_median_ms']:.1f} ms per run"
        )
    c = figures["concurrent"]
    print(
        f"{c['runs']} concurrent runs: {c['completed']} completed, {c['recorded_in_store']} in "
        f"the store, {c['with_their_result']} with their result, integrity "
        f"{c['integrity_check']}, "
        f"{c['runs_per_s']:.1f} runs/s"
    )


if __name__ == "__main__":
    main()
