"""Contradictory specs are found before any model is called."""

from __future__ import annotations

import pytest

from cadenza.requirements import spec as s
from cadenza.requirements.conflicts import find_conflicts


@pytest.mark.parametrize(
    ("specs", "needle"),
    [
        ([s.WordCount("at_least", 300), s.WordCount("at_most", 100)], "at least 300 words"),
        ([s.AllLowercase(), s.AllUppercase()], "cannot be both"),
        (
            [s.ParagraphCount("exactly", 3), s.ParagraphCount("exactly", 5)],
            "exactly 3 paragraphs",
        ),
        ([s.WordCount("less_than", 100), s.WordCount("more_than", 99)], "fewer than 100"),
        (
            [s.KeywordsPresent(("cat", "dog")), s.ForbiddenWords(("Dog",))],
            "'dog' is both required and forbidden",
        ),
        (
            [s.KeywordsPresent(("ai",)), s.KeywordFrequency("exactly", 0, keyword="AI")],
            "include 'ai'",
        ),
        ([s.ForbiddenCharacters(","), s.EndsWith("Thanks, bye")], "requires ','"),
        ([s.ForbiddenCharacters("*"), s.HighlightCount("at_least", 2)], "requires '*'"),
        ([s.ResponseLanguage("fr"), s.ResponseLanguage("de")], "two languages"),
        ([s.StartsWith("Hello"), s.StartsWith("Dear")], "start with both"),
        ([s.EndsWith("Bye."), s.EndsWith("Thanks.")], "end with both"),
        ([s.WrappedInQuotes(), s.RepeatRequest("Write a poem")], "must start with"),
        ([s.AllLowercase(), s.AnswerOption()], "capital letters"),
        ([s.AllLowercase(), s.CapitalWordCount("at_least", 3)], "all-capital"),
        (
            [s.ParagraphFirstWord(2, "so", paragraphs=4), s.ParagraphCount("exactly", 3)],
            "exactly 3 paragraphs",
        ),
        ([s.ParagraphFirstWord(1, "so"), s.ParagraphFirstWord(1, "but")], "both words"),
        ([s.WordCount("at_most", 3), s.SentenceCount("at_least", 5)], "at least one word"),
    ],
)
def test_contradictions_found(specs: list[s.CheckSpec], needle: str) -> None:
    found = find_conflicts(specs)
    assert len(found) == 1, found
    assert needle in found[0]


@pytest.mark.parametrize(
    "specs",
    [
        [s.WordCount("at_least", 100), s.WordCount("at_most", 300)],
        [s.ParagraphCount("exactly", 3, marker="***"), s.ParagraphCount("exactly", 5)],
        [s.AllLowercase(), s.ResponseLanguage("en"), s.ForbiddenCharacters(",")],
        [s.StartsWith("Dear team"), s.StartsWith("dear")],
        [s.EndsWith("Any other questions?"), s.WrappedInQuotes()],
        [s.KeywordsPresent(("cat",)), s.ForbiddenWords(("dog",))],
        [s.AllLowercase(), s.EndsWith("Is there anything else I can help with?")],
        [s.Postscript("P.S."), s.Postscript("P.P.S")],
    ],
)
def test_compatible_specs_pass(specs: list[s.CheckSpec]) -> None:
    assert find_conflicts(specs) == []


def test_each_pair_reported_once() -> None:
    specs = [s.WordCount("at_least", 300), s.WordCount("at_most", 100), s.WordCount("exactly", 50)]
    found = find_conflicts(specs)
    assert len(found) == 2
