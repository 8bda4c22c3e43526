"""Where the shared IFEval data lives for the bench tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from cadenza.bench.ifeval import default_data_dir


@pytest.fixture(scope="session")
def ifeval_dir() -> Path:
    found = default_data_dir()
    assert found is not None, (
        "IFEval data not found: set CADENZA_IFEVAL_DATA or keep shared/benchmarks/ifeval "
        "beside the checkout"
    )
    return found


@pytest.fixture(scope="session")
def nltk_dir(ifeval_dir: Path) -> Path:
    return ifeval_dir.parent / "nltk_data"
