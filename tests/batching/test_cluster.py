"""`cadenza.batch` on a real local Ray cluster, started here with two CPUs (one cluster
for the whole module): a batch completes on two workers and equals a local batch, a
worker killed mid-batch loses no task, a rerun skips done ids, the bench's arms run on
it, and the embedded model loads once per worker."""

from __future__ import annotations

import json
import logging
import os
import signal
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import anyio
import pytest
import ray

from cadenza.api import batch, solve
from cadenza.batching import (
    BatchEvent,
    RayTarget,
    TaskFinished,
    WorkerDone,
    WorkerLost,
    WorkerUp,
)
from cadenza.bench.ifeval import default_data_dir, load_rows
from cadenza.bench.ifeval.runner import Arm, BenchPlan, run_bench
from cadenza.errors import ClusterError
from cadenza.providers.base import CompletionRequest, Model
from cadenza.providers.registry import resolve
from cadenza.providers.scripted import Reply, Script, ScriptedModel
from cadenza.settings import Settings
from cadenza.store import Store

pytestmark = pytest.mark.anyio

COMPARED = ("text", "score", "finish_reason", "requirements", "calls", "decisions", "passed")


@pytest.fixture(scope="module", autouse=True)
def cluster(
    tmp_path_factory: pytest.TempPathFactory, hashed: Callable[..., Script]
) -> Iterator[None]:
    """A local Ray cluster of two CPUs; its workers get private cadenza folders."""
    private = {
        "CADENZA_CACHE_DIR": str(tmp_path_factory.mktemp("ray-cache")),
        "CADENZA_DATA_DIR": str(tmp_path_factory.mktemp("ray-data")),
    }
    saved = {name: os.environ.get(name) for name in private}
    os.environ.update(private)  # the workers inherit the environment
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False, logging_level=logging.ERROR)
    for module in (__name__, hashed.__module__):  # the tests' own scripts travel by value
        ray.cloudpickle.register_pickle_by_value(sys.modules[module])
    try:
        yield
    finally:
        ray.shutdown()
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


@pytest.fixture
def hosted(hashed: Callable[..., Script]) -> Callable[..., ScriptedModel]:
    """A hosted-like model with four slots whose answers depend on the request alone."""

    def make(slow: float = 0.02) -> ScriptedModel:
        return ScriptedModel(hashed(slow), name="scripted:hosted", max_concurrency=4)

    return make


def tasks_of(n: int) -> list[dict[str, Any]]:
    return [{"id": i, "input": f"Write about the coast, part {i}."} for i in range(n)]


REQUIREMENTS = ["do not use any commas", "at least 10 words", "mention the word tide"]


def by_id(path: Path) -> dict[Any, dict[str, Any]]:
    lines = path.read_text(encoding="utf-8").splitlines()
    records = [json.loads(line) for line in lines]
    assert len(records) == len({r["id"] for r in records}), "an id written twice"
    return {r["id"]: r for r in records}


def assert_same(got: dict[Any, dict[str, Any]], expected: dict[Any, dict[str, Any]]) -> None:
    assert got.keys() == expected.keys()
    for task_id, record in expected.items():
        for key in COMPARED:
            assert got[task_id][key] == record[key], (task_id, key)


async def test_a_batch_runs_on_two_workers_and_equals_a_local_batch(
    tmp_path: Path, hosted: Callable[..., ScriptedModel]
) -> None:
    tasks = tasks_of(12)
    await batch(tasks, tmp_path / "local.jsonl", requirements=REQUIREMENTS, models=[hosted()])
    events: list[BatchEvent] = []
    with Store.open(tmp_path / "store.db") as store:
        summary = await batch(
            tasks,
            tmp_path / "ray.jsonl",
            requirements=REQUIREMENTS,
            models=[hosted()],
            ray=True,
            workers=2,
            store=store,
            on_event=events.append,
        )
        ray_out = by_id(tmp_path / "ray.jsonl")
        assert {row.id for row in store.list_runs()} == {r["run_id"] for r in ray_out.values()}
        assert store.load_run(ray_out[0]["run_id"]).verdicts  # the driver wrote every run
    assert (summary.done, summary.failed, summary.ran) == (12, 0, 12)
    assert_same(ray_out, by_id(tmp_path / "local.jsonl"))
    pids = {e.pid for e in events if isinstance(e, WorkerUp)}
    assert len(pids) == 2 and os.getpid() not in pids
    done = [e for e in events if isinstance(e, WorkerDone)]
    assert sum(e.jobs for e in done) == 12
    assert len(done) == 2 and all(e.jobs > 0 for e in done)  # both workers took tasks
    assert [e.finished for e in events if isinstance(e, TaskFinished)] == list(range(1, 13))


async def test_a_worker_killed_mid_batch_loses_no_task(tmp_path: Path) -> None:
    tasks = tasks_of(8)
    model = ScriptedModel(["A calm answer."], name="scripted:slow", latency=1.0)
    await batch(tasks, tmp_path / "local.jsonl", models=[model], strategy="single")
    events: list[BatchEvent] = []
    pids: list[int] = []
    both_up = anyio.Event()

    def on_event(event: BatchEvent) -> None:
        events.append(event)
        if isinstance(event, WorkerUp):
            pids.append(event.pid)
            if len(pids) == 2:
                both_up.set()

    async def kill_the_first_worker() -> None:
        await both_up.wait()
        await anyio.sleep(0.3)  # it has been running two one-second tasks since it came up
        os.kill(pids[0], signal.SIGKILL)

    async with anyio.create_task_group() as group:
        group.start_soon(kill_the_first_worker)
        summary = await batch(
            tasks,
            tmp_path / "ray.jsonl",
            models=[model],
            strategy="single",
            ray=True,
            workers=2,
            concurrency=2,
            on_event=on_event,
        )
    lost = [e for e in events if isinstance(e, WorkerLost)]
    assert len(lost) == 1 and lost[0].jobs  # it died holding tasks ...
    assert (summary.done, summary.failed, summary.lost_workers) == (8, 0, 1)  # ... none lost
    assert_same(by_id(tmp_path / "ray.jsonl"), by_id(tmp_path / "local.jsonl"))


async def test_a_rerun_on_ray_skips_the_ids_already_done(
    tmp_path: Path, hosted: Callable[..., ScriptedModel]
) -> None:
    tasks = tasks_of(10)
    out = tmp_path / "out.jsonl"
    await batch(tasks[:5], out, requirements=REQUIREMENTS, models=[hosted()])
    before = out.read_text(encoding="utf-8")
    events: list[BatchEvent] = []
    summary = await batch(
        tasks,
        out,
        requirements=REQUIREMENTS,
        models=[hosted()],
        ray=True,
        workers=2,
        on_event=events.append,
    )
    assert (summary.skipped, summary.ran, summary.done) == (5, 5, 10)
    assert out.read_text(encoding="utf-8").startswith(before)  # done lines untouched
    assert sum(e.jobs for e in events if isinstance(e, WorkerDone)) == 5
    await batch(tasks, tmp_path / "local.jsonl", requirements=REQUIREMENTS, models=[hosted()])
    assert_same(by_id(out), by_id(tmp_path / "local.jsonl"))


async def test_a_task_that_raises_on_a_worker_stops_the_batch_with_its_error(
    tmp_path: Path,
) -> None:
    def broken(request: CompletionRequest, index: int) -> Reply:
        raise RuntimeError("a bug in the model's script")

    model = ScriptedModel(broken, name="scripted:broken")
    with pytest.raises(RuntimeError, match="a bug in the model's script"):
        await batch(tasks_of(3), tmp_path / "out.jsonl", models=[model], ray=True, workers=2)


async def test_the_bench_runs_its_arms_on_ray(tmp_path: Path) -> None:
    data = default_data_dir()
    assert data is not None, "IFEval data not found beside the checkout"
    rows = tuple(load_rows(data)[:3])
    arm = Arm("single", "scripted:echo")
    settings = Settings.load()
    models: dict[str, Model] = {arm.model: resolve(arm.model, settings)}
    results = {}
    for where, target in (("local", None), ("ray", RayTarget(workers=2))):
        plan = BenchPlan(rows=rows, arms=(arm,), out=tmp_path / where, concurrency=2)
        got = await run_bench(plan, models, solve=solve, settings=settings, ray=target)
        results[where] = [(r.key, r.response, r.finish_reason) for r in got[arm]]
        written = (tmp_path / where / arm.name / "results.jsonl").read_text(encoding="utf-8")
        assert len(written.splitlines()) == 3
    assert results["ray"] == results["local"]
    assert [key for key, _, _ in results["ray"]] == [row.key for row in rows]


@pytest.mark.real_model
async def test_the_embedded_model_loads_once_per_worker(tmp_path: Path) -> None:
    tasks = [{"id": i, "input": f"Name a colour, {i}."} for i in range(4)]
    how: dict[str, Any] = {
        "models": ["local:smollm2-135m"],
        "strategy": "single",
        "options": {"max_tokens": 8},
        "requirements": [],
    }
    await batch(tasks, tmp_path / "local.jsonl", **how)
    events: list[BatchEvent] = []
    summary = await batch(
        tasks, tmp_path / "ray.jsonl", ray=True, workers=2, on_event=events.append, **how
    )
    assert summary.done == 4
    assert_same(by_id(tmp_path / "ray.jsonl"), by_id(tmp_path / "local.jsonl"))  # seeded
    done = [e for e in events if isinstance(e, WorkerDone)]
    assert len(done) == 2
    for worker in done:  # one instance per worker, serving every task the worker ran
        if worker.jobs == 0:  # the batched model has 8 slots: one worker may take all
            assert worker.loaded == {}
            continue
        assert list(worker.loaded) == ["local:smollm2-135m"]
        assert worker.loaded["local:smollm2-135m"] == worker.jobs
    assert sum(worker.jobs for worker in done) == 4


async def test_more_workers_than_the_cluster_has_cpus_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ClusterError, match="has 2 CPU"):
        await batch(tasks_of(2), tmp_path / "out.jsonl", models=["scripted:echo"], ray=True,
                    workers=3)  # fmt: skip
    assert not (tmp_path / "out.jsonl").exists()
