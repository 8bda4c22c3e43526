"""Shared test configuration: async tests run on asyncio through anyio's plugin, and
no test reads or writes the user's own cadenza data folder."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture(autouse=True)
def _private_data_dir(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Path:
    folder = tmp_path_factory.mktemp("cadenza-data")
    monkeypatch.setenv("CADENZA_DATA_DIR", str(folder))
    return folder
