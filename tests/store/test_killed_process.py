"""A process killed mid-run leaves a store from which every finished step (and its
result) can be read."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from cadenza.store import Store

CHILD = r"""
import sys, time
from cadenza.engine.events import RunStarted, StepFinished
from cadenza.engine.outcomes import Spend, StepRecord
from cadenza.store import Store, RunRecorder, VerdictRecord

store = Store.open(sys.argv[1])
recorder = RunRecorder(store)
recorder(RunStarted("killed-run", 0, time.monotonic(), time.time()))
n = 0
while True:  # record steps until killed
    mono, wall = time.monotonic(), time.time()
    record = StepRecord(
        "killed-run", f"s{n}", "sample", "scripted:echo", "ok", "", None, 1,
        mono - 0.01, mono, wall - 0.01, wall, Spend(0.001, 5, n, 1),
    )
    recorder(StepFinished(record, {"n": n, "text": f"answer {n} " * 40}))
    # Five verdicts in one transaction: after a kill there are all five or none.
    store.record_verdicts(
        [VerdictRecord("killed-run", f"s{n}", f"s{n}", f"r{i}", 1.0, True, "ok")
         for i in range(5)]
    )
    n += 1
    if n == 30:
        print("recorded", flush=True)
"""


def test_a_killed_process_leaves_its_finished_steps_readable(tmp_path: Path) -> None:
    path = tmp_path / "store.db"
    src = Path(__file__).resolve().parents[2] / "src"
    env = {**os.environ, "PYTHONPATH": str(src)}
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(path)], stdout=subprocess.PIPE, text=True, env=env
    )
    try:
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "recorded"
        os.kill(child.pid, signal.SIGKILL)  # mid-write: the child never stops on its own
    finally:
        child.wait(timeout=30)
        if child.stdout is not None:
            child.stdout.close()
    assert child.returncode == -signal.SIGKILL

    with Store.open(path) as store:
        history = store.load_run("killed-run")
    assert history.run.status == "interrupted"  # it never finished; its process is gone
    steps = history.steps
    assert len(steps) >= 30
    # Exactly the steps recorded, in order, none torn: s0, s1, ... with their results.
    assert [s.record.step_id for s in steps] == [f"s{n}" for n in range(len(steps))]
    for n, step in enumerate(steps):
        assert step.record.outcome == "ok"
        assert step.result == {"n": n, "text": f"answer {n} " * 40}
        assert step.record.spend.output_tokens == n
    # Verdicts were written in transactions of five: none half-written.
    assert len(history.verdicts) % 5 == 0
    assert len(history.verdicts) // 5 in (len(steps) - 1, len(steps))


def test_a_run_whose_process_is_alive_stays_running(tmp_path: Path) -> None:
    path = tmp_path / "store.db"
    with Store.open(path) as store:
        run_id = store.start_run(task="still going")
    with Store.open(path) as again:  # same process: alive
        assert again.load_run(run_id).run.status == "running"
