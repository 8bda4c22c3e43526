"""Resuming an interrupted run (`cadenza.api.resume`): a process killed with SIGKILL
mid-run, then resumed, finishes without paying again for any answer it already had."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import anyio
import pytest

from cadenza.api import resume, solve
from cadenza.errors import UserError
from cadenza.providers.base import Completion, CompletionRequest, Model, ProgressCallback
from cadenza.providers.registry import resolve
from cadenza.providers.scripted import ScriptedModel
from cadenza.providers.wrapper import ModelWrapper
from cadenza.settings import Settings
from cadenza.store import Store
from cadenza.task import Budget, Requirement

# The test's provider (see tests/counting_provider.py).
PROVIDER = (Path(__file__).parent / "counting_provider.py").read_text()

TASK = "Write about the sea"
REQUIREMENTS = [
    "at most 5 words",
    "mention Acme at least twice",
    "use the word deep",
    "start with the word blue",
]

# The counting model cannot judge; these runs are about their checks' calls.
CHECKS_ONLY = {"task_requirement": False}

# The killed process: the same solve, printing a line once each answer is logged.
CHILD = (
    PROVIDER
    + f"""
TASK = {TASK!r}
REQUIREMENTS = {REQUIREMENTS!r}
CHECKS_ONLY = {CHECKS_ONLY!r}
"""
    + r"""
import sys
import anyio
from cadenza.api import solve
from cadenza.planner.events import CandidateAdded

def on_event(event):
    if isinstance(event, CandidateAdded):  # its answer is logged by now
        print("candidate", flush=True)

async def main(path, slots, latency):
    model = CountingModel(int(slots), float(latency), sys.stdout)
    await solve(
        TASK, REQUIREMENTS, models=[model], store=path, budget="high", run_id="the-run",
        on_event=on_event, options=CHECKS_ONLY,
    )

anyio.run(main, *sys.argv[1:])
"""
)


def _provider() -> Any:
    namespace: dict[str, Any] = {}
    exec(PROVIDER, namespace)
    return namespace["CountingModel"]


def _start(source: str, *args: str) -> subprocess.Popen[str]:
    src = Path(__file__).resolve().parents[1] / "src"
    return subprocess.Popen(
        [sys.executable, "-c", source, *args],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(src)},
    )


def _kill_after(path: Path, candidates: int, slots: int, latency: float) -> list[str]:
    """Run the solve in a child process, SIGKILL it once it has `candidates` answers
    (and calls in flight); the request keys it was paid for."""
    child = _start(CHILD, str(path), str(slots), str(latency))
    keys: list[str] = []
    try:
        assert child.stdout is not None
        seen = 0
        while seen < candidates:
            line = child.stdout.readline()
            assert line, "the child ended before it was killed"
            if line.startswith("paid "):
                keys.append(line.split()[1])
            seen += line.startswith("candidate")
        os.kill(child.pid, signal.SIGKILL)
        keys += [line.split()[1] for line in child.stdout if line.startswith("paid ")]
    finally:
        child.wait(timeout=30)
        if child.stdout is not None:
            child.stdout.close()
    assert child.returncode == -signal.SIGKILL
    return keys


@pytest.mark.anyio
async def test_a_killed_run_resumes_without_paying_again_and_ends_as_if_never_killed(
    tmp_path: Path,
) -> None:
    counting = _provider()
    # The same run, never interrupted, in a store of its own: what it costs and gives.
    reference_model = counting(1, 0.02)
    reference = await solve(
        TASK,
        REQUIREMENTS,
        models=[reference_model],
        store=tmp_path / "ref.db",
        budget="high",
        options=CHECKS_ONLY,
    )
    assert len(reference_model.paid) >= 6

    path = tmp_path / "killed.db"
    killed = _kill_after(path, 3, slots=1, latency=0.3)
    with Store.open(path) as store:
        assert store.load_run("the-run").run.status == "interrupted"
        assert len(store.run_calls("the-run")) == len(killed)

    model = counting(1, 0.02)
    result = await resume("the-run", store=path, models=[model])
    assert not set(model.paid) & set(killed)  # nothing paid for twice
    # One slot per model (the embedded model's case): the resumed run retraces the
    # first one, so it pays for exactly what the first one had not got yet, and ends
    # with the answer, verdicts and spend of a run that was never interrupted.
    assert len(killed) + len(model.paid) == len(reference_model.paid)
    assert (result.text, result.score, result.finish_reason) == (
        reference.text,
        reference.score,
        reference.finish_reason,
    )
    assert result.requirements == reference.requirements
    assert (result.calls, result.usage.total_tokens) == (
        reference.calls,
        reference.usage.total_tokens,
    )
    assert result.run_id == "the-run"
    with Store.open(path) as store:
        history = store.load_run("the-run")
        assert history.run.status != "interrupted" and history.run.text == result.text
        assert store.run_result("the-run") == json.loads(json.dumps(result.to_json()))


@pytest.mark.anyio
async def test_concurrent_calls_killed_mid_flight_are_never_paid_twice(tmp_path: Path) -> None:
    path = tmp_path / "killed.db"
    killed = _kill_after(path, 5, slots=4, latency=0.25)
    with Store.open(path) as store:
        logged = len(store.run_calls("the-run"))
    # An answer that arrived in the instant of the kill may be paid for but not logged:
    # only such an answer may be paid for again (with four calls in flight over a
    # quarter second, this is rare).
    lost = len(killed) - logged
    model = _provider()(4, 0.02)
    result = await resume("the-run", store=path, models=[model])
    assert len(set(model.paid) & set(killed)) <= lost
    assert result.finish_reason in ("satisfied", "no_progress", "budget_spent")
    with Store.open(path) as store:
        assert len(store.run_calls("the-run")) == logged + len(model.paid)


def _orphan(path: Path, run_id: str) -> None:
    """Make run `run_id` look held by a process that is gone (no such pid)."""
    conn = sqlite3.connect(path)
    conn.execute(
        "UPDATE runs SET owner = substr(owner, 1, instr(owner, ':')) || '99999999' WHERE id = ?",
        (run_id,),
    )
    conn.commit()
    conn.close()


@pytest.mark.anyio
async def test_only_an_interrupted_run_can_be_resumed(tmp_path: Path) -> None:
    path = tmp_path / "store.db"
    done = await solve("Write", ["at most 9 words"], models=[ScriptedModel()], store=path)
    assert done.run_id is not None
    with pytest.raises(UserError, match="nothing to resume"):
        await resume(done.run_id, store=path, models=[ScriptedModel()])
    with pytest.raises(UserError, match="No run 'nope'"):
        await resume("nope", store=path)

    with Store.open(path) as store:  # a run still held by a live process (this one)
        store.start_run(
            task="Write again",
            requirements=[Requirement("at most 9 words")],
            budget=Budget.of("medium"),
            strategy="tree",
            models=["scripted:echo"],
            run_id="held",
        )
    with pytest.raises(UserError, match="still running"):
        await resume("held", store=path)

    # Once its process is gone the run reads interrupted, and resumes.
    _orphan(path, "held")
    result = await resume("held", store=path, models=[ScriptedModel()])
    assert result.run_id == "held" and result.text.startswith("Write again")


@pytest.mark.anyio
async def test_a_failed_resumption_leaves_the_run_interrupted(tmp_path: Path) -> None:
    path = tmp_path / "store.db"
    with anyio.move_on_after(0.05):
        await solve("Write", None, models=[ScriptedModel(latency=5.0)], store=path, run_id="r")
    _orphan(path, "r")
    with pytest.raises(UserError, match="Unknown provider"):
        await resume("r", store=path, models=["nosuch:model"])
    with Store.open(path) as store:
        run = store.load_run("r").run
    assert run.status == "interrupted"
    assert run.error is not None and "Unknown provider" in run.error["message"]


REAL_CHILD = r"""
import os
import sys
os.environ["CADENZA_LOCAL_BATCH"] = "0"  # one call at a time: the kill lands mid-run
import anyio
from cadenza.api import solve
from cadenza.planner.events import CandidateAdded

def on_event(event):
    if isinstance(event, CandidateAdded):  # its answer is logged by now
        print("candidate", flush=True)

async def main(path):
    await solve(
        "Name a colour.", ["at most 5 words", "use only lowercase letters"],
        models=["local:smollm2-135m"], store=path, budget={"calls": 4}, run_id="real",
        options={"max_tokens": 16, "max_width": 2, "speculate": False}, on_event=on_event,
    )

anyio.run(main, sys.argv[1])
"""


class _Counted(ModelWrapper):
    """Counts the calls that reach the real model."""

    def __init__(self, inner: Model) -> None:
        super().__init__(inner)
        self.calls = 0

    async def complete(
        self, request: CompletionRequest, *, on_progress: ProgressCallback | None = None
    ) -> Completion:
        self.calls += 1
        return await self._inner.complete(request, on_progress=on_progress)


@pytest.mark.real_model
@pytest.mark.anyio
async def test_a_killed_run_on_the_real_model_resumes_without_paying_again(
    tmp_path: Path,
) -> None:
    path = tmp_path / "real.db"
    child = _start(REAL_CHILD, str(path))
    try:
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "candidate"  # one answer in, more coming
        os.kill(child.pid, signal.SIGKILL)
    finally:
        child.wait(timeout=60)
        if child.stdout is not None:
            child.stdout.close()
    with Store.open(path) as store:
        assert store.get_run("real").status == "interrupted"
        before = len(store.run_calls("real"))
    assert before >= 1

    model = _Counted(resolve("local:smollm2-135m", Settings.load()))
    result = await resume("real", store=path, models=[model])
    # The answers obtained before the kill were served again; only the rest was paid.
    assert result.calls == before + model.calls
    assert any(note.startswith(f"resumed: {before} answer(s)") for note in result.notes)
    assert result.calls <= 4 and result.usage.output_tokens > 0
