"""IFEval accuracy: per row (strict and loose verdicts per instruction) and over a set
of rows (prompt-level and instruction-level accuracy, per instruction id)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

from cadenza.bench.ifeval.data import IFEvalRow, default_data_dir
from cadenza.bench.ifeval.official import TextTools, find_nltk_data, follows_loose, follows_strict
from cadenza.bench.stats import Interval, wilson
from cadenza.errors import UserError


@dataclass(frozen=True, slots=True)
class RowScore:
    """How one response does on each of its row's instructions."""

    instruction_ids: tuple[str, ...]
    strict: tuple[bool, ...]
    loose: tuple[bool, ...]

    @property
    def strict_all(self) -> bool:
        return all(self.strict)

    @property
    def loose_all(self) -> bool:
        return all(self.loose)


@dataclass(frozen=True, slots=True)
class Accuracy:
    prompt: float
    instruction: float


@dataclass(frozen=True, slots=True)
class FamilyAccuracy:
    """Instruction-level accuracy for one instruction id over `n` instances."""

    strict: float
    loose: float
    n: int


@dataclass(frozen=True, slots=True)
class IFEvalScores:
    """Accuracies over `n` prompts. `strict_by_prompt` holds each prompt's strict
    prompt-level outcome (for paired comparisons between arms) when known."""

    strict: Accuracy
    loose: Accuracy
    by_family: Mapping[str, FamilyAccuracy]
    n: int
    strict_by_prompt: Mapping[str, bool] = field(default_factory=dict)

    @property
    def instructions(self) -> int:
        return sum(f.n for f in self.by_family.values())

    def interval(self, level: str, unit: str) -> Interval:
        """The 95% Wilson interval of `level` (strict, loose) `unit` (prompt,
        instruction) accuracy (instructions of a prompt are not independent: the
        instruction-level interval is a little narrow)."""
        accuracy: Accuracy = getattr(self, level)
        n = self.n if unit == "prompt" else self.instructions
        return wilson(round(getattr(accuracy, unit) * n), n)

    def to_json(self) -> dict[str, Any]:
        def rounded(value: float) -> float:
            return round(value, 4)

        intervals = {
            f"{level}_{unit}": self.interval(level, unit).to_json()["ci95"]
            for level in ("strict", "loose")
            for unit in ("prompt", "instruction")
        }
        return {
            "ci95": intervals,
            "strict": {
                "prompt": rounded(self.strict.prompt),
                "instruction": rounded(self.strict.instruction),
            },
            "loose": {
                "prompt": rounded(self.loose.prompt),
                "instruction": rounded(self.loose.instruction),
            },
            "by_family": {
                name: {"strict": rounded(f.strict), "loose": rounded(f.loose), "n": f.n}
                for name, f in sorted(self.by_family.items())
            },
            "n": self.n,
        }


class Scorer:
    """Scores responses with the official checker; holds the loaded NLTK and
    langdetect resources so they load once."""

    def __init__(self, tools: TextTools) -> None:
        self.tools = tools

    @staticmethod
    def at(nltk_data: Path | None = None, *, data_dir: Path | None = None) -> Scorer:
        """A scorer reading NLTK data from `nltk_data`, `$NLTK_DATA` or the folder
        beside the benchmark data."""
        folder = find_nltk_data(nltk_data, benchmark_dir=data_dir or default_data_dir())
        return _scorer_for(folder.resolve())

    def score_row(self, row: IFEvalRow, response: str) -> RowScore:
        strict: list[bool] = []
        loose: list[bool] = []
        for instruction_id, kwargs in zip(row.instruction_ids, row.kwargs, strict=True):
            strict.append(follows_strict(instruction_id, kwargs, row.prompt, response, self.tools))
            loose.append(follows_loose(instruction_id, kwargs, row.prompt, response, self.tools))
        return RowScore(row.instruction_ids, tuple(strict), tuple(loose))

    def score_responses(
        self, rows: Sequence[IFEvalRow], responses: Mapping[str, str]
    ) -> IFEvalScores:
        """Scores every row whose prompt has a response; a response whose prompt is not
        in the data is an error (a mismatched file, not something to ignore)."""
        known = {row.prompt for row in rows}
        stray = [p for p in responses if p not in known]
        if stray:
            raise UserError(
                f"{len(stray)} response(s) answer prompts that are not in the IFEval data, "
                f"e.g. {stray[0][:80]!r}: score them against the data they were made for."
            )
        scored = [
            self.score_row(row, responses[row.prompt]) for row in rows if row.prompt in responses
        ]
        if not scored:
            raise UserError("No response matches a prompt of the IFEval data: nothing to score.")
        kept = [row.prompt for row in rows if row.prompt in responses]
        outcomes = {prompt: row.strict_all for prompt, row in zip(kept, scored, strict=True)}
        return replace(aggregate(scored), strict_by_prompt=outcomes)


@lru_cache(maxsize=4)
def _scorer_for(folder: Path) -> Scorer:
    return Scorer(TextTools(folder))


def score_row(row: IFEvalRow, response: str, *, nltk_data: Path | None = None) -> RowScore:
    """Strict and loose verdicts of `response` on each instruction of `row`."""
    return Scorer.at(nltk_data).score_row(row, response)


def aggregate(scores: Iterable[RowScore]) -> IFEvalScores:
    rows = list(scores)
    if not rows:
        raise UserError("No scored rows to aggregate.")
    totals: dict[str, list[int]] = {}
    for row in rows:
        for instruction_id, strict, loose in zip(
            row.instruction_ids, row.strict, row.loose, strict=True
        ):
            tally = totals.setdefault(instruction_id, [0, 0, 0])
            tally[0] += strict
            tally[1] += loose
            tally[2] += 1
    instructions = sum(t[2] for t in totals.values())
    return IFEvalScores(
        strict=Accuracy(
            prompt=sum(r.strict_all for r in rows) / len(rows),
            instruction=sum(t[0] for t in totals.values()) / instructions,
        ),
        loose=Accuracy(
            prompt=sum(r.loose_all for r in rows) / len(rows),
            instruction=sum(t[1] for t in totals.values()) / instructions,
        ),
        by_family={
            name: FamilyAccuracy(strict=t[0] / t[2], loose=t[1] / t[2], n=t[2])
            for name, t in totals.items()
        },
        n=len(rows),
    )
