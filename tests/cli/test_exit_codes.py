"""Exit codes and messages that tell the truth, on every command: 0 only when the
command did what was asked, 2 for bad input, 3 for a provider failure (the fault suite
in tests/faults/ drives those), one paragraph and no traceback, user text never read as
Rich markup, and runs that were refused or stopped recorded as such."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cadenza.cli import app
from cadenza.store.store import Store

runner = CliRunner()


def paragraph(stderr: str) -> str:
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1, stderr
    assert "Traceback" not in stderr
    return lines[0]


def test_contradictory_requirements_exit_2_and_the_run_is_recorded_refused(
    tmp_path: Path,
) -> None:
    db = tmp_path / "runs.db"
    result = runner.invoke(
        app,
        ["run", "Write", "-r", "at least 300 words", "-r", "at most 100 words",
         "-m", "scripted:echo", "--store", str(db)],
    )  # fmt: skip
    assert result.exit_code == 2
    line = paragraph(result.stderr)
    assert line.startswith("error: No answer: the requirements contradict each other")
    assert "Remove or relax one requirement" in line
    with Store.open(db) as store:
        (row,) = store.list_runs()
    assert row.status == "refused" and row.finish_reason == "impossible"
    listed = runner.invoke(app, ["runs", "--store", str(db)])
    assert "refused" in listed.stdout


def test_a_budget_too_small_for_one_call_exits_2_and_is_recorded_refused(
    tmp_path: Path,
) -> None:
    db = tmp_path / "runs.db"
    result = runner.invoke(
        app,
        ["run", "Write a long story", "-m", "scripted:echo", "-b", "low", "--max-tokens",
         "8000", "--store", str(db)],
    )  # fmt: skip
    assert result.exit_code == 2
    assert "cannot pay for even one call" in paragraph(result.stderr)
    with Store.open(db) as store:
        (row,) = store.list_runs()
        history = store.load_run(row.id)
    assert row.status == "refused" and history.steps == ()
    assert "cannot pay for even one call" in str(row.stats)
    listed = runner.invoke(app, ["runs", "--store", str(db)])
    assert "refused" in listed.stdout and "interrupted" not in listed.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["run", "x", "-m", "scripted:echo", "--max-tokens", "-5"],
            "'max_tokens' must be at least 1",
        ),
        (["run", "x", "-m", "nope:x"], "Unknown provider 'nope'"),
        (["run", "x", "-m", "openai:gpt-4.1-mini"], "No OpenAI API key"),
        (["check", "x"], "No requirements"),
        (["check", "@/no/such/file", "-r", "be brief"], "Cannot read the answer file"),
        (["runs", "--store", "/no/such/dir/store.db"], "No store at"),
        (["bench", "ifeval", "--data", "/no/such/dir"], "/no/such/dir does not exist"),
    ],
)
def test_bad_input_exits_2_with_one_paragraph_on_every_command(
    args: list[str], message: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    monkeypatch.delenv("OPENAI_BASE_URL", raising=False)
    monkeypatch.setenv("CADENZA_CONFIG", str(tmp_path / "none.toml"))
    result = runner.invoke(app, args)
    assert result.exit_code == 2, result.output
    assert message in paragraph(result.stderr)


def test_models_lists_and_exits_0() -> None:
    result = runner.invoke(app, ["models", "--json"])
    assert result.exit_code == 0
    assert any(m["id"] == "scripted:echo" for m in json.loads(result.stdout)["models"])


def test_user_text_is_never_read_as_rich_markup() -> None:
    requirement = "use [bold]bold[/bold] titles [/] and [red]no colour[/red]"
    result = runner.invoke(app, ["run", "Write [/] a [bold]note", "-r", requirement,
                                 "-m", "scripted:echo"])  # fmt: skip
    assert result.exit_code == 0, result.output
    flat = " ".join(result.stdout.split())
    assert "[bold]bold[/bold]" in flat and "[/]" in flat and "[red]no colour[/red]" in flat
    checked = runner.invoke(app, ["check", "an answer", "-r", "[b]at most[/b] [5] words [/]"])
    assert checked.exit_code == 1  # not checkable without a judge: not verified
    assert "[b]at most[/b]" in checked.stdout and "[5]" in checked.stdout


def test_text_that_is_not_utf8_is_refused_with_one_paragraph(tmp_path: Path) -> None:
    # a real process: the shell hands over bytes, Python keeps the invalid ones as escapes
    task = b"Write about caf\xe9s"
    answer = tmp_path / "answer.txt"
    answer.write_bytes(b"caf\xe9")
    code = "from cadenza.entry import main; main()"
    for args in (
        [b"run", task, b"-m", b"scripted:echo", b"--no-store"],
        [b"check", b"@" + str(answer).encode(), b"-r", b"be brief"],
    ):
        done = subprocess.run(
            [sys.executable.encode(), b"-c", code.encode(), *args],
            capture_output=True,
            timeout=120,
        )
        err = done.stderr.decode("utf-8", "replace")
        assert done.returncode == 2, err
        assert "UTF-8" in paragraph(err)
