"""A server killed with SIGKILL mid-run resumes that run when it starts again, and
pays for none of the answers it already had."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from cadenza.client import Client
from cadenza.server.serving import running
from cadenza.store import Store

from .conftest import TOKEN, config_for

PROVIDER = (Path(__file__).parents[1] / "counting_provider.py").read_text()
CHILD = (
    PROVIDER
    + r"""
import sys
import anyio
from cadenza.server import ServerConfig
from cadenza.server.serving import base_url, bind, serve
from cadenza.server.stopping import StopSignals
from cadenza.settings import Secret, Settings

async def main(store, token):
    model = CountingModel(4, 0.25, sys.stdout)
    config = ServerConfig(
        store=store, token=Secret(token), settings=Settings.load(), port=0,
        models={model.id: model},
    )
    sock = bind("127.0.0.1", 0)
    ready = anyio.Event()
    async with anyio.create_task_group() as tg:
        tg.start_soon(serve, config, sock, ready, StopSignals())
        await ready.wait()
        print("url", base_url(sock), flush=True)

anyio.run(main, *sys.argv[1:])
"""
)
REQUIREMENTS = ["at most 5 words", "mention Acme at least twice", "use the word deep"]
SRC = Path(__file__).resolve().parents[2] / "src"


def _start_server(store: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", CHILD, str(store), TOKEN],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(SRC)},
    )


@pytest.mark.anyio
async def test_a_killed_server_resumes_its_run_on_start_without_paying_twice(
    tmp_path: Path,
) -> None:
    store = tmp_path / "server.db"
    child = _start_server(store)
    killed: list[str] = []
    try:
        assert child.stdout is not None
        first = child.stdout.readline().split()
        assert first[0] == "url", first
        async with Client(first[1], TOKEN) as client:
            run = await client.create_run(
                "Write about the sea",
                REQUIREMENTS,
                models=["scripted:counting"],
                budget="high",
                options={"task_requirement": False},  # the counting model cannot judge
            )
            candidates = 0
            async for event in client.events(run["id"]):
                candidates += event["type"] == "candidate"
                if candidates == 3:
                    break
        os.kill(child.pid, signal.SIGKILL)
        killed = [line.split()[1] for line in child.stdout if line.startswith("paid ")]
    finally:
        child.wait(timeout=30)
        if child.stdout is not None:
            child.stdout.close()
    assert child.returncode == -signal.SIGKILL and killed

    with Store.open(store) as opened:
        assert opened.get_run(run["id"]).status == "interrupted"
        logged = len(opened.run_calls(run["id"]))
    namespace: dict[str, Any] = {}
    exec(PROVIDER, namespace)
    model = namespace["CountingModel"](4, 0.02)
    config = config_for(store, models={"scripted:counting": model})
    async with running(config) as url, Client(url, TOKEN) as client:
        done = await client.wait(run["id"])
    assert done["status"] == "completed", done
    result = done["result"]
    assert any(note.startswith("resumed:") for note in result["notes"])
    # Only an answer that arrived in the very instant of the kill (paid, not yet
    # logged) may be paid for again.
    assert len(set(model.paid) & set(killed)) <= len(killed) - logged
    assert len(model.paid) < result["calls"]  # part of the run came from before
