"""`cadenza check` through the CLI runner."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

import cadenza.cli.check  # noqa: F401  (registers the command)
from cadenza.cli.app import app

runner = CliRunner()


def test_all_pass_exits_zero_with_json_report() -> None:
    result = runner.invoke(
        app, ["check", "hello there friend", "-r", "no commas", "-r", "at most 5 words", "--json"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["passed"] is True
    # the method says how the requirement was compiled: read by a rule
    assert [r["method"] for r in data["requirements"]] == ["rule", "rule"]
    assert [r["compiled"] for r in data["requirements"]] == ["rule", "rule"]
    assert [r["expression"] for r in data["requirements"]] == [
        {"count": {"text": ",", "whole_word": False}, "exactly": 0},
        {"count": "word", "at_most": 5},
    ]
    assert data["requirements"][1]["checks"] == "the answer has at most 5 words"
    assert data["requirements"][1]["reason"] == "3 words; needs at most 5"


def test_failure_exits_one_and_shows_the_fix_hint() -> None:
    result = runner.invoke(app, ["check", "hello, there", "-r", "Do not use any commas."])
    assert result.exit_code == 1
    assert "NO" in result.stdout and "comma" in result.stdout


def test_answer_from_file_and_requirements_file(tmp_path: Path) -> None:
    answer = tmp_path / "a.txt"
    answer.write_text("all lowercase here")
    reqs = tmp_path / "r.yaml"
    reqs.write_text(
        "- all lowercase letters\n- name: short\n"
        "  description: at most 2 words\n  is_mandatory: false\n"
    )
    result = runner.invoke(app, ["check", f"@{answer}", "-f", str(reqs), "--json"])
    assert result.exit_code == 0, result.output  # the failed one is optional
    data = json.loads(result.stdout)
    assert [r["passed"] for r in data["requirements"]] == [True, False]


def test_requirements_extracted_from_the_prompt() -> None:
    prompt = (
        "Write a haiku. Your entire response should be in lowercase letters. "
        "Wrap your entire response with double quotation marks."
    )
    result = runner.invoke(app, ["check", '"an old silent pond"', "--prompt", prompt, "--json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)["requirements"]
    assert [r["expression"] for r in rows] == [
        {"case": "lower"},
        {  # wrapped: opens and closes with a quote, and they are two quotes
            "all_of": [
                {"starts_with": '"'},
                {"ends_with": '"'},
                {"count": {"text": '"', "whole_word": False}, "at_least": 2},
            ]
        },
    ]
    assert [r["requirement"] for r in rows] == [
        "Your entire response should be in lowercase letters.",
        "Wrap your entire response with double quotation marks.",
    ]
    assert all(r["method"] == "rule" and r["why"].startswith("read from the prompt") for r in rows)


def test_parts_of_the_prompt_no_rule_reads_and_no_model_sorted_are_named_not_checked() -> None:
    prompt = "Write a short note to my landlord, past tense only. Use at most 50 words."
    answer = "The heating broke last week and I fixed it myself."
    result = runner.invoke(app, ["check", answer, "--prompt", prompt, "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert [r["requirement"] for r in data["requirements"]] == ["Use at most 50 words."]
    assert data["not_checked"] == ["past tense only."]
    table = runner.invoke(app, ["check", answer, "--prompt", prompt])
    assert "not checked: 'past tense only'" in table.stdout
    given = runner.invoke(app, ["check", answer, "-r", "at most 50 words", "--json"])
    assert json.loads(given.stdout)["not_checked"] == []


def test_bad_input_exits_two() -> None:
    conflict = runner.invoke(
        app, ["check", "x", "-r", "at least 300 words", "-r", "at most 100 words"]
    )
    assert conflict.exit_code == 2 and "Contradictory" in conflict.stderr
    missing = runner.invoke(app, ["check", "x"])
    assert missing.exit_code == 2 and "No requirements" in missing.stderr
    no_file = runner.invoke(app, ["check", "@/nonexistent/answer.txt", "-r", "no commas"])
    assert no_file.exit_code == 2


def test_a_judge_that_answers_no_verdict_fails_the_check_with_exit_3() -> None:
    # scripted:echo answers with the prompt it got: not a verdict. That is a judge
    # failure (exit 3, one paragraph), never a pass and never a traceback.
    result = runner.invoke(
        app, ["check", "Ahoy!", "-r", "sound like a pirate", "-m", "scripted:echo", "--json"]
    )
    assert result.exit_code == 3, result.output
    assert "scripted:echo did not answer with a verdict" in result.stderr
    assert "Traceback" not in result.output and result.stdout == ""


def test_contradictory_prompt_is_refused() -> None:
    prompt = "Answer with at least 300 words. Answer with less than 50 words."
    result = runner.invoke(app, ["check", "x", "--prompt", prompt])
    assert result.exit_code == 2 and "Contradictory" in result.stderr
