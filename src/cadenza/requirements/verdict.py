"""A verdict: how one text stands against one requirement."""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Verdict:
    """`score` grades how near the text is (1.0 met, 0.0 nowhere near; 280 of 300 words is
    about 0.93), `passed` whether the requirement is met, `reason` what was found
    ("214 words; needs at least 300"), `fix_hint` what exactly to change ("add about 86
    words"; empty when passed) and `method` how it was decided (``"check:word_count"``,
    ``"judge"`` ...)."""

    score: float
    passed: bool
    reason: str
    fix_hint: str = ""
    method: str = ""

    def __post_init__(self) -> None:
        if not (0.0 <= self.score <= 1.0) or math.isnan(self.score):
            raise ValueError(f"Verdict score must be within [0, 1], got {self.score}.")
