"""Constraint phrases read inside a sentence the grammar cannot read whole."""

from __future__ import annotations

import pytest

from cadenza.requirements.extract import read_prompt
from cadenza.requirements.grammar.phrases import phrases
from cadenza.requirements.lang.codec import to_text


@pytest.mark.parametrize(
    ("sentence", "span", "means"),
    [
        (
            "Write a story of exactly 2 paragraphs about a man who wakes up one day",
            "exactly 2 paragraphs",
            '{"count":"paragraph","exactly":2}',
        ),
        (
            "Write a 300+ word summary of the wikipedia page",
            "Write a 300+ word summary",
            '{"count":"word","at_least":300}',
        ),
        ("Write a poem in French about the sea", "in French", '{"language":"fr"}'),
        (
            "Write a blog post about magistrates with at least 300 words",
            "with at least 300 words",
            '{"count":"word","at_least":300}',
        ),
        (
            "Write a letter to a friend in all lowercase letters",
            "in all lowercase letters",
            '{"case":"lower"}',
        ),
        (
            "Write a list of the top 10 facts about the UK without using commas",
            "without using commas",
            '{"count":{"text":",","whole_word":false},"exactly":0}',
        ),
    ],
)
def test_a_measure_inside_a_task_sentence_is_read_with_its_span(
    sentence: str, span: str, means: str
) -> None:
    found = [(sentence[a:b], to_text(e)) for a, b, e in phrases(sentence)]
    assert (span, means) in found


@pytest.mark.parametrize(
    "sentence",
    [
        "Tell me about the 3 branches of government",
        "Explain why 2 sentences are enough",
        "Describe the 5 stages of grief",
        "Summarize the first 3 paragraphs of the article",
        'Quote the line "write 3 sentences" and explain it',
        'Highlight sections by starting and ending with "*"',  # what ends with "*": the sections
        "A dialogue between two people trying to avoid using the letter t",  # their goal
        "Write a story about a world without cars",
    ],
)
def test_numbers_and_predicates_that_are_not_measures_of_the_answer_are_not_read(
    sentence: str,
) -> None:
    assert phrases(sentence) == []


def test_a_prompt_gets_the_count_inside_its_task_sentence() -> None:
    prompt = "Write a story of exactly 2 paragraphs about a man who wakes up one day."
    read = [to_text(c.expr) for c in read_prompt(prompt).requirements if c.expr is not None]
    assert '{"count":"paragraph","exactly":2}' in read
