"""IFEval's `instruction_id_list` + `kwargs` mapped onto cadenza check specs, to show
that cadenza's check mechanics reproduce the official strict scores of Google's GPT-4
reference responses (README: instruction level 0.8369, prompt level 0.7708).

Only this test reads kwargs. The benchmark command never does: it compiles the
requirements from the prompt text.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from cadenza.requirements import spec as s
from cadenza.requirements.checks import run_check

DATA = Path("/work/shared/benchmarks/ifeval")

Relation = Any


def _rel(value: str) -> Relation:
    return {"less than": "less_than", "at least": "at_least"}[value]


def specs_for(instruction_id: str, kw: dict[str, Any]) -> list[s.CheckSpec]:
    """The specs that together make one IFEval instruction (all must pass)."""
    match instruction_id:
        case "keywords:existence":
            return [s.KeywordsPresent(tuple(kw["keywords"]))]
        case "keywords:frequency":
            return [
                s.KeywordFrequency(_rel(kw["relation"]), kw["frequency"], keyword=kw["keyword"])
            ]
        case "keywords:forbidden_words":
            return [s.ForbiddenWords(tuple(kw["forbidden_words"]))]
        case "keywords:letter_frequency":
            return [
                s.LetterFrequency(
                    _rel(kw["let_relation"]), kw["let_frequency"], letter=kw["letter"]
                )
            ]
        case "language:response_language":
            return [s.ResponseLanguage(kw["language"])]
        case "length_constraints:number_sentences":
            return [s.SentenceCount(_rel(kw["relation"]), kw["num_sentences"])]
        case "length_constraints:number_paragraphs":
            return [s.ParagraphCount("exactly", kw["num_paragraphs"], marker="***")]
        case "length_constraints:number_words":
            return [s.WordCount(_rel(kw["relation"]), kw["num_words"])]
        case "length_constraints:nth_paragraph_first_word":
            return [
                s.ParagraphFirstWord(
                    kw["nth_paragraph"], kw["first_word"], paragraphs=kw["num_paragraphs"]
                )
            ]
        case "detectable_content:number_placeholders":
            return [s.PlaceholderCount("at_least", kw["num_placeholders"])]
        case "detectable_content:postscript":
            return [s.Postscript(kw["postscript_marker"])]
        case "detectable_format:number_bullet_lists":
            return [s.BulletCount("exactly", kw["num_bullets"])]
        case "detectable_format:constrained_response":
            return [s.AnswerOption()]
        case "detectable_format:number_highlighted_sections":
            return [s.HighlightCount("at_least", kw["num_highlights"])]
        case "detectable_format:multiple_sections":
            return [s.SectionCount("at_least", kw["num_sections"], marker=kw["section_spliter"])]
        case "detectable_format:json_format":
            return [s.ValidJson()]
        case "detectable_format:title":
            return [s.Title()]
        case "combination:two_responses":
            return [s.SeparatedResponses()]
        case "combination:repeat_prompt":
            return [s.RepeatRequest(kw["prompt_to_repeat"])]
        case "startend:end_checker":
            return [s.EndsWith(kw["end_phrase"])]
        case "change_case:capital_word_frequency":
            return [s.CapitalWordCount(_rel(kw["capital_relation"]), kw["capital_frequency"])]
        case "change_case:english_capital":
            return [s.AllUppercase(), s.ResponseLanguage("en")]
        case "change_case:english_lowercase":
            return [s.AllLowercase(), s.ResponseLanguage("en")]
        case "punctuation:no_comma":
            return [s.ForbiddenCharacters(",")]
        case "startend:quotation":
            return [s.WrappedInQuotes()]
    raise KeyError(instruction_id)


def load() -> list[tuple[dict[str, Any], str]]:
    """(input row, GPT-4 response) pairs, in the input file's order."""
    rows = [json.loads(line) for line in (DATA / "input_data.jsonl").open()]
    responses = {}
    for line in (DATA / "input_response_data_gpt4_20231107_145030.jsonl").open():
        r = json.loads(line)
        responses[r["prompt"]] = r["response"]
    return [(row, responses[row["prompt"]]) for row in rows]


def kwargs_of(kw: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in kw.items() if v is not None}


@pytest.mark.skipif(not DATA.is_dir(), reason="IFEval data not present")
def test_checks_reproduce_official_strict_scores_of_gpt4_responses() -> None:
    followed: list[bool] = []
    prompts_ok = 0
    for row, response in load():
        all_ok = True
        for instruction_id, kw in zip(row["instruction_id_list"], row["kwargs"], strict=True):
            specs = specs_for(instruction_id, kwargs_of(kw))
            ok = all(run_check(spec, response, prompt=row["prompt"]).passed for spec in specs)
            followed.append(ok)
            all_ok = all_ok and ok
        prompts_ok += all_ok
    assert round(sum(followed) / len(followed), 4) == 0.8369
    assert round(prompts_ok / 541, 4) == 0.7708
