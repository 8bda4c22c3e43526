"""`cadenza bench ifeval` through the CLI runner."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

import cadenza.cli.bench_ifeval  # noqa: F401  (registers the command on `cadenza bench`)
from cadenza.bench.ifeval import default_data_dir
from cadenza.cli import app

runner = CliRunner()
GPT4 = "input_response_data_gpt4_20231107_145030.jsonl"


@pytest.fixture(scope="module")
def data_dir() -> Path:
    found = default_data_dir()
    assert found is not None, "IFEval data not found beside the checkout"
    return found


def test_score_only_reproduces_the_gpt4_figures(data_dir: Path) -> None:
    result = runner.invoke(app, ["bench", "ifeval", "--score-only", str(data_dir / GPT4), "--json"])
    assert result.exit_code == 0, result.output
    scores = json.loads(result.stdout)
    assert scores["n"] == 541
    assert abs(scores["strict"]["prompt"] - 0.7708) <= 0.003
    assert abs(scores["strict"]["instruction"] - 0.8369) <= 0.003
    assert abs(scores["loose"]["prompt"] - 0.7967) <= 0.003
    assert abs(scores["loose"]["instruction"] - 0.8561) <= 0.003
    assert scores["by_family"]["punctuation:no_comma"]["n"] == 66


def test_a_malformed_row_is_named_and_nothing_runs(tmp_path: Path, data_dir: Path) -> None:
    good = (data_dir / "input_data.jsonl").read_text(encoding="utf-8").splitlines()[0]
    bad = json.dumps({"key": 5, "prompt": "x", "instruction_id_list": ["a:b"], "kwargs": [{}]})
    folder = tmp_path / "ifeval"
    folder.mkdir()
    (folder / "input_data.jsonl").write_text(f"{good}\n{bad}\n", encoding="utf-8")
    out = tmp_path / "out"
    result = runner.invoke(
        app,
        ["bench", "ifeval", "--data", str(folder), "--model", "scripted:echo", "--out", str(out),
         "--nltk-data", str(data_dir.parent / "nltk_data")],
    )  # fmt: skip
    assert result.exit_code == 2
    assert "line 2: unknown instruction id 'a:b'" in result.stderr
    assert "Traceback" not in result.output
    assert not out.exists()


@pytest.mark.parametrize(
    ("option", "message"),
    [
        (["--strategies", "single,magic"], "Unknown strategy 'magic'"),
        (["--model", "nope:x"], "Unknown provider 'nope'"),
        (["--limit", "2", "--sample", "3"], "not both"),
        (["--mode", "chatty"], "Unknown --mode"),
    ],
)
def test_bad_options_are_refused_before_any_call(
    tmp_path: Path, option: list[str], message: str
) -> None:
    out = tmp_path / "out"
    args = ["bench", "ifeval", "--out", str(out), "--model", "scripted:echo", *option]
    result = runner.invoke(app, args)
    assert result.exit_code == 2, result.output
    assert message in result.stderr
    assert not out.exists()


def test_a_scripted_run_writes_results_report_and_plot(tmp_path: Path) -> None:
    out = tmp_path / "out"
    args = ["bench", "ifeval", "--model", "scripted:echo", "--limit", "3", "--out", str(out)]
    result = runner.invoke(app, [*args, "--json"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    arm = summary["arms"][0]
    assert (arm["strategy"], arm["model"], arm["n"]) == ("single", "scripted:echo", 3)
    assert arm["calls"] >= 3
    assert (out / "report.md").is_file() and (out / "accuracy_vs_cost.png").is_file()
    responses = (out / "single__scripted-echo" / "responses.jsonl").read_text().splitlines()
    assert len(responses) == 3
    # Run again: everything is on disk, so nothing is solved and the figures are the same.
    again = runner.invoke(app, [*args, "--json"])
    assert again.exit_code == 0, again.output
    assert json.loads(again.stdout)["arms"][0]["strict"] == arm["strict"]
    results = (out / "single__scripted-echo" / "results.jsonl").read_text().splitlines()
    assert len(results) == 3


@pytest.mark.real_model
def test_end_to_end_with_the_embedded_model(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = runner.invoke(
        app,
        ["bench", "ifeval", "--strategies", "single", "--model", "local:smollm2-135m",
         "--limit", "2", "--max-tokens", "24", "--out", str(out), "--json"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    arm = json.loads(result.stdout)["arms"][0]
    assert arm["model"] == "local:smollm2-135m"
    assert arm["n"] == 2 and arm["failed"] == 0
    assert arm["tokens"] > 0
    records = [
        json.loads(line)
        for line in (out / "single__local-smollm2-135m" / "results.jsonl").read_text().splitlines()
    ]
    assert len(records) == 2
    for record in records:
        assert record["response"].strip()
        assert record["output_tokens"] <= 24 * record["calls"]
    assert (out / "accuracy_vs_cost.png").stat().st_size > 10_000
