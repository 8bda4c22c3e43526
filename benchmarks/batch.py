"""Batch throughput: `cadenza.batch` against a plain sequential loop over `solve`, and on
a local Ray cluster with 1, 2 and 4 workers.

The scripted provider plays a hosted model: 16 slots, a price per token, and
heavy-tailed latencies (log-normal, sigma 0.8, scaled down so the benchmark takes a few
minutes). Every task is solved by the default `tree` strategy against four
requirements (a word count, a keyword, a repeated word, and a friendly tone decided by
an LLM judge); a sample meets each with some chance and a fix repairs what it is told
about with some chance. Every answer and every latency is drawn from a hash of the
request itself, so a task gets the same calls and answers however the tasks are
interleaved or wherever they run (a batch does not speculate, which would make results
depend on timing); the benchmark checks that the Ray arms' answers equal the local
batch's. The sequential loop uses `solve`'s defaults (speculation on), as a user's loop
would.

    python benchmarks/batch.py           # a table
    python benchmarks/batch.py --json    # one JSON object

Reported: tasks per second for the sequential loop, the local batch and each Ray arm;
`local_speedup` (local batch over the loop) and `ray_speedup_4v1`; the share of tasks
whose answer on Ray equals the local batch's; satisfied share and calls per task; when
the Ray workers were ready. On a 2-core machine the Ray figures measure how well the
batch spreads simulated waiting over workers (the workers mostly sleep), not CPU
scaling.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import re
import sys
import tempfile
import time
from functools import partial
from pathlib import Path
from typing import Any

import anyio

from cadenza.api import batch, solve
from cadenza.batching import BatchEvent, OutFile, TaskFinished, WorkerUp
from cadenza.bench.stats import compare, paired_difference
from cadenza.providers.base import CompletionRequest
from cadenza.providers.scripted import Reply, ScriptedModel
from cadenza.settings import Price

PRICE = Price(input=0.4, output=1.6)  # dollars per million tokens
SLOTS = 16
FRIENDLY = "glad to help"
KEYWORDS = ("harbor", "lantern", "orchid", "granite", "meadow", "comet")
SECONDS = ("river", "forest", "candle", "bridge")
SAMPLE_MEETS = (0.85, 0.9, 0.8, 0.8)  # chance a sample meets each requirement (~49% all)
BUDGET = {"calls": 12, "dollars": 1.0}
OPTIONS = {"max_tokens": 200}


def task_params(number: int) -> tuple[int, str, str]:
    """Words, keyword and repeated word of task `number`."""
    return 30 + (number * 7) % 30, KEYWORDS[number % len(KEYWORDS)], SECONDS[number % 4]


def make_tasks(n: int) -> list[dict[str, Any]]:
    tasks = []
    for number in range(n):
        words, keyword, second = task_params(number)
        tasks.append(
            {
                "id": number,
                "input": f"Note {number}: write a short note about the {keyword}.",
                "requirements": [
                    f"Answer with at least {words} words",
                    f"Include the keyword {keyword}",
                    "Use a warm, friendly tone",
                    f"Mention the word {second} at least 2 times",
                ],
            }
        )
    return tasks


class HostedScript:
    """The simulated hosted model's answers and latencies, drawn from a hash of each
    request (and so the same wherever and whenever the request is made)."""

    def __init__(self, scale: float) -> None:
        self.scale = scale
        self.slept = 0.0  # seconds of latency handed out (in this process)

    def latency(self, rng: random.Random, median: float) -> float:
        seconds = self.scale * median * rng.lognormvariate(0.0, 0.8)
        self.slept += seconds
        return seconds

    def __call__(self, request: CompletionRequest, index: int) -> Reply:
        text = "\n".join(m.content for m in request.messages)
        digest = hashlib.sha256(f"{request.seed}|{text}".encode()).digest()
        rng = random.Random(int.from_bytes(digest[:8], "big"))
        found = re.search(r"Note (\d+):", text)
        words, keyword, second = task_params(int(found.group(1)) if found else 0)
        prompt = request.messages[-1].content
        if request.choices:  # the judge reads the tone marker
            candidate = prompt.split("Candidate answer")[-1]
            p_yes = 0.9 if FRIENDLY in candidate else 0.2
            probs = {"yes": p_yes, "no": 1 - p_yes}
            return Reply(choice_probs=probs, latency_s=self.latency(rng, 2.0))
        if "does not meet this requirement" in prompt:  # the judge's reason, for a fix
            return Reply("greet the reader warmly", latency_s=self.latency(rng, 1.0))
        if "DRAFT:" in prompt:  # a fix: repairs what it is told about, rarely breaks the rest
            failures = prompt.split("FAILED REQUIREMENTS")[-1]
            draft = prompt.split("DRAFT:")[-1].split("FAILED REQUIREMENTS")[0]
            had = (
                len(draft.split()) >= words,
                keyword in draft,
                FRIENDLY in draft,
                draft.count(second) >= 2,
            )
            named = ("words" in failures, "keyword" in failures, "friendly" in failures,
                     second in failures)  # fmt: skip
            met = [rng.random() < 0.85 if n else h and rng.random() > 0.03
                   for h, n in zip(had, named, strict=True)]  # fmt: skip
            return Reply(
                self.answer(rng, words, keyword, second, met), latency_s=self.latency(rng, 3.0)
            )
        met = [rng.random() < p for p in SAMPLE_MEETS]
        return Reply(
            self.answer(rng, words, keyword, second, met), latency_s=self.latency(rng, 3.0)
        )

    @staticmethod
    def answer(rng: random.Random, words: int, keyword: str, second: str, met: list[bool]) -> str:
        n = words + rng.randint(2, 15) if met[0] else max(5, words - rng.randint(8, 20))
        body = [f"t{i}" for i in range(n)]
        if met[1]:
            body[rng.randrange(len(body))] = keyword
        if met[2]:
            body[:3] = FRIENDLY.split()
        body[-2:] = [second, second] if met[3] else [second, "t"]
        return " ".join(body)


def hosted(script: HostedScript) -> ScriptedModel:
    return ScriptedModel(script, name="scripted:hosted", max_concurrency=SLOTS, price=PRICE)


async def sequential(tasks: list[dict[str, Any]], scale: float) -> dict[str, Any]:
    """The loop a user writes today: one `solve` after another (its defaults)."""
    script = HostedScript(scale)
    model = hosted(script)
    passed = calls = 0
    outcomes: dict[Any, bool] = {}
    started = time.monotonic()
    for task in tasks:
        result = await solve(
            task["input"],
            task["requirements"],
            models=[model],
            strategy="tree",
            budget=BUDGET,
            options=OPTIONS,
        )
        passed += result.passed
        calls += result.calls
        outcomes[task["id"]] = result.passed
    seconds = time.monotonic() - started
    return {
        "seconds": seconds,
        "tps": len(tasks) / seconds,
        "satisfied_share": passed / len(tasks),
        "calls_per_task": calls / len(tasks),
        "calls_in_flight": script.slept / seconds,  # the loop's own mean parallelism
        "passed": outcomes,
    }


async def batched(
    tasks: list[dict[str, Any]], scale: float, out: Path, **how: Any
) -> dict[str, Any]:
    """One `cadenza.batch` run; `how` says where (locally, or `ray=True, workers=n`)."""
    script = HostedScript(scale)
    started = time.monotonic()
    ready: list[float] = []
    finished: list[float] = []

    def on_event(event: BatchEvent) -> None:
        if isinstance(event, WorkerUp):
            ready.append(time.monotonic() - started)
        elif isinstance(event, TaskFinished):
            finished.append(time.monotonic() - started)

    summary = await batch(
        tasks,
        out,
        models=[hosted(script)],
        strategy="tree",
        budget=BUDGET,
        options=OPTIONS,
        on_event=on_event,
        **how,
    )
    seconds = time.monotonic() - started
    first, last = len(finished) // 10, len(finished) * 9 // 10  # the middle 80%
    arm = {
        "seconds": seconds,
        "tps": len(tasks) / seconds,
        "steady_tps": (last - first) / (finished[last - 1] - finished[first - 1]),
        "satisfied_share": summary.satisfied_share,
        "calls_per_task": summary.calls / len(tasks),
    }
    if ready:
        arm["workers_ready_s"] = max(ready)
    else:  # in this process: how full the model's slots were kept
        arm["slot_use"] = script.slept / (SLOTS * seconds)
        arm["slot_bound_s"] = script.slept / SLOTS
    return arm


def texts_of(out: Path) -> dict[Any, str]:
    return {record["id"]: record.get("text", "") for record in OutFile(out).records()}


def passed_of(out: Path) -> dict[Any, bool]:
    return {record["id"]: bool(record.get("passed")) for record in OutFile(out).records()}


def satisfied_difference(sequential: dict[Any, bool], batch: dict[Any, bool]) -> dict[str, Any]:
    """The batch's satisfied share minus the loop's, on the same tasks, with its paired
    bootstrap 95% interval."""
    ids = sorted(sequential, key=str)
    diff = paired_difference([batch.get(i, False) for i in ids], [sequential[i] for i in ids])
    return {**diff.to_json(), "verdict": compare(diff)}


def same(texts: dict[Any, str], reference: dict[Any, str]) -> float:
    """Share of the tasks whose answer is the same in both runs."""
    return sum(texts.get(k) == v for k, v in reference.items()) / len(reference)


def measure(tasks: list[dict[str, Any]], scale: float, workers: list[int]) -> dict[str, Any]:
    out: dict[str, Any] = {"tasks": len(tasks), "latency_scale": scale, "slots": SLOTS}
    with tempfile.TemporaryDirectory() as folder:
        out["sequential"] = anyio.run(sequential, tasks, scale)
        out["local"] = local = anyio.run(batched, tasks, scale, Path(folder) / "local")
        reference = texts_of(Path(folder) / "local")
        loop = out["sequential"].pop("passed")
        out["satisfied_difference"] = satisfied_difference(loop, passed_of(Path(folder) / "local"))
        out["local_speedup"] = local["tps"] / out["sequential"]["tps"]
        # the most any batch could do: the loop's time over the batch's call time / slots
        out["local_speedup_bound"] = out["sequential"]["seconds"] / local["slot_bound_s"]
        out["ray"], out["ray_detail"] = {}, {}
        if workers:
            import ray

            started = time.monotonic()
            ray.init(num_cpus=max(workers), include_dashboard=False, log_to_driver=False)
            out["ray_start_s"] = time.monotonic() - started
            try:
                for n in workers:
                    path = Path(folder) / f"ray{n}"
                    arm = anyio.run(partial(batched, tasks, scale, path, ray=True, workers=n))
                    arm["same_as_local"] = same(texts_of(path), reference)
                    out["ray"][str(n)] = arm["tps"]
                    out["ray_detail"][str(n)] = arm
            finally:
                ray.shutdown()
    ray_arms = out["ray_detail"]
    if "1" in ray_arms and "4" in ray_arms:
        out["ray_speedup_4v1"] = ray_arms["4"]["tps"] / ray_arms["1"]["tps"]
        out["ray_steady_speedup_4v1"] = ray_arms["4"]["steady_tps"] / ray_arms["1"]["steady_tps"]
    out["targets"] = {
        "local_speedup": ">= 8",
        "ray_speedup_4v1": ">= 3",
        "satisfied_difference": "within 2 points",
    }
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tasks", type=int, default=400)
    parser.add_argument("--scale", type=float, default=0.1, help="latency scale (1 = ~3 s)")
    parser.add_argument("--workers", default="1,2,4", help="Ray arms ('' for none)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    workers = [int(w) for w in args.workers.split(",") if w]
    started = time.monotonic()
    out = measure(make_tasks(args.tasks), args.scale, workers)
    out["benchmark_wall_s"] = time.monotonic() - started
    if args.json:
        sys.stdout.write(json.dumps(out) + "\n")
        return 0
    print(f"{'arm':<14}{'seconds':>9}{'tasks/s':>9}{'steady':>9}{'calls':>7}{'passed':>8}  same")
    arms = [("sequential", out["sequential"]), ("local batch", out["local"])]
    arms += [(f"ray x{n}", arm) for n, arm in out["ray_detail"].items()]
    for name, arm in arms:
        print(
            f"{name:<14}{arm['seconds']:>9.1f}{arm['tps']:>9.2f}{arm.get('steady_tps', 0):>9.2f}"
            f"{arm['calls_per_task']:>7.2f}{arm['satisfied_share']:>8.1%}"
            f"  {arm.get('same_as_local', 1.0):.0%}"
        )
    diff = out["satisfied_difference"]
    print(f"batch minus loop, satisfied: {diff['estimate']:+.1%} (95% {diff['ci95']})")
    print(
        f"local speedup {out['local_speedup']:.2f}x (bound {out['local_speedup_bound']:.2f}x: "
        f"the loop keeps {out['sequential']['calls_in_flight']:.1f} calls in flight itself)"
    )
    if "ray_speedup_4v1" in out:
        print(
            f"ray 4 workers / 1: {out['ray_speedup_4v1']:.2f}x whole batch, "
            f"{out['ray_steady_speedup_4v1']:.2f}x steady"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
