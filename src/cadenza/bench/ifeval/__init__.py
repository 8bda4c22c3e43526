"""IFEval (Zhou et al. 2023): 541 prompts with verifiable instructions, scored with
the official checker's semantics.

Public API for other harnesses:
- `load_rows(path) -> list[IFEvalRow]`: the prompts, validated row by row;
- `score_row(row, response) -> RowScore`: strict and loose verdicts per instruction;
- `Scorer.at(nltk_data)`: a scorer holding its loaded resources, with `score_row`
  and `score_responses(rows, {prompt: response}) -> IFEvalScores`.
"""

from cadenza.bench.ifeval.data import (
    DataError,
    IFEvalRow,
    default_data_dir,
    load_responses,
    load_rows,
    select_rows,
)
from cadenza.bench.ifeval.scoring import (
    Accuracy,
    FamilyAccuracy,
    IFEvalScores,
    RowScore,
    Scorer,
    aggregate,
    score_row,
)

__all__ = [
    "Accuracy",
    "DataError",
    "FamilyAccuracy",
    "IFEvalRow",
    "IFEvalScores",
    "RowScore",
    "Scorer",
    "aggregate",
    "default_data_dir",
    "load_responses",
    "load_rows",
    "score_row",
    "select_rows",
]
