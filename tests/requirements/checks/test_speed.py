"""The 500-word text and one spec per check family that `benchmarks/check_speed.py`
times; the test makes sure the set stays complete and every check gives a verdict
(timings are the benchmark's job, not a test's)."""

from __future__ import annotations

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


def sample_text() -> str:
    """About 500 words in four paragraphs."""
    return "\n\n".join([PARAGRAPH * 2] * 4)


def test_the_timed_set_covers_every_family_and_each_gives_a_verdict() -> None:
    text = sample_text()
    assert 450 <= len(text.split()) <= 560
    assert {spec.family for spec in SPECS} == set(s.FAMILIES)
    verdicts = run_checks(SPECS, text)
    assert len(verdicts) == len(SPECS)
    assert all(0.0 <= v.score <= 1.0 and v.reason for v in verdicts)
    by_family = dict(zip([spec.family for spec in SPECS], verdicts, strict=True))
    assert by_family["word_count"].passed  # 500 words >= 300
    assert not by_family["all_uppercase"].passed
