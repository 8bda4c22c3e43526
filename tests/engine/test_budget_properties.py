"""Budgets hold whatever the estimates say: over random plans with random estimates and
random real costs (estimates too low, too high, or missing an axis), once any limit is
reached no step that may spend starts, so what is spent never passes the limit by more
than what was in flight at that moment. Checked from the run's own event stream, for
dollars, tokens and calls; and for seconds, the deadline."""

from __future__ import annotations

import time
from dataclasses import dataclass

import anyio
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cadenza.engine import (
    BudgetUsed,
    Event,
    Limits,
    Plan,
    RetryPolicy,
    Spend,
    Step,
    StepContext,
    StepFn,
    StepStarted,
    execute,
)
from cadenza.errors import ProviderTimeoutError
from cadenza.task import Budget

AXES = ("dollars", "tokens", "calls")


@dataclass(frozen=True)
class Call:
    estimate: Spend
    actual: Spend
    sleep_s: float
    fails_first: bool  # the first attempt fails with a retryable error (it still spends)


def spends(draw: st.DrawFn) -> Spend:
    return Spend(
        dollars=draw(st.sampled_from([0.0, 0.001, 0.004, 0.02, 0.05])),
        output_tokens=draw(st.integers(0, 400)),
        calls=draw(st.integers(0, 2)),
    )


@st.composite
def calls(draw: st.DrawFn) -> Call:
    estimate = spends(draw)
    scale = draw(st.sampled_from([0.0, 0.5, 1.0, 1.0, 2.0, 5.0]))  # estimates are wrong
    actual = Spend(
        estimate.dollars * scale + draw(st.sampled_from([0.0, 0.0, 0.01])),
        0,
        int(estimate.output_tokens * scale) + draw(st.integers(0, 50)),
        max(1, estimate.calls),
    )
    return Call(
        estimate=estimate,
        actual=actual,
        sleep_s=draw(st.sampled_from([0.0, 0.001, 0.004])),
        fails_first=draw(st.booleans()) and draw(st.booleans()),
    )


@st.composite
def scenarios(draw: st.DrawFn) -> tuple[list[Call], list[tuple[int, ...]], Budget, int]:
    n = draw(st.integers(1, 16))
    plan = [draw(calls()) for _ in range(n)]
    inputs = [
        tuple(sorted(draw(st.sets(st.integers(0, i - 1), max_size=2)))) if i else ()
        for i in range(n)
    ]
    limits = {
        "dollars": draw(st.one_of(st.none(), st.sampled_from([0.001, 0.01, 0.03, 0.1]))),
        "tokens": draw(st.one_of(st.none(), st.integers(1, 1500))),
        "calls": draw(st.one_of(st.none(), st.integers(1, 10))),
    }
    if all(v is None for v in limits.values()):
        limits["tokens"] = 500
    return plan, inputs, Budget(**limits), draw(st.integers(1, 4))  # type: ignore[arg-type]


def charging(call: Call) -> StepFn:
    async def fn(ctx: StepContext) -> str:
        await anyio.sleep(call.sleep_s)
        ctx.charge(call.actual)
        if call.fails_first and ctx.attempt == 1:
            raise ProviderTimeoutError("slow", provider="test")
        return "ok"

    return fn


def axis(spend: Spend, name: str) -> float:
    return float(spend.dollars if name == "dollars" else getattr(spend, name))


def check_bound(events: list[Event], budget: Budget, estimates: dict[str, Spend]) -> None:
    """Nothing that may spend starts once a limit is reached; spent <= limit + what the
    attempts in flight at that moment spent."""
    reached_at: int | None = None
    started_before: set[str] = set()
    after = Spend()
    final = Spend()
    for index, event in enumerate(events):
        if isinstance(event, StepStarted):
            if reached_at is not None:
                assert estimates[event.step_id].is_zero, (
                    f"{event.step_id} started after a limit was reached"
                )
            started_before.add(event.step_id)
        elif isinstance(event, BudgetUsed):
            final = event.spent
            if reached_at is None:
                crossed = any(
                    getattr(budget, name) is not None
                    and axis(event.spent, name) >= float(getattr(budget, name)) - 1e-12
                    for name in AXES
                )
                if crossed:
                    reached_at = index
                    after = event.spend
            else:
                assert event.step_id in started_before  # in flight when the limit was reached
                after = after + event.spend
    for name in AXES:
        limit = getattr(budget, name)
        if limit is None:
            continue
        in_flight = axis(after, name) if reached_at is not None else 0.0
        assert axis(final, name) <= float(limit) + in_flight + 1e-9, (name, final, limit)
        if reached_at is None:
            assert axis(final, name) < float(limit) + 1e-9


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios())
def test_spent_never_passes_a_limit_by_more_than_what_was_in_flight(
    scenario: tuple[list[Call], list[tuple[int, ...]], Budget, int],
) -> None:
    plan, inputs, budget, slots = scenario
    steps = [
        Step(
            f"s{i}",
            charging(call),
            tuple(f"s{j}" for j in inputs[i]),
            kind="call",
            resource="model",
            estimate=call.estimate,
        )
        for i, call in enumerate(plan)
    ]

    async def join(ctx: StepContext) -> int:  # free bookkeeping still runs at the end
        return len(ctx.results)

    steps.append(Step("join", join, tuple(s.id for s in steps), partial_inputs=True))
    events: list[Event] = []

    async def main() -> None:
        with anyio.fail_after(10):
            report = await execute(
                Plan.of(steps),
                budget=budget,
                limits=Limits(per_resource={"model": slots}),
                retry=RetryPolicy(max_attempts=3, base_delay_s=0.001, max_delay_s=0.002),
                on_event=events.append,
            )
        assert report.records["join"].outcome == "ok"
        assert report.stats.spent == next(
            (e.spent for e in reversed(events) if isinstance(e, BudgetUsed)), Spend()
        )

    anyio.run(main)
    check_bound(events, budget, {s.id: s.estimate for s in steps})


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.sampled_from([0.005, 0.02, 0.3]), min_size=1, max_size=10),
    st.sampled_from([0.01, 0.03, 0.06]),
    st.integers(1, 3),
)
def test_the_time_budget_cancels_what_runs_and_starts_nothing_after(
    sleeps: list[float], seconds: float, slots: int
) -> None:
    def sleeping(s: float) -> StepFn:
        async def fn(ctx: StepContext) -> str:
            await anyio.sleep(s)
            ctx.charge(Spend(calls=1))
            return "ok"

        return fn

    steps = [
        Step(f"s{i}", sleeping(s), kind="call", resource="model", estimate=Spend(calls=1))
        for i, s in enumerate(sleeps)
    ]

    async def main() -> None:
        t0 = time.monotonic()
        report = await execute(
            Plan.of(steps),
            budget=Budget(seconds=seconds),
            limits=Limits(per_resource={"model": slots}),
        )
        deadline = t0 + seconds
        for record in report.records.values():
            # each step ended on its own before the deadline, or the deadline ended it
            assert record.outcome == "ok" or record.reason == "deadline", record
            if record.started_mono is not None:  # nothing started after the deadline
                assert record.started_mono <= deadline + 0.05, record
        # what ran at the deadline was cancelled, not waited for (a 0.3 s step would be)
        assert time.monotonic() - t0 < seconds + 0.25

    anyio.run(main)
