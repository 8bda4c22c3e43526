"""How long cadenza's programmatic checks take on a 500-word answer: an expression of
every kind of the check language (and of every builder of `lang/build.py`), one at
a time and all together (the per-candidate validation cost inside a tree).

    python benchmarks/check_speed.py [--repeat 20] [--json]

The text and expressions are those of the tests (`tests/requirements/lang/lang_samples.py`;
`tests/requirements/lang/test_speed.py` checks that every kind of node is covered). Units
are cached per text, as they are while one candidate is checked against several
requirements, so "all together" is the realistic figure; "one at a time" clears the
cache before each run. Sentence splitting and language detection are warmed first, as
they are after the first candidate of a run.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

from cadenza.requirements.lang import units
from cadenza.requirements.lang.evaluate import evaluate
from cadenza.requirements.lang.nodes import Expr

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "requirements" / "lang"))
from lang_samples import EXPRESSIONS, REQUEST, sample_text


def _ms(fn: Callable[[], object], repeat: int, *, cold: bool = False) -> float:
    samples = []
    for _ in range(repeat):
        if cold:
            units._find.cache_clear()
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return 1000 * statistics.median(samples)


def _all(exprs: list[Expr], text: str) -> None:
    for expr in exprs:
        evaluate(expr, text, request=REQUEST)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    text = sample_text()
    exprs = list(EXPRESSIONS.values())
    _all(exprs, text)  # warm punkt and langdetect
    per_expression = {
        name: round(
            _ms(lambda e=expr: evaluate(e, text, request=REQUEST), args.repeat, cold=True), 3
        )
        for name, expr in EXPRESSIONS.items()
    }

    def fresh() -> None:
        units._find.cache_clear()
        _all(exprs, text)

    total = _ms(fresh, args.repeat)
    figures = {
        "words": len(text.split()),
        "expressions": len(exprs),
        "all_checks_ms_median": round(total, 3),
        "slowest": sorted(per_expression.items(), key=lambda kv: -kv[1])[:5],
        "per_expression_ms_median": per_expression,
    }
    if args.json:
        print(json.dumps(figures, indent=2))
        return
    print(f"{figures['expressions']} expressions on {figures['words']} words: "
          f"{total:.2f} ms for all (median of {args.repeat})")  # fmt: skip
    for name, ms in figures["slowest"]:
        print(f"  {name:<28} {ms:8.3f} ms")


if __name__ == "__main__":
    main()
