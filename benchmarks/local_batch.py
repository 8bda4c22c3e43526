"""Several sequences decoded together on the embedded model, against one.

Side by side in one process (so the ratios share the machine's load):

- ``sequences``: N = 1, 2, 4, 8 concurrent calls of `--tokens` output tokens each (a
  counting prompt that does not end early, a different start per call), wall seconds;
- ``judges``: k = 1, 3, 6 judge-style calls over one answer (the same system prompt,
  task and answer first, a different question last; each k gets a fresh answer so no
  earlier k's prompt is reused), wall seconds;
- tokens per second, peak RSS, prompt tokens computed against reused, whether a seeded
  call gives the same text alone and in a batch, and the marginal cost of one more
  sequence ((wall(N) / wall(1) - 1) / (N - 1)).

Each size is measured `--repeats` times, interleaved, and the median kept.

    flock /tmp/cadenza-model.lock env PYTHONPATH=src .venv/bin/python benchmarks/local_batch.py \\
        --json --out docs/results/local-batch/qwen2.5-coder-1.5b.json
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import sys
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import anyio

from cadenza.providers.base import Completion, CompletionRequest
from cadenza.providers.local import LocalModel, create
from cadenza.settings import Settings
from judge_calibration import git_commit

SEQUENCES = (1, 2, 4, 8)
JUDGES = (1, 3, 6)
SEED = 1234
QUESTIONS = (
    "Does the answer greet the reader by name?",
    "Is the answer under 120 words?",
    "Does the answer say when the parcel can be collected?",
    "Is the tone friendly?",
    "Does the answer avoid any apology?",
    "Is the answer signed?",
)
JUDGE_SYSTEM = (
    "You check whether an answer meets one requirement. Read the task and the answer, "
    "then the requirement, and reply with one word: yes or no."
)


def counting(n: int, tokens: int) -> CompletionRequest:
    start = 100 + 1000 * n
    return CompletionRequest.of(
        f"Count upwards from {start}, one number per line, and do not stop.",
        max_tokens=tokens,
        temperature=0.7,
        seed=SEED + n,
    )


def judging(answer_id: int, question: str) -> CompletionRequest:
    answer = (
        f"Note {answer_id}. Dear Sam, a parcel came for you this morning while you were out. "
        "I kept it inside so the rain would not spoil it; it is on the shelf by my door. "
        "Come by any time after six this evening, or tomorrow before nine, and knock twice. "
        "If you would rather I leave it with the caretaker, just send me a message and I "
        "will take it down at lunchtime. Best wishes, Ana from number twelve."
    )
    prompt = (
        "Task: write a short note to a neighbour about a parcel left at the door.\n\n"
        f"Answer:\n{answer}\n\nRequirement: {question}\nReply yes or no."
    )
    return CompletionRequest.of(prompt, system=JUDGE_SYSTEM, max_tokens=8, temperature=0.0)


async def together(
    model: LocalModel, requests: Sequence[CompletionRequest]
) -> tuple[float, list[Completion]]:
    results: list[Completion | None] = [None] * len(requests)

    async def call(i: int, request: CompletionRequest) -> None:
        results[i] = await model.complete(request)

    started = time.monotonic()
    async with anyio.create_task_group() as group:
        for i, request in enumerate(requests):
            group.start_soon(call, i, request)
    wall = time.monotonic() - started
    return wall, [r for r in results if r is not None]


async def measure(name: str, tokens: int, repeats: int) -> dict[str, Any]:
    model = create(name, Settings.load())
    if not model.batched:
        raise SystemExit("batching is off (CADENZA_LOCAL_BATCH=0): nothing to measure")
    await model.complete(CompletionRequest.of("Hi.", max_tokens=2, temperature=0.0))  # load, warm
    stats = model.batch_stats
    assert stats is not None
    walls: dict[int, list[float]] = {n: [] for n in SEQUENCES}
    out_tokens: dict[int, list[int]] = {n: [] for n in SEQUENCES}
    judge_walls: dict[int, list[float]] = {k: [] for k in JUDGES}
    same_seed: list[bool] = []
    alone_text: str | None = None
    answer_id = 0
    load_before = os.getloadavg()
    for _ in range(repeats):
        for n in SEQUENCES:
            wall, done = await together(model, [counting(i, tokens) for i in range(n)])
            walls[n].append(wall)
            out_tokens[n].append(sum(c.usage.output_tokens for c in done))
            if n == 1:
                alone_text = done[0].text
            elif alone_text is not None:
                same_seed.append(done[0].text == alone_text)
            print(f"sequences={n} wall={wall:.2f}s tokens={out_tokens[n][-1]}", file=sys.stderr)
        for k in JUDGES:
            answer_id += 1
            before = (stats.prompt_tokens, stats.prompt_tokens_computed)
            wall, done = await together(model, [judging(answer_id, q) for q in QUESTIONS[:k]])
            judge_walls[k].append(wall)
            computed = stats.prompt_tokens_computed - before[1]
            print(
                f"judges={k} wall={wall:.2f}s prompt={stats.prompt_tokens - before[0]} "
                f"computed={computed}",
                file=sys.stderr,
            )
    seq = {n: statistics.median(w) for n, w in walls.items()}
    judges = {k: statistics.median(w) for k, w in judge_walls.items()}
    return {
        "model": model.id,
        "tokens_per_sequence": tokens,
        "repeats": repeats,
        "sequences": {str(n): round(w, 3) for n, w in seq.items()},
        "sequences_all": {str(n): [round(x, 3) for x in w] for n, w in walls.items()},
        "sequences_tokens_per_s": {
            str(n): round(statistics.median(out_tokens[n]) / seq[n], 2) for n in SEQUENCES
        },
        "sequences_ratio": {str(n): round(seq[n] / seq[1], 3) for n in SEQUENCES},
        "marginal_sequence_cost": {
            str(n): round((seq[n] / seq[1] - 1) / (n - 1), 3) for n in SEQUENCES if n > 1
        },
        "judges": {str(k): round(w, 3) for k, w in judges.items()},
        "judges_all": {str(k): [round(x, 3) for x in w] for k, w in judge_walls.items()},
        "judges_ratio": {str(k): round(judges[k] / judges[1], 3) for k in JUDGES},
        "prompt_tokens": stats.prompt_tokens,
        "prompt_tokens_computed": stats.prompt_tokens_computed,
        "max_batch_sequences": stats.max_batch_sequences,
        "decode_step_s": {
            str(n): round(t / c, 4) for n, (c, t) in sorted(stats.decode_steps.items())
        },
        "engine_marginal_sequence_cost": stats.marginal_sequence_cost(),
        "seeded_text_same_alone_and_batched": all(same_seed) if same_seed else None,
        "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "targets": {
            "sequences_4_over_1_max": 1.6,
            "judges_6_over_1_max": 2.0,
            "peak_rss_mib_max": 4096,
        },
        "provenance": {
            "commit": git_commit(),
            "command": " ".join([Path(sys.executable).name, *sys.argv]),
            "date": datetime.now(UTC).isoformat(timespec="seconds"),
            "cores": os.cpu_count(),
            "threads": Settings.load().threads,
            "loadavg_before": [round(x, 2) for x in load_before],
            "loadavg_after": [round(x, 2) for x in os.getloadavg()],
            "python": platform.python_version(),
        },
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", default="qwen2.5-coder-1.5b")
    parser.add_argument("--tokens", type=int, default=256)
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--out", type=Path, help="also write the JSON here")
    args = parser.parse_args()
    figures = anyio.run(measure, args.model, args.tokens, args.repeats)
    text = json.dumps(figures, indent=2)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text + "\n")
    if args.json:
        print(text)
    else:
        for key in ("sequences", "sequences_ratio", "judges", "judges_ratio", "peak_rss_mib"):
            print(f"{key}: {figures[key]}")


if __name__ == "__main__":
    main()
