from __future__ import annotations

from cadenza.requirements import spec as s
from cadenza.requirements.describe import describe


def test_describe_phrases() -> None:
    assert describe(s.WordCount("at_least", 300)) == "at least 300 words"
    assert describe(s.WordCount("less_than", 100)) == "fewer than 100 words"
    assert describe(s.ParagraphCount("exactly", 3, marker="***")) == (
        "exactly 3 paragraphs separated by '***'"
    )


def test_every_family_is_described() -> None:
    from cadenza.requirements.spec import FAMILIES

    described = {type(spec).family for spec in SAMPLES}
    assert described == set(FAMILIES)
    assert len({describe(spec) for spec in SAMPLES}) == len(SAMPLES)


SAMPLES: list[s.CheckSpec] = [
    s.WordCount("at_least", 1),
    s.SentenceCount("at_least", 1),
    s.ParagraphCount("at_least", 1),
    s.LineCount("at_least", 1),
    s.CharacterCount("at_least", 1),
    s.BulletCount("at_least", 1),
    s.NumberedItemCount("at_least", 1),
    s.SectionCount("at_least", 1),
    s.HighlightCount("at_least", 1),
    s.PlaceholderCount("at_least", 1),
    s.MarkdownTableCount("at_least", 1),
    s.CodeBlockCount("at_least", 1),
    s.KeywordFrequency("at_least", 1, keyword="k"),
    s.LetterFrequency("at_least", 1, letter="l"),
    s.CapitalWordCount("at_least", 1),
    s.RegexCount("at_least", 1, pattern="x"),
    s.ParagraphFirstWord(1, "w"),
    s.Title(),
    s.Postscript(),
    s.SeparatedResponses(),
    s.RepeatRequest(),
    s.KeywordsPresent(("k",)),
    s.ForbiddenWords(("f",)),
    s.AllLowercase(),
    s.AllUppercase(),
    s.ForbiddenCharacters(","),
    s.StartsWith("a"),
    s.EndsWith("z"),
    s.WrappedInQuotes(),
    s.ValidJson(),
    s.JsonSchema({"type": "object"}),
    s.ResponseLanguage("en"),
    s.AnswerOption(),
]


def test_catalogue_lists_every_family_with_parameters() -> None:
    from cadenza.requirements.describe import catalogue
    from cadenza.requirements.spec import FAMILIES

    text = catalogue()
    for family in FAMILIES:
        assert f"- {family}(" in text
    assert "- keyword_frequency(relation, n, n_max?, keyword, whole_word?)" in text


def test_repeat_request_description_quotes_the_request() -> None:
    assert "'Say hi'" in describe(s.RepeatRequest("Say hi"))
