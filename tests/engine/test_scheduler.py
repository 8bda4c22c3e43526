"""The run loop: results flow, eager starts, limits, priorities, failures, cancellation,
deadlines, growth and events, asserted on behaviour (times, counts, outcomes)."""

from __future__ import annotations

import time

import anyio
import pytest

from cadenza.engine import (
    BudgetUsed,
    Event,
    Limits,
    Plan,
    PlanError,
    RetryPolicy,
    Run,
    RunFinished,
    RunStarted,
    Spend,
    Step,
    StepContext,
    StepFinished,
    StepFn,
    StepStarted,
    execute,
    open_run,
)
from cadenza.errors import BadResponseError, RateLimitError
from cadenza.providers.base import CompletionRequest
from cadenza.providers.scripted import Reply, ScriptedModel
from cadenza.task import Budget

pytestmark = pytest.mark.anyio


def value(v: object) -> StepFn:
    async def fn(ctx: StepContext) -> object:
        return v

    return fn


def sleeper(seconds: float, result: object = None) -> StepFn:
    async def fn(ctx: StepContext) -> object:
        await anyio.sleep(seconds)
        return result

    return fn


def caller(model: ScriptedModel, prompt: str = "hi") -> StepFn:
    async def fn(ctx: StepContext) -> str:
        completion = await ctx.complete(model, CompletionRequest.of(prompt))
        return completion.text

    return fn


async def test_inputs_flow_to_dependents_and_every_step_has_one_record() -> None:
    async def add(ctx: StepContext) -> int:
        return sum(int(v) for v in ctx.results.values())  # type: ignore[call-overload]

    plan = Plan.of(
        [Step("a", value(2)), Step("b", value(3)), Step("c", add, ("a", "b"), kind="sum")]
    )
    report = await execute(plan)
    assert report.status == "completed"
    assert report.value("c") == 5
    assert set(report.records) == {"a", "b", "c"}
    record = report.records["c"]
    assert record.outcome == "ok" and record.kind == "sum" and record.attempts == 1
    assert record.started_mono is not None and record.ended_mono >= record.started_mono
    assert record.started_wall is not None and record.ended_wall >= record.started_wall
    assert report.stats.outcomes["ok"] == 3 and report.stats.steps == 3


async def test_a_ready_step_never_waits_for_an_unrelated_slow_one() -> None:
    # two chains: slow -> after_slow, fast -> after_fast. No supersteps: after_fast
    # starts as soon as fast ends, long before slow ends.
    plan = Plan.of(
        [
            Step("slow", sleeper(0.4)),
            Step("after_slow", value(1), ("slow",)),
            Step("fast", sleeper(0.02)),
            Step("after_fast", value(1), ("fast",)),
        ]
    )
    report = await execute(plan)
    after_fast = report.records["after_fast"]
    slow = report.records["slow"]
    assert after_fast.started_mono is not None
    assert after_fast.started_mono < slow.ended_mono - 0.2


async def test_per_resource_limit_caps_calls_in_flight() -> None:
    model = ScriptedModel(["ok"], name="scripted:m", latency=0.05, max_concurrency=8)
    steps = [Step(f"s{i}", caller(model), resource=model.id) for i in range(6)]
    report = await execute(Plan.of(steps), limits=Limits(per_resource={model.id: 2}))
    assert report.stats.outcomes["ok"] == 6
    assert model.calls == 6 and model.max_in_flight == 2


async def test_overall_limit_caps_attempts_in_flight() -> None:
    in_flight = [0, 0]

    async def counted(ctx: StepContext) -> None:
        in_flight[0] += 1
        in_flight[1] = max(in_flight[1], in_flight[0])
        await anyio.sleep(0.02)
        in_flight[0] -= 1

    steps = [Step(f"s{i}", counted) for i in range(7)]
    await execute(Plan.of(steps), limits=Limits(overall=3))
    assert in_flight[1] == 3


async def test_one_slot_runs_the_longest_remaining_path_first() -> None:
    order: list[str] = []

    def mark(name: str) -> StepFn:
        async def fn(ctx: StepContext) -> None:
            order.append(name)
            await anyio.sleep(0.001)

        return fn

    # "lone" and "head" are both ready; head leads a path of 3 steps, lone is alone.
    plan = Plan.of(
        [
            Step("lone", mark("lone"), resource="m", latency_s=1.0),
            Step("head", mark("head"), resource="m", latency_s=1.0),
            Step("mid", mark("mid"), ("head",), resource="m", latency_s=1.0),
            Step("tail", mark("tail"), ("mid",), resource="m", latency_s=1.0),
        ]
    )
    await execute(plan, limits=Limits(per_resource={"m": 1}))
    assert order[0] == "head"
    # an explicit priority overrides the path length
    order.clear()
    plan = Plan.of(
        [
            Step("lone", mark("lone"), resource="m", priority=1.0),
            Step("head", mark("head"), resource="m"),
            Step("mid", mark("mid"), ("head",), resource="m"),
        ]
    )
    await execute(plan, limits=Limits(per_resource={"m": 1}))
    assert order[0] == "lone"


async def test_failure_skips_dependents_but_partial_joins_run() -> None:
    model = ScriptedModel(
        [Reply(error=BadResponseError("server said 500", provider="scripted", status=500))],
        name="scripted:m",
    )
    seen: dict[str, object] = {}

    async def join(ctx: StepContext) -> int:
        seen.update(ctx.outcomes)
        return len(ctx.results)

    called: list[str] = []

    async def dependent(ctx: StepContext) -> None:
        called.append("dependent")

    plan = Plan.of(
        [
            Step("bad", caller(model), resource=model.id),
            Step("good", value("fine")),
            Step("dependent", dependent, ("bad",)),
            Step("join", join, ("bad", "good"), partial_inputs=True),
        ]
    )
    report = await execute(plan, retry=RetryPolicy(max_attempts=3))
    bad = report.records["bad"]
    assert bad.outcome == "failed" and bad.reason == "error"
    assert bad.error is not None and "server said 500" in bad.error
    assert bad.attempts == 1  # not retryable
    assert report.records["dependent"].outcome == "skipped"
    assert report.records["dependent"].reason == "input"
    assert called == []
    assert report.value("join") == 1
    assert seen == {"bad": "failed", "good": "ok"}
    assert report.status == "completed"


async def test_retryable_errors_are_retried_then_succeed() -> None:
    model = ScriptedModel(
        [
            Reply(error=RateLimitError("slow down", provider="scripted", retry_after=0.05)),
            Reply(error=RateLimitError("slow down", provider="scripted")),
            "third time lucky",
        ],
        name="scripted:m",
    )
    events: list[Event] = []
    started = time.monotonic()
    report = await execute(
        Plan.of([Step("s", caller(model), resource=model.id)]),
        retry=RetryPolicy(max_attempts=4, base_delay_s=0.01, jitter=0.5),
        on_event=events.append,
        seed=1,
    )
    elapsed = time.monotonic() - started
    record = report.records["s"]
    assert record.outcome == "ok" and record.attempts == 3
    assert report.value("s") == "third time lucky"
    assert report.stats.retries == 2
    assert elapsed >= 0.05  # the server's retry_after was honoured
    assert record.spend.calls == 3  # failed calls are charged as calls
    assert [type(e).__name__ for e in events].count("StepRetrying") == 2


async def test_retries_give_up_after_max_attempts() -> None:
    model = ScriptedModel(
        [Reply(error=RateLimitError("slow down", provider="scripted"))], name="scripted:m"
    )
    report = await execute(
        Plan.of([Step("s", caller(model), resource=model.id)]),
        retry=RetryPolicy(max_attempts=2, base_delay_s=0.001),
    )
    assert report.records["s"].outcome == "failed"
    assert report.records["s"].attempts == 2 and model.calls == 2


async def test_prune_cancels_the_call_and_everything_that_needs_it() -> None:
    model = ScriptedModel(["slow"], name="scripted:m", latency=5.0)

    async def pruner(ctx: StepContext) -> None:
        await anyio.sleep(0.05)
        ctx.run.prune("candidate")

    plan = Plan.of(
        [
            Step("candidate", caller(model), resource=model.id),
            Step("check", value(1), ("candidate",)),
            Step("other", value("kept")),
            Step("reduce", value("reduced"), ("check", "other"), partial_inputs=True),
            Step("pruner", pruner),
        ]
    )
    started = time.monotonic()
    report = await execute(plan)
    assert time.monotonic() - started < 2.0
    assert model.cancelled == 1  # the provider call was aborted, not left running
    assert report.records["candidate"].outcome == "pruned"
    assert report.records["candidate"].spend.calls == 1  # a cancelled call is still a call
    assert report.stats.wasted.calls == 1
    assert report.records["check"].outcome == "pruned"
    assert report.records["reduce"].outcome == "ok"  # reduce whatever is left
    assert report.status == "completed"


async def test_cancel_marks_cancelled_and_skips_dependents() -> None:
    model = ScriptedModel(["slow"], name="scripted:m", latency=5.0)
    async with (
        open_run(
            Plan.of([Step("a", caller(model), resource=model.id), Step("b", value(1), ("a",))])
        ) as run,
        run.events() as events,
    ):
        async for event in events:
            if isinstance(event, StepStarted) and event.step_id == "a":
                run.cancel("a")
    report = run.report()
    assert report.records["a"].outcome == "cancelled"
    assert report.records["b"].outcome == "skipped"
    assert model.cancelled == 1
    with pytest.raises(PlanError, match="No step"):
        run.cancel("nope")


async def test_stop_cancels_everything_else_we_are_done() -> None:
    model = ScriptedModel(["slow"], name="scripted:m", latency=5.0)

    async def winner(ctx: StepContext) -> str:
        await anyio.sleep(0.05)
        ctx.run.stop()
        return "good enough"

    plan = Plan.of(
        [
            Step("winner", winner),
            *(Step(f"slow{i}", caller(model), resource=model.id) for i in range(3)),
            Step("later", value(1), ("slow0",)),
        ]
    )
    report = await execute(plan)
    assert report.status == "stopped"
    assert report.value("winner") == "good enough"
    assert model.cancelled == 3
    for i in range(3):
        assert report.records[f"slow{i}"].outcome == "cancelled"
        assert report.records[f"slow{i}"].reason == "stopped"
    assert report.records["later"].outcome == "skipped"
    assert report.records["later"].reason == "stopped"


async def test_deadline_cancels_in_flight_steps() -> None:
    model = ScriptedModel(["slow"], name="scripted:m", latency=3.0)
    plan = Plan.of(
        [
            Step("quick", value(1)),
            Step("slow", caller(model), resource=model.id),
            Step("after", value(2), ("slow",)),
        ]
    )
    started = time.monotonic()
    report = await execute(plan, budget=Budget(seconds=0.2))
    assert 0.15 < time.monotonic() - started < 1.5
    assert report.status == "deadline"
    assert report.records["quick"].outcome == "ok"
    assert report.records["slow"].outcome == "cancelled"
    assert report.records["slow"].reason == "deadline"
    assert report.records["after"].reason == "deadline"
    assert model.cancelled == 1


async def test_a_bug_in_a_step_stops_the_run_and_is_raised() -> None:
    model = ScriptedModel(["slow"], name="scripted:m", latency=5.0)

    async def buggy(ctx: StepContext) -> None:
        await anyio.sleep(0.01)
        raise ZeroDivisionError("our mistake")

    plan = Plan.of([Step("buggy", buggy), Step("slow", caller(model), resource=model.id)])
    with pytest.raises(ZeroDivisionError, match="our mistake"):
        await execute(plan)
    assert model.cancelled == 1
    with pytest.raises(ZeroDivisionError):
        async with open_run(plan):
            pass


async def test_steps_grow_the_graph_while_it_runs() -> None:
    async def planner(ctx: StepContext) -> str:
        seen = ctx.input("sample")
        ctx.add_steps(
            Step("fix", value(f"fixed {seen}"), ("sample",)),
            Step("final", value("done"), ("fix", "planner")),
        )
        with pytest.raises(PlanError, match="'nowhere'"):
            ctx.add_steps(Step("broken", value(0), ("nowhere",)))
        return "planned"

    plan = Plan.of([Step("sample", value("draft")), Step("planner", planner, ("sample",))])
    events: list[Event] = []
    report = await execute(plan, on_event=events.append)
    assert report.value("fix") == "fixed draft"
    assert report.value("final") == "done"
    assert "broken" not in report.records
    assert any(type(e).__name__ == "StepsAdded" for e in events)


async def test_on_event_callback_can_grow_the_run_before_it_ends() -> None:
    run_box: list[Run] = []

    def on_event(event: Event) -> None:
        if isinstance(event, StepFinished) and event.step_id == "a":
            run_box[0].add_steps(Step("b", value("from callback"), ("a",)))

    run = Run(Plan.of([Step("a", value(1))]), on_event=on_event)
    run_box.append(run)
    report = await run.run()
    assert report.value("b") == "from callback"
    with pytest.raises(PlanError, match="finished"):
        run.add_steps(Step("c", value(1)))
    with pytest.raises(PlanError, match="once"):
        await run.run()


async def test_event_stream_has_one_finish_per_step_in_order() -> None:
    model = ScriptedModel(["x"], name="scripted:m", latency=0.01)
    plan = Plan.of(
        [
            Step("a", caller(model), resource=model.id, estimate=Spend.estimate(calls=1)),
            Step("b", value(1), ("a",)),
            Step("c", value(1), ("a",)),
        ]
    )
    seen: list[Event] = []
    async with open_run(plan) as run, run.events() as events:
        async for event in events:
            seen.append(event)
    assert isinstance(seen[0], RunStarted) and isinstance(seen[-1], RunFinished)
    finished = [e.step_id for e in seen if isinstance(e, StepFinished)]
    assert sorted(finished) == ["a", "b", "c"]
    for sid in ("a", "b", "c"):
        start = next(
            i for i, e in enumerate(seen) if isinstance(e, StepStarted) and e.step_id == sid
        )
        end = next(
            i for i, e in enumerate(seen) if isinstance(e, StepFinished) and e.step_id == sid
        )
        assert start < end
    budget_events = [e for e in seen if isinstance(e, BudgetUsed)]
    assert len(budget_events) == 1 and budget_events[0].spend.calls == 1
    last = seen[-1]
    assert isinstance(last, RunFinished) and last.status == "completed"
    assert run.report().run_id == last.run_id


async def test_report_is_not_available_before_the_end() -> None:
    run = Run(Plan.of([Step("a", value(1))]))
    with pytest.raises(PlanError, match="not finished"):
        run.report()
    report = await run.run()
    assert (await run.wait()) is report


@pytest.mark.parametrize("limit", [0, -1])
def test_limits_must_be_positive(limit: int) -> None:
    with pytest.raises(PlanError, match=">= 1"):
        Limits(overall=limit)
