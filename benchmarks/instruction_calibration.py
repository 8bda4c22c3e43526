"""Calibrate the question "is this set-aside part an instruction?" on labelled parts.

    python benchmarks/instruction_calibration.py [--model local:qwen2.5-coder-1.5b] [--json]

`benchmarks/data/instruction_calibration.jsonl` holds parts of requests written for this
(not taken from any benchmark): instructions said as fragments or statements (a tone, an
audience, a form, content, a voice, a length) and parts that ask nothing (facts about the
writer, the world, the topic, plans and feelings, scaffolding such as "For example"),
each inside a short request. Each is put to the model as `instruction.sort_parts` puts
it. The families fall in two halves: the threshold is chosen on one half and its
accuracy reported on the other, both ways, so the figure is not the one it was tuned on.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

import anyio

from cadenza.providers.registry import resolve
from cadenza.requirements.instruction import sort_parts
from cadenza.settings import Settings
from judge_calibration import accuracy, best_threshold, git_commit, load

DATA = Path(__file__).parent / "data" / "instruction_calibration.jsonl"
THRESHOLDS = tuple(round(0.01 * i, 2) for i in range(1, 100))
"""Finer than the judge's: the 1.5B model's P(yes) spans a narrow band here."""
HALVES = {
    "a": {"tone", "audience", "form", "self", "world"},
    "b": {"content", "voice", "length", "topic", "plan", "scaffold"},
}


def auc(scores: list[float | None], labels: list[bool]) -> float:
    """How often a part that is an instruction scores above one that is not (ties half)."""
    pos = [s or 0.0 for s, label in zip(scores, labels, strict=True) if label]
    neg = [s or 0.0 for s, label in zip(scores, labels, strict=True) if not label]
    if not pos or not neg:
        return 0.0
    won = sum((p > n) + 0.5 * (p == n) for p in pos for n in neg)
    return won / (len(pos) * len(neg))


async def run(model_id: str, path: Path) -> dict[str, Any]:
    commit = git_commit()
    model = resolve(model_id, Settings.load())
    rows = load(path)
    started = time.monotonic()
    scores: list[float | None] = []
    for row in rows:
        start = row["prompt"].index(row["part"])
        (answer,) = await sort_parts(
            row["prompt"], [(start, start + len(row["part"]))], model=model
        )
        scores.append(answer.p_yes)
        print(f"{row['label']!s:>5} {answer.p_yes} {row['part']}", file=sys.stderr, flush=True)
    report: dict[str, Any] = {
        "model": model_id,
        "rows": len(rows),
        "positives": sum(bool(r["label"]) for r in rows),
        "failures": sum(s is None for s in scores),
        "seconds": round(time.monotonic() - started, 1),
    }
    for name, families in HALVES.items():
        mine = [i for i, r in enumerate(rows) if r["family"] in families]
        labels = [bool(rows[i]["label"]) for i in mine]
        picked = [scores[i] for i in mine]
        per = {t: accuracy(picked, labels, t) for t in THRESHOLDS}
        best = best_threshold(per)
        report[name] = {
            "families": sorted(families),
            "rows": len(mine),
            "auc": round(auc(picked, labels), 4),
            "accuracy_by_threshold": {f"{t:.2f}": round(a, 4) for t, a in per.items()},
            "best_threshold": best,
            "best_accuracy": round(per[best], 4),
        }
    for mine, other in (("a", "b"), ("b", "a")):
        threshold = report[mine]["best_threshold"]
        report[f"{other}_at_{mine}_threshold"] = report[other]["accuracy_by_threshold"][
            f"{threshold:.2f}"
        ]
    labels = [bool(r["label"]) for r in rows]
    report["auc"] = round(auc(scores, labels), 4)
    report["items"] = [
        {"family": r["family"], "part": r["part"], "label": r["label"], "p_yes": s}
        for r, s in zip(rows, scores, strict=True)
    ]
    report["command"] = " ".join(["benchmarks/instruction_calibration.py", *sys.argv[1:]])
    report["commit"] = commit
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--model", "-m", default="local:qwen2.5-coder-1.5b")
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    report = anyio.run(run, args.model, args.data.resolve())
    if args.json:
        print(json.dumps(report, indent=1))
        return
    print(f"{report['model']}: {report['rows']} parts, AUC {report['auc']}")
    for name in ("a", "b"):
        half = report[name]
        print(
            f"  half {name} ({', '.join(half['families'])}): AUC {half['auc']}, best "
            f"{half['best_accuracy']} at {half['best_threshold']}"
        )
    print(f"  b at a's threshold: {report['b_at_a_threshold']}")
    print(f"  a at b's threshold: {report['a_at_b_threshold']}")


if __name__ == "__main__":
    main()
