"""Uncertainty of a benchmark's figures: a 95% interval for an accuracy over a sample
(`wilson`), and for the difference between two arms answered on the same prompts
(`paired_difference`, a paired bootstrap). A claim that one arm is better, or that two
tie, holds only as far as these intervals say (`compare`)."""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

Z95 = 1.959963984540054  # the normal quantile of a two-sided 95% interval
RESAMPLES = 10_000


@dataclass(frozen=True, slots=True)
class Interval:
    """`estimate` and its 95% interval [`low`, `high`] (fractions)."""

    estimate: float
    low: float
    high: float

    def __contains__(self, value: float) -> bool:
        return self.low <= value <= self.high

    def to_json(self) -> dict[str, Any]:
        return {
            "estimate": round(self.estimate, 4),
            "ci95": [round(self.low, 4), round(self.high, 4)],
        }

    def shown(self) -> str:
        """``74.0% [60.4, 84.1]`` (percentages)."""
        return f"{100 * self.estimate:.1f}% [{100 * self.low:.1f}, {100 * self.high:.1f}]"


def wilson(successes: int, n: int, z: float = Z95) -> Interval:
    """The Wilson score interval of `successes` out of `n` (95% by default): unlike the
    normal approximation it stays inside [0, 1] and is honest at 0 or n successes."""
    if n <= 0:
        raise ValueError("an accuracy needs at least one trial")
    if not 0 <= successes <= n:
        raise ValueError(f"{successes} successes out of {n} trials")
    p = successes / n
    z2 = z * z
    centre = (p + z2 / (2 * n)) / (1 + z2 / n)
    half = z * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / (1 + z2 / n)
    return Interval(p, max(0.0, centre - half), min(1.0, centre + half))


def paired_difference(
    a: Sequence[bool], b: Sequence[bool], *, resamples: int = RESAMPLES, seed: int = 0
) -> Interval:
    """Accuracy of `a` minus accuracy of `b`, where ``a[i]`` and ``b[i]`` are the two
    arms' outcomes on the same prompt i, with a 95% paired bootstrap interval
    (prompts resampled with replacement, both arms together, percentile method; seeded,
    so the same outcomes give the same interval)."""
    if len(a) != len(b):
        raise ValueError(f"paired outcomes differ in length: {len(a)} and {len(b)}")
    n = len(a)
    if n == 0:
        raise ValueError("a difference needs at least one prompt")
    diffs = [int(x) - int(y) for x, y in zip(a, b, strict=True)]
    estimate = sum(diffs) / n
    # only the prompts where the arms disagree move the difference
    rng = random.Random(seed)
    means = sorted(sum(rng.choices(diffs, k=n)) / n for _ in range(resamples))
    low = means[int(0.025 * (resamples - 1))]
    high = means[math.ceil(0.975 * (resamples - 1))]
    return Interval(estimate, low, high)


Comparison = Literal["better", "worse", "indistinguishable"]


def compare(difference: Interval) -> Comparison:
    """What a difference's interval allows one to say: ``better`` or ``worse`` only when
    it excludes zero, else ``indistinguishable`` (not "ties": a wide interval that holds
    zero does not show the arms equal)."""
    if difference.low > 0:
        return "better"
    if difference.high < 0:
        return "worse"
    return "indistinguishable"
