"""What a step cost and how it ended: `Spend`, `Outcome`, `Reason` and `StepRecord`.

Every step of a run ends in exactly one `StepRecord`. Its `outcome` says how:

- ``ok``: the step returned a value (which may itself describe a model's mistake:
  model mistakes are data);
- ``failed``: the step raised a data error (a `cadenza.errors.ProviderError` by
  default), after any retries;
- ``cancelled``: it was running (or waiting to retry) and was cancelled;
- ``pruned``: the planner removed it (or an input it needs) on purpose;
- ``skipped``: it never started because an input was not ``ok``, the budget was gone,
  the deadline passed or the run was stopped.

`reason` says why, in a closed vocabulary, and `error` carries the error text.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from cadenza.providers.base import Usage

Outcome = Literal["ok", "failed", "cancelled", "pruned", "skipped"]
OUTCOMES: tuple[Outcome, ...] = ("ok", "failed", "cancelled", "pruned", "skipped")

Reason = Literal[
    "",  # ok
    "error",  # the step raised a data error (after retries, if any)
    "budget",  # the budget could not pay for (another attempt of) the step
    "deadline",  # the run's wall-clock deadline passed
    "input",  # an input it needs did not end ok
    "pruned",  # the planner pruned it (or an input it needs)
    "stopped",  # the run was stopped early ("we are done")
    "cancelled",  # the planner cancelled it
    "speculation",  # a speculative attempt whose prediction did not hold
]


@dataclass(frozen=True, slots=True)
class Spend:
    """Dollars, tokens and model calls: what a step is expected to cost (its reservation)
    or what it really cost (its settlement)."""

    dollars: float = 0.0
    input_tokens: int = 0
    output_tokens: int = 0
    calls: int = 0

    @property
    def tokens(self) -> int:
        return self.input_tokens + self.output_tokens

    @property
    def is_zero(self) -> bool:
        return self.dollars == 0 and self.tokens == 0 and self.calls == 0

    def __add__(self, other: Spend) -> Spend:
        return Spend(
            self.dollars + other.dollars,
            self.input_tokens + other.input_tokens,
            self.output_tokens + other.output_tokens,
            self.calls + other.calls,
        )

    def __sub__(self, other: Spend) -> Spend:
        return Spend(
            self.dollars - other.dollars,
            self.input_tokens - other.input_tokens,
            self.output_tokens - other.output_tokens,
            self.calls - other.calls,
        )

    @staticmethod
    def of_usage(usage: Usage, calls: int = 1) -> Spend:
        """The spend of `calls` model calls that used `usage`."""
        return Spend(usage.cost_usd, usage.input_tokens, usage.output_tokens, calls)

    @staticmethod
    def estimate(*, dollars: float = 0.0, tokens: int = 0, calls: int = 0) -> Spend:
        """An estimate given as total tokens (counted as output tokens)."""
        return Spend(dollars, 0, tokens, calls)

    def to_dict(self) -> dict[str, float | int]:
        return {
            "dollars": self.dollars,
            "input_tokens": self.input_tokens,
            "output_tokens": self.output_tokens,
            "calls": self.calls,
        }


ZERO = Spend()


@dataclass(frozen=True, slots=True)
class StepRecord:
    """How one step ended. Times are seconds: `*_mono` from `time.monotonic()` (use
    them for durations), `*_wall` from `time.time()` (use them for display). A step that
    never started has ``started_mono is None``. `spend` is the settled cost of every
    attempt (a cancelled attempt counts what it reported before it was cancelled).
    `speculative` is True when the result came from a speculative attempt that was
    committed."""

    run_id: str
    step_id: str
    kind: str
    resource: str | None
    outcome: Outcome
    reason: Reason
    error: str | None
    attempts: int
    started_mono: float | None
    ended_mono: float
    started_wall: float | None
    ended_wall: float
    spend: Spend
    inputs: tuple[str, ...] = ()
    speculative: bool = False

    @property
    def duration_s(self) -> float | None:
        if self.started_mono is None:
            return None
        return self.ended_mono - self.started_mono

    def to_dict(self) -> dict[str, object]:
        """A JSON-ready dict (for the store and `--json` output)."""
        return {
            "run_id": self.run_id,
            "step_id": self.step_id,
            "kind": self.kind,
            "resource": self.resource,
            "outcome": self.outcome,
            "reason": self.reason,
            "error": self.error,
            "attempts": self.attempts,
            "started_mono": self.started_mono,
            "ended_mono": self.ended_mono,
            "started_wall": self.started_wall,
            "ended_wall": self.ended_wall,
            "spend": self.spend.to_dict(),
            "inputs": list(self.inputs),
            "speculative": self.speculative,
        }
