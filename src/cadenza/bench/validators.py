"""How well cadenza's validators agree with IFEval's official strict verdicts.

For each IFEval prompt, cadenza extracts and compiles the requirements from the prompt
TEXT ALONE (`cadenza.requirements.extract`), checks Google's GPT-4 reference response
with its own checks, and compares its prompt-level verdict (every requirement met)
with the official strict verdict.

Separation, kept visible here: the solver side (`_cadenza_verdict`) sees only
``row.prompt`` and the response. Only `_official_verdict` touches the official scorer
and the row's instruction list (to score, and to name the family of a disagreement).
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cadenza.bench.ifeval import IFEvalRow, load_responses, load_rows, score_row
from cadenza.errors import UserError
from cadenza.providers.base import Model
from cadenza.requirements.compile import CompiledRequirement
from cadenza.requirements.extract import extract_requirements, extract_requirements_with_model
from cadenza.requirements.validate import validate_checks

RESPONSES_FILE = "input_response_data_gpt4_20231107_145030.jsonl"
PROMPTS_FILE = "input_data.jsonl"


@dataclass(frozen=True, slots=True)
class RowOutcome:
    key: int
    ours: bool
    official: bool
    failed_families: tuple[str, ...]  # official families the response failed
    judged: int  # requirements cadenza could only judge (not counted as checks)


@dataclass(frozen=True, slots=True)
class Agreement:
    n: int
    agreement: float
    false_accept_rate: float
    false_reject_rate: float
    by_family: dict[str, int]

    @staticmethod
    def of(outcomes: Sequence[RowOutcome]) -> Agreement:
        n = len(outcomes)
        fa = sum(1 for o in outcomes if o.ours and not o.official)
        fr = sum(1 for o in outcomes if not o.ours and o.official)
        families: Counter[str] = Counter()
        for o in outcomes:
            if o.ours != o.official:
                families.update(o.failed_families or ("(none failed officially)",))
        return Agreement(
            n=n,
            agreement=(n - fa - fr) / n if n else 0.0,
            false_accept_rate=fa / n if n else 0.0,
            false_reject_rate=fr / n if n else 0.0,
            by_family=dict(families.most_common()),
        )


@dataclass(frozen=True, slots=True)
class ValidatorsReport:
    overall: Agreement
    even_keys: Agreement
    odd_keys: Agreement
    model: str | None
    seconds: float
    llm_seconds: float
    llm_prompts: int
    outcomes: tuple[RowOutcome, ...] = field(repr=False)

    def to_json(self) -> dict[str, Any]:
        def part(a: Agreement) -> dict[str, Any]:
            return {
                "n": a.n,
                "agreement": round(a.agreement, 4),
                "false_accept_rate": round(a.false_accept_rate, 4),
                "false_reject_rate": round(a.false_reject_rate, 4),
            }

        return {
            "agreement": round(self.overall.agreement, 4),
            "false_accept_rate": round(self.overall.false_accept_rate, 4),
            "false_reject_rate": round(self.overall.false_reject_rate, 4),
            "by_family": self.overall.by_family,
            "model": self.model,
            "seconds": round(self.seconds, 2),
            "llm_seconds": round(self.llm_seconds, 2),
            "llm_prompts": self.llm_prompts,
            "n": self.overall.n,
            "even_keys": part(self.even_keys),
            "odd_keys": part(self.odd_keys),
            "disagreements": [
                {"key": o.key, "cadenza": o.ours, "official": o.official}
                for o in self.outcomes
                if o.ours != o.official
            ],
        }


def _cadenza_verdict(compiled: Sequence[CompiledRequirement], prompt: str, response: str) -> bool:
    """Solver side: cadenza's own checks, compiled from the prompt text only."""
    results = validate_checks(response, compiled, prompt=prompt)
    return all(r.passed for r in results if r is not None)


def _official_verdict(row: IFEvalRow, response: str) -> tuple[bool, tuple[str, ...]]:
    """Bench side only: the official strict verdict and the families that failed."""
    score = score_row(row, response)
    failed = tuple(i for i, ok in zip(row.instruction_ids, score.strict, strict=True) if not ok)
    return all(score.strict), failed


async def run(
    data_dir: Path, *, limit: int | None = None, model: Model | None = None
) -> ValidatorsReport:
    """Run the comparison over the first `limit` prompts (all by default). With `model`,
    prompts where the rules find no requirement also go through the model's extraction."""
    prompts = data_dir / PROMPTS_FILE
    responses_path = data_dir / RESPONSES_FILE
    if not prompts.is_file() or not responses_path.is_file():
        raise UserError(
            f"{data_dir}: expected {PROMPTS_FILE} and {RESPONSES_FILE} (the IFEval folder, "
            "e.g. ../shared/benchmarks/ifeval)."
        )
    rows = load_rows(prompts)[:limit] if limit else load_rows(prompts)
    responses = load_responses(responses_path)
    started = time.monotonic()
    llm_seconds = 0.0
    llm_prompts = 0
    outcomes: list[RowOutcome] = []
    for row in rows:
        response = responses.get(row.prompt)
        if response is None:
            raise UserError(f"{responses_path}: no reference response for prompt key {row.key}.")
        compiled = extract_requirements(row.prompt)
        if model is not None and not compiled:
            t0 = time.monotonic()
            compiled = await extract_requirements_with_model(row.prompt, model=model)
            llm_seconds += time.monotonic() - t0
            llm_prompts += 1
        ours = _cadenza_verdict(compiled, row.prompt, response)
        official, failed = _official_verdict(row, response)
        judged = sum(1 for c in compiled if c.judged)
        outcomes.append(RowOutcome(row.key, ours, official, failed, judged))
    return ValidatorsReport(
        overall=Agreement.of(outcomes),
        even_keys=Agreement.of([o for o in outcomes if o.key % 2 == 0]),
        odd_keys=Agreement.of([o for o in outcomes if o.key % 2 == 1]),
        model=model.id if model is not None else None,
        seconds=time.monotonic() - started,
        llm_seconds=llm_seconds,
        llm_prompts=llm_prompts,
        outcomes=tuple(outcomes),
    )
