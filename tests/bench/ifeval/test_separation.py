"""The solver never reaches the benchmark's scorer: only `cadenza.bench` and the bench
CLI commands (`cadenza/cli/bench_*.py`) import it, and importing the front door loads
none of it."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import cadenza

SRC = Path(cadenza.__file__).parent


def is_harness(path: Path) -> bool:
    return SRC / "bench" in path.parents or (
        path.parent == SRC / "cli" and path.name.startswith("bench_")
    )


def test_only_the_harness_imports_the_scorer() -> None:
    importers = []
    for path in SRC.rglob("*.py"):
        if is_harness(path):
            continue
        if re.search(r"^\s*(from|import)\s+cadenza\.bench", path.read_text(), re.MULTILINE):
            importers.append(path.relative_to(SRC))
    assert importers == []


def test_the_front_door_loads_no_benchmark_code() -> None:
    probe = (
        "import sys, cadenza.api as r; r.strategies(); "
        "print(sorted(m for m in sys.modules if m.startswith('cadenza.bench')))"
    )
    output = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout
    assert output.strip() == "[]"
