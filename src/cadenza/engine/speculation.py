"""Speculation: start a step on a predicted input before the real one exists.

Attach a `Speculation` to a step (``Step(..., speculation=Speculation("draft",
predicted=guess))``). Once every *other* input of the step is ready, and a slot and
budget are free after all non-speculative work has been placed, the engine starts a
speculative attempt with `predicted` standing in for the input named `input`. When the
real input ends:

- ok and ``holds(predicted, actual)``: a **hit**; the speculative attempt becomes the
  step's real attempt (finished already: its result is committed at once);
- otherwise: a **miss**; the speculative attempt is cancelled (its spend counts as
  wasted) and the step runs normally on the real input.

Hits, misses and the spend wasted on misses are in the run's `RunStats`.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from dataclasses import dataclass, field

Predicate = Callable[[object, object], bool]


@dataclass(frozen=True, slots=True)
class Speculation:
    """`input`: the id of the input to predict; `predicted`: the value to run on;
    `holds(predicted, actual)`: whether a result computed on `predicted` is valid for
    `actual` (equality by default)."""

    input: str
    predicted: object
    holds: Predicate = field(default=operator.eq)
