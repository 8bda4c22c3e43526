"""How often the degenerate-answer screens (`cadenza.requirements.screens`) flag a set of
answers: run them over JSON-lines files of ``{"prompt", "response"}`` rows (IFEval's
GPT-4 reference responses, whose answers are nearly all genuine, give the false-flag
rate; a benchmark arm's answers give how many of its passes are degenerate). No model
call: the screens are deterministic, the provider's finish reason is not in these files
(so only text-visible truncation is seen).

    PYTHONPATH=src .venv/bin/python benchmarks/screen_rates.py FILE.jsonl [...] \
        [--ifeval ../shared/benchmarks/ifeval] [--out docs/results/screens/rates.json] [--show]

Each file is one arm (its name: the file's parent folder, or the file's stem; the run's
folder is prefixed when two files share a name). Prints,
per arm, how many answers a screen fails (certain) or sends to the judge (uncertain),
by screen; with ``--ifeval`` (the IFEval data folder) each answer is also scored with
the official strict checks, and the counts are given for the strict passes too (how
many answers that pass IFEval are degenerate); ``--show`` prints every flagged answer's
prompt and reason, to be read one by one; ``--out`` writes the counts and every flag
(with the answer's opening) as JSON."""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path
from typing import Any

from cadenza.bench.ifeval.data import IFEvalRow, load_rows
from cadenza.bench.ifeval.scoring import score_row
from cadenza.requirements.asked import expected
from cadenza.requirements.screens import screen_text


def rate(path: Path, data: dict[str, IFEvalRow], nltk: Path | None) -> dict[str, Any]:
    rows = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
    flags: list[dict[str, Any]] = []
    kinds: Counter[str] = Counter()
    passes = 0
    for row in rows:
        prompt, response = str(row["prompt"]), str(row.get("response") or "")
        scored = data.get(prompt)
        strict = scored is not None and all(score_row(scored, response, nltk_data=nltk).strict)
        passes += strict
        found = screen_text(response, prompt, expected(prompt))
        if found is None:
            continue
        kinds[f"{found.kind} ({'fails' if found.certain else 'judged'})"] += 1
        flags.append(
            {
                "key": row.get("key"),
                "prompt": prompt,
                "kind": found.kind,
                "certain": found.certain,
                "strict_pass": strict,
                "reason": found.reason,
                "finish_reason": row.get("finish_reason"),
                "response_start": response[:300],
            }
        )
    return {
        "file": str(path),
        "answers": len(rows),
        "fails": sum(1 for f in flags if f["certain"]),
        "judged": sum(1 for f in flags if not f["certain"]),
        "strict_passes": passes if data else None,
        "strict_passes_failing_a_screen": sum(
            1 for f in flags if f["certain"] and f["strict_pass"]
        ),
        "strict_passes_judged": sum(1 for f in flags if not f["certain"] and f["strict_pass"]),
        "by_screen": dict(sorted(kinds.items())),
        "flags": flags,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="+", type=Path)
    parser.add_argument("--ifeval", type=Path, help="the IFEval data folder, to score answers")
    parser.add_argument("--out", type=Path)
    parser.add_argument("--show", action="store_true")
    args = parser.parse_args()
    data: dict[str, IFEvalRow] = {}
    nltk = None
    if args.ifeval is not None:
        data = {row.prompt: row for row in load_rows(args.ifeval / "input_data.jsonl")}
        nltk = args.ifeval.parent / "nltk_data"
    arms: dict[str, Any] = {}
    for path in args.files:
        name = path.parent.name if path.stem in ("results", "responses") else path.stem
        if name in arms:  # the same arm of another run: name the run too
            name = f"{path.parent.parent.name}/{name}"
        arms[name] = found = rate(path, data, nltk)
        print(
            f"{name}: {found['answers']} answers, {found['fails']} fail a screen, "
            f"{found['judged']} sent to the judge; {found['by_screen']}"
        )
        if data:
            print(
                f"  strict passes: {found['strict_passes']}, of which "
                f"{found['strict_passes_failing_a_screen']} fail a screen and "
                f"{found['strict_passes_judged']} are sent to the judge"
            )
        if args.show:
            for flag in found["flags"]:
                where = f"[{flag['key']}] " if flag["key"] is not None else ""
                passed = " (strict pass)" if flag["strict_pass"] else ""
                print(f"  - {where}{' '.join(flag['prompt'].split())[:160]}{passed}")
                print(f"    => {flag['reason']}")
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(arms, indent=1, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
