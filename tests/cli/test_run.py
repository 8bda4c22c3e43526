from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from cadenza.cli import app
from cadenza.settings import Settings
from cadenza.store.store import Store, default_path

runner = CliRunner()
CHECKS = ["-o", "task_requirement=false", "-o", "extract_with_model=false"]  # echo cannot judge


def test_run_json_is_one_object_with_usage_and_requirements() -> None:
    result = runner.invoke(
        app, ["run", "Say hi", "-r", "be brief", "--model", "scripted:echo", "--json", *CHECKS]
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
    result = runner.invoke(app, ["run", "Say hi", "--model", "scripted:echo", *CHECKS])
    assert result.exit_code == 0, result.output
    assert "Say hi" in result.stdout and "1 call(s)" in result.stdout


def test_a_requirement_nobody_could_judge_is_not_reported_satisfied() -> None:
    # the echo model answers the judge with the judge's own prompt, which is no verdict
    result = runner.invoke(
        app, ["run", "Say hi", "-r", "use a warm tone", "--model", "scripted:echo", "--json"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    tone = [r for r in data["requirements"] if r["name"] == "use-a-warm-tone"]
    assert len(tone) == 1 and tone[0]["passed"] is False
    assert tone[0]["method"] == "judge_failed"
    assert data["finish_reason"] != "satisfied" and data["passed"] is False
    names = [r["name"] for r in data["requirements"]]
    assert names[-1] == "does-the-task"  # settled from the text: the echo is an answer


def test_an_option_that_is_not_key_value_is_refused() -> None:
    result = runner.invoke(app, ["run", "Say hi", "-m", "scripted:echo", "-o", "keep"])
    assert result.exit_code == 2 and "KEY=VALUE" in result.stderr
    unknown = runner.invoke(app, ["run", "Say hi", "-m", "scripted:echo", "-o", "kepe=2"])
    assert unknown.exit_code == 2 and "Unknown option 'kepe'" in unknown.stderr


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
            *CHECKS,
        ],
    )
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "tree: satisfied" in out
    assert "c1 sample" in out and "c2 repair" in out and "[winner]" in out
    assert "│ rule " in out and "finish: satisfied" in out  # read by a rule


def test_run_without_requirements_reads_them_from_the_task() -> None:
    result = runner.invoke(
        app, ["run", "Say hi. Do not use any commas.", "-m", "scripted:echo", "--json", *CHECKS]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert [r["method"] for r in data["requirements"]] == ["rule"]
    assert any("read by rule: 'Do not use any commas.'" in n for n in data["notes"])


def test_a_repeated_run_is_recorded_and_served_from_the_response_cache(tmp_path: Path) -> None:
    db = tmp_path / "runs.db"
    args = ["run", "Say hi", "-r", "at least 2 words", "-m", "scripted:echo", "--json", *CHECKS]
    args += ["-o", "max_width=1"]  # one sample: no second one cancelled (and charged) mid-call
    first = runner.invoke(app, [*args, "--store", str(db)])
    assert first.exit_code == 0, first.output
    paid = json.loads(first.stdout)
    assert paid["calls"] >= 1
    second = runner.invoke(app, [*args, "--store", str(db)])
    assert second.exit_code == 0, second.output
    served = json.loads(second.stdout)
    assert served["text"] == paid["text"]
    assert served["calls"] == 0 and any("response cache" in n for n in served["notes"])
    with Store.open(db) as store:
        assert len(store.list_runs()) == 2
    fresh = runner.invoke(app, [*args, "--store", str(db), "--no-store"])
    assert json.loads(fresh.stdout)["calls"] >= 1  # --no-store: nothing served


def test_the_default_store_is_in_the_data_folder(tmp_path: Path) -> None:
    result = runner.invoke(app, ["run", "Say hi", "-m", "scripted:echo", "--json"])
    assert result.exit_code == 0, result.output
    with Store.open(default_path(Settings.load())) as store:
        assert [r.id for r in store.list_runs()] == [json.loads(result.stdout)["run_id"]]


def test_requirements_come_from_a_file_too(tmp_path: Path) -> None:
    file = tmp_path / "reqs.yaml"
    file.write_text(
        "- name: brief\n  description: at most 40 words\n"
        "- {description: friendly tone, is_mandatory: false}\n",
        encoding="utf-8",
    )
    result = runner.invoke(
        app,
        ["run", "Say hi", "-r", "no commas", "-f", str(file), "-m", "scripted:echo", "--json"],
    )
    assert result.exit_code == 0, result.output
    names = [r["name"] for r in json.loads(result.stdout)["requirements"]]
    assert names[:2] == ["no-commas", "brief"] and len(names) == 4
    assert names[3] == "does-the-task"  # the implicit requirement, always last
    broken = tmp_path / "broken.yaml"
    broken.write_text("- description: [unclosed\n", encoding="utf-8")
    bad = runner.invoke(app, ["run", "Say hi", "-f", str(broken), "-m", "scripted:echo"])
    assert bad.exit_code == 2 and "line" in bad.stderr
