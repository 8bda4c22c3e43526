"""Arm summaries and the report files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cadenza.bench.ifeval import IFEvalRow, Scorer, load_responses, load_rows
from cadenza.bench.ifeval.reference import references
from cadenza.bench.ifeval.report import percentile, summarise, write_report
from cadenza.bench.ifeval.results import PromptResult


def result(
    row: IFEvalRow, response: str, *, wall: float, tokens: int, error: str = ""
) -> PromptResult:
    return PromptResult(
        key=row.key,
        prompt=row.prompt,
        response=response,
        strategy="single",
        model="scripted:x",
        input_tokens=tokens // 2,
        output_tokens=tokens - tokens // 2,
        calls=1,
        cost_usd=0.001,
        wall_s=wall,
        finish_reason="failed" if error else "completed",
        error=error,
    )


def test_percentile_interpolates() -> None:
    assert percentile([1, 2, 3, 4, 5], 0.5) == 3
    assert percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.9) == pytest.approx(9.1)
    assert percentile([], 0.9) == 0.0


def test_summary_and_files(ifeval_dir: Path, nltk_dir: Path, tmp_path: Path) -> None:
    rows = load_rows(ifeval_dir)
    no_comma = next(r for r in rows if r.instruction_ids == ("punctuation:no_comma",))
    quoted = next(r for r in rows if r.instruction_ids == ("startend:quotation",))
    results = [
        result(no_comma, "An answer without any comma.", wall=1.0, tokens=100),
        result(quoted, "", wall=3.0, tokens=0, error="ProviderUnavailableError: down"),
    ]
    scorer = Scorer.at(nltk_dir)
    summary = summarise("single", "scripted:x", results, rows, scorer)
    assert summary.scores.n == 2
    assert summary.scores.strict.prompt == 0.5  # the failed prompt counts as a miss
    assert summary.failed == 1
    assert summary.tokens == 100
    assert summary.tokens_per_prompt == 50
    assert summary.accuracy_per_1k_tokens == pytest.approx(0.5 / 0.05)
    assert summary.wall_median_s == 2.0
    assert summary.cost_usd == pytest.approx(0.002)

    other = summarise("best_of_n", "scripted:x", results[:1], rows, scorer)
    paths = write_report([summary, other], tmp_path, command="cadenza bench ifeval --limit 2")
    report = paths["report"].read_text(encoding="utf-8")
    assert "| single | scripted:x | 2 | 50.0% |" in report
    assert "| best_of_n | scripted:x | 1 | 100.0% |" in report
    assert "cadenza bench ifeval --limit 2" in report
    assert "1 prompt(s) failed" in report
    assert "punctuation:no_comma" in report
    assert paths["plot"].read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert paths["plot"].stat().st_size > 10_000
    assert '"strategy": "best_of_n"' in paths["summary"].read_text(encoding="utf-8")


def test_the_reference_responses_are_scored_on_the_same_prompts(
    ifeval_dir: Path, nltk_dir: Path, tmp_path: Path
) -> None:
    rows = load_rows(ifeval_dir)
    scorer = Scorer.at(nltk_dir)
    sample = rows[:5]
    refs = references(ifeval_dir, sample, scorer)
    assert [r.name for r in refs] == ["GPT4"]
    responses = load_responses(ifeval_dir / refs[0].file)
    by_hand = scorer.score_responses(sample, {r.prompt: responses[r.prompt] for r in sample})
    assert refs[0].scores == by_hand and refs[0].scores.n == 5

    # a folder whose reference file answers only some of the prompts has no reference
    partial = tmp_path / "data"
    partial.mkdir()
    first = json.dumps({"prompt": sample[0].prompt, "response": "x"})
    (partial / "input_response_data_gpt4_x.jsonl").write_text(first + "\n", encoding="utf-8")
    assert references(partial, sample, scorer) == []

    summary = summarise(
        "single", "scripted:x", [result(sample[0], "x", wall=1, tokens=9)], rows, scorer
    )
    paths = write_report([summary], tmp_path / "out", refs=refs)
    report = paths["report"].read_text(encoding="utf-8")
    assert "Reference: the GPT4 responses" in report and "same 5 prompts" in report
    assert json.loads(paths["summary"].read_text(encoding="utf-8"))["references"][0]["n"] == 5


def test_the_report_gives_intervals_and_paired_differences(
    ifeval_dir: Path, nltk_dir: Path, tmp_path: Path
) -> None:
    rows = load_rows(ifeval_dir)
    no_comma = [r for r in rows if r.instruction_ids == ("punctuation:no_comma",)][:8]
    assert len(no_comma) == 8
    scorer = Scorer.at(nltk_dir)
    # the first arm follows every instruction; the second breaks half of them
    good = [result(r, "An answer without any comma.", wall=1.0, tokens=10) for r in no_comma]
    half = [
        result(r, "An answer, with a comma." if i % 2 else "No comma.", wall=1.0, tokens=10)
        for i, r in enumerate(no_comma)
    ]
    arms = [
        summarise("tree", "scripted:x", good, rows, scorer),
        summarise("single", "scripted:x", half, rows, scorer),
    ]
    assert arms[1].scores.strict_by_prompt == {r.prompt: i % 2 == 0 for i, r in enumerate(no_comma)}
    paths = write_report(arms, tmp_path)
    summary = json.loads(paths["summary"].read_text())
    low, high = summary["arms"][1]["ci95"]["strict_prompt"]
    assert low < 0.5 < high and high - low > 0.4  # 4 of 8: a wide interval
    report = paths["report"].read_text()
    assert "tree · scripted:x 100.0% [67.6, 100.0]" in report
    assert "single · scripted:x minus tree · scripted:x: -50.0 points" in report
