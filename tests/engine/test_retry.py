"""Back-off: exponential, jittered, capped, and never shorter than retry_after."""

from __future__ import annotations

import random

import pytest

from cadenza.engine import RetryPolicy
from cadenza.errors import BadResponseError, ProviderTimeoutError, RateLimitError


def test_only_retryable_provider_errors_are_retried() -> None:
    policy = RetryPolicy(max_attempts=3)
    assert policy.should_retry(RateLimitError("429", provider="x"), 1)
    assert policy.should_retry(ProviderTimeoutError("timeout", provider="x"), 2)
    assert not policy.should_retry(RateLimitError("429", provider="x"), 3)
    assert not policy.should_retry(BadResponseError("bad", provider="x"), 1)
    assert not policy.should_retry(ValueError("bug"), 1)


def test_delays_grow_exponentially_within_the_jitter_and_cap() -> None:
    policy = RetryPolicy(base_delay_s=0.5, max_delay_s=4.0, jitter=0.5)
    rng = random.Random(0)
    error = ProviderTimeoutError("timeout", provider="x")
    for attempt, full in [(1, 0.5), (2, 1.0), (3, 2.0), (4, 4.0), (6, 4.0)]:
        delays = [policy.delay_s(error, attempt, rng) for _ in range(200)]
        assert min(delays) >= full * 0.5 - 1e-9
        assert max(delays) <= full + 1e-9
        assert max(delays) - min(delays) > full * 0.3  # jitter spreads callers out


def test_retry_after_is_a_floor() -> None:
    policy = RetryPolicy(base_delay_s=0.1, jitter=0.5)
    rng = random.Random(1)
    error = RateLimitError("429", provider="x", retry_after=7.0)
    delays = [policy.delay_s(error, 1, rng) for _ in range(100)]
    assert min(delays) >= 7.0
    assert max(delays) <= 7.0 + 0.5 * 0.1 + 1e-9


@pytest.mark.parametrize("kwargs", [{"max_attempts": 0}, {"base_delay_s": -1.0}, {"jitter": 1.5}])
def test_bad_policies_are_refused(kwargs: dict[str, float]) -> None:
    with pytest.raises(ValueError, match=r"must be|fraction"):
        RetryPolicy(**kwargs)  # type: ignore[arg-type]
