"""Every check family on a 500-word text runs well under 50 ms (models cached)."""

from __future__ import annotations

import time

from cadenza.requirements import spec as s
from cadenza.requirements.checks import run_checks

SPECS: list[s.CheckSpec] = [
    s.WordCount("at_least", 300),
    s.SentenceCount("at_most", 40),
    s.ParagraphCount("exactly", 4, marker="***"),
    s.LineCount("at_least", 3),
    s.CharacterCount("at_most", 4000),
    s.BulletCount("exactly", 3),
    s.NumberedItemCount("exactly", 0),
    s.SectionCount("at_least", 2),
    s.HighlightCount("at_least", 2),
    s.PlaceholderCount("at_least", 1),
    s.MarkdownTableCount("exactly", 0),
    s.CodeBlockCount("exactly", 0),
    s.KeywordFrequency("at_least", 2, keyword="river"),
    s.LetterFrequency("at_least", 10, letter="e"),
    s.CapitalWordCount("less_than", 5),
    s.RegexCount("exactly", 0, pattern=r"\d{4}"),
    s.ParagraphFirstWord(2, "the", paragraphs=4),
    s.Title(),
    s.Postscript(),
    s.SeparatedResponses(),
    s.RepeatRequest("Write about rivers"),
    s.KeywordsPresent(("river", "sea")),
    s.ForbiddenWords(("lake", "pond")),
    s.AllLowercase(),
    s.AllUppercase(),
    s.ForbiddenCharacters(","),
    s.StartsWith("Rivers"),
    s.EndsWith("The end."),
    s.WrappedInQuotes(),
    s.ValidJson(),
    s.JsonSchema({"type": "object"}),
    s.ResponseLanguage("en"),
    s.AnswerOption(),
]

PARAGRAPH = (
    "The river runs from the hills to the sea, and along the way it feeds fields, "
    "towns and forests. People have always settled near rivers because water means "
    "food, trade and travel. In spring the river swells with melted snow; in late "
    "summer it shrinks and slows. Fishermen know every bend and every pool. Children "
    "learn to swim in its shallow parts while their parents watch from the banks. "
)


def test_all_checks_on_500_words_under_50ms() -> None:
    text = "\n\n".join([PARAGRAPH * 2] * 4)  # about 500 words, four paragraphs
    assert 450 <= len(text.split()) <= 560
    assert {spec.family for spec in SPECS} == set(s.FAMILIES)
    run_checks(SPECS, text)  # warm the caches (punkt, langdetect profiles)
    best = min(_timed(text) for _ in range(3))
    assert best < 0.05, f"all checks took {best * 1000:.1f} ms"


def _timed(text: str) -> float:
    start = time.perf_counter()
    run_checks(SPECS, text)
    return time.perf_counter() - start
