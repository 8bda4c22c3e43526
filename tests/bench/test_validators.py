"""`cadenza bench validators`: agreement with the official IFEval strict verdicts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

import cadenza.cli.bench_validators  # noqa: F401  (registers the command)
from cadenza.bench.validators import Agreement, RowOutcome, run
from cadenza.cli.app import app

DATA = Path(__file__).resolve().parents[3] / "shared" / "benchmarks" / "ifeval"
needs_data = pytest.mark.skipif(not DATA.is_dir(), reason="IFEval data not present")


def test_agreement_counts_false_accepts_and_rejects() -> None:
    outcomes = [
        RowOutcome(1, True, True, (), 0),
        RowOutcome(2, True, False, ("punctuation:no_comma",), 0),
        RowOutcome(3, False, True, (), 0),
        RowOutcome(4, False, False, ("a",), 0),
    ]
    a = Agreement.of(outcomes)
    assert (a.agreement, a.false_accept_rate, a.false_reject_rate) == (0.5, 0.25, 0.25)
    assert a.by_family == {"punctuation:no_comma": 1, "(none failed officially)": 1}


@needs_data
@pytest.mark.anyio
async def test_full_benchmark_meets_the_targets() -> None:
    report = await run(DATA)
    assert report.overall.n == 541
    assert report.overall.agreement >= 0.97
    assert report.overall.false_accept_rate <= 0.02


@needs_data
def test_cli_prints_the_json_keys() -> None:
    result = CliRunner().invoke(
        app, ["bench", "validators", "--data", str(DATA), "--limit", "20", "--json"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    for key in (
        "agreement",
        "false_accept_rate",
        "false_reject_rate",
        "by_family",
        "model",
        "seconds",
        "n",
    ):
        assert key in data
    assert data["n"] == 20


def test_cli_bad_data_dir_exits_two(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["bench", "validators", "--data", str(tmp_path)])
    assert result.exit_code == 2 and "input_data.jsonl" in result.stderr
