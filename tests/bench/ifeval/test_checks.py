"""The official checker's semantics on hand-made responses, family by family."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from cadenza.bench.ifeval import IFEvalRow, RowScore, Scorer
from cadenza.bench.ifeval.official import INSTRUCTIONS, loose_variants


@pytest.fixture(scope="module")
def scorer(nltk_dir: Path) -> Scorer:
    return Scorer.at(nltk_dir)


def row_of(instruction_id: str, prompt: str = "Write something.", **kwargs: Any) -> IFEvalRow:
    return IFEvalRow(key=1, prompt=prompt, instruction_ids=(instruction_id,), kwargs=(kwargs,))


def strict(scorer: Scorer, instruction_id: str, response: str, **kwargs: Any) -> bool:
    return scorer.score_row(row_of(instruction_id, **kwargs), response).strict[0]


def loose(scorer: Scorer, instruction_id: str, response: str, **kwargs: Any) -> bool:
    return scorer.score_row(row_of(instruction_id, **kwargs), response).loose[0]


CASES: list[tuple[str, dict[str, Any], str, str]] = [
    # (instruction id, kwargs, a response that follows it, one that does not)
    ("keywords:existence", {"keywords": ["ocean", "salt"]}, "The OCEAN is salty.", "The sea."),
    (
        "keywords:frequency",
        {"keyword": "cat", "frequency": 2, "relation": "at least"},
        "A cat met a Cat.",
        "A cat met a dog.",
    ),
    (
        "keywords:frequency",
        {"keyword": "cat", "frequency": 2, "relation": "less than"},
        "A cat met a dog.",
        "A cat met a cat.",
    ),
    ("keywords:forbidden_words", {"forbidden_words": ["red"]}, "Bored at home.", "A Red door."),
    (
        "keywords:letter_frequency",
        {"letter": "#", "let_frequency": 2, "let_relation": "at least"},
        "# Title\n## Sub",
        "# Title only",
    ),
    (
        "language:response_language",
        {"language": "de"},
        "Das ist ein schöner Tag heute.",
        "This is English text here.",
    ),
    (
        "length_constraints:number_sentences",
        {"num_sentences": 3, "relation": "less than"},
        "One. Two.",
        "One. Two. Three.",
    ),
    (
        "length_constraints:number_paragraphs",
        {"num_paragraphs": 2},
        "A\n***\nB",
        "A\n***\n\n***\nB",
    ),
    (
        "length_constraints:number_words",
        {"num_words": 4, "relation": "at least"},
        "one two three four",
        "one two three",
    ),
    (
        "length_constraints:nth_paragraph_first_word",
        {"num_paragraphs": 2, "nth_paragraph": 2, "first_word": "then"},
        'First part.\n\n"Then, the end.',
        "First part.\n\nAnd the end.",
    ),
    ("detectable_content:number_placeholders", {"num_placeholders": 2}, "[a] and [b]", "[a] only"),
    (
        "detectable_content:postscript",
        {"postscript_marker": "P.P.S"},
        "Hi.\nP. P. S. bye",
        "Hi. PS bye",
    ),
    (
        "detectable_format:number_bullet_lists",
        {"num_bullets": 2},
        "* one\n- two",
        "* one\n* two\n* three",
    ),
    ("detectable_format:constrained_response", {}, "Well. My answer is no.", "Nope."),
    (
        "detectable_format:number_highlighted_sections",
        {"num_highlights": 2},
        "*a* and **b**",
        "*a* and ** **",
    ),
    (
        "detectable_format:multiple_sections",
        {"section_spliter": "SECTION", "num_sections": 2},
        "SECTION 1\na\nSECTION 2\nb",
        "SECTION 1\nonly",
    ),
    ("detectable_format:json_format", {}, '```json\n{"a": 1}\n```', "{a: 1}"),
    ("detectable_format:title", {}, "<<My Poem>>\ntext", "<< >> text"),
    ("combination:two_responses", {}, "one\n******\ntwo", "one\n******\none"),
    ("combination:repeat_prompt", {"prompt_to_repeat": "Say hi."}, "say hi. Hi!", "Hi! Say hi."),
    (
        "startend:end_checker",
        {"end_phrase": "Any other questions?"},
        'Done. Any other questions?"',
        "Any other questions? Done.",
    ),
    ("startend:quotation", {}, '  "quoted"  ', '"half quoted'),
    (
        "change_case:capital_word_frequency",
        {"capital_frequency": 2, "capital_relation": "at least"},
        "THIS is VERY good",
        "This is VERY good",
    ),
    (
        "change_case:english_capital",
        {},
        "THIS IS ALL CAPITAL ENGLISH TEXT.",
        "This is not all capital.",
    ),
    (
        "change_case:english_lowercase",
        {},
        "this is all lowercase english text.",
        "This has a capital.",
    ),
    ("punctuation:no_comma", {}, "No commas here.", "One, two."),
]


def test_every_instruction_has_a_case() -> None:
    assert {case[0] for case in CASES} == set(INSTRUCTIONS)


@pytest.mark.parametrize(("instruction_id", "kwargs", "good", "bad"), CASES)
def test_follows_and_fails(
    scorer: Scorer, instruction_id: str, kwargs: dict[str, Any], good: str, bad: str
) -> None:
    assert strict(scorer, instruction_id, good, **kwargs)
    assert not strict(scorer, instruction_id, bad, **kwargs)


def test_blank_response_follows_nothing(scorer: Scorer) -> None:
    assert not strict(scorer, "punctuation:no_comma", "   ")
    assert not loose(scorer, "punctuation:no_comma", "\n\n")


def test_loose_forgives_a_chatty_first_line(scorer: Scorer) -> None:
    response = 'Sure, here it is:\n"All quoted"'
    assert not strict(scorer, "startend:quotation", response)
    assert loose(scorer, "startend:quotation", response)


def test_loose_forgives_markdown_stars(scorer: Scorer) -> None:
    response = "The end. **Any other questions?**"
    phrase = {"end_phrase": "Any other questions?"}
    assert not strict(scorer, "startend:end_checker", response, **phrase)
    assert loose(scorer, "startend:end_checker", response, **phrase)


def test_loose_variants_are_the_eight_of_the_checker() -> None:
    variants = loose_variants("first\n*mid*\nlast")
    assert len(variants) == 8
    assert variants[0] == "first\n*mid*\nlast"
    assert "*mid*\nlast" in variants
    assert "mid" in variants


def test_row_score_lists_each_instruction(scorer: Scorer) -> None:
    row = IFEvalRow(
        key=7,
        prompt="p",
        instruction_ids=("punctuation:no_comma", "startend:quotation"),
        kwargs=({}, {}),
    )
    score = scorer.score_row(row, '"no commas"')
    assert score == RowScore(row.instruction_ids, (True, True), (True, True))
    assert score.strict_all
    assert not scorer.score_row(row, "a, b").strict_all


def test_sentence_count_uses_punkt(scorer: Scorer) -> None:
    # Punkt knows "Dr." is an abbreviation: two sentences, not three.
    assert scorer.tools.count_sentences("Dr. Smith arrived. He sat down.") == 2


def test_language_detection_is_seeded(scorer: Scorer) -> None:
    text = "Ceci est un texte court."
    assert len({scorer.tools.language(text) for _ in range(5)}) == 1
