"""Every marked figure in README.md equals its result file (docs/results/<name>.json,
which `bash scripts/bench` regenerates); the marking is described in
benchmarks/figures.py."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
from figures import RESULTS, mismatches, rewrite  # noqa: E402


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


def test_rewrite_writes_each_figure_from_its_file_and_says_what_changed(
    tmp_path: Path,
) -> None:
    (tmp_path / "bench.json").write_text(json.dumps({"a": {"b": [0.1234, 7.0]}}))
    text = (
        "x <!-- fig bench:a.b.0 pct -->12.9% y <!-- fig bench:a.b.1 x2 -->7.00x "
        "<!-- fig gone:a f1 -->1.0"
    )
    new, notes = rewrite(text, tmp_path)
    assert new == (
        "x <!-- fig bench:a.b.0 pct -->12.3% y <!-- fig bench:a.b.1 x2 -->7.00x "
        "<!-- fig gone:a f1 -->1.0"
    )
    assert notes == [
        "bench:a.b.0: 12.9% -> 12.3%",
        "gone:a: left as 1.0 (no result file gone.json)",
    ]
    assert mismatches(new, tmp_path)[1] == ["gone:a: no result file gone.json"]


@pytest.mark.parametrize("name", ["speculation", "batch"])
def test_result_files_carry_their_provenance(name: str) -> None:
    data = json.loads((RESULTS / f"{name}.json").read_text(encoding="utf-8"))
    made = data["provenance"]
    assert len(made["commit"]) == 40 and isinstance(made["clean"], bool)
    assert made["command"].startswith(f"python benchmarks/{name}.py")
    assert made["machine"]["cores"] >= 1 and made["machine"]["python"]
    assert made["date"].endswith("Z")
