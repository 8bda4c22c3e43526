"""How well cadenza understands requirements it was not written for.

Reads a labelled set in the format of ``benchmarks/requirements-ood`` (its README):
``requirements.jsonl`` (a requirement sentence, a task, and answers labelled pass or
fail; mechanical or judged) and ``prompts.jsonl`` (prompts with the requirements they
impose, or none). For each requirement cadenza compiles the sentence exactly as it
would a user's (rules, then the model compiler with a cold cache, then the judge) and
decides each answer; for each prompt it extracts requirements from the text alone.

Reported: mechanical accuracy (verdicts equal to labels, both labels counted),
compiled share (mechanical requirements turned into checks, by rule or by the
compiler) and missed share (the rest, left to the judge), judged accuracy, false
imposition (plain prompts given any requirement), inline recall (listed requirements
found), per family, model calls and seconds. The labels are only read to score.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cadenza.bench.stats import wilson
from cadenza.errors import ProviderError, UserError
from cadenza.providers.base import Model
from cadenza.providers.metered import Metered
from cadenza.requirements.compile import CompiledRequirement, compile_requirements
from cadenza.requirements.compiler import ModelCompiler
from cadenza.requirements.extract import extract_requirements, extract_requirements_with_model
from cadenza.requirements.judge import judge, unsure_pass
from cadenza.requirements.lang.codec import to_json
from cadenza.requirements.lang.evaluate import evaluate
from cadenza.requirements.words import content_words
from cadenza.store.store import Store

REQUIREMENTS_FILE = "requirements.jsonl"
PROMPTS_FILE = "prompts.jsonl"


@dataclass
class ItemOutcome:
    id: str
    kind: str
    family: str
    requirement: str
    method: str
    why: str
    expression: dict[str, Any] | None
    verdicts: list[bool] = field(default_factory=list)
    labels: list[bool] = field(default_factory=list)
    proven: list[bool] = field(default_factory=list)
    scores: list[float | None] = field(default_factory=list)

    @property
    def correct(self) -> int:
        return sum(1 for v, label in zip(self.verdicts, self.labels, strict=True) if v == label)

    @property
    def proven_wrong(self) -> int:
        """Answers labelled as failing whose pass a solve would report as proof."""
        return sum(1 for p, label in zip(self.proven, self.labels, strict=True) if p and not label)

    def pairs(self) -> tuple[int, int]:
        """(ordered, all): of every passing answer paired with a failing one of this
        item, how many the judge's score puts the passing one above (a tie counts half,
        doubled here so the count stays whole)."""
        ordered = total = 0
        scored = [(s, label) for s, label in zip(self.scores, self.labels, strict=True)]
        for good, g_label in scored:
            for bad, b_label in scored:
                if g_label and not b_label and good is not None and bad is not None:
                    total += 2
                    ordered += 2 if good > bad else 1 if good == bad else 0
        return ordered, total


@dataclass(frozen=True, slots=True)
class Decision:
    """cadenza's verdict on one labelled answer: whether it passes, whether that pass
    would count as proof in a solve (a check, or a judge's confident yes), and the
    judge's graded score where a judge was asked."""

    passed: bool
    proven: bool
    score: float | None = None


@dataclass
class PromptOutcome:
    id: str
    listed: list[str]
    found: list[str]
    matched: list[bool]


def load(path: Path) -> list[dict[str, Any]]:
    if not path.is_file():
        raise UserError(
            f"{path} not found: --data must be a folder with {REQUIREMENTS_FILE} and "
            f"{PROMPTS_FILE} (e.g. ../shared/benchmarks/requirements-ood)."
        )
    rows: list[dict[str, Any]] = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            rows.append(json.loads(line))
        except ValueError as exc:
            raise UserError(f"{path}: line {number} is not JSON ({exc}).") from None
    return rows


async def decide(
    compiled: CompiledRequirement, answer: str, task: str, model: Model | None
) -> Decision:
    """cadenza's verdict on one answer, as a solve would reach it."""
    passed = True
    if compiled.expr is not None:
        passed = evaluate(compiled.expr, answer).passed
    if compiled.rubric is None:
        return Decision(passed, passed)
    if model is None:
        return Decision(False, False)  # not verified: never counted as a pass
    try:
        verdict = await judge(answer, compiled.rubric, model=model, task_prompt=task)
    except ProviderError:
        return Decision(False, False)
    passed = passed and verdict.passed
    return Decision(passed, passed and not unsure_pass(verdict), verdict.score)


def same_requirement(listed: str, found: CompiledRequirement, listed_expr: object) -> bool:
    """Whether a found requirement means the listed one: the same expression, or the
    found text carries most of the listed one's content words."""
    if found.expr is not None and listed_expr is not None and found.expr == listed_expr:
        return True
    want = content_words(listed)
    have = content_words(found.requirement.description)
    return bool(want) and len(want & have) / len(want) >= 0.5


async def run(
    data: Path,
    *,
    model: Model | None = None,
    limit: int | None = None,
    store: Store | None = None,
    split: int | None = None,
) -> dict[str, Any]:
    """Run the whole set (the first `limit` of each file) and return the report; with
    `split`, also the measures on each half of that seeded split (`split_report`)."""
    requirements = load(data / REQUIREMENTS_FILE)[:limit]
    prompts = load(data / PROMPTS_FILE)[:limit]
    started = time.monotonic()
    counted = Metered(model) if model is not None else None
    cache = store if store is not None else Store.open(":memory:")
    compiler = ModelCompiler(counted, store=cache) if counted is not None else None
    items: list[ItemOutcome] = []
    for row in requirements:
        compiled = (
            await compile_requirements(
                [row["requirement"]], compiler=compiler, task=row["task"], check_conflicts=False
            )
        )[0]
        outcome = ItemOutcome(
            row["id"],
            row["kind"],
            row.get("family", ""),
            row["requirement"],
            compiled.method,
            compiled.why,
            to_json(compiled.expr) if compiled.expr is not None else None,
        )
        for answer in row["answers"]:
            decision = await decide(compiled, answer["text"], row["task"], counted)
            outcome.verdicts.append(decision.passed)
            outcome.proven.append(decision.proven)
            outcome.scores.append(decision.score)
            outcome.labels.append(bool(answer["passes"]))
        items.append(outcome)
    prompt_outcomes: list[PromptOutcome] = []
    for row in prompts:
        if counted is not None:
            found = await extract_requirements_with_model(
                row["prompt"], model=counted, compiler=compiler
            )
        else:
            found = extract_requirements(row["prompt"])
        listed = [str(r) for r in row.get("requirements", [])]
        listed_compiled = await compile_requirements(listed, check_conflicts=False)
        matched = [
            any(same_requirement(text, f, lc.expr) for f in found)
            for text, lc in zip(listed, listed_compiled, strict=True)
        ]
        prompt_outcomes.append(
            PromptOutcome(row["id"], listed, [f.requirement.description for f in found], matched)
        )
    if store is None:
        cache.close()
    whole = report(items, prompt_outcomes, counted, time.monotonic() - started)
    if split is not None:
        whole["split"] = split_report(items, prompt_outcomes, split)
    return whole


def report(
    items: list[ItemOutcome],
    prompts: list[PromptOutcome],
    model: Metered | None,
    seconds: float,
) -> dict[str, Any]:
    mech = [i for i in items if i.kind == "mechanical"]
    judged = [i for i in items if i.kind != "mechanical"]
    plain = [p for p in prompts if not p.listed]
    inline = [p for p in prompts if p.listed]
    listed = sum(len(p.listed) for p in inline)
    ordered, paired = _pairs(judged)
    per_family: dict[str, dict[str, Any]] = {}
    groups: dict[str, list[ItemOutcome]] = defaultdict(list)
    for i in items:
        groups[i.family].append(i)
    for family, members in sorted(groups.items()):
        answers = sum(len(m.labels) for m in members)
        per_family[family] = {
            "kind": members[0].kind,
            "accuracy": round(sum(m.correct for m in members) / answers, 4) if answers else None,
            "methods": [m.method for m in members],
        }
    return {
        "mechanical": {
            "items": len(mech),
            "answers": sum(len(i.labels) for i in mech),
            "accuracy": _ratio(sum(i.correct for i in mech), sum(len(i.labels) for i in mech)),
            "compiled_share": _ratio(sum(1 for i in mech if i.method != "judged"), len(mech)),
            "missed_share": _ratio(sum(1 for i in mech if i.method == "judged"), len(mech)),
            "by_method": _methods(mech),
        },
        "judged": {
            "items": len(judged),
            "answers": sum(len(i.labels) for i in judged),
            "accuracy": _ratio(sum(i.correct for i in judged), sum(len(i.labels) for i in judged)),
            "by_method": _methods(judged),
            # a pass a solve takes as proof (a confident yes), and how many of those
            # are labelled as failing: the `satisfied` that would be false
            "proven_passes": sum(sum(i.proven) for i in judged),
            "proven_wrong": sum(i.proven_wrong for i in judged),
            # the judge's score puts an item's passing answer above its failing one
            "pairs_ordered": _ratio(ordered, paired),
            "pairs": paired // 2,
        },
        "plain": {
            "prompts": len(plain),
            "inline_prompts": len(inline),
            "listed": listed,
            "false_imposition": _ratio(sum(1 for p in plain if p.found), len(plain)),
            "inline_recall": _ratio(sum(sum(p.matched) for p in inline), listed),
        },
        "per_family": per_family,
        "ci95": intervals(mech, judged, plain, inline, listed),
        "model": model.id if model is not None else None,
        "calls": model.calls if model is not None else 0,
        "tokens": model.usage.input_tokens + model.usage.output_tokens if model is not None else 0,
        "seconds": round(seconds, 1),
        "items": [
            {
                "id": i.id,
                "kind": i.kind,
                "family": i.family,
                "requirement": i.requirement,
                "method": i.method,
                "why": i.why,
                "expression": i.expression,
                "verdicts": i.verdicts,
                "labels": i.labels,
                "proven": i.proven,
                "scores": [None if x is None else round(x, 4) for x in i.scores],
            }
            for i in items
        ],
        "prompts": [
            {"id": p.id, "listed": p.listed, "found": p.found, "matched": p.matched}
            for p in prompts
        ],
    }


def half_of(seed: int, name: str) -> str:
    """Which half ("a" or "b") of a seeded split `name` (a family, or a prompt id) is in:
    a hash, so a family never straddles the halves and a seed always splits the same way."""
    digest = hashlib.sha256(f"{seed}:{name}".encode()).digest()
    return "a" if digest[0] % 2 == 0 else "b"


def split_report(
    items: list[ItemOutcome], prompts: list[PromptOutcome], seed: int
) -> dict[str, Any]:
    """The measures on each half of a split by family (requirements) and by id (prompts):
    build on one half, measure on the other, and report both side by side."""
    halves: dict[str, Any] = {"seed": seed}
    for half in ("a", "b"):
        mine = [i for i in items if half_of(seed, i.family or i.id) == half]
        mine_prompts = [p for p in prompts if half_of(seed, p.id) == half]
        summary = report(mine, mine_prompts, None, 0.0)
        halves[half] = {
            "families": sorted({i.family for i in mine}),
            "prompts": sorted(p.id for p in mine_prompts),
            "mechanical": summary["mechanical"],
            "judged": summary["judged"],
            "plain": summary["plain"],
        }
    return halves


def intervals(
    mech: list[ItemOutcome],
    judged: list[ItemOutcome],
    plain: list[PromptOutcome],
    inline: list[PromptOutcome],
    listed: int,
) -> dict[str, list[float] | None]:
    """The 95% Wilson interval of each share the report gives (None without a sample)."""
    counts = {
        "mechanical.accuracy": (sum(i.correct for i in mech), sum(len(i.labels) for i in mech)),
        "mechanical.compiled_share": (sum(1 for i in mech if i.method != "judged"), len(mech)),
        "judged.accuracy": (sum(i.correct for i in judged), sum(len(i.labels) for i in judged)),
        "plain.false_imposition": (sum(1 for p in plain if p.found), len(plain)),
        "plain.inline_recall": (sum(sum(p.matched) for p in inline), listed),
    }
    return {
        name: wilson(part, whole).to_json()["ci95"] if whole else None
        for name, (part, whole) in counts.items()
    }


def _ratio(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def _pairs(items: list[ItemOutcome]) -> tuple[int, int]:
    counts = [i.pairs() for i in items]
    return sum(c[0] for c in counts), sum(c[1] for c in counts)


def _methods(items: list[ItemOutcome]) -> dict[str, int]:
    out: dict[str, int] = defaultdict(int)
    for i in items:
        out[i.method] += 1
    return dict(out)
