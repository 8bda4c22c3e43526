"""`cadenza.batch` in this process: every task written with its id, the models' slots
shared by all tasks, resumption, failures, crashes, the store, and results that do
not depend on how the tasks were interleaved."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from cadenza.api import batch, solve
from cadenza.batching import BatchEvent, BatchStarted, TaskFinished, WorkerDone
from cadenza.errors import UserError
from cadenza.providers.base import CompletionRequest
from cadenza.providers.scripted import Reply, Script, ScriptedModel
from cadenza.store import Store


def lines(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def write_tasks(path: Path, tasks: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(t) + "\n" for t in tasks), encoding="utf-8")
    return path


@pytest.mark.anyio
async def test_every_task_is_written_with_its_id_and_recorded(tmp_path: Path) -> None:
    tasks = [{"id": f"t{i}", "input": f"Write about the sea, note {i}."} for i in range(5)]
    tasks.append({"input": "Write about the wind.", "requirements": ["at most 40 words"]})
    events: list[BatchEvent] = []
    store = Store.open(tmp_path / "store.db")
    summary = await batch(
        write_tasks(tmp_path / "in.jsonl", tasks),
        tmp_path / "out.jsonl",
        requirements=["do not use any commas"],
        models=["scripted:echo"],
        store=store,
        on_event=events.append,
        options={"task_requirement": False},
    )
    out = lines(tmp_path / "out.jsonl")
    assert sorted(str(r["id"]) for r in out) == ["6", "t0", "t1", "t2", "t3", "t4"]
    for record in out:  # the run's result JSON with the task's id
        assert {"text", "requirements", "score", "finish_reason", "usage", "run_id"} <= set(record)
    by_id = {r["id"]: r for r in out}
    assert [r["description"] for r in by_id["t0"]["requirements"]] == ["do not use any commas"]
    assert [r["description"] for r in by_id[6]["requirements"]] == ["at most 40 words"]

    assert (summary.tasks, summary.done, summary.failed, summary.ran) == (6, 6, 0, 6)
    assert summary.satisfied == sum(r["passed"] for r in out)
    assert summary.calls == sum(r["calls"] for r in out)
    rates = {r.requirement: (r.passed, r.total) for r in summary.requirements}
    assert rates["do not use any commas"][1] == 5
    assert rates["at most 40 words"][1] == 1

    started = [e for e in events if isinstance(e, BatchStarted)]
    assert [(e.tasks, e.skipped, e.to_run) for e in started] == [(6, 0, 6)]
    assert [e.finished for e in events if isinstance(e, TaskFinished)] == [1, 2, 3, 4, 5, 6]
    assert [e.jobs for e in events if isinstance(e, WorkerDone)] == [6]

    runs = {row.id for row in store.list_runs()}  # the driver copied every run
    assert runs == {r["run_id"] for r in out}
    history = store.load_run(by_id["t0"]["run_id"])
    assert history.steps and history.verdicts
    assert history.run.text == by_id["t0"]["text"]
    assert len(store.load_estimates()) > 0
    store.close()


@pytest.mark.anyio
async def test_tasks_share_a_hosted_models_slots(tmp_path: Path) -> None:
    model = ScriptedModel(["a short answer"], name="scripted:hosted", max_concurrency=4,
                          latency=0.03)  # fmt: skip
    tasks = [{"input": f"Question {i}"} for i in range(12)]
    summary = await batch(
        tasks,
        tmp_path / "out.jsonl",
        models=[model],
        strategy="single",
        concurrency=12,
        options={"task_requirement": False},
    )
    assert summary.done == 12
    assert model.calls == 12
    assert model.max_in_flight == 4  # every slot used, across tasks, and never more


@pytest.mark.anyio
async def test_a_one_slot_model_is_shared_fairly(tmp_path: Path) -> None:
    model = ScriptedModel(["no animals here"], name="scripted:local", max_concurrency=1,
                          latency=0.01)  # fmt: skip
    tasks = [{"id": name, "input": f"Task {name}: describe a zebra."} for name in "abc"]
    await batch(
        tasks,
        tmp_path / "out.jsonl",
        requirements=["mention the word zebra at least twice"],
        models=[model],
        budget={"calls": 4},
        concurrency=3,
        options={"task_requirement": False},
    )
    owners = [
        next(n for n in "abc" if f"Task {n}:" in "\n".join(m.content for m in r.messages))
        for r in model.requests
    ]
    assert model.max_in_flight == 1
    assert sorted(owners) == sorted("abc" * 4)  # every task used its four calls
    assert set(owners[:3]) == set("abc")  # nobody waited for another task to finish
    assert all(len(set(owners[i : i + 3])) == 3 for i in range(0, 12, 3))  # turns go round


@pytest.mark.anyio
async def test_a_rerun_skips_done_ids_and_reruns_failures_only_when_asked(
    tmp_path: Path,
) -> None:
    model = ScriptedModel(["fine words"], name="scripted:m")
    tasks = [{"id": i, "input": f"Say something, {i}."} for i in range(3)]
    tasks.append({"id": "tiny", "input": "Say something.", "budget": {"tokens": 5}})
    path = write_tasks(tmp_path / "in.jsonl", tasks)
    out = tmp_path / "out.jsonl"
    first = await batch(
        path, out, models=[model], strategy="single", options={"task_requirement": False}
    )
    assert (first.done, first.failed, first.ran) == (3, 1, 4)
    failed = next(r for r in lines(out) if r["id"] == "tiny")
    assert failed["finish_reason"] == "failed" and failed["error_type"] == "BudgetError"
    assert "cannot pay for even one call" in failed["error"]
    calls = model.calls

    again = await batch(
        path, out, models=[model], strategy="single", options={"task_requirement": False}
    )
    assert (again.ran, again.skipped, again.failed) == (0, 4, 1)
    assert model.calls == calls  # nothing paid twice, failures not retried unasked

    tasks[-1]["budget"] = "low"  # fixed, and asked to run the failures again
    write_tasks(path, tasks)
    retried = await batch(
        path,
        out,
        models=[model],
        strategy="single",
        retry_failed=True,
        options={"task_requirement": False},
    )
    assert (retried.ran, retried.skipped, retried.failed, retried.done) == (1, 3, 0, 4)
    assert model.calls == calls + 1
    assert sorted(str(r["id"]) for r in lines(out)) == ["0", "1", "2", "tiny"]


class Crash(Exception):
    """A bug in the middle of a batch."""


@pytest.mark.anyio
async def test_a_crash_keeps_every_finished_task(tmp_path: Path) -> None:
    def script(request: CompletionRequest, index: int) -> Reply:
        if index == 2:
            raise Crash
        return Reply("an answer")

    tasks = write_tasks(tmp_path / "in.jsonl", [{"id": i, "input": f"Q{i}"} for i in range(5)])
    out = tmp_path / "out.jsonl"
    crashing = ScriptedModel(script, name="scripted:m")
    with pytest.raises(Crash):
        await batch(
            tasks,
            out,
            models=[crashing],
            strategy="single",
            concurrency=1,
            options={"task_requirement": False},
        )
    assert [r["id"] for r in lines(out)] == [0, 1]

    working = ScriptedModel(["an answer"], name="scripted:m")
    summary = await batch(
        tasks, out, models=[working], strategy="single", options={"task_requirement": False}
    )
    assert (summary.skipped, summary.ran, summary.done) == (2, 3, 5)
    assert [r.messages[-1].content for r in working.requests] == ["Q2", "Q3", "Q4"]


@pytest.mark.anyio
async def test_results_do_not_depend_on_how_tasks_interleave(
    tmp_path: Path, hashed: Callable[..., Script]
) -> None:
    tasks = [{"id": i, "input": f"Write about the coast, part {i}."} for i in range(8)]
    reqs = ["do not use any commas", "at least 10 words", "mention the word tide"]
    outs = []
    for slow in (0.0, 0.01, 0.03):
        model = ScriptedModel(hashed(slow), name="scripted:hosted", max_concurrency=16)
        path = tmp_path / f"out-{slow}.jsonl"
        await batch(
            tasks,
            path,
            requirements=reqs,
            models=[model],
            concurrency=8,
            options={"task_requirement": False},
        )
        outs.append({r["id"]: r for r in lines(path)})
    # a task plans with one slot, without speculation: as a lone solve on a one-slot model
    alone = ScriptedModel(hashed(), name="scripted:hosted", max_concurrency=1)
    for task in tasks:
        result = await solve(
            task["input"],
            reqs,
            models=[alone],
            options={"task_requirement": False, "speculate": False},
        )
        expected = json.loads(json.dumps({"id": task["id"], **result.to_json()}))
        for out in outs:
            got = out[task["id"]]
            for key in ("text", "score", "finish_reason", "requirements", "calls", "decisions"):
                assert got[key] == expected[key], (task["id"], key)


@pytest.mark.anyio
async def test_every_task_plans_with_the_estimates_the_store_had_at_the_start(
    tmp_path: Path,
) -> None:
    tasks = [{"input": f"Hello {i}"} for i in range(4)]
    with Store.open(tmp_path / "store.db") as store:
        await batch(tasks, tmp_path / "a.jsonl", models=["scripted:echo"], strategy="single",
                    store=store, options={"task_requirement": False})  # fmt: skip
        before = store.load_estimates().get("scripted:echo", "sample")
        others = [{"input": f"Bye {i}"} for i in range(4)]
        summary = await batch(others, tmp_path / "b.jsonl", models=["scripted:echo"],
                              strategy="single", store=store)  # fmt: skip
        after = store.load_estimates().get("scripted:echo", "sample")
    assert before is not None and after is not None
    assert before.n == 4  # one observation per task, counted once each ...
    assert after.n == 8  # ... not once per task for every task before it
    assert summary.calls == 4


@pytest.mark.anyio
async def test_a_bad_default_model_stops_before_anything(tmp_path: Path) -> None:
    with pytest.raises(UserError, match="Unknown provider 'nope'"):
        await batch(
            [{"input": "x"}],
            tmp_path / "out.jsonl",
            models=["nope:x"],
            options={"task_requirement": False},
        )
    assert not (tmp_path / "out.jsonl").exists()
    with pytest.raises(UserError, match="workers"):
        await batch(
            [{"input": "x"}], tmp_path / "out.jsonl", workers=2, options={"task_requirement": False}
        )
