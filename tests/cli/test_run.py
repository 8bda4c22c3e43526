from __future__ import annotations

import json

from typer.testing import CliRunner

from cadenza.cli import app

runner = CliRunner()


def test_run_json_is_one_object_with_usage_and_requirements() -> None:
    result = runner.invoke(
        app, ["run", "Say hi", "-r", "be brief", "--model", "scripted:echo", "--json"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["text"].startswith("Say hi")  # the echo model repeats the prompt
    assert data["models"] == ["scripted:echo"]
    assert data["strategy"] == "tree"
    assert data["usage"]["output_tokens"] > 0
    assert [r["description"] for r in data["requirements"]] == ["be brief"]
    assert data["decisions"] and data["trace"]


def test_run_renders_answer_and_usage() -> None:
    result = runner.invoke(app, ["run", "Say hi", "--model", "scripted:echo"])
    assert result.exit_code == 0, result.output
    assert "Say hi" in result.stdout and "1 call(s)" in result.stdout


def test_user_errors_exit_non_zero_without_traceback() -> None:
    unknown = runner.invoke(app, ["run", "x", "--model", "nope:x"])
    assert unknown.exit_code == 2
    assert "Unknown provider 'nope'" in unknown.stderr and "Traceback" not in unknown.output
    empty = runner.invoke(app, ["run", "  ", "--model", "scripted:echo"])
    assert empty.exit_code == 2 and "task is empty" in empty.stderr
    bad_strategy = runner.invoke(app, ["run", "x", "--model", "scripted:echo", "-s", "magic"])
    assert bad_strategy.exit_code == 2 and "Unknown strategy" in bad_strategy.stderr


def test_run_shows_the_execution_tree_and_the_verdict_table() -> None:
    result = runner.invoke(
        app,
        [
            "run",
            "Write, please, about the sea",
            "-r",
            "Do not use any commas",
            "-m",
            "scripted:echo",
        ],
    )
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "tree: satisfied" in out
    assert "c1 sample" in out and "c2 repair" in out and "[winner]" in out
    assert "check:forbidden" in out and "finish: satisfied" in out


def test_run_without_requirements_reads_them_from_the_task() -> None:
    result = runner.invoke(
        app, ["run", "Say hi. Do not use any commas.", "-m", "scripted:echo", "--json"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert [r["method"] for r in data["requirements"]] == ["check:forbidden_characters"]
    assert any("extracted from the task" in n for n in data["notes"])
