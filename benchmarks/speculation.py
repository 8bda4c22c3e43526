"""Speculation on and off: the tree strategy's wall time and cost on a simulated hosted API.

Each seeded task asks for an answer with three requirements: at least N words, a
keyword, and a friendly tone (decided by an LLM judge). The scripted provider plays a
hosted model: heavy-tailed latencies (log-normal, scaled down so the whole benchmark
takes about a minute), 8 parallel slots, a price per token. A sample meets each
requirement with some chance; a fix repairs each requirement it is told about with
some chance and rarely breaks one that passed; the judge reads a marker in the text.
The same tasks run with speculation on and off; the two runs of a task share a seed.

    python benchmarks/speculation.py           # a table
    python benchmarks/speculation.py --json    # one JSON object

Reported: median and p90 wall time and mean cost per task for each mode,
`median_latency_reduction` (1 - median_on / median_off) and `cost_increase`
(mean_cost_on / mean_cost_off - 1), both fractions, and the pass rates. The cost is
what the provider would bill: every call started, in full, including speculative calls
cancelled as misses (`mean_cost_reported_usd` is what the result reported). The JSON
carries the simulation's assumptions (`assumptions`).
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from dataclasses import dataclass
from typing import Any

import anyio

from cadenza.api import solve
from cadenza.providers.base import CompletionRequest
from cadenza.providers.scripted import Reply, ScriptedModel
from cadenza.result import SolveResult
from cadenza.settings import Price

PRICE = Price(input=0.4, output=1.6)  # dollars per million tokens
FRIENDLY = "glad to help"
SAMPLE_MEETS = (0.5, 0.5, 0.4, 0.5)  # chance a sample meets each requirement
FIX_REPAIRS = 0.75  # chance a fix repairs a requirement it is told about
FIX_BREAKS = 0.03  # chance a fix breaks a requirement that passed
MEDIANS_S = {"sample": 3.0, "fix": 3.0, "judge": 2.0}  # unscaled median latencies
SIGMA = 0.6  # log-normal spread of latencies
SLOTS = 8
ASSUMPTIONS = {
    "latency_model": f"log-normal, sigma {SIGMA}, medians (s) {MEDIANS_S}, scaled by "
    "--scale; figures are reported unscaled",
    "slots": SLOTS,
    "price_per_million_tokens": {"input": PRICE.input, "output": PRICE.output},
    "tokens": "one token a word",
    "requirements": ["at least N words", "a keyword", "a friendly tone (judged)",
                     "a word at least 2 times"],
    "sample_pass_rates": list(SAMPLE_MEETS),
    "fix_success_probability": FIX_REPAIRS,
    "fix_breaks_probability": FIX_BREAKS,
    "judge": "an LLM judge call that reads a marker string (passes iff the candidate "
    f"holds {FRIENDLY!r}); it answers in the form asked (a choice, else the JSON verdict)",
    "cost": "every call started is billed in full (input and output tokens), including "
    "speculative calls cancelled as misses",
}  # fmt: skip


@dataclass(frozen=True)
class Task:
    seed: int
    words: int
    keyword: str
    second: str

    @property
    def requirements(self) -> list[str]:
        return [
            f"Answer with at least {self.words} words",
            f"Include the keyword {self.keyword}",
            "Use a warm, friendly tone",
            f"Mention the word {self.second} at least 2 times",
        ]


def make_tasks(n: int, seed: int) -> list[Task]:
    rng = random.Random(seed)
    keywords = ["harbor", "lantern", "orchid", "granite", "meadow", "comet"]
    seconds = ["river", "forest", "candle", "bridge"]
    return [
        Task(rng.randrange(10**9), rng.randint(30, 60), rng.choice(keywords), rng.choice(seconds))
        for _ in range(n)
    ]


def latency(rng: random.Random, scale: float, median: float) -> float:
    return scale * median * rng.lognormvariate(0.0, SIGMA)


def words(text: str) -> int:
    return max(1, len(text.split())) if text else 0


def text_for(
    task: Task, rng: random.Random, ok_words: bool, ok_key: bool, ok_tone: bool, ok_second: bool
) -> str:
    n = task.words + rng.randint(2, 15) if ok_words else max(5, task.words - rng.randint(8, 20))
    body = [f"t{i}" for i in range(n)]
    if ok_key:
        body[rng.randrange(len(body))] = task.keyword
    if ok_tone:
        body[:3] = FRIENDLY.split()
    body[-2:] = [task.second, task.second] if ok_second else [task.second, "t"]
    return " ".join(body)


class Billed:
    """What the provider bills for a task's calls: every call started, in full, whether
    it finished, was cancelled as a speculative miss, or was wasted."""

    def __init__(self) -> None:
        self.dollars = 0.0
        self.calls = 0

    def bill(self, request: CompletionRequest, reply: Reply) -> Reply:
        tokens_in = sum(words(m.content) for m in request.messages)
        tokens_out = min(words(reply.text), request.max_tokens or words(reply.text))
        self.dollars += PRICE.cost(tokens_in, tokens_out)
        self.calls += 1
        return reply


def model_for(task: Task, scale: float, billed: Billed) -> ScriptedModel:
    rng = random.Random(task.seed)

    def script(request: CompletionRequest, index: int) -> Reply:
        return billed.bill(request, answer(request))

    def answer(request: CompletionRequest) -> Reply:
        prompt = request.messages[-1].content
        if request.choices:  # the judge: slow, reads the tone marker
            candidate = prompt.split("Candidate answer")[-1]
            p_yes = 0.9 if FRIENDLY in candidate else 0.2
            probs = {"yes": p_yes, "no": 1 - p_yes}
            return Reply(choice_probs=probs, latency_s=latency(rng, scale, MEDIANS_S["judge"]))
        if "does not meet this requirement" in prompt:  # the judge's reason, for a fix
            return Reply("greet the reader warmly", latency_s=latency(rng, scale, 1.0))
        if "DRAFT:" in prompt:  # a fix: keep what passed, repair what was named
            failures = prompt.split("FAILED REQUIREMENTS")[-1].split("ALREADY MET")[0]
            draft = prompt.split("DRAFT:")[-1].split("FAILED REQUIREMENTS")[0]
            had_words = len(draft.split()) >= task.words
            had_key = task.keyword in draft
            had_tone = FRIENDLY in draft
            had_second = draft.count(task.second) >= 2

            def outcome(had: bool, named: bool) -> bool:
                if named:
                    return rng.random() < FIX_REPAIRS
                return had and rng.random() > FIX_BREAKS

            text = text_for(
                task,
                rng,
                outcome(had_words, "words" in failures),
                outcome(had_key, "keyword" in failures),
                outcome(had_tone, "friendly" in failures),
                outcome(had_second, task.second in failures),
            )
            return Reply(text, latency_s=latency(rng, scale, MEDIANS_S["fix"]))
        text = text_for(task, rng, *(rng.random() < p for p in SAMPLE_MEETS))
        return Reply(text, latency_s=latency(rng, scale, MEDIANS_S["sample"]))

    return ScriptedModel(
        script, name="scripted:hosted", max_concurrency=SLOTS, price=PRICE, seed=task.seed
    )


async def run_task(task: Task, speculate: bool, scale: float) -> tuple[SolveResult, Billed]:
    billed = Billed()
    model = model_for(task, scale, billed)
    result = await solve(
        f"Write a short note about the {task.keyword}.",
        task.requirements,
        models=[model],
        strategy="tree",
        budget={"calls": 40, "dollars": 1.0},
        options={"speculate": speculate, "max_tokens": 200},
    )
    return result, billed


def _stat(engine: object, key: str) -> int:
    return int(engine.get(key, 0)) if isinstance(engine, dict) else 0


def p90(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.9 * (len(ordered) - 1)))]


async def measure(tasks: list[Task], scale: float, parallel: int) -> dict[str, Any]:
    results: dict[bool, list[tuple[SolveResult, Billed] | None]] = {
        True: [None] * len(tasks),
        False: [None] * len(tasks),
    }
    limiter = anyio.CapacityLimiter(parallel)

    async def one(i: int, speculate: bool) -> None:
        async with limiter:
            results[speculate][i] = await run_task(tasks[i], speculate, scale)

    async with anyio.create_task_group() as tg:
        for i in range(len(tasks)):
            for speculate in (False, True):
                tg.start_soon(one, i, speculate)
    out: dict[str, Any] = {}
    for speculate, name in ((True, "on"), (False, "off")):
        pairs = [r for r in results[speculate] if r is not None]
        done = [r for r, _ in pairs]
        walls = [r.wall_s / scale for r in done]  # in unscaled seconds
        costs = [b.dollars for _, b in pairs]  # every call started, billed in full
        engine = [r.extra.get("engine", {}) for r in done]
        out[name] = {
            "median_latency_s": statistics.median(walls),
            "p90_latency_s": p90(walls),
            "mean_cost_usd": statistics.fmean(costs),
            "median_cost_usd": statistics.median(costs),
            "mean_calls": statistics.fmean(r.calls for r in done),
            "mean_calls_billed": statistics.fmean(b.calls for _, b in pairs),
            "mean_cost_reported_usd": statistics.fmean(r.usage.cost_usd for r in done),
            "pass_rate": sum(r.passed for r in done) / len(done),
            "speculation_hits": sum(
                int(e.get("speculation_hits", 0)) for e in engine if isinstance(e, dict)
            ),
            "speculation_misses": sum(
                int(e.get("speculation_misses", 0)) for e in engine if isinstance(e, dict)
            ),
        }
    on, off = out["on"], out["off"]
    out["median_latency_reduction"] = 1.0 - on["median_latency_s"] / off["median_latency_s"]
    out["p90_latency_reduction"] = 1.0 - on["p90_latency_s"] / off["p90_latency_s"]
    out["cost_increase"] = on["mean_cost_usd"] / off["mean_cost_usd"] - 1.0
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tasks", type=int, default=200)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--scale", type=float, default=0.1, help="latency scale (1 = ~3 s calls)")
    parser.add_argument("--parallel", type=int, default=40)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    started = time.monotonic()
    tasks = make_tasks(args.tasks, args.seed)
    out = anyio.run(measure, tasks, args.scale, args.parallel)
    out.update(
        tasks=args.tasks,
        seed=args.seed,
        latency_scale=args.scale,
        slots=SLOTS,
        assumptions=ASSUMPTIONS,
        benchmark_wall_s=time.monotonic() - started,
        targets={"median_latency_reduction": ">= 0.25", "cost_increase": "<= 0.15"},
    )
    if args.json:
        sys.stdout.write(json.dumps(out) + "\n")
        return 0
    print(f"{'':10}{'median s':>10}{'p90 s':>10}{'mean $':>12}{'calls':>8}{'passed':>8}")
    for name in ("off", "on"):
        m = out[name]
        print(
            f"speculate {name:<3}{m['median_latency_s']:>7.2f}{m['p90_latency_s']:>10.2f}"
            f"{m['mean_cost_usd']:>12.6f}{m['mean_calls']:>8.1f}{m['pass_rate']:>8.2f}"
        )
    print(
        f"median latency reduction {out['median_latency_reduction']:.1%}, "
        f"p90 {out['p90_latency_reduction']:.1%}, cost increase {out['cost_increase']:.1%} "
        f"({out['benchmark_wall_s']:.0f}s)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
