"""Reference responses that ship with the benchmark data (Google's GPT-4 answers,
`input_response_data_*.jsonl`), scored on exactly the prompts a bench ran, so a
report can say where each strategy stands against them on the same sample."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from cadenza.bench.ifeval.data import IFEvalRow, load_responses
from cadenza.bench.ifeval.scoring import IFEvalScores, Scorer

_REFERENCE = re.compile(r"input_response_data_(?P<name>[a-z0-9]+)[\w.-]*\.jsonl$", re.I)


@dataclass(frozen=True, slots=True)
class Reference:
    name: str  # e.g. "gpt4"
    file: str
    scores: IFEvalScores


def references(data_dir: Path, rows: Sequence[IFEvalRow], scorer: Scorer) -> list[Reference]:
    """Every reference file in `data_dir`, scored on `rows` (files that answer none
    of them, or only some, are left out: a partial reference would mislead)."""
    found: list[Reference] = []
    wanted = {row.prompt for row in rows}
    for path in sorted(data_dir.glob("input_response_data_*.jsonl")):
        match = _REFERENCE.search(path.name)
        if match is None:
            continue
        responses = {p: r for p, r in load_responses(path).items() if p in wanted}
        if len(responses) != len(wanted):
            continue
        scores = scorer.score_responses(rows, responses)
        found.append(Reference(match["name"].upper(), path.name, scores))
    return found
