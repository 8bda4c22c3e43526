from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import anyio
from typer.testing import CliRunner

from cadenza.api import solve
from cadenza.cli import app
from cadenza.providers.scripted import ScriptedModel

runner = CliRunner()


def test_runs_lists_recorded_runs_and_shows_one(tmp_path: Path) -> None:
    db = str(tmp_path / "runs.db")
    made = runner.invoke(
        app,
        ["run", "Write, please", "-r", "Do not use any commas", "-m", "scripted:echo", "--json",
         "--store", db, "-o", "task_requirement=false"],
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


def test_runs_resume_finishes_an_interrupted_run(tmp_path: Path) -> None:
    db = tmp_path / "runs.db"

    async def start_and_abandon() -> None:
        with anyio.move_on_after(0.05):
            await solve(
                "Write a line",
                ["at most 9 words"],
                models=[ScriptedModel(latency=5.0)],
                store=db,
                run_id="cut-short",
                options={"task_requirement": False},
            )

    anyio.run(start_and_abandon)
    conn = sqlite3.connect(db)  # as if its process had been killed
    conn.execute("UPDATE runs SET owner = substr(owner, 1, instr(owner, ':')) || '99999999'")
    conn.commit()
    conn.close()

    resumed = runner.invoke(app, ["runs", "resume", "cut-short", "--store", str(db), "--json"])
    assert resumed.exit_code == 0, resumed.output
    result = json.loads(resumed.stdout)
    assert result["run_id"] == "cut-short" and result["text"].startswith("Write a line")
    assert any(note.startswith("resumed:") for note in result["notes"])

    again = runner.invoke(app, ["runs", "resume", "cut-short", "--store", str(db)])
    assert again.exit_code == 2 and "nothing to resume" in again.stderr
    missing = runner.invoke(app, ["runs", "resume", "--store", str(db)])
    assert missing.exit_code == 2 and "cadenza runs resume ID" in missing.stderr
