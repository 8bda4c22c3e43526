"""`cadenza run --tool ...` and `cadenza runs ID` for plan-and-execute."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cadenza.cli import app

runner = CliRunner()

TOOLS = '''
def capital(country: str) -> str:
    """The capital city of a country."""
    return {"France": "Paris", "Japan": "Tokyo"}.get(country, "unknown")


def population(country: str) -> int:
    """The population of a country, in people."""
    return {"France": 68000000, "Japan": 124000000}.get(country, 0)
'''


@pytest.fixture
def tools_module(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    (tmp_path / "geo_tools_for_tests.py").write_text(TOOLS)
    monkeypatch.syspath_prepend(str(tmp_path))
    return "geo_tools_for_tests"


def test_a_plan_the_model_cannot_write_is_refused_with_the_reason(tools_module: str) -> None:
    result = runner.invoke(
        app,
        [
            "run",
            "Capital of France?",
            "-m",
            "scripted:echo",
            "--tool",
            f"{tools_module}:capital",
            "--no-store",
            "--json",
        ],
    )
    # no answer, because the model's replies were unusable: the provider's exit code,
    # with the reason, and the result still printed
    assert result.exit_code == 3, result.output
    assert "wrote no plan that can run" in result.stderr
    data = json.loads(result.stdout)
    assert data["strategy"] == "plan" and data["finish_reason"] == "failed"
    assert "not a JSON object" in data["plan"]["refused"]
    assert [d["action"] for d in data["decisions"]][:2] == ["repair_plan", "refuse_plan"]


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ("nonsense", "names no tool"),
        ("no_such_module_xyz:f", "cannot import"),
        ("missing.yaml", "Cannot read tool file"),
        ("mcp:", "give the command"),
    ],
)
def test_bad_tool_forms_exit_2_with_what_to_do(form: str, message: str) -> None:
    result = runner.invoke(app, ["run", "x", "-m", "scripted:echo", "--tool", form, "--no-store"])
    assert result.exit_code == 2
    assert message in result.stderr and "Traceback" not in result.output


def test_tools_need_the_plan_strategy(tools_module: str) -> None:
    result = runner.invoke(
        app,
        [
            "run",
            "x",
            "-m",
            "scripted:echo",
            "-s",
            "single",
            "--tool",
            f"{tools_module}:capital",
            "--no-store",
        ],
    )
    assert result.exit_code == 2 and "Tools are called by the 'plan' strategy" in result.stderr


@pytest.mark.real_model
def test_a_two_tool_plan_on_the_real_model_is_run_recorded_and_shown(
    tools_module: str, tmp_path: Path
) -> None:
    store = tmp_path / "runs.db"
    result = runner.invoke(
        app,
        [
            "run",
            "What is the capital of France, and what is the population of Japan?",
            "-m",
            "local:smollm2-135m",
            "--tool",
            f"{tools_module}:capital",
            "--tool",
            f"{tools_module}:population",
            "--store",
            str(store),
            "--json",
        ],
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    nodes = data["plan"]["nodes"]
    ran = {(n["tool"], n["status"]) for n in nodes}
    assert {("capital", "ok"), ("population", "ok")} <= ran  # two tools, both called
    outputs = {n["tool"]: n["output"] for n in nodes if n["status"] == "ok"}
    assert outputs["capital"] in ("Paris", "Tokyo", "unknown")
    assert data["plan"]["tool_calls"] >= 2 and data["calls"] >= 2
    shown = runner.invoke(app, ["runs", data["run_id"], "--store", str(store)])
    assert shown.exit_code == 0, shown.output
    assert "plan steps" in shown.stdout and "capital(" in shown.stdout
    recorded = json.loads(
        runner.invoke(app, ["runs", data["run_id"], "--store", str(store), "--json"]).stdout
    )
    assert recorded["plan"]["nodes"] == nodes
