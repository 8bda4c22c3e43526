"""`cadenza batch` through the CLI runner: results and summary, malformed lines named
and skipped, resumption, failures, defaults from the command line, `--ray [ADDRESS]`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from cadenza.cli import app
from cadenza.settings import Settings
from cadenza.store.store import Store, default_path

runner = CliRunner()


def write(path: Path, *lines: Any) -> Path:
    path.write_text(
        "".join((line if isinstance(line, str) else json.dumps(line)) + "\n" for line in lines),
        encoding="utf-8",
    )
    return path


def results(path: Path) -> dict[Any, dict[str, Any]]:
    return {r["id"]: r for r in map(json.loads, path.read_text(encoding="utf-8").splitlines())}


def test_batch_writes_results_and_prints_the_summary(tmp_path: Path) -> None:
    tasks = write(
        tmp_path / "in.jsonl",
        {"id": "a", "input": "Write about the sea, with commas, please."},
        {"id": "b", "input": "Write about rivers.", "requirements": ["at most 5 words"]},
    )
    out = tmp_path / "out.jsonl"
    args = ["batch", str(tasks), "--out", str(out), "-m", "scripted:echo"]
    result = runner.invoke(app, [*args, "-r", "do not use any commas", "-s", "single"])
    assert result.exit_code == 0, result.output  # unsatisfied answers are done, not failed
    done = results(out)
    assert set(done) == {"a", "b"}
    assert done["a"]["strategy"] == "single"
    task = "the answer does what the task asks"  # screened without a call
    assert [r["description"] for r in done["a"]["requirements"]] == ["do not use any commas", task]
    assert [r["description"] for r in done["b"]["requirements"]] == ["at most 5 words", task]
    assert not any(r["passed"] for r in done.values())  # single: nothing repaired
    for text in ("satisfied", "0.0% (0)", "cost", "tokens", "wall time", "0/1"):
        assert text in result.stdout
    assert "do not use any commas" in result.stdout
    # the run is in the user's store, which `cadenza runs` reads
    with Store.open(default_path(Settings.load())) as store:
        assert {row.id for row in store.list_runs()} == {r["run_id"] for r in done.values()}


def test_malformed_lines_are_named_skipped_and_exit_two(tmp_path: Path) -> None:
    tasks = write(
        tmp_path / "in.jsonl",
        {"id": 1, "input": "Say hi"},
        "{broken",
        {"id": 3, "input": "Say bye", "model": "oops"},
        {"id": 4, "input": "Say yes", "models": ["nope:x"]},
        {"id": 5, "input": "Say no"},
    )
    out = tmp_path / "out.jsonl"
    result = runner.invoke(
        app, ["batch", str(tasks), "--out", str(out), "-m", "scripted:echo", "--json", "--no-store"]
    )
    assert result.exit_code == 2, result.output
    assert "line 2: not valid JSON" in result.stderr
    assert "line 3: unknown field(s) model" in result.stderr
    assert "line 4: Unknown provider 'nope'" in result.stderr
    assert "Traceback" not in result.output
    assert set(results(out)) == {1, 5}  # the good lines ran
    summary = json.loads(result.stdout)
    assert [m["line"] for m in summary["malformed"]] == [2, 3, 4]
    assert (summary["tasks"], summary["done"]) == (2, 2)


def test_a_rerun_resumes_and_retries_failures_only_when_asked(tmp_path: Path) -> None:
    tasks = write(
        tmp_path / "in.jsonl",
        {"id": "ok", "input": "Say hi"},
        {"id": "tiny", "input": "Say hi", "budget": {"tokens": 3}},
    )
    out = tmp_path / "out.jsonl"
    args = ["batch", str(tasks), "--out", str(out), "-m", "scripted:echo", "--json", "--no-store"]
    first = runner.invoke(app, args)
    assert first.exit_code == 3, first.output  # one task failed
    assert json.loads(first.stdout)["failed"] == 1
    assert "BudgetError" in results(out)["tiny"]["error_type"]

    again = runner.invoke(app, args)
    assert again.exit_code == 3
    summary = json.loads(again.stdout)
    assert (summary["ran"], summary["skipped"]) == (0, 2)
    assert "2 task(s) already in OUT: skipped." in again.stderr

    write(tasks, {"id": "ok", "input": "Say hi"}, {"id": "tiny", "input": "Say hi"})
    retried = runner.invoke(app, [*args, "--retry-failed"])
    assert retried.exit_code == 0, retried.output
    summary = json.loads(retried.stdout)
    assert (summary["ran"], summary["skipped"], summary["failed"]) == (1, 1, 0)
    assert len(out.read_text(encoding="utf-8").splitlines()) == 2


def test_bad_options_are_refused_before_anything(tmp_path: Path) -> None:
    tasks = write(tmp_path / "in.jsonl", {"input": "x"})
    out = tmp_path / "out.jsonl"
    for extra, message in (
        (["-m", "nope:x"], "Unknown provider 'nope'"),
        (["-m", "scripted:echo", "--workers", "2"], "--workers counts Ray workers"),
        (["-m", "scripted:echo", "-b", "huge"], "Unknown budget 'huge'"),
        (["-m", "scripted:echo", "--ray", "127.0.0.1:1"], "No Ray cluster answers at"),
    ):
        result = runner.invoke(app, ["batch", str(tasks), "--out", str(out), *extra])
        assert result.exit_code == 2, result.output
        assert message in result.stderr
        assert not out.exists()
    missing = runner.invoke(app, ["batch", str(tmp_path / "none.jsonl"), "--out", str(out)])
    assert missing.exit_code == 2 and "does not exist" in missing.stderr


def test_a_line_that_is_not_utf8_is_named_with_its_file_and_skipped(tmp_path: Path) -> None:
    tasks = tmp_path / "in.jsonl"
    good = json.dumps({"id": 1, "input": "Say hi"}).encode()
    latin1 = '{"id": 2, "input": "Écrivez une phrase sur la mer, avec le mot café"}'
    tasks.write_bytes(good + b"\n" + latin1.encode("latin-1") + b"\n" + good.replace(b"1", b"3"))
    out = tmp_path / "out.jsonl"
    result = runner.invoke(
        app, ["batch", str(tasks), "--out", str(out), "-m", "scripted:echo", "--no-store"]
    )
    assert result.exit_code == 2, result.output
    assert "line 2" in result.stderr and str(tasks) in result.stderr
    assert "UTF-8" in result.stderr and "0xc9" in result.stderr
    assert "Traceback" not in result.output
    assert set(results(out)) == {1, 3}  # the good lines ran
