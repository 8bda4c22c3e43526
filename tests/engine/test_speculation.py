"""Speculation: run on a predicted input; commit on a hit, cancel and rerun on a miss."""

from __future__ import annotations

import anyio
import pytest

from cadenza.engine import Limits, Plan, Speculation, Spend, Step, StepContext, StepFn, execute

pytestmark = pytest.mark.anyio


def producing(result: str, seconds: float) -> StepFn:
    async def fn(ctx: StepContext) -> str:
        await anyio.sleep(seconds)
        return result

    return fn


def consumer(runs: list[tuple[str, bool]], seconds: float) -> StepFn:
    async def fn(ctx: StepContext) -> str:
        draft = str(ctx.input("draft"))
        runs.append((draft, ctx.speculative))
        await anyio.sleep(seconds)
        ctx.charge(Spend(output_tokens=10, calls=1))
        return f"polished {draft}"

    return fn


async def test_a_hit_commits_the_speculative_result_and_saves_time() -> None:
    runs: list[tuple[str, bool]] = []
    plan = Plan.of(
        [
            Step("draft", producing("x", 0.15)),
            Step(
                "polish",
                consumer(runs, 0.15),
                ("draft",),
                speculation=Speculation("draft", predicted="x"),
            ),
        ]
    )
    report = await execute(plan)
    assert report.value("polish") == "polished x"
    assert runs == [("x", True)]  # ran once, on the prediction
    assert report.records["polish"].speculative
    assert report.stats.speculation_hits == 1 and report.stats.speculation_misses == 0
    assert report.stats.makespan_s < 0.27  # overlapped, not 0.3 in sequence
    assert report.stats.wasted == Spend()


async def test_a_hit_after_the_speculative_attempt_finished_is_committed_at_once() -> None:
    runs: list[tuple[str, bool]] = []
    plan = Plan.of(
        [
            Step("draft", producing("x", 0.1)),
            Step(
                "polish",
                consumer(runs, 0.01),
                ("draft",),
                speculation=Speculation("draft", predicted="x"),
            ),
        ]
    )
    report = await execute(plan)
    assert runs == [("x", True)]
    assert report.value("polish") == "polished x"
    assert report.records["polish"].ended_mono - report.records["draft"].ended_mono < 0.05


async def test_a_miss_cancels_or_discards_and_runs_on_the_real_input() -> None:
    runs: list[tuple[str, bool]] = []
    plan = Plan.of(
        [
            Step("draft", producing("y", 0.05)),
            Step(
                "polish",
                consumer(runs, 0.01),
                ("draft",),
                speculation=Speculation("draft", predicted="x", holds=lambda p, a: p == a),
            ),
        ]
    )
    report = await execute(plan)
    assert report.value("polish") == "polished y"
    assert runs == [("x", True), ("y", False)]
    assert not report.records["polish"].speculative
    assert report.stats.speculation_misses == 1 and report.stats.speculation_hits == 0
    assert report.stats.speculation_wasted == Spend(output_tokens=10, calls=1)
    assert report.stats.spent.calls == 2


async def test_a_running_speculative_attempt_is_cancelled_on_a_miss() -> None:
    runs: list[tuple[str, bool]] = []
    plan = Plan.of(
        [
            Step("draft", producing("y", 0.05)),
            Step(
                "polish",
                consumer(runs, 2.0),
                ("draft",),
                speculation=Speculation("draft", predicted="x"),
            ),
        ]
    )
    report = await execute(plan)
    assert runs == [("x", True), ("y", False)]
    assert 2.0 < report.stats.makespan_s < 2.5  # the wrong guess did not run to its end
    assert report.stats.speculation_misses == 1


async def test_no_speculation_without_a_free_slot() -> None:
    runs: list[tuple[str, bool]] = []
    plan = Plan.of(
        [
            Step("draft", producing("x", 0.05), resource="local"),
            Step(
                "polish",
                consumer(runs, 0.01),
                ("draft",),
                resource="local",
                speculation=Speculation("draft", predicted="x"),
            ),
        ]
    )
    report = await execute(plan, limits=Limits(per_resource={"local": 1}))
    assert runs == [("x", False)]
    assert report.stats.speculation_hits == 0 and report.stats.speculation_misses == 0
