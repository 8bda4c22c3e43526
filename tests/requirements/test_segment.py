"""Prompt segmentation and extraction: constraints mentioned as subject matter are not
imposed; constraints stated inline are found with their span."""

from __future__ import annotations

import pytest

from cadenza.requirements.extract import extract_requirements, locate
from cadenza.requirements.segment import imposing, masked, segments


@pytest.mark.parametrize(
    "prompt",
    [
        "What does it mean when people reply in all lowercase?",
        "Why do formal letters end with a sign-off like 'Yours sincerely'?",
        "In Markdown, how do I make a numbered list of 5 items?",
        "Translate into French: 'Answer in no more than three sentences.'",
        "My editor says every paragraph should start with a topic sentence. Is she right?",
        "Is it rude to use exclamation marks in emails to your boss?",
    ],
)
def test_subject_matter_is_not_imposed(prompt: str) -> None:
    assert extract_requirements(prompt) == []


def test_inline_requirements_are_found_with_their_span() -> None:
    prompt = "Write a toast for my sister's wedding, at most 120 words, and no emojis."
    found = extract_requirements(prompt)
    texts = {prompt[c.span[0] : c.span[1]] for c in found if c.span}
    assert "at most 120 words" in texts
    assert any("no emojis" in t for t in texts)
    assert all(c.method == "rule" for c in found)


def test_a_request_question_still_carries_requirements() -> None:
    found = extract_requirements("Can you summarise the plot of Hamlet in under 60 words?")
    assert [c.checks for c in found] == ["the answer has fewer than 60 words"]


def test_quoted_text_is_masked_with_the_same_offsets() -> None:
    prompt = "Say 'no commas here, please' twice."
    hidden = masked(prompt)
    assert len(hidden) == len(prompt)
    assert "commas" not in hidden
    assert hidden.startswith("Say '")


def test_segments_mark_questions_and_reported_speech() -> None:
    kinds = [
        s.kind for s in segments("Write a poem. Why is it short? My teacher says poems rhyme.")
    ]
    assert kinds == ["directive", "question", "reported"]
    prompt = "Why are haikus short? Keep yours to 3 lines."
    assert not imposing(prompt, 0, 10)
    assert imposing(prompt, prompt.index("Keep"), len(prompt))


def test_locate_finds_quotes_regardless_of_case_and_spacing() -> None:
    prompt = "Write a bio.  Keep it   Humble, please."
    span = locate(prompt, "keep it humble")
    assert span is not None and prompt[span[0] : span[1]] == "Keep it   Humble"
    assert locate(prompt, "be concise") is None


def test_clauses_split_at_conjunctions_but_keep_modifiers_and_quotes() -> None:
    from cadenza.requirements.segment import clauses

    def pieces(text: str) -> list[str]:
        return [text[s:e] for s, e in clauses(text)]

    assert pieces("Keep it under 280 characters and include two hashtags.") == [
        "Keep it under 280 characters",
        "include two hashtags.",
    ]
    assert pieces("Do not use any commas unless you are listing items.") == [
        "Do not use any commas unless you are listing items."
    ]
    assert pieces('Include the keywords "salt, pepper" and "tea".') == [
        'Include the keywords "salt, pepper" and "tea".'
    ]
    assert clauses("Use 3 bullets, each under 10 words.", 100)[0][0] == 100


@pytest.mark.parametrize(
    "prompt",
    [
        "If I miss my connecting flight in Frankfurt, what are my rights?",
        "Unless the bus comes soon I'll be late; how do I tell my boss politely?",
        "Our stand-up runs long every day. Any ideas to fix it?",
    ],
)
def test_a_question_after_a_condition_or_without_a_question_word_is_a_question(
    prompt: str,
) -> None:
    assert segments(prompt)[-1].kind == "question"


def test_a_request_after_a_condition_still_imposes() -> None:
    (seg,) = segments("If you can, could you write it in French?")
    assert seg.kind == "directive"


def test_a_contraction_inside_single_quotes_does_not_end_the_quote() -> None:
    prompt = "Our coach shouted 'Run harder, don't stop until the whistle'. Was he right?"
    assert extract_requirements(prompt) == []
    hidden = masked(prompt)
    assert "stop" not in hidden and "whistle" not in hidden
    assert masked("the dogs' bowls") == "the dogs' bowls"  # a plural's apostrophe opens nothing


def test_a_quoted_literal_with_a_contraction_is_read_and_a_real_directive_stays() -> None:
    found = extract_requirements("Write a poem. Use the word 'don't' at least twice.")
    assert [c.checks for c in found if c.method == "rule"] == [
        "the answer has at least 2 occurrences of 'don't'"
    ]
    found = extract_requirements(
        "Write a song. Never use the phrase 'we can't', and don't mention the sea."
    )
    assert [c.method for c in found] == ["rule", "judged"]
    assert found[1].requirement.description == "don't mention the sea."
