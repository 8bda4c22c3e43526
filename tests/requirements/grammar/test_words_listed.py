"""Words a text must have or must not have, listed however people list them: read by the
grammar (they were the phrasing rules' keyword and forbidden-word readings)."""

from __future__ import annotations

import pytest

from cadenza.requirements.extract import read_prompt
from cadenza.requirements.grammar import parse
from cadenza.requirements.lang.evaluate import evaluate


@pytest.mark.parametrize(
    ("sentence", "meets", "breaks"),
    [
        ("Use the terms fog, mist and haze.", "fog, mist, haze", "fog and mist"),
        ("Please don't forget to include the keywords cedar and pine.", "cedar pine", "cedar"),
        ("Make sure to include these items: Apples, Pears.", "apples and pears", "apples"),
        ("Include the keywords ['cat', 'hat'] in the reply.", "a cat in a hat", "a cat"),
        ("I want the poem to include the words rain and sky.", "rain, sky", "rain"),
        ("Be sure to mention Oslo and Bergen.", "Oslo, then Bergen", "Oslo only"),
        ("Mention Zorba at least 3 times.", "Zorba, Zorba, Zorba", "Zorba, Zorba"),
        ('One of the verses should contain the keyword "moon".', "the moon", "the sun"),
        ("Avoid these words: bad, awful.", "fine", "an awful day"),
        ("The words dusk and dawn must not appear in the answer.", "noon", "at dawn"),
        ("Do not use the word banana throughout your whole essay.", "apple", "a banana"),
        ('Write it without mentioning the word "ghost".', "a house", "a ghost"),
        ("Never mention lemons and limes.", "oranges", "limes"),
        ("Do not include slang words such as 'lit', 'sus', etc.", "good", "so lit"),
        ("In your entire reply mork sure you do not use any commas.", "a b", "a, b"),
        ("The sentence should contain the letter z at least 3 times.", "zz z", "zz"),
    ],
)
def test_listed_words_are_read(sentence: str, meets: str, breaks: str) -> None:
    expr = parse(sentence)
    assert expr is not None, sentence
    assert evaluate(expr, meets).passed
    assert not evaluate(expr, breaks).passed


@pytest.mark.parametrize(
    "sentence",
    [
        "Use words sparingly.",
        "Use the words you like.",
        "Use fancy words like 'zephyr'.",  # any such word will do
        "Mention pros and cons.",  # a subject, not words
        "One of the verses should not contain 'moon'.",  # the others may
    ],
)
def test_words_that_are_not_a_list_of_literals_are_not_read(sentence: str) -> None:
    assert parse(sentence) is None


@pytest.mark.parametrize(
    ("prompt", "texts"),
    [
        ('Write a fable about a fox that includes the keywords "vine" and "grapes".', 2),
        ("Write a letter containing keywords 'dog' and 'cat' in your response.", 2),
        ("Make it short, but do not include the keywords 'ox', 'elk', 'yak' in the reply.", 3),
        ("Can you write a rap that doesn't include the keywords 'a', 'b', and 'c'?", 3),
    ],
)
def test_listed_words_are_read_inside_a_longer_sentence(prompt: str, texts: int) -> None:
    """(Read by the phrasing rules before; by the grammar's phrases now.)"""
    found = read_prompt(prompt).requirements
    read = [c for c in found if c.method == "rule"]
    assert len(read) == 1 and not [c for c in found if c.judged], found
    assert read[0].expr is not None and len(repr(read[0].expr).split("text=")) == texts + 1


def test_an_example_after_a_read_clause_is_part_of_it() -> None:
    prompt = "Write a poem. Highlight at least 2 sections with markdown, for example *a part*."
    reading = read_prompt(prompt)
    assert not reading.aside and [c.method for c in reading.requirements] == ["rule"]


def test_the_unit_a_task_asks_for_is_the_answer_not_a_constraint() -> None:
    found = read_prompt("Complete the sentence with the letter k appearing at least 4 times")
    assert [c.method for c in found.requirements] == ["rule"]
