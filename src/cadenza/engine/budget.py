"""The budget ledger: reserve before an attempt starts, settle after it ends.

Limits come from `cadenza.task.Budget` (dollars, tokens, calls; ``seconds`` is the
run's deadline, handled by the scheduler). An attempt may start only if what is spent,
plus what in-flight attempts have reserved, plus its own estimate fits under every
limit on which the estimate is non-zero; an attempt that costs nothing on an axis
(a programmatic check, a free local call) is never stopped by that axis. So the run
can overspend only by how much in-flight attempts exceed their estimates.

The ledger is owned by the run's one state-owning coroutine; it is not thread-safe.
"""

from __future__ import annotations

from cadenza.engine.outcomes import ZERO, Spend
from cadenza.task import Budget


class Ledger:
    __slots__ = ("calls", "dollars", "reserved", "spent", "tokens", "unlimited")

    def __init__(self, budget: Budget | None = None) -> None:
        self.dollars = budget.dollars if budget else None
        self.tokens = budget.tokens if budget else None
        self.calls = budget.calls if budget else None
        self.unlimited = self.dollars is None and self.tokens is None and self.calls is None
        self.spent = ZERO
        self.reserved = ZERO

    def fits(self, estimate: Spend) -> bool:
        """Whether an attempt estimated at `estimate` may start now."""
        if self.unlimited or estimate is ZERO:
            return True
        spent, held = self.spent, self.reserved
        if (
            self.dollars is not None
            and estimate.dollars > 0
            and spent.dollars + held.dollars + estimate.dollars > self.dollars + 1e-12
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
