"""Calibrate the yes/no judge's pass threshold on labelled data of our own.

Each row of ``benchmarks/data/judge_calibration.jsonl`` is a requirement, the task, an
answer and whether the answer meets the requirement (written for this purpose, apart
from every data set cadenza is measured on: tone, audience, content mentions, style and
"does the task" with genuine answers against loops, titles, refusals, off-topic text,
the task copied back and an injected instruction; their requirement ``@task`` stands for
the implicit "does the task" requirement every solve judges, `TASK_RUBRIC`). The judge is
asked about each row once; its score is P(yes) where the provider gives probabilities.
The report gives the accuracy at each threshold and picks the best (the one nearest
0.5 among equals).

    PYTHONPATH=src .venv/bin/python benchmarks/judge_calibration.py \\
        --model local:qwen2.5-coder-1.5b --json > docs/results/judge-calibration/qwen1.5b.json
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import anyio

from cadenza.errors import ProviderError
from cadenza.providers.registry import resolve
from cadenza.requirements.assessment import TASK_RUBRIC
from cadenza.requirements.judge import judge
from cadenza.settings import Settings

DATA = Path(__file__).parent / "data" / "judge_calibration.jsonl"
THRESHOLDS = tuple(round(0.05 * i, 2) for i in range(1, 20))


def load(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def accuracy(scores: list[float | None], labels: list[bool], threshold: float) -> float:
    """The share of rows judged right at `threshold` (a failed judge counts as wrong)."""
    right = sum(
        s is not None and (s >= threshold) == label for s, label in zip(scores, labels, strict=True)
    )
    return right / len(labels) if labels else 0.0


def best_threshold(per: dict[float, float]) -> float:
    return max(per, key=lambda t: (round(per[t], 6), -abs(t - 0.5)))


def shown(path: Path) -> str:
    """`path` as the report names it: from the repository's root when it is inside it
    (the committed data), else as given (a labelled set of one's own, anywhere)."""
    root = Path(__file__).resolve().parent.parent
    full = path.resolve()
    return str(full.relative_to(root)) if full.is_relative_to(root) else str(path)


async def run(model_id: str, path: Path) -> dict[str, Any]:
    commit = git_commit()  # what is measured: the code as it is when the run starts
    model = resolve(model_id, Settings.load())
    rows = load(path)
    scores: list[float | None] = []
    items: list[dict[str, Any]] = []
    started = time.monotonic()
    for row in rows:
        try:
            rubric = TASK_RUBRIC if row["requirement"] == "@task" else row["requirement"]
            verdict = await judge(row["answer"], rubric, model=model, task_prompt=row["task"])
            score: float | None = verdict.score
            error = ""
        except ProviderError as exc:
            score, error = None, exc.message
        scores.append(score)
        items.append({"id": row["id"], "label": row["label"], "score": score, "error": error})
        print(f"{row['id']} label={row['label']} score={score}", file=sys.stderr, flush=True)
    labels = [bool(r["label"]) for r in rows]
    per = {t: accuracy(scores, labels, t) for t in THRESHOLDS}
    best = best_threshold(per)
    return {
        "model": model_id,
        "data": shown(path),
        "rows": len(rows),
        "positives": sum(labels),
        "judge_failures": sum(s is None for s in scores),
        "seconds": round(time.monotonic() - started, 1),
        "accuracy_by_threshold": {f"{t:.2f}": round(a, 4) for t, a in per.items()},
        "best_threshold": best,
        "best_accuracy": round(per[best], 4),
        "accuracy_at_0.50": round(per[0.5], 4),
        "items": items,
        "command": " ".join(["benchmarks/judge_calibration.py", *sys.argv[1:]]),
        "commit": commit,
    }


def git_commit() -> str:
    try:
        out = subprocess.run(
            ["git", "rev-parse", "HEAD"], capture_output=True, text=True, check=True
        )
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return out.stdout.strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", "-m", default="local:qwen2.5-coder-1.5b")
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    args = parser.parse_args()
    report = anyio.run(run, args.model, args.data.resolve())
    if args.json:
        print(json.dumps(report, indent=2))
        return
    print(f"{report['model']}: {report['rows']} rows, {report['judge_failures']} judge failures")
    for t, a in report["accuracy_by_threshold"].items():
        print(f"  threshold {t}: accuracy {a:.3f}")
    print(f"best threshold {report['best_threshold']:.2f}: accuracy {report['best_accuracy']:.3f}")


if __name__ == "__main__":
    main()
