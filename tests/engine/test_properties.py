"""Property tests over random DAGs with random failures, retries, slow steps, budgets,
deadlines and cancellations: every run terminates, every step has exactly one outcome,
no step runs on an input that did not end ok (unless it takes partial inputs), and the
budget is never overspent beyond what attempts in flight spent over their estimates."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import anyio
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from cadenza.engine import (
    Event,
    Limits,
    Plan,
    RetryPolicy,
    Spend,
    Step,
    StepContext,
    StepFinished,
    StepFn,
    execute,
)
from cadenza.errors import BadResponseError, ProviderTimeoutError
from cadenza.task import Budget

ESTIMATE_TOKENS = 10


@dataclass(frozen=True)
class Behaviour:
    sleep_s: float
    fails: int  # attempts that fail before one succeeds (-1: always fails)
    retryable: bool
    tokens: int  # tokens each attempt charges


behaviours = st.builds(
    Behaviour,
    sleep_s=st.sampled_from([0.0, 0.0, 0.001, 0.003, 0.03]),
    fails=st.sampled_from([0, 0, 0, 1, 2, -1]),
    retryable=st.booleans(),
    tokens=st.integers(0, 2 * ESTIMATE_TOKENS),
)


@st.composite
def scenarios(draw: st.DrawFn) -> dict[str, object]:
    n = draw(st.integers(1, 14))
    inputs = [
        tuple(sorted(draw(st.sets(st.integers(0, i - 1), max_size=3)))) if i else ()
        for i in range(n)
    ]
    return {
        "inputs": inputs,
        "behaviours": [draw(behaviours) for _ in range(n)],
        "partial": [draw(st.booleans()) for _ in range(n)],
        "resource": [draw(st.sampled_from([None, "a", "b"])) for _ in range(n)],
        "tokens": draw(st.one_of(st.none(), st.integers(0, 120))),
        "calls": draw(st.one_of(st.none(), st.integers(1, 12))),
        "seconds": draw(st.sampled_from([None, None, 0.02, 0.06])),
        "limit_a": draw(st.one_of(st.none(), st.integers(1, 3))),
        "overall": draw(st.one_of(st.none(), st.integers(1, 4))),
        "cancel": draw(st.lists(st.tuples(st.integers(0, n - 1), st.booleans()), max_size=3)),
        "cancel_after": draw(st.sampled_from([0.0, 0.002, 0.01])),
        "stop": draw(st.booleans()) and draw(st.booleans()),
    }


def run_scenario(sc: dict[str, object]) -> None:
    inputs: list[tuple[int, ...]] = sc["inputs"]  # type: ignore[assignment]
    behaviours_: list[Behaviour] = sc["behaviours"]  # type: ignore[assignment]
    partial: list[bool] = sc["partial"]  # type: ignore[assignment]
    resource: list[str | None] = sc["resource"]  # type: ignore[assignment]
    n = len(inputs)
    invoked: Counter[str] = Counter()
    saw_inputs: dict[str, dict[str, object]] = {}
    overshoot = [0]  # tokens charged beyond the estimate, summed over attempts

    def behaviour_fn(sid: str, b: Behaviour) -> StepFn:
        async def fn(ctx: StepContext) -> str:
            invoked[sid] += 1
            saw_inputs[sid] = dict(ctx.results)
            await anyio.sleep(b.sleep_s)
            ctx.charge(Spend(output_tokens=b.tokens, calls=1))
            overshoot[0] += max(0, b.tokens - ESTIMATE_TOKENS)
            if b.fails < 0 or ctx.attempt <= b.fails:
                error = ProviderTimeoutError if b.retryable else BadResponseError
                raise error(f"{sid} attempt {ctx.attempt} failed", provider="test")
            return f"value of {sid}"

        return fn

    steps = [
        Step(
            f"s{i}",
            behaviour_fn(f"s{i}", behaviours_[i]),
            tuple(f"s{p}" for p in inputs[i]),
            resource=resource[i],
            estimate=Spend.estimate(tokens=ESTIMATE_TOKENS, calls=1),
            partial_inputs=partial[i],
        )
        for i in range(n)
    ]
    cancels: list[tuple[int, bool]] = sc["cancel"]  # type: ignore[assignment]
    stop = bool(sc["stop"])
    cancel_after = float(sc["cancel_after"])  # type: ignore[arg-type]

    async def controller(ctx: StepContext) -> None:
        await anyio.sleep(cancel_after)
        for index, prune in cancels:
            (ctx.run.prune if prune else ctx.run.cancel)(f"s{index}")
        if stop:
            ctx.run.stop()

    if cancels or stop:
        steps.append(Step("controller", controller))
    budget = None
    if sc["tokens"] is not None or sc["calls"] is not None or sc["seconds"] is not None:
        budget = Budget(
            tokens=sc["tokens"] or None,  # type: ignore[arg-type]
            calls=sc["calls"],  # type: ignore[arg-type]
            seconds=sc["seconds"],  # type: ignore[arg-type]
        )
    limits = Limits(
        overall=sc["overall"],  # type: ignore[arg-type]
        per_resource={} if sc["limit_a"] is None else {"a": sc["limit_a"]},  # type: ignore[dict-item]
    )
    finished: Counter[str] = Counter()

    def on_event(event: Event) -> None:
        if isinstance(event, StepFinished):
            finished[event.step_id] += 1

    async def main() -> None:
        with anyio.fail_after(10):  # every run terminates
            report = await execute(
                Plan.of(steps),
                budget=budget,
                limits=limits,
                retry=RetryPolicy(max_attempts=3, base_delay_s=0.001, max_delay_s=0.002),
                on_event=on_event,
                seed=0,
            )
        ids = {s.id for s in steps}
        event(f"status {report.status}")
        for outcome, count in report.stats.outcomes.items():
            if count:
                event(f"some {outcome}")
        assert set(report.records) == ids
        assert all(finished[sid] == 1 for sid in ids), finished  # exactly one outcome each
        assert sum(report.stats.outcomes.values()) == len(ids)
        for step in steps:
            record = report.records[step.id]
            assert record.attempts == invoked[step.id] or step.id == "controller", (
                record,
                invoked[step.id],
            )
            if record.started_mono is None:
                assert record.attempts == 0 and record.outcome in ("skipped", "pruned", "cancelled")
            if record.outcome == "skipped":
                assert record.attempts == 0 and record.reason in (
                    "input",
                    "budget",
                    "deadline",
                    "stopped",
                )
            if record.outcome == "ok":
                assert report.value(step.id) is not None or step.id == "controller"
            if invoked[step.id] and not step.partial_inputs:
                # it ran: every input it needs ended ok, before it started
                for dep in step.inputs:
                    dep_record = report.records[dep]
                    assert dep_record.outcome == "ok", (step.id, dep, dep_record)
                    assert record.started_mono is not None
                    assert dep_record.ended_mono <= record.started_mono
                assert set(saw_inputs[step.id]) == set(step.inputs)
            if invoked[step.id] and step.partial_inputs:
                for dep in step.inputs:
                    assert report.records[dep].ended_mono <= (record.started_mono or 0)
                ok_inputs = {d for d in step.inputs if report.records[d].outcome == "ok"}
                assert set(saw_inputs[step.id]) == ok_inputs
        if budget is not None and budget.calls is not None:
            assert report.stats.spent.calls <= budget.calls  # calls are charged as estimated
        if budget is not None and budget.tokens is not None:
            assert report.stats.spent.tokens <= budget.tokens + overshoot[0]
        if report.status == "budget_exhausted":
            assert any(r.reason == "budget" for r in report.records.values())

    anyio.run(main)


@settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(scenarios())
def test_random_runs_keep_every_invariant(sc: dict[str, object]) -> None:
    run_scenario(sc)
