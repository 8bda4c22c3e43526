"""A real server on a free loopback port, over a store in the test's folder."""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import pytest

from cadenza.client import Client
from cadenza.providers.base import Model
from cadenza.server import Limits, ServerConfig
from cadenza.server.serving import running
from cadenza.settings import Secret, Settings

TOKEN = "test-token-0123456789abcdef"


@dataclass
class Served:
    url: str
    store: Path
    client: Client


def config_for(
    store: Path, *, models: Mapping[str, Model] | None = None, **options: object
) -> ServerConfig:
    return ServerConfig(
        store=store,
        token=Secret(TOKEN),
        settings=Settings.load(),
        host="127.0.0.1",
        port=0,
        models=dict(models or {}),
        **options,  # type: ignore[arg-type]
    )


@pytest.fixture
async def served(tmp_path: Path) -> AsyncIterator[Served]:
    store = tmp_path / "server.db"
    config = config_for(store, limits=Limits(max_running=8))
    async with running(config) as url, Client(url, TOKEN) as client:
        yield Served(url, store, client)
