from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from cadenza.cli import app

runner = CliRunner()


def test_runs_lists_recorded_runs_and_shows_one(tmp_path: Path) -> None:
    db = str(tmp_path / "runs.db")
    made = runner.invoke(
        app,
        ["run", "Write, please", "-r", "Do not use any commas", "-m", "scripted:echo", "--json",
         "--store", db],
    )  # fmt: skip
    assert made.exit_code == 0, made.output
    run_id = json.loads(made.stdout)["run_id"]

    listed = runner.invoke(app, ["runs", "--store", db, "--json"])
    assert listed.exit_code == 0, listed.output
    (row,) = json.loads(listed.stdout)["runs"]
    assert row["id"] == run_id and row["finish_reason"] == "satisfied"

    shown = runner.invoke(app, ["runs", run_id, "--store", db])
    assert shown.exit_code == 0, shown.output
    assert "Write please" in shown.stdout  # the repaired answer
    assert "repair" in shown.stdout and "stop" in shown.stdout  # the decisions
    detail = json.loads(runner.invoke(app, ["runs", run_id, "--store", db, "--json"]).stdout)
    assert [d["action"] for d in detail["decisions"]][-1] == "stop"
    assert detail["verdicts"] and detail["steps"]


def test_runs_says_what_is_wrong(tmp_path: Path) -> None:
    missing = runner.invoke(app, ["runs", "--store", str(tmp_path / "none.db")])
    assert missing.exit_code == 2 and "No store at" in missing.stderr
    db = str(tmp_path / "runs.db")
    runner.invoke(app, ["run", "Hi", "-m", "scripted:echo", "--store", db])
    unknown = runner.invoke(app, ["runs", "nope", "--store", db])
    assert unknown.exit_code == 2 and "No run 'nope'" in unknown.stderr
