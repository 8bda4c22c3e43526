"""How far the grammar reads without the phrasing rules (issue 19: one reader, the
phrasing rules to go): the same rules-only measures with `find_phrases` switched off
in this process, side by side with them on.

    python benchmarks/grammar_alone.py [--data ../shared/benchmarks] [--json]

Measures: the common phrasings of `tests/requirements/test_compile.py` read and
decided right (their passing and failing probes), IFEval's validator agreement on the
reference responses (`cadenza bench validators`, rules only: an unread requirement is
not a check there), `requirements-ood` rules-only figures, and the reader inventory.
No model.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

import anyio

import cadenza.requirements.phrasing as phrasing
import cadenza.requirements.rules as rules
from cadenza.bench import requirements, validators
from cadenza.bench.inventory import items, score, summary
from cadenza.requirements.lang.evaluate import evaluate

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "requirements"))
from test_compile import PHRASINGS  # noqa: E402  (the common phrasings and their probes)


def _measure(data: Path) -> dict[str, Any]:
    read = 0
    for text, _, meets, breaks in PHRASINGS:
        r = rules.read(text)
        read += (
            r is not None and evaluate(r.expr, meets).passed and not evaluate(r.expr, breaks).passed
        )
    v = anyio.run(lambda: validators.run(data / "ifeval")).to_json()
    q = anyio.run(lambda: requirements.run(data / "requirements-ood"))
    return {
        "common_phrasings": {"read": read, "of": len(PHRASINGS)},
        "validators": {k: v[k] for k in ("agreement", "false_accept_rate", "false_reject_rate")},
        "requirements_ood": {
            "compiled_share": q["mechanical"]["compiled_share"],
            "accuracy": q["mechanical"]["accuracy"],
            "false_imposition": q["plain"]["false_imposition"],
            "inline_recall": q["plain"]["inline_recall"],
        },
        "inventory": summary([score(i) for i in items()]),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "benchmarks")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    report: dict[str, Any] = {"with_phrasing": _measure(args.data)}
    found = phrasing.find_phrases
    rules.find_phrases = phrasing.find_phrases = lambda text: []  # type: ignore[assignment]
    try:
        report["grammar_alone"] = _measure(args.data)
    finally:
        rules.find_phrases = phrasing.find_phrases = found  # type: ignore[assignment]
    if args.json:
        print(json.dumps(report, indent=1))
        return
    for side, r in report.items():
        common = r["common_phrasings"]
        print(
            f"{side}: common phrasings {common['read']}/{common['of']}, "
            f"validators agreement {r['validators']['agreement']}, "
            f"requirements-ood {r['requirements_ood']}, "
            f"inventory read {r['inventory']['read_share']}"
        )


if __name__ == "__main__":
    main()
