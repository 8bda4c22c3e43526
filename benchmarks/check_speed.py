"""How long cadenza's programmatic checks take on a 500-word answer: every family, one
at a time and all together (the per-candidate validation cost inside a tree).

    python benchmarks/check_speed.py [--repeat 20] [--json]

The text and specs are those of the tests (`tests/requirements/checks/test_speed.py`
checks that every family is covered). Sentence splitting and language detection are
warmed first, as they are after the first candidate of a run.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

from cadenza.requirements.checks import run_check, run_checks

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "requirements" / "checks"))
from test_speed import SPECS, sample_text


def _ms(fn: Callable[[], object], repeat: int) -> float:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return 1000 * statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    text = sample_text()
    run_checks(SPECS, text)  # warm punkt and langdetect
    per_family = {
        spec.family: round(_ms(lambda spec=spec: run_check(spec, text), args.repeat), 3)
        for spec in SPECS
    }
    total = _ms(lambda: run_checks(SPECS, text), args.repeat)
    figures = {
        "words": len(text.split()),
        "families": len(SPECS),
        "all_checks_ms_median": round(total, 3),
        "slowest": sorted(per_family.items(), key=lambda kv: -kv[1])[:5],
        "per_family_ms_median": per_family,
    }
    if args.json:
        print(json.dumps(figures, indent=2))
        return
    print(f"{figures['families']} check families on {figures['words']} words: "
          f"{total:.2f} ms for all (median of {args.repeat})")  # fmt: skip
    for family, ms in figures["slowest"]:
        print(f"  {family:<28} {ms:8.3f} ms")


if __name__ == "__main__":
    main()
