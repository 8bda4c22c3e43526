"""Every marked figure in README.md equals its result file (docs/results/<name>.json,
which `bash scripts/bench` regenerates).

A figure is marked by an HTML comment right before it (invisible once rendered)::

    <!-- fig speculation:median_latency_reduction pct -->33.6%

that is: the result file's name, a dotted path into its JSON (list items by index),
and how the number is shown: ``pct`` (a fraction as a percentage, one decimal),
``spct`` (the same, signed), ``pct0`` (no decimal), ``x1``/``x2`` (a ratio, 1 or 2
decimals, then ``x``), ``f1``..``f4`` (a number with that many decimals), ``int``."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "docs" / "results"
MARKER = re.compile(
    r"<!-- fig (?P<file>[\w./-]+):(?P<path>[\w.-]+) (?P<fmt>\w+) -->(?P<shown>[-+−]?[\d.,]+[%x]?)"
)
FORMATS: dict[str, Callable[[float], str]] = {
    "pct": lambda v: f"{100 * v:.1f}%",
    "spct": lambda v: f"{100 * v:+.1f}%",
    "pct0": lambda v: f"{100 * v:.0f}%",
    "x1": lambda v: f"{v:.1f}x",
    "x2": lambda v: f"{v:.2f}x",
    "f1": lambda v: f"{v:.1f}",
    "f2": lambda v: f"{v:.2f}",
    "f3": lambda v: f"{v:.3f}",
    "f4": lambda v: f"{v:.4f}",
    "int": lambda v: f"{round(v):,}",
}


def value_at(data: Any, path: str) -> Any:
    for key in path.split("."):
        data = data[int(key)] if isinstance(data, list) else data[key]
    return data


def mismatches(text: str, results: Path) -> tuple[int, list[str]]:
    """How many figures are marked in `text`, and each one that differs from its file."""
    wrong: list[str] = []
    found = list(MARKER.finditer(text))
    for match in found:
        file, path, fmt, shown = match.group("file", "path", "fmt", "shown")
        where = f"{file}:{path}"
        source = results / f"{file}.json"
        if not source.is_file():
            wrong.append(f"{where}: no result file {source.name}")
            continue
        if fmt not in FORMATS:
            wrong.append(f"{where}: unknown format {fmt!r}")
            continue
        try:
            value = value_at(json.loads(source.read_text(encoding="utf-8")), path)
        except (KeyError, IndexError, ValueError):
            wrong.append(f"{where}: not in {source.name}")
            continue
        expected = FORMATS[fmt](float(value))
        if shown.replace("−", "-") != expected:
            wrong.append(f"{where}: the README says {shown}, the result file {expected}")
    return len(found), wrong


def test_every_marked_readme_figure_equals_its_result_file() -> None:
    count, wrong = mismatches((ROOT / "README.md").read_text(encoding="utf-8"), RESULTS)
    assert count >= 8, "the README's re-measured figures are marked"
    assert wrong == []


def test_a_figure_that_drifted_from_its_file_is_caught(tmp_path: Path) -> None:
    (tmp_path / "bench.json").write_text(json.dumps({"a": {"b": [0.1234, 7.0]}}))
    good = "x <!-- fig bench:a.b.0 pct -->12.3% and <!-- fig bench:a.b.1 x2 -->7.00x"
    assert mismatches(good, tmp_path) == (2, [])
    count, wrong = mismatches(
        "<!-- fig bench:a.b.0 pct -->12.4% <!-- fig nofile:a f1 -->1.0 "
        "<!-- fig bench:a.c f1 -->1.0 <!-- fig bench:a.b.1 odd -->7",
        tmp_path,
    )
    assert count == 4
    assert wrong == [
        "bench:a.b.0: the README says 12.4%, the result file 12.3%",
        "nofile:a: no result file nofile.json",
        "bench:a.c: not in bench.json",
        "bench:a.b.1: unknown format 'odd'",
    ]


@pytest.mark.parametrize("name", ["speculation", "batch"])
def test_result_files_carry_their_provenance(name: str) -> None:
    data = json.loads((RESULTS / f"{name}.json").read_text(encoding="utf-8"))
    made = data["provenance"]
    assert len(made["commit"]) == 40 and isinstance(made["clean"], bool)
    assert made["command"].startswith(f"python benchmarks/{name}.py")
    assert made["machine"]["cores"] >= 1 and made["machine"]["python"]
    assert made["date"].endswith("Z")
