"""How well the model that restates reads requirement sentences on its own: sentences of
the reader inventory (`cadenza.bench.inventory`) given to the model compiler with the
rules bypassed, each compiled check scored on the sentence's labelled answers.

    python benchmarks/restate_inventory.py [--model local:qwen2.5-coder-1.5b] [--sample 40] [--json]

Two groups, by `split(0)` of the frame families:
- `read_a`: a seeded sample of side a's sentences that the rules read (the grammar's
  reading is known to be right there, so a wrong restatement is the model's or the
  verification's fault);
- `unread`: every sentence of either side that no rule reads, which is what the model
  compiler gets in a solve.
For each: how many are compiled (a verified restatement), how many of those decide any
labelled answer wrongly (`wrong`: a false `satisfied` or a false failure), how many the
model hands to the judge, and how many restatements failed verification twice.
"""

from __future__ import annotations

import argparse
import json
import random
import time
from typing import Any

import anyio

from cadenza.bench.inventory import items, split
from cadenza.bench.inventory_forms import Item
from cadenza.providers.metered import Metered
from cadenza.providers.registry import resolve
from cadenza.requirements.compiler import COMPILER_VERSION, ModelCompiler
from cadenza.requirements.lang.evaluate import evaluate
from cadenza.requirements.rules import read
from cadenza.settings import Settings
from cadenza.task import Requirement


async def _group(compiler: ModelCompiler, chosen: list[Item]) -> dict[str, Any]:
    rows: list[dict[str, Any]] = []
    for item in chosen:
        before = len(compiler.restatements)
        compiled = await compiler.compile(Requirement(item.sentence), None)
        said = compiler.restatements[before:]
        row: dict[str, Any] = {
            "family": item.family,
            "sentence": item.sentence,
            "method": compiled.method,
            "restated": said,
            "why": compiled.why,
        }
        if compiled.expr is not None:
            right = sum(evaluate(compiled.expr, t).passed == label for t, label in item.answers)
            row["wrong_answers"] = len(item.answers) - right
        rows.append(row)
    made = [r for r in rows if r["method"] == "compiled"]
    judge = [r for r in rows if r["method"] != "compiled" and r["restated"][-1:] == ["judge"]]
    return {
        "sentences": len(rows),
        "compiled": len(made),
        "wrong": sum(1 for r in made if r["wrong_answers"]),
        "judge_word": len(judge),
        "refused": len(rows) - len(made) - len(judge),
        "rows": rows,
    }


async def run(model_id: str, sample: int) -> dict[str, Any]:
    model = Metered(resolve(model_id, Settings.load()))
    compiler = ModelCompiler(model)
    a, _ = split(0)
    every = list(items())
    read_a = [i for i in every if i.family in a and read(i.sentence) is not None]
    random.Random(1).shuffle(read_a)
    unread = [i for i in every if read(i.sentence) is None]
    started = time.monotonic()
    out: dict[str, Any] = {"model": model_id, "compiler": COMPILER_VERSION}
    out["read_a"] = await _group(compiler, read_a[:sample])
    out["unread"] = await _group(compiler, unread)
    out["calls"] = compiler.calls
    out["seconds"] = round(time.monotonic() - started, 1)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--model", "-m", default="local:qwen2.5-coder-1.5b")
    parser.add_argument("--sample", type=int, default=40, help="side a sentences the rules read")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    report = anyio.run(run, args.model, args.sample)
    if args.json:
        print(json.dumps(report, indent=1))
        return
    for group in ("read_a", "unread"):
        g = report[group]
        print(
            f"{group:7} {g['sentences']:4} sentences: compiled {g['compiled']}, wrong "
            f"{g['wrong']}, judge word {g['judge_word']}, refused {g['refused']}"
        )
    print(f"{report['calls']} calls, {report['seconds']} s")


if __name__ == "__main__":
    main()
