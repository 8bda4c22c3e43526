from __future__ import annotations

import random
import time
from pathlib import Path

import anyio
import pytest

from cadenza.engine.outcomes import Spend, StepRecord
from cadenza.errors import UserError
from cadenza.providers.base import Completion, Usage
from cadenza.requirements.verdict import Verdict
from cadenza.result import Decision, RequirementReport, SolveResult
from cadenza.store import Store, VerdictRecord
from cadenza.task import Budget, Requirement, Task


def _record(
    run_id: str,
    step_id: str,
    *,
    outcome: str = "ok",
    inputs: tuple[str, ...] = (),
    kind: str = "sample",
    tokens: tuple[int, int] = (10, 20),
) -> StepRecord:
    now_mono, now_wall = time.monotonic(), time.time()
    started = outcome not in ("skipped", "pruned")
    return StepRecord(
        run_id=run_id,
        step_id=step_id,
        kind=kind,
        resource="scripted:echo" if kind == "sample" else None,
        outcome=outcome,  # type: ignore[arg-type]
        reason="" if outcome == "ok" else "error",
        error=None if outcome == "ok" else "BadResponseError: server said no",
        attempts=1 if started else 0,
        started_mono=now_mono - 0.25 if started else None,
        ended_mono=now_mono,
        started_wall=now_wall - 0.25 if started else None,
        ended_wall=now_wall,
        spend=Spend(0.001 * tokens[1], tokens[0], tokens[1], 1 if started else 0),
        inputs=inputs,
    )


def test_a_runs_whole_history_round_trips(tmp_path: Path) -> None:
    path = tmp_path / "store.db"
    task = Task("Write a haiku about the sea", context="For a postcard.")
    requirements = [Requirement("exactly three lines", name="lines"), Requirement("calm tone")]
    with Store.open(path) as store:
        run_id = store.start_run(
            task=task,
            requirements=requirements,
            strategy="best_of_n",
            models=["scripted:echo", "local:smollm2-135m"],
            budget=Budget(dollars=0.5, calls=10),
        )
        completion = Completion("waves fold\nsalt wind\nquiet shore", "stop", Usage(5, 9), "m")
        steps = [
            (_record(run_id, "sample-1"), completion),
            (_record(run_id, "sample-2", outcome="failed"), None),
            (_record(run_id, "check-1", kind="check", inputs=("sample-1",)), Verdict(1, True, "3")),
            (_record(run_id, "fix-2", outcome="skipped", inputs=("sample-2",)), None),
        ]
        for record, value in steps:
            store.record_step(record, value)
        verdicts = [
            VerdictRecord.of(run_id, "check-1", "sample-1", "lines", Verdict(1.0, True, "3 lines")),
            VerdictRecord.of(
                run_id, "judge-1", "sample-1", "calm-tone",
                Verdict(0.4, False, "sounds stormy", "soften the verbs", "judge"),
            ),
        ]  # fmt: skip
        store.record_verdicts(verdicts)
        decisions = [
            Decision(0, "sample", "two candidates", targets=("sample-1", "sample-2"), gain=0.6),
            Decision(1, "reduce", "one left", cost=0.25),
        ]
        for decision in decisions:
            store.record_decision(run_id, decision)
        result = SolveResult(
            text=completion.text,
            requirements=(RequirementReport("lines", "exactly three lines", True, 1.0, "3"),),
            score=0.7,
            finish_reason="satisfied",
            usage=Usage(20, 40, 0.04, 1.5),
            calls=2,
            wall_s=1.6,
            strategy="best_of_n",
            models=("scripted:echo",),
        )
        store.finish_run(run_id, status="completed", stats={"retries": 0, "steps": 4})
        store.finish_run(run_id, result=result)

    with Store.open(path) as store:  # a fresh connection reads everything back
        history = store.load_run(run_id)

    run = history.run
    assert run.id == run_id
    assert run.summary["task"] == {
        "type": "Task",
        "instruction": "Write a haiku about the sea",
        "context": "For a postcard.",
    }
    assert [r["name"] for r in run.summary["requirements"]] == ["lines", ""]
    assert run.summary["models"] == ["scripted:echo", "local:smollm2-135m"]
    assert run.summary["budget"]["dollars"] == 0.5
    assert run.summary["strategy"] == "best_of_n"
    assert run.status == "completed"  # the engine's status survives the solve's finish
    assert run.engine_status == "completed"
    assert run.finish_reason == "satisfied"
    assert (run.input_tokens, run.output_tokens, run.calls) == (20, 40, 2)
    assert run.cost_usd == pytest.approx(0.04)
    assert run.score == 0.7
    assert run.text == completion.text
    assert run.stats == {"retries": 0, "steps": 4}
    assert run.ended is not None and run.ended >= run.created

    assert [s.record for s in history.steps] == [record for record, _ in steps]
    assert history.steps[0].result["text"] == completion.text
    assert history.steps[0].result["usage"]["output_tokens"] == 9
    assert history.steps[1].result is None
    assert history.step("check-1").result["passed"] is True
    assert history.step("fix-2").record.inputs == ("sample-2",)
    assert history.step("sample-1").latency_s == pytest.approx(0.25)
    assert history.verdicts == tuple(verdicts)
    assert history.verdicts[1].verdict.fix_hint == "soften the verbs"
    assert history.decisions == tuple(decisions)


def test_list_runs_newest_first_and_limited() -> None:
    with Store.open(":memory:") as store:
        ids = [store.start_run(strategy="single", run_id=f"run-{i}") for i in range(5)]
        assert [r.id for r in store.list_runs()] == ids[::-1]
        assert [r.id for r in store.list_runs(limit=2)] == ids[:2:-1]
        assert all(r.status == "running" for r in store.list_runs())


def test_generated_run_ids_are_unique() -> None:
    with Store.open(":memory:") as store:
        ids = {store.start_run(strategy="single") for _ in range(50)}
    assert len(ids) == 50


def test_unknown_runs_and_duplicate_steps() -> None:
    with Store.open(":memory:") as store:
        with pytest.raises(UserError, match="No run 'nope'"):
            store.load_run("nope")
        with pytest.raises(KeyError):
            store.finish_run("nope", finish_reason="completed")
        run_id = store.start_run(strategy="single")
        store.record_step(_record(run_id, "a"))
        with pytest.raises(Exception, match="UNIQUE"):  # a step ends once: a second is a bug
            store.record_step(_record(run_id, "a"))
        with pytest.raises(Exception, match="FOREIGN KEY"):  # steps belong to a known run
            store.record_step(_record("unknown-run", "a"))


def test_finish_without_status_marks_the_run_finished() -> None:
    with Store.open(":memory:") as store:
        run_id = store.start_run(strategy="single")
        store.finish_run(run_id, finish_reason="failed")
        run = store.load_run(run_id).run
        assert (run.status, run.finish_reason, run.engine_status) == ("finished", "failed", None)


@pytest.mark.anyio
async def test_concurrent_writes_from_many_tasks_in_one_loop(tmp_path: Path) -> None:
    rng = random.Random(7)
    with Store.open(tmp_path / "store.db") as store:
        run_ids = [store.start_run(strategy="tree") for _ in range(4)]

        async def worker(worker_id: int) -> None:
            run_id = run_ids[worker_id % len(run_ids)]
            for n in range(25):
                await anyio.sleep(rng.random() / 1000)
                store.record_step(_record(run_id, f"w{worker_id}-s{n}"), {"n": n})
                if n % 10 == 0:
                    store.record_decision(run_id, Decision(n, f"w{worker_id}", "tick"))
                    store.record_verdicts(
                        [
                            VerdictRecord(run_id, f"w{worker_id}-s{n}", "c", "r", 0.5, False, "")
                            for _ in range(3)
                        ]
                    )

        async with anyio.create_task_group() as group:
            for worker_id in range(40):
                group.start_soon(worker, worker_id)

        histories = [store.load_run(run_id) for run_id in run_ids]
    assert sum(len(h.steps) for h in histories) == 40 * 25
    assert sum(len(h.decisions) for h in histories) == 40 * 3
    assert sum(len(h.verdicts) for h in histories) == 40 * 3 * 3
    for history in histories:
        for worker_id in range(40):
            mine = [s for s in history.steps if s.record.step_id.startswith(f"w{worker_id}-")]
            # Each worker's steps come back in the order it recorded them.
            assert [s.result["n"] for s in mine] == sorted(s.result["n"] for s in mine)


def test_writes_from_threads_are_serialised(tmp_path: Path) -> None:
    import threading

    with Store.open(tmp_path / "store.db") as store:
        run_id = store.start_run(strategy="single")

        def write(prefix: str) -> None:
            for n in range(50):
                store.record_step(_record(run_id, f"{prefix}-{n}"))

        threads = [threading.Thread(target=write, args=(f"t{i}",)) for i in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert len(store.load_run(run_id).steps) == 200


def test_decision_fields_this_version_lacks_are_dropped_on_load(tmp_path: Path) -> None:
    import sqlite3

    path = tmp_path / "s.db"
    with Store.open(path) as store:
        run_id = store.start_run(strategy="tree")
    conn = sqlite3.connect(path)
    detail = '{"round": 2, "action": "fix", "reason": "r", "from_the_future": [1, 2]}'
    conn.execute(
        "INSERT INTO decisions (run_id, round, action, reason, detail) VALUES (?, 2, 'fix', "
        "'r', ?)",
        (run_id, detail),
    )
    conn.commit()
    conn.close()
    with Store.open(path) as store:
        (decision,) = store.load_run(run_id).decisions
    assert decision == Decision(2, "fix", "r")
