"""The fault suite's fixtures: a misbehaving loopback server (`servers.py`), the
environment that points cadenza at it with a key that must never leak, and ways to run
the real CLI (in-process through typer's runner, or as its own process)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from tests.faults.servers import FakeServer, Serving
from typer.testing import CliRunner, Result

from cadenza.cli import app

KEY = "sk-fault-Zq8v0123456789abcdefXYZ"  # shaped like a key: must never appear anywhere
PLAIN_KEY = "plainFaultKey2468013579"  # no recognisable shape: scrubbed as configured
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def fake() -> Iterator[FakeServer]:
    with Serving() as server:
        yield server


@dataclass
class Cli:
    """Runs ``cadenza`` against the fake server with `env`."""

    env: dict[str, str]
    store: Path

    def run(self, *args: str) -> Result:
        """In-process, through typer's runner (fast; same code path as the command)."""
        return CliRunner().invoke(app, list(args), env=self.env, catch_exceptions=False)

    def spawn(
        self, *args: str, prefix: tuple[str, ...] = (), **popen: object
    ) -> subprocess.Popen[str]:
        """As its own process (for signals, concurrency, file limits), after `prefix`
        (a command that runs it, e.g. with fewer privileges)."""
        command = [*prefix, sys.executable, "-c", "from cadenza.entry import main; main()", *args]
        env = {**os.environ, **self.env, "PYTHONPATH": str(ROOT / "src")}
        return subprocess.Popen(  # type: ignore[call-overload,no-any-return]
            command,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            **popen,
        )

    def store_bytes(self) -> bytes:
        """Every byte the store wrote (the database, its WAL and shared-memory files)."""
        parts = [self.store.parent / (self.store.name + s) for s in ("", "-wal", "-shm")]
        return b"".join(p.read_bytes() for p in parts if p.exists())


def env_for(fake: FakeServer, store: Path, key: str = KEY) -> dict[str, str]:
    return {
        "OPENAI_BASE_URL": fake.openai_url,
        "OPENAI_API_KEY": key,
        "ANTHROPIC_BASE_URL": fake.base_url,
        "ANTHROPIC_API_KEY": key,
        "CADENZA_CONFIG": str(store.parent / "no-config.toml"),
        "CADENZA_DATA_DIR": str(store.parent),  # the default store: <data dir>/cadenza.db
    }


@pytest.fixture
def cli(fake: FakeServer, tmp_path: Path) -> Cli:
    store = tmp_path / "cadenza.db"
    return Cli(env_for(fake, store), store)


def model(provider: str, behaviour: str) -> str:
    """The model id that asks the fake server for `behaviour` (priced as a known model)."""
    base = "gpt-4.1-mini" if provider == "openai" else "claude-haiku-4-5"
    return f"{provider}:{base}-{behaviour}"
