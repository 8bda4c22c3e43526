"""The budget ledger: reserve before an attempt starts, settle after it ends.

Limits come from `cadenza.task.Budget` (dollars, tokens, calls; ``seconds`` is the
run's deadline, handled by the scheduler). Two rules decide whether an attempt may
start:

1. once any limit is reached (what was spent is at or past it), nothing that may spend
   starts any more, whatever its estimate says: only free steps (a `ZERO` estimate:
   bookkeeping, joins) still run;
2. otherwise the attempt starts only if what is spent, plus what in-flight attempts
   have reserved, plus its own estimate fits under every limit on which its estimate
   is non-zero (a free local call is not stopped by a dollar limit that is not yet
   reached).

So the run spends at most its limit plus what the attempts in flight when a limit was
reached spent: an estimate that is too low can never start a new call past the limit.

The ledger is owned by the run's one state-owning coroutine; it is not thread-safe.
"""

from __future__ import annotations

from cadenza.engine.outcomes import ZERO, Spend
from cadenza.task import Budget

_EPSILON = 1e-12


class Ledger:
    __slots__ = ("calls", "dollars", "reserved", "spent", "tokens", "unlimited")

    def __init__(self, budget: Budget | None = None) -> None:
        self.dollars = budget.dollars if budget else None
        self.tokens = budget.tokens if budget else None
        self.calls = budget.calls if budget else None
        self.unlimited = self.dollars is None and self.tokens is None and self.calls is None
        self.spent = ZERO
        self.reserved = ZERO

    def reached(self) -> str | None:
        """The first limit that what was spent has reached (``dollars``, ``tokens`` or
        ``calls``), or None."""
        spent = self.spent
        if self.dollars is not None and spent.dollars >= self.dollars - _EPSILON:
            return "dollars"
        if self.tokens is not None and spent.tokens >= self.tokens:
            return "tokens"
        if self.calls is not None and spent.calls >= self.calls:
            return "calls"
        return None

    def fits(self, estimate: Spend) -> bool:
        """Whether an attempt estimated at `estimate` may start now."""
        if self.unlimited or estimate is ZERO or estimate.is_zero:
            return True
        if self.reached() is not None:
            return False
        spent, held = self.spent, self.reserved
        if (
            self.dollars is not None
            and estimate.dollars > 0
            and spent.dollars + held.dollars + estimate.dollars > self.dollars + _EPSILON
        ):
            return False
        if (
            self.tokens is not None
            and estimate.tokens > 0
            and spent.tokens + held.tokens + estimate.tokens > self.tokens
        ):
            return False
        return not (
            self.calls is not None
            and estimate.calls > 0
            and spent.calls + held.calls + estimate.calls > self.calls
        )

    def reserve(self, estimate: Spend) -> None:
        if estimate is not ZERO:
            self.reserved = self.reserved + estimate

    def settle(self, estimate: Spend, actual: Spend) -> None:
        """Release `estimate`'s reservation and book what the attempt really cost."""
        if estimate is not ZERO:
            self.reserved = self.reserved - estimate
        if actual is not ZERO:
            self.spent = self.spent + actual

    def remaining(self) -> tuple[float | None, int | None, int | None]:
        """(dollars, tokens, calls) left after spending and reservations (None: no limit)."""
        spent, held = self.spent, self.reserved
        return (
            None if self.dollars is None else self.dollars - spent.dollars - held.dollars,
            None if self.tokens is None else self.tokens - spent.tokens - held.tokens,
            None if self.calls is None else self.calls - spent.calls - held.calls,
        )
