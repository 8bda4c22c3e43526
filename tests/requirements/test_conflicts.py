"""Contradictory expressions are found before any model is called; compatible ones are
left alone (a false contradiction would refuse a task that can be done)."""

from __future__ import annotations

import pytest

from cadenza.requirements.conflicts import find_conflicts
from cadenza.requirements.lang import build as b
from cadenza.requirements.lang.nodes import Contains, Expr, Language, Named, Select

OPTIONS = ("My answer is yes.", "My answer is no.", "My answer is maybe.")


@pytest.mark.parametrize(
    ("exprs", "needle"),
    [
        ([b.count("word", "at_least", 300), b.count("word", "at_most", 100)],
         "'the answer has at least 300 words' contradicts 'the answer has at most 100 words'"),
        ([b.lowercase(), b.uppercase()], "a text with letters cannot be both"),
        ([b.paragraphs("exactly", 3), b.paragraphs("exactly", 5)], "exactly 3 paragraphs"),
        ([b.count("word", "less_than", 100), b.count("word", "more_than", 99)],
         "fewer than 100"),
        ([b.includes(["cat", "dog"]), b.excludes(["Dog"])], "it requires 'Dog'"),
        ([b.includes(["ai"]), b.occurrences("AI", "exactly", 0)], "contains 'ai'"),
        ([b.no_characters(","), b.ends_with("Thanks, bye")], "it requires ','"),
        ([b.no_characters("!"), b.ends_with("Wow!")], "it requires '!'"),
        ([b.excludes(["cat"], whole_word=False), b.includes(["category"])], "it requires 'cat'"),
        ([b.language("fr"), b.language("de")], "two languages"),
        ([b.starts_with("Hello"), b.starts_with("Dear")], "cannot start with both"),
        ([b.ends_with("Bye."), b.ends_with("Thanks.")], "cannot end with both"),
        ([b.lowercase(), b.one_of(OPTIONS)], "every allowed answer contains capital letters"),
        ([b.uppercase(), b.one_of(OPTIONS)], "every allowed answer contains lowercase letters"),
        ([b.lowercase(), b.count("capital_word", "at_least", 3)], "all-capital"),
        ([b.first_word_of_paragraph(2, "so", 4), b.paragraphs("exactly", 3)],
         "exactly 3 paragraphs"),
        ([b.count("word", "at_most", 3), b.count("sentence", "at_least", 5)],
         "every sentence or paragraph needs at least one word"),
        ([b.count("word", "at_most", 3), b.count("paragraph", "at_least", 5)],
         "at least one word"),
    ],
)  # fmt: skip
def test_contradictions_found(exprs: list[Expr], needle: str) -> None:
    found = find_conflicts(exprs)
    assert len(found) == 1, found
    assert needle in found[0]


@pytest.mark.parametrize(
    ("exprs", "needle"),
    [
        ([b.no_characters("*"), b.count("highlight", "at_least", 2)], "'*'"),
        ([b.wrapped_in(), b.repeats("Write a poem")], "start"),
        ([b.first_word_of_paragraph(1, "so"), b.first_word_of_paragraph(1, "but")], "'so'"),
        ([b.no_characters(","), b.repeats("Say hi, friend.")], "it requires ','"),
    ],
    ids=[
        "no-stars-vs-highlights",
        "quotes-vs-repeat-first",
        "two-first-words",
        "no-commas-vs-repeat",
    ],
)
def test_contradictions_the_old_checks_found_are_still_found(
    exprs: list[Expr], needle: str
) -> None:
    found = find_conflicts(exprs)
    assert len(found) == 1 and needle in found[0], found


@pytest.mark.parametrize(
    "exprs",
    [
        [b.count("word", "at_least", 100), b.count("word", "at_most", 300)],
        [b.paragraphs("exactly", 3, marker="***"), b.paragraphs("exactly", 5)],
        [b.lowercase(), b.language("en"), b.no_characters(",")],
        [b.starts_with("Dear team"), b.starts_with("dear")],
        [b.includes(["cat"]), b.excludes(["dog"])],
        [b.lowercase(), b.ends_with("Is there anything else I can help with?")],
        [b.postscript("P.S."), b.postscript("P.P.S")],
        [Language("pt-br"), Language("pt")],
        [b.excludes(["cat"], whole_word=True), Contains("category", whole_word=True)],
        [Select("each", Named("bullet"), b.count("word", "at_most", 3)),
         b.count("word", "at_least", 300)],  # the limit is per bullet
        [b.count("word", "at_least", 10, where=Contains("x")), b.count("word", "at_most", 5)],
    ],
)  # fmt: skip
def test_compatible_expressions_pass(exprs: list[Expr]) -> None:
    assert find_conflicts(exprs) == []


def test_an_end_phrase_and_wrapping_quotes_are_compatible() -> None:
    # '"That is all. Any other questions?"' meets both: an end phrase ignores wrapping quotes
    end, quotes = b.ends_with("Any other questions?"), b.wrapped_in()
    assert find_conflicts([end, quotes]) == []


def test_each_pair_reported_once() -> None:
    exprs = [
        b.count("word", "at_least", 300),
        b.count("word", "at_most", 100),
        b.count("word", "exactly", 50),
    ]
    found = find_conflicts(exprs)
    assert len(found) == 2
    assert all(f.startswith("'the answer has at least 300 words' contradicts") for f in found)


def test_conjunctions_are_looked_into() -> None:
    found = find_conflicts([b.all_of([b.lowercase(), b.count("word", "at_most", 5)]),
                            b.uppercase()])  # fmt: skip
    assert len(found) == 1 and "cannot be both" in found[0]
