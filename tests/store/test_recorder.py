from __future__ import annotations

import time

import anyio
import pytest

from cadenza.engine.events import (
    BudgetUsed,
    Event,
    RunFinished,
    RunStarted,
    RunStats,
    StepFinished,
    StepRetrying,
    StepStarted,
)
from cadenza.engine.outcomes import ZERO, Spend, StepRecord
from cadenza.store import RunRecorder, Store


def _finished(run_id: str, step_id: str, outcome: str, value: object) -> StepFinished:
    mono, wall = time.monotonic(), time.time()
    record = StepRecord(
        run_id, step_id, "sample", "scripted:echo", outcome,  # type: ignore[arg-type]
        "" if outcome == "ok" else "error", None if outcome == "ok" else "boom", 2,
        mono - 1, mono, wall - 1, wall, Spend(0.01, 3, 4, 2),
    )  # fmt: skip
    return StepFinished(record, value)


def _events(run_id: str) -> list[Event]:
    now_m, now_w = time.monotonic(), time.time()
    stats = RunStats(2, {"ok": 1, "failed": 1}, Spend(0.02, 6, 8, 4), ZERO, 0, 0, ZERO, 1, 1.0)
    return [
        RunStarted(run_id, 2, now_m, now_w),
        StepStarted(run_id, "a", "sample", "scripted:echo", 1, False, now_m, now_w),
        StepRetrying(run_id, "a", 1, 0.1, "RateLimitError: slow down", now_m, now_w),
        BudgetUsed(run_id, "a", ZERO, ZERO, ZERO, None, None, None, now_m, now_w),
        _finished(run_id, "a", "ok", {"text": "hello"}),
        _finished(run_id, "b", "failed", None),
        RunFinished(run_id, "completed", stats, now_m, now_w),
    ]


def test_the_recorder_stores_each_finished_step_and_the_runs_end() -> None:
    with Store.open(":memory:") as store:
        recorder = RunRecorder(store)
        events = _events("r1")
        for event in events[:5]:
            recorder(event)
        # After StepFinished the step is stored; the run is still going.
        partial = store.load_run("r1")
        assert [s.record.step_id for s in partial.steps] == ["a"]
        assert partial.run.status == "running"
        for event in events[5:]:
            recorder(event)
        history = store.load_run("r1")
    assert recorder.steps_recorded == 2
    assert [s.record.outcome for s in history.steps] == ["ok", "failed"]
    assert history.steps[0].result == {"text": "hello"}
    assert history.steps[0].record.attempts == 2
    assert history.run.status == history.run.engine_status == "completed"
    assert history.run.stats is not None and history.run.stats["retries"] == 1
    assert history.run.stats["spent"]["calls"] == 4


def test_a_run_started_by_the_planner_keeps_its_summary() -> None:
    with Store.open(":memory:") as store:
        run_id = store.start_run(strategy="best_of_n", models=["scripted:echo"])
        recorder = RunRecorder(store, record_values=False)
        for event in _events(run_id):
            recorder(event)
        history = store.load_run(run_id)
    assert history.run.summary["strategy"] == "best_of_n"
    assert history.steps[0].result is None  # values not recorded on request


@pytest.mark.anyio
async def test_the_recorder_consumes_an_event_stream() -> None:
    send, receive = anyio.create_memory_object_stream[Event](10)
    with Store.open(":memory:") as store:
        recorder = RunRecorder(store)
        async with anyio.create_task_group() as group:
            group.start_soon(recorder.consume, receive)
            async with send:
                for event in _events("streamed"):
                    await send.send(event)
        assert len(store.load_run("streamed").steps) == 2
