"""Reserve before a call, settle after; never overspend beyond what is in flight; when
the budget is gone the run ends with what it has."""

from __future__ import annotations

import anyio
import pytest

from cadenza.engine import (
    BudgetUsed,
    Event,
    Limits,
    Plan,
    Spend,
    Step,
    StepContext,
    StepFn,
    execute,
)
from cadenza.engine.budget import Ledger
from cadenza.task import Budget

pytestmark = pytest.mark.anyio


def charging(spend: Spend, seconds: float = 0.01) -> StepFn:
    async def fn(ctx: StepContext) -> str:
        await anyio.sleep(seconds)
        ctx.charge(spend)
        return "text"

    return fn


def test_ledger_reserves_settles_and_ignores_free_axes() -> None:
    ledger = Ledger(Budget(dollars=1.0, calls=2))
    call = Spend(dollars=0.4, calls=1)
    assert ledger.fits(call)
    ledger.reserve(call)
    ledger.reserve(call)
    assert not ledger.fits(call)  # 0.8 reserved + 0.4 > 1.0 and 2 calls held
    assert ledger.fits(Spend())  # a free step is never stopped by the budget
    assert ledger.fits(Spend(output_tokens=10_000))  # no token limit
    ledger.settle(call, Spend(dollars=0.1, calls=1))
    assert ledger.spent == Spend(dollars=0.1, calls=1)
    dollars, tokens, calls = ledger.remaining()
    assert dollars == pytest.approx(0.5) and tokens is None and calls == 0
    assert not ledger.fits(call)  # calls: 1 spent + 1 held + 1 > 2
    ledger.settle(call, Spend(dollars=0.1, calls=1))
    assert ledger.reserved == Spend()
    assert Ledger(None).fits(Spend(dollars=1e9, calls=10**9))


async def test_calls_budget_skips_what_it_cannot_pay_for() -> None:
    steps = [
        Step(f"s{i}", charging(Spend(calls=1)), estimate=Spend.estimate(calls=1), kind="generate")
        for i in range(6)
    ]

    async def reduce(ctx: StepContext) -> int:
        return len(ctx.results)

    steps.append(Step("reduce", reduce, tuple(s.id for s in steps), partial_inputs=True))
    report = await execute(Plan.of(steps), budget=Budget(calls=3))
    assert report.status == "budget_exhausted"
    assert report.stats.spent.calls == 3
    outcomes = [report.records[f"s{i}"] for i in range(6)]
    assert sum(r.outcome == "ok" for r in outcomes) == 3
    skipped = [r for r in outcomes if r.outcome == "skipped"]
    assert len(skipped) == 3 and all(r.reason == "budget" for r in skipped)
    assert all(r.started_mono is None for r in skipped)
    assert report.value("reduce") == 3  # the run ends with what it has


async def test_overspend_is_bounded_by_what_was_in_flight() -> None:
    # each call is estimated at 100 tokens but really costs 150
    events: list[Event] = []
    steps = [
        Step(
            f"s{i}",
            charging(Spend(output_tokens=150, calls=1)),
            estimate=Spend.estimate(tokens=100),
        )
        for i in range(5)
    ]
    report = await execute(Plan.of(steps), budget=Budget(tokens=250), on_event=events.append)
    # two fit (200 <= 250) and start together; nothing else fits after they settle
    assert report.stats.spent.tokens == 300
    assert report.stats.outcomes == {
        "ok": 2,
        "failed": 0,
        "cancelled": 0,
        "pruned": 0,
        "skipped": 3,
    }
    budget = [e for e in events if isinstance(e, BudgetUsed)]
    assert len(budget) == 2 and budget[-1].spent.tokens == 300
    assert budget[-1].remaining_tokens == -50


async def test_steps_wait_for_in_flight_settlement_before_being_skipped() -> None:
    # estimates are pessimistic: the second call waits for the first to settle
    steps = [
        Step(
            f"s{i}",
            charging(Spend(output_tokens=10, calls=1), 0.02),
            estimate=Spend.estimate(tokens=60),
        )
        for i in range(3)
    ]
    report = await execute(Plan.of(steps), budget=Budget(tokens=100))
    assert report.status == "completed"
    assert report.stats.outcomes["ok"] == 3
    first, second = report.records["s0"], report.records["s1"]
    assert second.started_mono is not None and second.started_mono >= first.ended_mono
    assert report.stats.spent.tokens == 30


def test_once_a_limit_is_reached_nothing_that_may_spend_starts() -> None:
    ledger = Ledger(Budget(dollars=0.01, tokens=1000))
    cheap = Spend(output_tokens=10, calls=1)  # no dollar estimate: it used to slip through
    ledger.reserve(cheap)
    ledger.settle(cheap, Spend(dollars=0.02, output_tokens=10, calls=1))
    assert ledger.reached() == "dollars"
    assert not ledger.fits(cheap)
    assert not ledger.fits(Spend(output_tokens=1))
    assert ledger.fits(Spend())  # bookkeeping that spends nothing still runs


async def test_a_dollar_limit_holds_when_estimates_say_nothing_about_dollars() -> None:
    steps = [
        Step(f"s{i}", charging(Spend(dollars=0.004, calls=1)), estimate=Spend(calls=1))
        for i in range(10)
    ]
    report = await execute(Plan.of(steps), budget=Budget(dollars=0.01), limits=Limits(overall=1))
    assert report.stats.spent.dollars == pytest.approx(0.012)  # the third call crossed it
    assert report.stats.outcomes["ok"] == 3 and report.status == "budget_exhausted"
