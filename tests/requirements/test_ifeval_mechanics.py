r"""IFEval's `instruction_id_list` + `kwargs` written as expressions of the check language
(with the builders of `lang/build.py`), to show that the language's mechanics
reproduce the official strict verdicts on Google's GPT-4 reference responses (README:
instruction level 0.8369, prompt level 0.7708) but for two deliberate differences:
- a word is what a word processor counts ("don't", "check-up" are one word), where
  IFEval counts runs of ``\w+`` ("don't" is two): two responses near a word limit
  (keys 19 and 2246) pass IFEval's count and not ours;
- the first word of a paragraph is compared without its punctuation ("Summary:" starts
  with "summary"), where IFEval keeps a colon (key 1954).

Only this test reads kwargs. The benchmark command never does: it compiles the
requirements from the prompt text.
"""

from __future__ import annotations

from collections import defaultdict
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from cadenza.bench.ifeval import default_data_dir
from cadenza.bench.ifeval.data import IFEvalRow, load_responses, load_rows
from cadenza.bench.ifeval.official import follows_strict
from cadenza.bench.ifeval.scoring import Scorer
from cadenza.requirements.lang import build as b
from cadenza.requirements.lang.evaluate import evaluate
from cadenza.requirements.lang.nodes import Expr, Relation

OPTIONS = ("My answer is yes.", "My answer is no.", "My answer is maybe.")


def _rel(value: str) -> Relation:
    return {"less than": "less_than", "at least": "at_least"}[value]  # type: ignore[return-value]


def exprs_for(instruction_id: str, kw: dict[str, Any]) -> list[Expr]:
    """The expressions that together make one IFEval instruction (all must pass)."""
    match instruction_id:
        case "keywords:existence":
            return [b.includes(kw["keywords"])]
        case "keywords:frequency":
            return [b.occurrences(kw["keyword"], _rel(kw["relation"]), kw["frequency"])]
        case "keywords:forbidden_words":
            return [b.excludes(kw["forbidden_words"])]
        case "keywords:letter_frequency":
            return [b.occurrences(kw["letter"], _rel(kw["let_relation"]), kw["let_frequency"])]
        case "language:response_language":
            return [b.language(kw["language"])]
        case "length_constraints:number_sentences":
            return [b.count("sentence", _rel(kw["relation"]), kw["num_sentences"])]
        case "length_constraints:number_paragraphs":
            return [b.paragraphs("exactly", kw["num_paragraphs"], marker="***")]
        case "length_constraints:number_words":
            return [b.count("word", _rel(kw["relation"]), kw["num_words"])]
        case "length_constraints:nth_paragraph_first_word":
            return [
                b.first_word_of_paragraph(
                    kw["nth_paragraph"], kw["first_word"], kw["num_paragraphs"]
                )
            ]
        case "detectable_content:number_placeholders":
            return [b.count("placeholder", "at_least", kw["num_placeholders"])]
        case "detectable_content:postscript":
            return [b.postscript(kw["postscript_marker"])]
        case "detectable_format:number_bullet_lists":
            return [b.count("bullet", "exactly", kw["num_bullets"])]
        case "detectable_format:constrained_response":
            return [b.one_of(OPTIONS)]
        case "detectable_format:number_highlighted_sections":
            return [b.count("highlight", "at_least", kw["num_highlights"])]
        case "detectable_format:multiple_sections":
            return [b.sections("at_least", kw["num_sections"], marker=kw["section_spliter"])]
        case "detectable_format:json_format":
            return [b.json_value()]
        case "detectable_format:title":
            return [b.title()]
        case "combination:two_responses":
            return [b.separated(2)]
        case "combination:repeat_prompt":
            return [b.repeats(kw["prompt_to_repeat"])]
        case "startend:end_checker":
            return [b.ends_with(kw["end_phrase"])]
        case "change_case:capital_word_frequency":
            return [b.count("capital_word", _rel(kw["capital_relation"]), kw["capital_frequency"])]
        case "change_case:english_capital":
            return [b.uppercase(), b.language("en")]
        case "change_case:english_lowercase":
            return [b.lowercase(), b.language("en")]
        case "punctuation:no_comma":
            return [b.no_characters(",")]
        case "startend:quotation":
            return [b.wrapped_in()]
    raise KeyError(instruction_id)


def data_dir() -> Path:
    found = default_data_dir()
    assert found is not None, (
        "IFEval data not found: set CADENZA_IFEVAL_DATA or keep shared/benchmarks/ifeval "
        "beside the checkout"
    )
    return found


@cache
def verdicts() -> list[tuple[IFEvalRow, str, bool, bool]]:
    """(row, instruction id, our verdict, the official strict verdict) per instruction."""
    folder = data_dir()
    rows = load_rows(folder / "input_data.jsonl")
    responses = load_responses(folder / "input_response_data_gpt4_20231107_145030.jsonl")
    tools = Scorer.at(data_dir=folder).tools
    out = []
    for row in rows:
        response = responses[row.prompt]
        for instruction_id, kwargs in zip(row.instruction_ids, row.kwargs, strict=True):
            kw = {k: v for k, v in kwargs.items() if v is not None}
            ours = all(
                evaluate(e, response, request=row.prompt).passed
                for e in exprs_for(instruction_id, kw)
            )
            official = follows_strict(instruction_id, kwargs, row.prompt, response, tools)
            out.append((row, instruction_id, ours, official))
    return out


def test_the_language_reproduces_the_official_strict_scores_of_gpt4_responses() -> None:
    results = verdicts()
    by_prompt: dict[int, bool] = defaultdict(lambda: True)
    for row, _, ours, _ in results:
        by_prompt[row.key] &= ours
    assert len(by_prompt) == 541
    instruction_level = sum(ours for _, _, ours, _ in results) / len(results)
    prompt_level = sum(by_prompt.values()) / 541
    # 0.8369 / 0.7708 officially; the three deliberate differences above move it
    assert (round(instruction_level, 4), round(prompt_level, 4)) == (0.8357, 0.7689)


INSTRUCTION_IDS = [
    "keywords:existence", "keywords:frequency", "keywords:forbidden_words",
    "keywords:letter_frequency", "language:response_language",
    "length_constraints:number_sentences", "length_constraints:number_paragraphs",
    "length_constraints:number_words", "length_constraints:nth_paragraph_first_word",
    "detectable_content:number_placeholders", "detectable_content:postscript",
    "detectable_format:number_bullet_lists", "detectable_format:constrained_response",
    "detectable_format:number_highlighted_sections", "detectable_format:multiple_sections",
    "detectable_format:json_format", "detectable_format:title", "combination:two_responses",
    "combination:repeat_prompt", "startend:end_checker", "change_case:capital_word_frequency",
    "change_case:english_capital", "change_case:english_lowercase", "punctuation:no_comma",
    "startend:quotation",
]  # fmt: skip


@pytest.mark.parametrize("instruction_id", INSTRUCTION_IDS)
def test_each_instruction_agrees_with_the_official_verdict_on_every_response(
    instruction_id: str,
) -> None:
    mine = [(row.key, ours, off) for row, i, ours, off in verdicts() if i == instruction_id]
    assert mine, instruction_id
    disagree = [(key, ours, official) for key, ours, official in mine if ours != official]
    assert disagree == DELIBERATE.get(instruction_id, []), f"(key, ours, official): {disagree}"


# (key, ours, official) where cadenza's definition differs on purpose (module docstring)
DELIBERATE: dict[str, list[tuple[int, bool, bool]]] = {
    "length_constraints:number_words": [(19, False, True), (2246, False, True)],
    "length_constraints:nth_paragraph_first_word": [(1954, True, False)],
}
