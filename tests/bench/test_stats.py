"""Intervals of benchmark figures: Wilson for an accuracy, a paired bootstrap for the
difference between two arms on the same prompts."""

from __future__ import annotations

import random

import pytest

from cadenza.bench.stats import compare, paired_difference, wilson


def test_wilson_matches_the_textbook_values() -> None:
    # 37 of 50 (74%): centre (p + z²/2n)/(1 + z²/n) = 0.7229, half-width 0.1184
    interval = wilson(37, 50)
    assert interval.estimate == pytest.approx(0.74)
    assert interval.low == pytest.approx(0.6045, abs=2e-4)
    assert interval.high == pytest.approx(0.8413, abs=2e-4)
    assert interval.shown() == "74.0% [60.4, 84.1]"


def test_wilson_stays_inside_zero_and_one_and_narrows_with_n() -> None:
    none, every = wilson(0, 20), wilson(20, 20)
    assert none.low == 0.0 and 0.0 < none.high < 0.2
    assert every.high == 1.0 and 0.8 < every.low < 1.0
    small, large = wilson(30, 50), wilson(300, 500)
    assert large.high - large.low < small.high - small.low
    with pytest.raises(ValueError, match="at least one trial"):
        wilson(3, 0)
    with pytest.raises(ValueError, match="6 successes out of 5"):
        wilson(6, 5)


def test_a_paired_difference_that_is_real_excludes_zero() -> None:
    rng = random.Random(1)
    b = [rng.random() < 0.5 for _ in range(400)]
    a = [x or rng.random() < 0.4 for x in b]  # a fixes 40% of b's failures, breaks none
    diff = paired_difference(a, b)
    assert diff.estimate == pytest.approx((sum(a) - sum(b)) / 400)
    assert diff.low > 0 and compare(diff) == "better"
    assert compare(paired_difference(b, a)) == "worse"


def test_equal_arms_are_indistinguishable_and_the_interval_is_seeded() -> None:
    rng = random.Random(2)
    a = [rng.random() < 0.7 for _ in range(50)]
    b = a[:25] + [not x for x in a[25:30]] + a[30:]  # five prompts flip
    diff = paired_difference(a, b)
    assert diff.low < 0 < diff.high and compare(diff) == "indistinguishable"
    assert paired_difference(a, b) == diff  # same outcomes, same interval
    same = paired_difference(a, a)
    assert (same.estimate, same.low, same.high) == (0.0, 0.0, 0.0)
    with pytest.raises(ValueError, match="differ in length"):
        paired_difference(a, b[:-1])


def test_pairing_is_narrower_than_treating_the_arms_as_independent() -> None:
    rng = random.Random(3)
    b = [rng.random() < 0.6 for _ in range(200)]
    a = [x if rng.random() > 0.05 else not x for x in b]  # a and b mostly agree
    paired = paired_difference(a, b)
    wa, wb = wilson(sum(a), 200), wilson(sum(b), 200)
    assert paired.high - paired.low < (wa.high - wa.low + wb.high - wb.low) / 2
