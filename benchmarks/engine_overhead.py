"""Per-step scheduling overhead of cadenza's engine, side by side with LangGraph.

Every step is a no-op, so all the time a run takes is the engine's own overhead.
Three shapes: a chain of 1,000 steps; a fan-out of 1,000 steps from one root with a
join; a random DAG of 10,000 steps (each step has 1 to 3 inputs among the 200 steps
before it, 2 % are extra roots). LangGraph runs the same nodes and edges as a
`StateGraph` (a step with several inputs is a join edge ``add_edge([a, b], c)``),
compiled once before timing, executed with its superstep loop, both with `invoke` (sync
nodes) and `ainvoke` (async nodes); the ratio uses the faster of the two.

Timing: the median over repeats of (wall time of one run) / (number of steps), for
cadenza including building the `Run` from the frozen plan. Every run's step count is
checked (each node must run exactly once), so a shortcut cannot pass for speed.

    python benchmarks/engine_overhead.py           # a table
    python benchmarks/engine_overhead.py --json    # one JSON object
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import operator
import random
import statistics
import sys
import time
from collections.abc import Callable
from typing import Annotated, Any, TypedDict

import anyio

from cadenza.engine import Plan, Run, Step, StepContext

Edges = list[tuple[int, ...]]  # inputs of step i, by index


def chain(n: int = 1000) -> Edges:
    return [()] + [(i - 1,) for i in range(1, n)]


def fan_out(n: int = 1000) -> Edges:
    return [()] + [(0,)] * n + [tuple(range(1, n + 1))]


def random_dag(n: int = 10_000, seed: int = 1, window: int = 200) -> Edges:
    rng = random.Random(seed)
    edges: Edges = []
    for i in range(n):
        if i == 0 or rng.random() < 0.02:
            edges.append(())
            continue
        k = rng.randint(1, 3)
        edges.append(tuple(sorted({rng.randrange(max(0, i - window), i) for _ in range(k)})))
    return edges


SHAPES: dict[str, Callable[[], Edges]] = {
    "chain_1000": chain,
    "fanout_1000_join": fan_out,
    "random_dag_10000": random_dag,
}


# ------------------------------------------------------------------- cadenza


def cadenza_plan(edges: Edges, counter: list[int]) -> Plan:
    async def noop(ctx: StepContext) -> None:
        counter[0] += 1

    return Plan.of(Step(f"s{i}", noop, tuple(f"s{p}" for p in ins)) for i, ins in enumerate(edges))


async def time_cadenza(plan: Plan, counter: list[int]) -> float:
    counter[0] = 0
    started = time.perf_counter()
    report = await Run(plan).run()
    elapsed = time.perf_counter() - started
    if counter[0] != len(plan) or report.stats.outcomes["ok"] != len(plan):
        raise RuntimeError(f"cadenza ran {counter[0]} of {len(plan)} steps")
    return elapsed


# ----------------------------------------------------------------- LangGraph


class _State(TypedDict):
    hits: Annotated[int, operator.add]


def langgraph_app(edges: Edges, *, use_async: bool) -> Any:
    from langgraph.graph import START, StateGraph

    graph = StateGraph(_State)
    if use_async:

        async def anode(state: _State) -> dict[str, int]:
            return {"hits": 1}

        for i in range(len(edges)):
            graph.add_node(f"s{i}", anode)
    else:

        def node(state: _State) -> dict[str, int]:
            return {"hits": 1}

        for i in range(len(edges)):
            graph.add_node(f"s{i}", node)
    for i, ins in enumerate(edges):
        if not ins:
            graph.add_edge(START, f"s{i}")
        elif len(ins) == 1:
            graph.add_edge(f"s{ins[0]}", f"s{i}")
        else:
            graph.add_edge([f"s{p}" for p in ins], f"s{i}")
    return graph.compile()


def time_langgraph(app: Any, n: int, *, use_async: bool) -> float:
    config = {"recursion_limit": 10**7}
    started = time.perf_counter()
    if use_async:
        state = asyncio.run(app.ainvoke({"hits": 0}, config))
    else:
        state = app.invoke({"hits": 0}, config)
    elapsed = time.perf_counter() - started
    if state["hits"] != n:
        raise RuntimeError(f"LangGraph ran {state['hits']} node executions for {n} nodes")
    return elapsed


# -------------------------------------------------------------------- driver


def measure(name: str, edges: Edges, repeats: int, lg_repeats: int) -> dict[str, Any]:
    n = len(edges)
    counter = [0]
    plan = cadenza_plan(edges, counter)

    async def cadenza_runs() -> list[float]:
        await time_cadenza(plan, counter)  # warm-up
        return [await time_cadenza(plan, counter) for _ in range(repeats)]

    gc.collect()
    cadenza_times = anyio.run(cadenza_runs)
    cadenza_us = statistics.median(cadenza_times) / n * 1e6

    lg: dict[str, float] = {}
    for use_async in (False, True):
        app = langgraph_app(edges, use_async=use_async)
        time_langgraph(app, n, use_async=use_async)  # warm-up
        gc.collect()
        times = [time_langgraph(app, n, use_async=use_async) for _ in range(lg_repeats)]
        lg["ainvoke" if use_async else "invoke"] = statistics.median(times) / n * 1e6
    langgraph_us = min(lg.values())
    return {
        "cadenza_us_per_step": round(cadenza_us, 2),
        "langgraph_us_per_step": round(langgraph_us, 2),
        "ratio": round(langgraph_us / cadenza_us, 2),
        "steps": n,
        "cadenza_runs": repeats,
        "cadenza_min_us_per_step": round(min(cadenza_times) / n * 1e6, 2),
        "langgraph_invoke_us_per_step": round(lg["invoke"], 2),
        "langgraph_ainvoke_us_per_step": round(lg["ainvoke"], 2),
        "langgraph_runs": lg_repeats,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--repeats", type=int, default=7, help="cadenza runs per shape")
    args = parser.parse_args(argv)
    shapes: dict[str, Any] = {}
    for name, build in SHAPES.items():
        edges = build()
        lg_repeats = 1 if len(edges) > 5000 else 3
        repeats = max(3, args.repeats // 2) if len(edges) > 5000 else args.repeats
        shapes[name] = measure(name, edges, repeats, lg_repeats)
    result = {
        "shapes": shapes,
        "target": "cadenza at least 10x lower per-step overhead than LangGraph on every shape",
        "met": all(s["ratio"] >= 10 for s in shapes.values()),
        "python": sys.version.split()[0],
    }
    if args.json:
        print(json.dumps(result))
        return 0
    print(f"{'shape':<20} {'cadenza us/step':>16} {'LangGraph us/step':>18} {'ratio':>7}")
    for name, s in shapes.items():
        print(
            f"{name:<20} {s['cadenza_us_per_step']:>16.2f} "
            f"{s['langgraph_us_per_step']:>18.2f} {s['ratio']:>7.1f}"
        )
    print(f"target (>= 10x on every shape) met: {result['met']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
