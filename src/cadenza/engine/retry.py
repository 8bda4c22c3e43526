"""When to try a failed attempt again, and how long to wait first.

Only data errors that say so (a `cadenza.errors.ProviderError` or `ToolError` with
``retryable=True``: rate limits, timeouts, unreachable or overloaded servers) are
retried. The delay grows exponentially from `base_delay_s`, capped at `max_delay_s`,
with a random part (`jitter`, a fraction of the delay) so that parallel callers do not
retry in lockstep.
A server's ``retry_after`` is honoured: the delay is never shorter than what it asked.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from cadenza.errors import ProviderError, ToolError


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """`max_attempts` counts the first attempt (1 means never retry)."""

    max_attempts: int = 3
    base_delay_s: float = 0.5
    max_delay_s: float = 30.0
    jitter: float = 0.5

    def __post_init__(self) -> None:
        if self.max_attempts < 1:
            raise ValueError(f"max_attempts must be >= 1, got {self.max_attempts}")
        if self.base_delay_s < 0 or self.max_delay_s < 0:
            raise ValueError("retry delays must be >= 0")
        if not 0.0 <= self.jitter <= 1.0:
            raise ValueError(f"jitter is a fraction in [0, 1], got {self.jitter}")

    def should_retry(self, error: BaseException, attempt: int) -> bool:
        """Whether attempt number `attempt` (from 1), which raised `error`, gets another."""
        return (
            isinstance(error, (ProviderError, ToolError))
            and error.retryable
            and attempt < self.max_attempts
        )

    def delay_s(self, error: BaseException, attempt: int, rng: random.Random) -> float:
        """Seconds to wait after attempt number `attempt` failed with `error`."""
        backoff = min(self.max_delay_s, self.base_delay_s * (2.0 ** (attempt - 1)))
        delay = backoff * (1.0 - self.jitter * rng.random())
        retry_after = error.retry_after if isinstance(error, (ProviderError, ToolError)) else None
        if retry_after is not None and retry_after > delay:
            # what the server asked, plus a little jitter on top so callers spread out
            delay = retry_after + self.jitter * rng.random() * min(backoff, retry_after)
        return delay


NO_RETRY = RetryPolicy(max_attempts=1)
