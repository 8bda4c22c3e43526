"""The official figures for Google's GPT-4 responses, reproduced offline."""

from __future__ import annotations

from pathlib import Path

import pytest

from cadenza.bench.ifeval import Scorer, load_responses, load_rows

GPT4 = "input_response_data_gpt4_20231107_145030.jsonl"


def test_gpt4_reference_figures(ifeval_dir: Path, nltk_dir: Path) -> None:
    rows = load_rows(ifeval_dir)
    responses = load_responses(ifeval_dir / GPT4)
    scores = Scorer.at(nltk_dir).score_responses(rows, responses)
    assert scores.n == 541
    assert scores.strict.prompt == pytest.approx(0.7708, abs=0.003)
    assert scores.strict.instruction == pytest.approx(0.8369, abs=0.003)
    assert scores.loose.prompt == pytest.approx(0.7967, abs=0.003)
    assert scores.loose.instruction == pytest.approx(0.8561, abs=0.003)
    # 25 instruction ids, each counted as often as the data lists it.
    assert len(scores.by_family) == 25
    assert sum(f.n for f in scores.by_family.values()) == sum(len(r.instruction_ids) for r in rows)
    # The current checker keeps '#' and '!' in letter_frequency (older copies replaced
    # them by a random letter): the two rows are scored on those characters.
    letter = scores.by_family["keywords:letter_frequency"]
    assert letter.n == 33
