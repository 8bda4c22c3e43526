"""Ctrl-C and kill -9 in the middle of a real `cadenza run` process: Ctrl-C prints one
line saying the run was interrupted and recorded and exits 130 within a second; after
either, the store holds the run as interrupted with every step it finished."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from collections.abc import Callable

import pytest
from tests.faults.conftest import Cli, model
from tests.faults.servers import FakeServer

from cadenza.store.store import Store

WAIT_S = 60.0


def wait_for(condition: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + WAIT_S
    while not condition():  # another process: nothing to await but its traces
        if time.monotonic() > deadline:
            pytest.fail(f"gave up waiting for {what}")
        time.sleep(0.05)


def start_refine(cli: Cli, fake: FakeServer) -> subprocess.Popen[str]:
    """A refine run whose first answer arrives and whose fix never does."""
    process = cli.spawn(
        "run", "Write about the sea", "-r", "Answer with at least 300 words",
        "-m", model("openai", "ok-then-silent"), "-s", "refine", "--timeout", "60",
        "--store", str(cli.store),
    )  # fmt: skip
    wait_for(lambda: len(fake.requests) >= 2, "the fix call to arrive")
    return process


def recorded(cli: Cli) -> tuple[str, list[str]]:
    with Store.open(cli.store) as store:
        (row,) = store.list_runs()
        history = store.load_run(row.id)
    return row.status, [f"{s.record.kind}:{s.record.outcome}" for s in history.steps]


def test_ctrl_c_prints_one_line_records_the_run_and_exits_130_within_a_second(
    cli: Cli, fake: FakeServer
) -> None:
    process = start_refine(cli, fake)
    sent = time.monotonic()
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=10)
    took = time.monotonic() - sent
    assert process.returncode == 130
    assert took < 1.0, took
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("interrupted:"), err
    assert "recorded as interrupted" in lines[0] and str(cli.store) in lines[0]
    assert out == ""
    status, steps = recorded(cli)
    assert status == "interrupted"
    assert "sample:ok" in steps  # the answer paid for is kept
    runs = cli.run("runs", "--store", str(cli.store), "--json")
    assert json.loads(runs.stdout)["runs"][0]["status"] == "interrupted"


def test_kill_9_mid_run_leaves_the_run_interrupted_with_its_finished_steps(
    cli: Cli, fake: FakeServer
) -> None:
    process = start_refine(cli, fake)
    wait_for(lambda: cli.store.exists() and "sample:ok" in recorded(cli)[1], "the first step")
    os.kill(process.pid, signal.SIGKILL)
    process.communicate(timeout=10)
    assert process.returncode == -signal.SIGKILL
    status, steps = recorded(cli)  # opening the store notices the process is gone
    assert status == "interrupted"
    assert steps == ["sample:ok"]


def test_ctrl_c_while_the_command_is_still_starting_is_one_line_too(cli: Cli) -> None:
    process = cli.spawn("run", "Write about the sea", "-m", "scripted:echo", "--no-store")
    time.sleep(0.15)  # the interpreter is up; the CLI is still loading (about 0.5 s)
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=30)
    assert process.returncode == 130, err
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("interrupted:"), err
